"""What the line says, in which language: text and pauses, before any TwiML.

Each function returns `Speech`: a tuple of `Prompt`s and `Pause`s in one
language. A prompt is one recordable sentence with a stable id (`migri.say`,
`phrase.goodbye`): the rendering layer plays its recording from audio/<code>/
when there is a fresh one, and otherwise says its text in the language's voice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .. import phrases
from ..menu import Contact, Language, Menu, Node, Number

GROUP_PAUSE_MS = 600  # between digit groups, so a listener can write them down
SENTENCE_PAUSE_MS = 400


@dataclasses.dataclass(frozen=True)
class Pause:
    ms: int


@dataclasses.dataclass(frozen=True)
class Prompt:
    """One sentence (or a few) that may be recorded as audio/<code>/<id>.wav.

    `changing` prompts carry values that differ from call to call (the next
    opening date): they are never recorded whole, and a language with no voice
    says `instead`, a fixed sentence that needs no pieces.
    """

    id: str
    speech: tuple[str | Pause, ...]
    changing: bool = False
    instead: tuple = ()

    @property
    def pieces(self) -> tuple[str | int, ...]:
        """Its text and its pauses (ms), as a recording of it is made."""
        return tuple(piece.ms if isinstance(piece, Pause) else piece for piece in self.speech)

    @property
    def text(self) -> str:
        """What a recording of it says: pauses as commas (the checksum of a recording is taken of this)."""
        out: list[str] = []
        for piece in self.speech:
            if isinstance(piece, Pause):
                if out and out[-1][-1:] not in PUNCTUATION:
                    out[-1] += ","
            elif piece.strip():
                out.append(piece.strip())
        return join(out)


Piece = str | Pause | Prompt
Speech = tuple[Piece, ...]
PUNCTUATION = ".,:;!?،"


def join(texts: list[str]) -> str:
    """Join text pieces with one space, none before punctuation."""
    out = ""
    for text in (t.strip() for t in texts):
        if text:
            out += text if not out or text[0] in PUNCTUATION else " " + text
    return out


def say(*pieces: Piece | Speech | None) -> Speech:
    """Flatten pieces into one Speech, leaving out None and empty texts (pauses are placed by the callers)."""
    out: list[Piece] = []
    for piece in pieces:
        if piece is None or piece == "":
            continue
        if isinstance(piece, tuple):
            out.extend(piece)
        else:
            out.append(piece)
    return tuple(out)


def prompt(prompt_id: str, *pieces: Piece | Speech | None) -> Speech:
    """One prompt of these pieces; nothing when there is nothing to say."""
    speech = say(*pieces)
    return (Prompt(prompt_id, speech),) if speech else ()


def digits(number: Number) -> Speech:
    """'08 6155 2760' -> '0 8', pause, '6 1 5 5', pause, '2 7 6 0': one digit at a time."""
    out: list[Piece] = []
    for index, group in enumerate(number.groups):
        if index:
            out.append(Pause(GROUP_PAUSE_MS))
        out.append(" ".join(group.replace("+", "+ ")))
    return tuple(out)


def _with_number(template: str, number: Speech) -> Speech:
    """Put the spoken digits where the phrase has its number."""
    marker = "\x00"
    before, _, after = template.replace("%(number)s", marker).partition(marker)
    return say(before, number, after, Pause(SENTENCE_PAUSE_MS))


def language_option(menu: Menu, lang: Language, second: bool = False) -> Speech:
    """'Suomeksi, paina 1.' A language on a second page (key '82') has a second prompt for it."""
    key = lang.key[1:] if second else lang.key[:1]
    return prompt("language.more" if second else "language.name",
                  menu.phrases[lang.code](phrases.PRESS, label=lang.name, key=key))


def greeting(menu: Menu, lang: Language) -> Speech:
    """The line's name, said first on every call in the languages the menu gives it in."""
    return prompt("greeting", menu.greeting.get(lang.code))


def intro(menu: Menu, lang: Language, node: Node) -> Speech:
    """What a menu says before its options."""
    return say(prompt(f"{node.id}.say", node.say.get(lang.code)), Pause(SENTENCE_PAUSE_MS))


def options(menu: Menu, lang: Language, node: Node, closed: frozenset[str] = frozenset()) -> Speech:
    """The node's options, each with its key. On the first menu 112 follows the first option (the
    most needed one): early in every call. A transfer in `closed` (closed now) is never offered as a
    call that cannot be made: a menu offers its page (`closed_label`), a page leaves it out."""
    pieces: list[Piece | Speech] = []
    for key, target in sorted(node.options.items()):
        if target in closed and node.kind == "page":
            continue  # the page opens with it being closed (`closed_options`): no key to offer
        pieces += [option(menu, lang, menu.nodes[target], key, target in closed), Pause(SENTENCE_PAUSE_MS)]
        if node.id == menu.start and len(pieces) == 2:
            pieces += [emergency(menu, lang), Pause(SENTENCE_PAUSE_MS)]
    return say(*pieces)


