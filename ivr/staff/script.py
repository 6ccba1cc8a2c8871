"""`ivr script`: the whole call as text, node by node, for proofreading.

Everything here is read back from the TwiML the line really answers (the app in this process, read
through the one TwiML reader, harness.reader), so the script cannot drift from what callers hear: what is said or played,
what each key does, what happens on silence, when the transfer is open or closed. Every offered
language is shown; a recording is shown with the text it was made from (its manifest's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys
from collections.abc import Iterator

from .. import urls
from ..audio.library import Library
from ..harness import reader
from ..harness.local import LocalLine
from ..menu import hours
from ..menu.model import Language, Menu, Node
from ..settings import Settings, audio_path
from ..urls import MAX_SILENCES, MAX_WRONG
from . import options

PAUSE = " / "
OTHER_KEYS = "*0123456789"
WRONG_KEY = "#"  # no menu uses it


class Script:
    def __init__(self, menu: Menu, now: dt.datetime, audio_root: pathlib.Path | None = None) -> None:
        self.menu = menu
        self.now = now
        self.line = LocalLine(menu, audio_root or audio_path(), now)
        self.library: Library = self.line.library

    # Reading answers -----------------------------------------------------

    def heard(self, items: tuple[reader.Heard, ...]) -> str:
        """What the caller hears, as one line: recordings with the text they were made from."""
        return " ".join(filter(None, (self._one(item) for item in items)))

    def _one(self, item: reader.Heard) -> str:
        if isinstance(item, reader.Say):
            return _spoken(item)
        if isinstance(item, reader.Pause):
            return PAUSE.strip()
        found = item.recording
        recording = self.library.recordings(found[0]).get(found[1]) if found else None
        if recording is None:
            return f"[plays {item.url}]"
        made = "recorded, machine-made" if recording.synthetic else "recorded"
        return f"[{made}{', slowly' if item.slow else ''}: {recording.text}]"

    def quote(self, items: tuple[reader.Heard, ...]) -> str:
        return f'"{self.heard(items)}"' if items else "(nothing)"

    def ending(self, answer: reader.Answer) -> str:
        """What happens after the words of an answer."""
        if answer.dial:
            return f"dials {answer.dial.number}, ringing up to {answer.dial.timeout} s"
        after = answer.on_silence()
        if after and answer.hangs_up:
            return f'no key again: "{self.heard(after)}", and the call ends'
        if answer.hangs_up:
            return "the call ends"
        if answer.redirect:
            return f"back to {self._redirected(answer)}"
        return "waits for a key"

    def _redirected(self, answer: reader.Answer) -> str:
        """Where a Redirect lands, and whether the caller hears that place from its start again."""
        landed = self.line.follow(answer.next())
        went = urls.parse(landed.gather.action) if landed and landed.gather else urls.Place("")
        where = went.node
        if not where:
            return "the language menu"
        fresh = self.line.ask(urls.url(urls.node(went.lang, where)))
        return f"{where} ({'from the start' if landed.prompt() == fresh.prompt() else 'its options only'})"

    # Sections --------------------------------------------------------------

    def languages(self) -> Iterator[str]:
        first = self.line.ask(urls.url(urls.voice()))
        yield "== The language menu (each language in its own voice) =="
        yield from (f"  says: {self.heard((item,))}" for item in first.prompt())
        yield from self._keys(first, None)
        yield from self._misses(first)

    def node(self, lang: Language, node: Node) -> Iterator[str]:
        if node.kind == "transfer":
            yield from self.transfer(lang, node)
            return
        answer = self.line.ask(urls.url(urls.node(lang.code, node.id)))
        yield f"== {node.id} ({node.kind}) =="
        yield f"  says: {self.quote(answer.prompt())}"
        yield from self._keys(answer, node)
        yield from self._misses(answer)

    def transfer(self, lang: Language, node: Node) -> Iterator[str]:
        schedule = self.menu.schedules[node.schedule]
        url = urls.url(urls.node(lang.code, node.id))
        yield f"== {node.id} (transfer to {node.number.e164}, hours: {node.schedule}) =="
        opens = self.now if schedule.is_open(self.now) else schedule.next_opening(self.now)
        dialled = urls.url(urls.dialled(lang.code, node.id))
        if opens is not None:
            heard = self._at(opens, url)
            dialled = heard.dial.action if heard.dial else dialled
            yield f"  when open (as on {opens:%Y-%m-%d %H:%M}): {self._told(heard)}"
        for status, what in (("completed", "after the call"),
                             ("no-answer", "nobody answers (busy, no answer, failed)")):
            yield f"  {what}: {self._told(self.line.ask(dialled, DialCallStatus=status))}"
        closed = _closed_moment(schedule, self.now)
        self.line.clock.now = closed
        try:  # closed, it is a page: what it says, its keys, silence
            page = self.line.ask(url)
            yield f"  when closed (as on {closed:%Y-%m-%d %H:%M}), its page: {self.quote(page.prompt())}"
            yield from self._keys(page, node)
            yield from self._misses(page)
        finally:
            self.line.clock.now = self.now

    def _told(self, heard: reader.Answer) -> str:
        return f"{self.quote(heard.until_next())}, then {self.ending(heard)}"

    def _at(self, moment: dt.datetime, url: str) -> reader.Answer:
        self.line.clock.now = moment
        try:
            return self.line.ask(url)
        finally:
            self.line.clock.now = self.now

    def _keys(self, answer: reader.Answer, node: Node | None) -> Iterator[str]:
        """Each key that does something, where it leads; then what any other key gets."""
        wrong = self.line.follow(answer.next(WRONG_KEY))
        yield f"  waits {answer.gather.timeout} s for one key:"
        for key in OTHER_KEYS:
            heard = self.line.follow(answer.next(key))
            if heard != wrong:
                yield f"    {key}: {self._lead(key, heard, answer, node)}"
        yield f"    any other key: {self.quote(wrong.prompt())}"

    def _lead(self, key: str, heard: reader.Answer, here: reader.Answer, node: Node | None) -> str:
        """Where a key took the caller: the menu's own option, or what the line answered."""
        target = self.menu.nodes[node.options[key]] if node and key in node.options else None
        if target is not None and target.kind == "transfer":
            return f"{target.id} (transfer{'' if heard.dial else ', closed now: its page'})"
        if target is not None:
            return target.id
        went = urls.parse(heard.gather.action) if heard.gather else urls.Place("")
        if went.endpoint == urls.CHOOSE:
            return "a second page of languages" if went.step.group and node is None else "the language menu"
        if node is None and went.node:
            return f"{self.menu.language(went.lang).name} ({went.lang}), then {went.node}"
        if node is not None and went.node == node.id:
            if any(isinstance(item, reader.Say | reader.Play) and item.slow for item in heard.prompt()):
                return "the page again, slowly"
            return "this again, from the start"
        return went.node or self.ending(heard)

    def _misses(self, answer: reader.Answer) -> Iterator[str]:
        """Wrong keys in a row until goodbye; silence prompt after prompt until goodbye."""
        last = answer
        for _ in range(MAX_WRONG):
            last = self.line.follow(last.next(WRONG_KEY))
        yield f"  the {_nth(MAX_WRONG)} wrong key in a row: {self._told(last)}"
        yield f"  no key for {answer.gather.timeout} s:"
        heard = answer
        for silent in range(1, MAX_SILENCES):
            heard = self.line.follow(heard.next())
            if heard is None:
                break
            yield f"    {_nth(silent)} time: {self.quote(heard.prompt())}, then {self.ending(heard)}"

    def lines(self, codes: list[str]) -> Iterator[str]:
        yield f"Call script: {self.menu.name} ({self.menu.source}), as said on {self.now:%Y-%m-%d %H:%M}"
        yield (f"('{PAUSE.strip()}' is a pause; [recorded: ...] a recording, with the text it was made from; "
               "'key *' repeats, 0 goes back, 9 changes the language)")
        yield ""
        yield from self.languages()
        for code in codes:
            lang = self.menu.language(code)
            yield ""
            yield f"#### {lang.name} ({lang.code}, {f'voice {lang.voice}' if lang.voice else 'recordings only'}) ####"
            for node in _in_call_order(self.menu):
                yield ""
                yield from self.node(lang, node)


