"""`ivr timing`: seconds from pick-up until a caller hears what they called for.

For each offered language it follows the keys a caller presses through the menu tree (found from the
model: the option whose key leads on to each page with numbers, and to each transfer), asks the call
flow in this process for each answer's plan, and adds up how long what is heard takes (the timing
model: docs/staff.md, "Time to information"): the words the voice says by the model, a recording by its
WAV's length, exactly as `speech.render` would choose between them. Two callers: one who presses as
soon as their option is said, one who hears every prompt to its end first.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from collections.abc import Iterator

from .. import urls
from ..audio import library
from ..audio.synth import SLOW_TEMPO
from ..flow.line import Line
from ..menu import hours, model
from ..menu.errors import Problem
from ..settings import Settings, audio_path
from ..speech import plan, prompts, render
from . import options

# Letters a second of speech at a natural pace on a phone line (digits, spaces and punctuation apart).
# Scripts that leave out short vowels (Arabic) pack more speech into each letter. Estimates, not
# measurements; the same model the budgets were set in, so two measurements agree.
LETTERS_PER_S = {"fi": 13.0, "sv": 13.0, "en": 13.0, "ru": 12.0, "uk": 12.0, "ar": 10.0}
DEFAULT_LETTERS_PER_S = 11.0
# The pause a voice makes at punctuation.
STOP_S = 0.35  # . ? ! (and the Arabic-script question mark)
COMMA_S = 0.15  # , ; : (and the Arabic-script comma and semicolon)
STOPS = ".?!؟"
COMMAS = ",;:،؛"
DIGIT_S = 0.4  # numbers are said one digit at a time
REQUEST_S = 0.7  # each new TwiML document: Twilio's request and the answer's round trip
REACTION_S = 1.0  # from the end of the words to the key press
# Budgets, seconds from pick-up.
OFFERED_PRESSER_S = 30
OFFERED_LISTENER_S = 60
NUMBER_S = 35
MAX_HOPS = 12  # redirects followed between two keys before giving up (a loop)

PRESSER, LISTENER = "presser", "listener"


class TimingError(RuntimeError):
    """The line did not answer as the menu says it should (an option or number was never heard)."""


@dataclasses.dataclass(frozen=True)
class Mark:
    """Something to listen for: a prompt in one language (by its id, which is also its recording's name)
    heard to its end, or, with `digits`, the moment its number's first digit group starts."""

    code: str
    prompt: str
    digits: str = ""


@dataclasses.dataclass(frozen=True)
class Figure:
    what: str
    node: model.Node
    presser: float
    listener: float
    budgets: tuple[float | None, float | None]  # presser, listener

    def verdicts(self) -> list[tuple[str, float, float, bool]]:
        """(caller, seconds, budget, within) for each budget this figure has."""
        out = []
        for caller, seconds, budget in ((PRESSER, self.presser, self.budgets[0]),
                                        (LISTENER, self.listener, self.budgets[1])):
            if budget is not None:
                out.append((caller, seconds, budget, seconds <= budget))
        return out


class Clockwork:
    """How long what is heard takes, by the timing model."""

    def __init__(self, recordings: library.Library) -> None:
        self.library = recordings
        self._wav: dict[tuple[str, str], float] = {}

    def text(self, text: str, code: str, slow: bool = False) -> float:
        digits = sum(ch.isdigit() for ch in text)
        letters = sum(ch.isalpha() for ch in text)
        stops = sum(ch in STOPS for ch in text)
        commas = sum(ch in COMMAS for ch in text)
        rate = LETTERS_PER_S.get(code, DEFAULT_LETTERS_PER_S)
        spoken = digits * DIGIT_S + letters / rate + stops * STOP_S + commas * COMMA_S
        return spoken / (SLOW_TEMPO if slow else 1)

    def pieces(self, pieces, code: str, slow: bool = False) -> float:
        """Words by the model, pauses as long as the voice makes them (longer when slow, as rendered)."""
        return sum(self.text(p, code, slow) if isinstance(p, str)
                   else p.ms / 1000 * (render.SLOW_PAUSES if slow else 1) for p in pieces)

    def recorded(self, lang: model.Language, prompt: prompts.Prompt, slow: bool) -> str | None:
        """As the web layer's recordings: a fresh recording's id (timing needs no URL)."""
        return prompt.id if self.library.fresh(lang, prompt) else None

    def sounds(self, say: plan.Say) -> list[render.Spoken | render.Played]:
        """What is heard of `say`, as rendered (a run of pauses alone is not said)."""
        return [sound for item in render.heard(say, self.recorded)
                for sound in ((item,) if isinstance(item, render.Played) else item)]

    def sound(self, say: plan.Say, sound: render.Spoken | render.Played) -> float:
        if isinstance(sound, render.Spoken):
            return self.pieces(sound.pieces, say.lang.code, say.slow)
        return self.recording(say.lang.code, sound.prompt.id) / (SLOW_TEMPO if say.slow else 1)

    def recording(self, code: str, prompt_id: str) -> float:
        if (code, prompt_id) not in self._wav:
            found = self.library.file(code, prompt_id)
            if found is None:
                raise TimingError(f"{code}/{prompt_id}: no such recording under {self.library.root}")
            try:
                self._wav[code, prompt_id] = library.wav_seconds(found.path)
            except (OSError, ValueError) as exc:  # `ivr validate` names the broken file; timing cannot use it
                raise TimingError(f"{code}/{prompt_id}: {exc}") from None
        return self._wav[code, prompt_id]

    def total(self, said: tuple[plan.Say, ...]) -> float:
        return sum(self.sound(say, sound) for say in said for sound in self.sounds(say))

    def find(self, said: tuple[plan.Say, ...], mark: Mark) -> float | None:
        """Seconds into `said` when `mark` has been heard (its end; a number: when its digits start)."""
        start = 0.0
        for say in said:
            for sound in self.sounds(say):
                length = self.sound(say, sound)
                if sound.prompt is not None and (say.lang.code, sound.prompt.id) == (mark.code, mark.prompt):
                    if not mark.digits:
                        return start + length
                    before = self._before(sound.prompt.speech, mark.digits)
                    if before is not None:
                        # A recording: the digits start as far into it as they are into its pieces.
                        whole = self.pieces(sound.prompt.speech, say.lang.code)
                        spoken = self.pieces(before, say.lang.code, say.slow) if isinstance(sound, render.Spoken) \
                            else length * (self.pieces(before, say.lang.code) / whole if whole else 0.0)
                        return start + spoken
                start += length
        return None

    @staticmethod
    def _before(pieces, digits: str):
        """The pieces before the digit group `digits`, or None when it is not among them."""
        for index, piece in enumerate(pieces):
            if piece == digits:
                return pieces[:index]
        return None


def routes(menu: model.Menu) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each node reachable from the start: the (menu node, key) pairs a caller presses to get there,
    fewest keys first (the menu tree, not a fixed list of keys)."""
    found: dict[str, tuple[tuple[str, str], ...]] = {menu.start: ()}
    queue = [menu.start]
    while queue:
        here = queue.pop(0)
        for key, target in sorted(menu.nodes[here].options.items()):
            if target not in found:
                found[target] = found[here] + ((here, key),)
                queue.append(target)
    return found


class Timing:
    def __init__(self, menu: model.Menu, audio_root, at: dt.datetime) -> None:
        self.menu = menu
        self.at = at
        self.library = library.Library(audio_root)
        self.clock = Clockwork(self.library)
        self.routes = routes(menu)

    def offered(self) -> tuple[model.Language, ...]:
        return self.library.offered(self.menu)

    # What to listen for ------------------------------------------------------

    def option(self, lang: model.Language, node: model.Node, key: str) -> Mark:
        """The option of `key` on `node`, as the speech layer words it at this moment."""
        if key not in node.options:
            raise TimingError(f"{node.id}: no option for key {key}")
        target = self.menu.nodes[node.options[key]]
        closed = target.kind == "transfer" and not self.menu.schedules[target.schedule].is_open(self.at)
        return Mark(lang.code, prompts.prompts(prompts.option(self.menu, lang, target, key, closed))[0].id)

    def language(self, lang: model.Language, second: bool = False) -> Mark:
        return Mark(lang.code, prompts.language_option(self.menu, lang, second)[0].id)

    def number(self, lang: model.Language, node: model.Node, index: int) -> Mark:
        first = next(p for p in prompts.digits(node.contacts[index].number) if isinstance(p, str))
        return Mark(lang.code, f"{node.id}.contacts.{index}", first)

    # Following a call ----------------------------------------------------------

    def heard_at(self, lang: model.Language, route: tuple[tuple[str, str], ...], mark: Mark) -> dict[str, float]:
        """Seconds from pick-up until `mark` is heard at the end of `route`, for each kind of caller."""
        return {caller: self._follow(lang, route, mark, caller) for caller in (PRESSER, LISTENER)}

    def _follow(self, lang, route, mark: Mark, caller: str) -> float:
        line = Line(self.menu, self.at, self.library)
        seconds = REQUEST_S
        answer = line.answer(urls.voice()).plan
        steps = [(self.language(lang), lang.key[0])]
        if len(lang.key) > 1:
            steps.append((self.language(lang, second=True), lang.key[1:]))
        steps += [(self.option(lang, self.menu.nodes[node], key), key) for node, key in route]
        for wanted, key in steps:
            answer, spent = self._settle(line, answer)
            seconds += spent
            prompt = answer.prompt()
            heard = self.clock.find(prompt, wanted)
            if heard is None and wanted.prompt == "language.more":
                continue  # its group has one language offered: the first key chose it at once
            if heard is None:
                raise TimingError(f"{lang.code}: {wanted.prompt!r} is never said where the menu offers it")
            seconds += (heard if caller == PRESSER else self.clock.total(prompt)) + REACTION_S
            answer = self._ask(line, answer.next(key))
            seconds += REQUEST_S
        answer, spent = self._settle(line, answer)
        heard = self.clock.find(answer.prompt(), mark)
        if heard is None:
            raise TimingError(f"{lang.code}: {mark.prompt!r} is never said where the menu has it")
        return seconds + spent + heard

    @staticmethod
    def _ask(line: Line, request) -> plan.Plan | None:
        return None if request is None else line.answer(*request).plan

    def _settle(self, line: Line, answer: plan.Plan | None) -> tuple[plan.Plan, float]:
        """Follow redirects (and what they say) until an answer waits for a key."""
        spent = 0.0
        for _ in range(MAX_HOPS):
            if answer is None:
                raise TimingError("the call ended before the caller got there")
            if answer.gather is not None:
                return answer, spent
            spent += self.clock.total(answer.until_next()) + REQUEST_S
            answer = self._ask(line, answer.next())
        raise TimingError(f"more than {MAX_HOPS} answers in a row without a prompt: a loop?")

    # The figures ------------------------------------------------------------

    def figures(self, lang: model.Language) -> list[Figure]:
        """Each page's first number, each transfer's own number (where a page says it) and the transfer's
        option, in the order a caller meets them."""
        pages = [self.menu.nodes[n] for n in self.routes if self.menu.nodes[n].kind == "page"]
        transfers = [self.menu.nodes[n] for n in self.routes if self.menu.nodes[n].kind == "transfer"]
        numbers: dict[tuple[str, int], str] = {}  # (page, contact) -> the transfer it is the number of
        for transfer in transfers:
            own = next(((page.id, i) for page in pages for i, c in enumerate(page.contacts)
                        if c.number.e164 == transfer.number.e164), None)
            if own is not None:
                numbers.setdefault(own, transfer.id)
        out: list[Figure] = []
        for (page_id, index) in sorted({(p.id, 0) for p in pages if p.contacts} | set(numbers),
                                       key=lambda place: (list(self.routes).index(place[0]), place[1])):
            page = self.menu.nodes[page_id]
            times = self.heard_at(lang, self.routes[page_id], self.number(lang, page, index))
            what = f"{page_id}: {'first' if index == 0 else f'number {index + 1}'} number starts"
            duty = numbers.get((page_id, index))
            what = what.replace(" number starts", f" number starts ({duty}'s)") if duty else what
            out.append(Figure(what, self.menu.nodes[duty] if duty else page, times[PRESSER], times[LISTENER],
                              (NUMBER_S, None) if duty else (None, None)))
        for transfer in transfers:
            if not self.menu.schedules[transfer.schedule].is_open(self.at):
                own = next((i for i, c in enumerate(transfer.contacts) if c.number == transfer.number), None)
                if own is None:
                    continue
                times = self.heard_at(lang, self.routes[transfer.id], self.number(lang, transfer, own))
                # No budget: closed, the page must first say so and when it opens (a number that cannot
                # be called now is not what a caller needs first).
                out.append(Figure(f"{transfer.id}, closed: its number starts", transfer, times[PRESSER],
                                  times[LISTENER], (None, None)))
                continue
            *before, (parent, key) = self.routes[transfer.id]
            times = self.heard_at(lang, tuple(before), self.option(lang, self.menu.nodes[parent], key))
            out.append(Figure(f"{transfer.id} offered ({parent}, key {key})", transfer, times[PRESSER],
                              times[LISTENER], (OFFERED_PRESSER_S, OFFERED_LISTENER_S)))
        for page in (p for p in pages if p.about):  # the transfer's number at any hour, on the page about it
            transfer = self.menu.nodes[page.about]
            own = next((i for i, c in enumerate(transfer.contacts) if c.number == transfer.number), None)
            if own is None:
                continue
            times = self.heard_at(lang, self.routes[page.id], self.number(lang, transfer, own))
            keys = " ".join(key for _, key in self.routes[page.id])
            out.append(Figure(f"{page.id} (keys {keys}): {transfer.id}'s number starts", page, times[PRESSER],
                              times[LISTENER], (None, None)))
        return out


def open_moment(menu: model.Menu, now: dt.datetime) -> dt.datetime:
    """The next weekday at 10:00 (local time) when every transfer is open; a plain weekday if none is."""
    day = now.astimezone(menu.timezone).date()
    first = None
    for ahead in range(1, 60):
        date = day + dt.timedelta(days=ahead)
        if date.weekday() >= 5:
            continue
        moment = dt.datetime.combine(date, dt.time(10, 0), tzinfo=menu.timezone)
        first = first or moment
        if all(menu.schedules[n.schedule].is_open(moment) for n in menu.nodes.values() if n.kind == "transfer"):
            return moment
    return first


def table(timing: Timing, lang: model.Language) -> Iterator[str]:
    figures = timing.figures(lang)
    width = max([len(f.what) for f in figures] + [20]) + 2
    yield f"{lang.code}  {lang.name}"
    yield f"  {'':{width}}{'presser':>9}{'listener':>10}   budget"
    for figure in figures:
        verdicts = "; ".join(f"{caller} {'OK' if within else 'OVER'} (<= {budget:g} s)"
                             for caller, _, budget, within in figure.verdicts())
        yield (f"  {figure.what:{width}}{figure.presser:>7.0f} s{figure.listener:>8.0f} s   {verdicts}").rstrip()


def over_budget(menu: model.Menu, recordings: library.Library, at: dt.datetime | None = None) -> list[str]:
    """A warning line for each offered language and budget a caller's path goes over: on an ordinary
    open day, and on a day of each notice (a notice is said before the first menu, so it delays the duty)."""
    at = at or open_moment(menu, hours.clock(menu.timezone, Settings.from_env().now)())
    warnings = _over(menu, recordings, at, None)
    for notice in menu.notices:
        day = next((notice.first + dt.timedelta(days=n) for n in range((notice.last - notice.first).days + 1)
                    if (notice.first + dt.timedelta(days=n)).weekday() < 5), notice.first)
        moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=menu.timezone)
        warnings += _over(menu, recordings, moment, notice)
    return warnings


def _over(menu: model.Menu, recordings: library.Library, at: dt.datetime, notice) -> list[str]:
    timing = Timing(menu, recordings.root, at)
    warnings = []
    when = f" on {at:%Y-%m-%d}, with notice {notice.id!r} said first" if notice else ""
    for lang in timing.offered():
        try:
            figures = timing.figures(lang)
        except TimingError as exc:
            warnings.append(str(Problem(menu.source, notice.line if notice else 1, 1,
                                        f"{lang.code!r}: cannot time the call{when}: {exc}", warning=True)))
            continue
        over = [f"{figure.what} after {seconds:.0f} s for a {caller} (budget {budget:g} s)"
                for figure in figures for caller, seconds, budget, within in figure.verdicts() if not within]
        if over:
            line = notice.line if notice else min(f.node.line for f in figures if any(not v[3] for v in f.verdicts()))
            warnings.append(str(Problem(menu.source, line, 1, f"{lang.code!r} is slow to the information "
                                        f"callers need{when}: {'; '.join(over)} "
                                        f"(see `ivr timing --lang {lang.code}{f' --at {at:%Y-%m-%dT%H:%M}' if notice else ''}`)",
                                        warning=True)))
    return warnings


def run(args: argparse.Namespace) -> int:
    menu = options.load(args)
    code = menu and (options.language(menu, args, default=None) if args.lang else "")
    if code is None:
        return 1
    try:
        at = hours.parse_moment(args.at, menu.timezone) if args.at else open_moment(menu, hours.clock(menu.timezone, Settings.from_env().now)())
    except ValueError as exc:
        print(f"ivr timing: --at: {exc}", file=sys.stderr)
        return 1
    timing = Timing(menu, audio_path(), at)
    offered = [lang for lang in timing.offered() if not code or lang.code == code]
    if code and not offered:
        print(f"ivr timing: {code!r} is not offered to callers (see `ivr audio status --lang {code}`)",
              file=sys.stderr)
        return 1
    print(f"Time to information: {menu.name} ({menu.source}), at {at:%A %Y-%m-%d %H:%M %Z}")
    print(f"Seconds from pick-up. presser: presses {REACTION_S:g} s after their option's words end; "
          f"listener: hears every prompt to its end, then presses.")
    for lang in offered:
        print()
        try:
            for text in table(timing, lang):
                print(text)
        except TimingError as exc:
            print(f"{lang.code}: cannot time the call: {exc}")
    return 0


def register(commands) -> None:
    timing = commands.add_parser("timing", help="seconds from pick-up to each number and to the transfer, "
                                                "per language, against the budgets")
    options.add(timing, "one language code, e.g. fi (default: every language offered)")
    timing.add_argument("--at", metavar="WHEN", help="the moment of the call, e.g. 2026-12-07T10:00 "
                                                     "(default: the next weekday at 10:00, Helsinki time)")
    timing.set_defaults(func=run)