def option(menu: Menu, lang: Language, target: Node, key: str, closed: bool = False) -> Speech:
    """'<label>, press <key>.' (a closed transfer: its closed label, or its name)."""
    p = menu.phrases[lang.code]
    if closed:
        label = target.closed_label.get(lang.code) or phrases.capital(target.name.get(lang.code, ""))
        return prompt(f"{target.id}.closed_label", p(phrases.PRESS, label=label, key=key))
    return prompt(f"{target.id}.label", p(phrases.PRESS, label=target.label.get(lang.code, ""), key=key))


def navigation(menu: Menu, lang: Language) -> Speech:
    """The keys that work everywhere: said after a silence or a wrong key, not on every menu."""
    return phrase(menu, lang, phrases.NAVIGATION)


def hours_of(menu: Menu, lang: Language, schedule_name: str | None) -> Speech:
    """'Open Monday to Friday, from 8 to 15. Closed on public holidays.'"""
    if schedule_name is None:
        return ()
    p = menu.phrases[lang.code]
    schedule = menu.schedules[schedule_name]
    pieces: list[Piece] = []
    for first, last, start, end in schedule.spans():
        pieces.append(phrases.capital(p(phrases.OPEN_HOURS, days=p.days(first, last), **p.hours(start, end))))
    if schedule.holidays is not None:
        pieces.append(p(phrases.HOLIDAYS_CLOSED))
    return say(prompt(f"hours.{schedule_name}", *pieces), Pause(SENTENCE_PAUSE_MS))


def contact(menu: Menu, lang: Language, node: Node, index: int, hours: bool = True) -> Speech:
    """A number said twice, slowly, then (with `hours`) when it answers.

    The number is part of the recorded sentence: a changed number makes the
    recording stale, so a recording never gives an old number.
    """
    item: Contact = node.contacts[index]
    p = menu.phrases[lang.code]
    number = digits(item.number)
    first = _with_number(p(phrases.NUMBER, label=item.label[lang.code], number="%(number)s"), number)
    again = _with_number(p(phrases.NUMBER_AGAIN, number="%(number)s"), number)
    return say(prompt(f"{node.id}.contacts.{index}", first, again),
               hours_of(menu, lang, item.schedule) if hours else None)


def contacts(menu: Menu, lang: Language, node: Node) -> Speech:
    return say(*(contact(menu, lang, node, i) for i in range(len(node.contacts))))


def page(menu: Menu, lang: Language, node: Node) -> Speech:
    """A page, action first: its numbers (each twice, with its hours), then what the service is. A page
    `about` a transfer says that transfer's own texts and numbers (the same prompts, so one recording)."""
    if node.about:
        return about(menu, lang, menu.nodes[node.about])
    return say(
        contacts(menu, lang, node),
        prompt(f"{node.id}.say", node.say.get(lang.code)),
        Pause(SENTENCE_PAUSE_MS),
        prompt(f"{node.id}.after", node.after.get(lang.code)),
    )


def emergency(menu: Menu, lang: Language) -> Speech:
    return prompt(f"phrase.{phrases.ID[phrases.EMERGENCY]}", menu.phrases[lang.code](phrases.EMERGENCY, number=phrases.EMERGENCY_NUMBER))


def connecting(menu: Menu, lang: Language, node: Node) -> Speech:
    p = menu.phrases[lang.code]
    return say(prompt(f"{node.id}.connecting", p(phrases.CONNECTING, name=node.name[lang.code])), emergency(menu, lang))


def closed(menu: Menu, lang: Language, node: Node, now: dt.datetime) -> Speech:
    """Closed now, when it opens next, and 112.

    The next opening is a date that changes with every call; recorded pieces
    for it (day, month, hour, in each language's grammar) would be fragile, so
    a language with no voice says the weekly hours instead, which never change.
    """
    p = menu.phrases[lang.code]
    opening = menu.schedules[node.schedule].next_opening(now)
    when: Speech = ()
    if opening is not None:
        text = p(phrases.OPENS_AT, day=p.day(opening.date()), time=p.time(opening.time()))
        when = (Prompt(f"phrase.{phrases.ID[phrases.OPENS_AT]}", (text,), changing=True,
                       instead=hours_of(menu, lang, node.schedule)),)
    return say(prompt(f"{node.id}.closed", phrases.capital(p(phrases.CLOSED_NOW, name=node.name[lang.code]))),
               when, Pause(SENTENCE_PAUSE_MS), emergency(menu, lang), Pause(SENTENCE_PAUSE_MS))