def _spoken(say: reader.Say) -> str:
    text = "".join(PAUSE if isinstance(part, reader.Break) else part for part in say.parts)
    return " ".join(text.split()).strip(" /")


def _in_call_order(menu: Menu) -> list[Node]:
    """Start first, then breadth first by key, as a caller meets them."""
    order, queue = [], [menu.start]
    while queue:
        node = menu.nodes[queue.pop(0)]
        if node not in order:
            order.append(node)
            queue += [target for _, target in sorted(node.options.items())]
    return order


def _closed_moment(schedule: hours.Schedule, now: dt.datetime) -> dt.datetime:
    """`now` if the service is closed then, else the minute it closes today."""
    if not schedule.is_open(now):
        return now
    _, end = schedule.weekly[now.weekday()]
    return dt.datetime.combine(now.date(), end, tzinfo=schedule.tz)


def _nth(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def run(args: argparse.Namespace) -> int:
    menu = options.load(args)
    code = menu and options.language(menu, args, default=None)
    if code is None:
        return 1
    now = hours.clock(menu.timezone, Settings.from_env().now)()
    script = Script(menu, now)
    offered = [lang.code for lang in script.line.offered()]
    if args.lang and code not in offered:
        print(f"ivr script: {code!r} is not offered to callers: it has no voice and its recordings are not "
              f"complete (see `ivr audio status --lang {code}`)", file=sys.stderr)
        return 1
    try:
        for text in script.lines([args.lang] if args.lang else offered):
            print(text)
    except BrokenPipeError:  # `ivr script | head`: the reader has seen enough
        sys.stderr.close()
    return 0


def register(commands) -> None:
    script = commands.add_parser("script", help="print the whole call as callers hear it, node by node")
    options.add(script, "one language code, e.g. fi (default: every language offered)")
    script.set_defaults(func=run)
