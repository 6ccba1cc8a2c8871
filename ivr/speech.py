"""What the line says, in which language: text and pauses, before any TwiML.

Each function returns `Speech`: a tuple of text pieces and `Pause`s in one
language. The rendering layer turns it into <Say> with the language's voice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from . import phrases as P
from .menu import Contact, Language, Menu, Node, Number

GROUP_PAUSE_MS = 600  # between digit groups, so a listener can write them down
SENTENCE_PAUSE_MS = 400


@dataclasses.dataclass(frozen=True)
class Pause:
    ms: int


Piece = str | Pause
Speech = tuple[Piece, ...]


def say(*pieces: Piece | Speech | None) -> Speech:
    """Flatten pieces into one Speech, a short pause after each sentence-long text."""
    out: list[Piece] = []
    for piece in pieces:
        if piece is None or piece == "":
            continue
        if isinstance(piece, tuple):
            out.extend(piece)
        else:
            out.append(piece)
    return tuple(out)


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


def language_option(menu: Menu, lang: Language) -> Speech:
    return say(menu.phrases[lang.code](P.PRESS, label=lang.name, key=lang.key))


def options(menu: Menu, lang: Language, node: Node, top: bool) -> Speech:
    """The node's options, then the keys that work everywhere."""
    p = menu.phrases[lang.code]
    pieces: list[Piece] = []
    for key, target in sorted(node.options.items()):
        label = menu.nodes[target].label.get(lang.code, "")
        pieces += [p(P.PRESS, label=label, key=key), Pause(SENTENCE_PAUSE_MS)]
    pieces.append(p(P.REPEAT))
    pieces.append(p(P.BACK))
    if top or node.kind == "menu":
        pieces.append(p(P.LANGUAGES))
    return say(*pieces)


def hours_of(menu: Menu, lang: Language, schedule_name: str | None) -> Speech:
    """'Open Monday to Friday, from 8.00 to 15.00. Closed on public holidays.'"""
    if schedule_name is None:
        return ()
    p = menu.phrases[lang.code]
    schedule = menu.schedules[schedule_name]
    pieces: list[Piece] = []
    for first, last, start, end in schedule.spans():
        days = p.weekday(first) if first == last else p(P.DAY_RANGE, first=p.weekday(first), last=p.weekday(last))
        pieces.append(p(P.OPEN_HOURS, days=days, start=p.time(start), end=p.time(end)))
    if schedule.holidays is not None:
        pieces.append(p(P.HOLIDAYS_CLOSED))
    return say(*pieces, Pause(SENTENCE_PAUSE_MS))


def contact(menu: Menu, lang: Language, item: Contact) -> Speech:
    """A number said twice, slowly, then when it answers."""
    p = menu.phrases[lang.code]
    number = digits(item.number)
    first = _with_number(p(P.NUMBER, label=item.label[lang.code], number="%(number)s"), number)
    again = _with_number(p(P.NUMBER_AGAIN, number="%(number)s"), number)
    return say(first, again, hours_of(menu, lang, item.schedule))


def page(menu: Menu, lang: Language, node: Node) -> Speech:
    return say(
        node.say.get(lang.code),
        Pause(SENTENCE_PAUSE_MS),
        *(contact(menu, lang, c) for c in node.contacts),
        node.after.get(lang.code),
    )


def emergency(menu: Menu, lang: Language) -> Speech:
    return say(menu.phrases[lang.code](P.EMERGENCY, number=P.EMERGENCY_NUMBER))


def connecting(menu: Menu, lang: Language, node: Node) -> Speech:
    p = menu.phrases[lang.code]
    return say(p(P.CONNECTING, name=node.name[lang.code]), emergency(menu, lang))


def closed(menu: Menu, lang: Language, node: Node, now: dt.datetime) -> Speech:
    """Closed now, when it opens next, and 112."""
    p = menu.phrases[lang.code]
    opening = menu.schedules[node.schedule].next_opening(now)
    when = ""
    if opening is not None:
        when = p(P.OPENS_AT, day=p.day(opening.date()), time=p.time(opening.time()))
    return say(_capital(p(P.CLOSED_NOW, name=node.name[lang.code])), when, Pause(SENTENCE_PAUSE_MS), emergency(menu, lang))


def no_answer(menu: Menu, lang: Language, node: Node) -> Speech:
    """Nobody answered: the other ways to reach the service, and when to call again."""
    p = menu.phrases[lang.code]
    return say(
        p(P.NO_ANSWER),
        *(contact(menu, lang, c) for c in node.contacts),
        hours_of(menu, lang, node.schedule),
        emergency(menu, lang),
        p(P.BACK_TO_MENU),
    )


def phrase(menu: Menu, lang: Language, message: str) -> Speech:
    return say(menu.phrases[lang.code](message))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