def closed_page(menu: Menu, lang: Language, node: Node, now: dt.datetime) -> Speech:
    """A transfer while it is closed: closed and when it opens (first: what a caller must know),
    112, then who it is for, its own number (twice, with its hours), its other contacts, the rest.
    A language without a voice says the weekly hours instead of the next opening: not twice."""
    return say(closed(menu, lang, node, now), about(menu, lang, node, hours=bool(lang.voice)))


def about(menu: Menu, lang: Language, node: Node, hours: bool = True) -> Speech:
    """A transfer's own page, at any hour: who it is for, its own number (twice, with its hours), its
    other contacts (the fax), then the rest."""
    return say(
        prompt(f"{node.id}.say", node.say.get(lang.code)),
        Pause(SENTENCE_PAUSE_MS),
        own_number(menu, lang, node, hours=hours),
        *(contact(menu, lang, node, i) for i, item in enumerate(node.contacts) if item.number != node.number),
        prompt(f"{node.id}.after", node.after.get(lang.code)),
    )


def closed_options(menu: Menu, lang: Language, node: Node, closed_now: frozenset[str],
                   now: dt.datetime) -> Speech:
    """A page's transfers that are closed now: each said closed, with when it opens, first."""
    return say(*(closed(menu, lang, menu.nodes[target], now)
                 for _, target in sorted(node.options.items()) if target in closed_now))


def own_number(menu: Menu, lang: Language, node: Node, hours: bool = True) -> Speech:
    """A transfer's own number, twice (its contact of that number, or a plain sentence), then its hours."""
    own = [i for i, item in enumerate(node.contacts) if item.number == node.number]
    p = menu.phrases[lang.code]
    number = digits(node.number)
    said = say(*(contact(menu, lang, node, i, hours=False) for i in own)) if own else prompt(
        f"{node.id}.number", _with_number(p(phrases.CALL_BACK, number="%(number)s"), number),
        _with_number(p(phrases.NUMBER_AGAIN, number="%(number)s"), number))
    return say(said, hours_of(menu, lang, node.schedule) if hours else None)


def no_answer(menu: Menu, lang: Language, node: Node, retry_key: str | None, texting: bool = False) -> Speech:
    """Nobody answered: the number to call back (twice), the key that tries again, (with `texting`) the
    number by text message, the hours and 112. Nothing after 112: a fax or another number here would
    bury the one a caller needs."""
    p = menu.phrases[lang.code]
    return say(
        phrase(menu, lang, phrases.NO_ANSWER),
        own_number(menu, lang, node, hours=False),
        prompt(f"{node.id}.retry", p(phrases.TRY_AGAIN, key=retry_key)) if retry_key else None,
        Pause(SENTENCE_PAUSE_MS),
        sms_offer(menu, lang) if texting else None,
        hours_of(menu, lang, node.schedule),
        emergency(menu, lang),
    )


def last_words(menu: Menu, lang: Language) -> Speech:
    """Before a call the line ends (silence, wrong keys): the duty number, twice, with its hours, and 112,
    so no caller is left with nothing."""
    node = menu.first_transfer()
    return say(own_number(menu, lang, node) if node else None, emergency(menu, lang), Pause(SENTENCE_PAUSE_MS))


def phrase(menu: Menu, lang: Language, message: str) -> Speech:
    """A phrase with no values in it: audio/<code>/phrase.<id>.wav."""
    return prompt(f"phrase.{phrases.ID[message]}", menu.phrases[lang.code](message))


def prompts(speech: Speech) -> list[Prompt]:
    """Every prompt `speech` may play, with the fixed sentences said instead of changing ones."""
    found: list[Prompt] = []
    for piece in speech:
        if isinstance(piece, Prompt):
            found.append(piece)
            found += prompts(piece.instead)
    return found


SMS_KEY = "2"  # on the duty's page, and after a failed transfer (key 1 there is the call)


def sms_offer(menu: Menu, lang: Language) -> Speech:
    """'To get this number by text message, press 2.'"""
    text = menu.phrases[lang.code](phrases.SMS_OFFER, key=SMS_KEY)
    return say(prompt(f"phrase.{phrases.ID[phrases.SMS_OFFER]}", text), Pause(SENTENCE_PAUSE_MS))


SMS_SAID = {"sent": phrases.SMS_SENT, "already": phrases.SMS_ALREADY}  # anything else: SMS_FAILED


def sms_outcome(menu: Menu, lang: Language, node: Node, outcome: str) -> Speech:
    """Whether the message went, then the number again (a caller whose message failed still has it)."""
    return say(phrase(menu, lang, SMS_SAID.get(outcome, phrases.SMS_FAILED)), Pause(SENTENCE_PAUSE_MS),
               own_number(menu, lang, node))
