"""What the line says, in which language: text and pauses, before any TwiML.

Each function returns `Speech`: a tuple of `Prompt`s and `Pause`s in one
language. A prompt is one recordable sentence with a stable id (`migri.say`,
`phrase.goodbye`): the rendering layer plays its recording from audio/<code>/
when there is a fresh one, and otherwise says its text in the language's voice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .. import phrases as P
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
                  menu.phrases[lang.code](P.PRESS, label=lang.name, key=key))


def greeting(menu: Menu, lang: Language) -> Speech:
    """The line's name, said first on every call in the languages the menu gives it in."""
    return prompt("greeting", menu.greeting.get(lang.code))


def intro(menu: Menu, lang: Language, node: Node) -> Speech:
    """What a menu says before its options."""
    return say(prompt(f"{node.id}.say", node.say.get(lang.code)), Pause(SENTENCE_PAUSE_MS))


def options(menu: Menu, lang: Language, node: Node) -> Speech:
    """The node's options, each with its key. On the first menu 112 follows the first option (the
    most needed one): early in every call, and right beside the duty phone it is not."""
    p = menu.phrases[lang.code]
    pieces: list[Piece | Speech] = []
    for key, target in sorted(node.options.items()):
        label = menu.nodes[target].label.get(lang.code, "")
        pieces += [prompt(f"{target}.label", p(P.PRESS, label=label, key=key)), Pause(SENTENCE_PAUSE_MS)]
        if node.id == menu.start and len(pieces) == 2:
            pieces += [emergency(menu, lang), Pause(SENTENCE_PAUSE_MS)]
    return say(*pieces)


def navigation(menu: Menu, lang: Language) -> Speech:
    """The keys that work everywhere: said after a silence or a wrong key, not on every menu."""
    return phrase(menu, lang, P.NAVIGATION)


def hours_of(menu: Menu, lang: Language, schedule_name: str | None) -> Speech:
    """'Open Monday to Friday, from 8 to 15. Closed on public holidays.'"""
    if schedule_name is None:
        return ()
    p = menu.phrases[lang.code]
    schedule = menu.schedules[schedule_name]
    pieces: list[Piece] = []
    for first, last, start, end in schedule.spans():
        pieces.append(p(P.OPEN_HOURS, days=p.days(first, last), start=p.time(start), end=p.time(end)))
    if schedule.holidays is not None:
        pieces.append(p(P.HOLIDAYS_CLOSED))
    return say(prompt(f"hours.{schedule_name}", *pieces), Pause(SENTENCE_PAUSE_MS))


def contact(menu: Menu, lang: Language, node: Node, index: int) -> Speech:
    """A number said twice, slowly, then when it answers.

    The number is part of the recorded sentence: a changed number makes the
    recording stale, so a recording never gives an old number.
    """
    item: Contact = node.contacts[index]
    p = menu.phrases[lang.code]
    number = digits(item.number)
    first = _with_number(p(P.NUMBER, label=item.label[lang.code], number="%(number)s"), number)
    again = _with_number(p(P.NUMBER_AGAIN, number="%(number)s"), number)
    return say(prompt(f"{node.id}.contacts.{index}", first, again), hours_of(menu, lang, item.schedule))


def contacts(menu: Menu, lang: Language, node: Node) -> Speech:
    return say(*(contact(menu, lang, node, i) for i in range(len(node.contacts))))


def page(menu: Menu, lang: Language, node: Node) -> Speech:
    """A page, action first: its numbers (each twice, with its hours), then what the service is."""
    return say(
        contacts(menu, lang, node),
        prompt(f"{node.id}.say", node.say.get(lang.code)),
        Pause(SENTENCE_PAUSE_MS),
        prompt(f"{node.id}.after", node.after.get(lang.code)),
    )


def emergency(menu: Menu, lang: Language) -> Speech:
    return prompt(f"phrase.{P.ID[P.EMERGENCY]}", menu.phrases[lang.code](P.EMERGENCY, number=P.EMERGENCY_NUMBER))


def connecting(menu: Menu, lang: Language, node: Node) -> Speech:
    p = menu.phrases[lang.code]
    return say(prompt(f"{node.id}.connecting", p(P.CONNECTING, name=node.name[lang.code])), emergency(menu, lang))


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
        text = p(P.OPENS_AT, day=p.day(opening.date()), time=p.time(opening.time()))
        when = (Prompt(f"phrase.{P.ID[P.OPENS_AT]}", (text,), changing=True,
                       instead=hours_of(menu, lang, node.schedule)),)
    return say(prompt(f"{node.id}.closed", _capital(p(P.CLOSED_NOW, name=node.name[lang.code]))),
               when, Pause(SENTENCE_PAUSE_MS), emergency(menu, lang))


def no_answer(menu: Menu, lang: Language, node: Node, retry_key: str | None) -> Speech:
    """Nobody answered: the number to call back (its contact, twice), the key that tries again, the
    hours and 112; the transfer's other contacts (a fax) come last, after all a caller needs."""
    p = menu.phrases[lang.code]
    own = [i for i, item in enumerate(node.contacts) if item.number == node.number]
    rest = [i for i in range(len(node.contacts)) if i not in own]
    number = digits(node.number)
    dialled = prompt(f"{node.id}.number", _with_number(p(P.CALL_BACK, number="%(number)s"), number),
                     _with_number(p(P.NUMBER_AGAIN, number="%(number)s"), number))
    return say(
        phrase(menu, lang, P.NO_ANSWER),
        *(contact(menu, lang, node, i) for i in own) if own else dialled,
        prompt(f"{node.id}.retry", p(P.TRY_AGAIN, key=retry_key)) if retry_key else None,
        Pause(SENTENCE_PAUSE_MS),
        hours_of(menu, lang, node.schedule),
        emergency(menu, lang),
        *(contact(menu, lang, node, i) for i in rest),
    )


def phrase(menu: Menu, lang: Language, message: str) -> Speech:
    """A phrase with no values in it: audio/<code>/phrase.<id>.wav."""
    return prompt(f"phrase.{P.ID[message]}", menu.phrases[lang.code](message))


def prompts(speech: Speech) -> list[Prompt]:
    """Every prompt `speech` may play, with the fixed sentences said instead of changing ones."""
    found: list[Prompt] = []
    for piece in speech:
        if isinstance(piece, Prompt):
            found.append(piece)
            found += prompts(piece.instead)
    return found


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
