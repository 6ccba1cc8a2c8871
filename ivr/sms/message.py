"""The text message: the line's name, the duty number and its hours, in the caller's language.

"Closed on public holidays" is left out: with it Russian takes three segments.

Also how a phone network carries it: GSM-7 when every character is in the GSM 03.38 alphabet
(the extension table's characters take two places), else UCS-2; and how many segments that
makes. Each segment is billed, so a message must fit MAX_SEGMENTS.
"""

from __future__ import annotations

import dataclasses

from .. import phrases
from ..menu import Contact, Language, Menu

MAX_SEGMENTS = 2
WRITTEN = str.maketrans({"\u2013": "-"})  # "kello 8–15": the en dash is not in GSM 03.38 and would make it UCS-2

# GSM 03.38: the basic set (without the escape character) and the extension table.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
# (characters in one segment, in each part of a longer message: the rest is the part's header)
LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


@dataclasses.dataclass(frozen=True)
class Message:
    text: str
    encoding: str  # GSM-7 | UCS-2
    length: int  # in the encoding's units: septets, or UTF-16 code units
    segments: int

    @property
    def fits(self) -> bool:
        return self.segments <= MAX_SEGMENTS


def encoded(text: str) -> Message:
    """The message as a network carries it: its encoding, length and segments."""
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in text):
        encoding, length = "GSM-7", sum(2 if char in GSM_EXTENSION else 1 for char in text)
    else:
        encoding, length = "UCS-2", len(text.encode("utf-16-le")) // 2
    single, part = LIMITS[encoding]
    segments = 1 if length <= single else -(-length // part)
    return Message(text, encoding, length, segments)


def duty_contact(menu: Menu) -> Contact | None:
    """The duty phone as a page lists it: the first phone contact with hours whose number a transfer dials."""
    dialled = {node.number for node in menu.nodes.values() if node.kind == "transfer" and node.number}
    return next((contact for node in menu.nodes.values() for contact in node.contacts
                 if contact.kind == "phone" and contact.schedule and contact.number in dialled), None)


def name(menu: Menu, lang: Language, contact: Contact) -> str:
    """Whose number it is, for someone reading it days later: the `sms` text of the transfer that dials
    it (the place and the town), else the contact's own label after the first menu's title."""
    node = next((node for node in menu.nodes.values() if node.kind == "transfer" and node.number == contact.number
                 and node.sms.get(lang.code)), None)
    if node is not None:
        return node.sms[lang.code].strip().rstrip(".。۔")
    title = menu.nodes[menu.start].say.get(lang.code) if menu.start in menu.nodes else None
    return f"{(title or menu.name).strip().rstrip('.。۔')}. {contact.label[lang.code]}"


def hours(menu: Menu, lang: Language, schedule_name: str) -> str:
    """'Open Monday to Friday, from 8 to 15.' as the line says it (ivr.speech.prompts.hours_of)."""
    p = menu.phrases[lang.code]
    return " ".join(phrases.capital(p(phrases.OPEN_HOURS, days=p.days(first, last), **p.hours(start, end)))
                    for first, last, start, end in menu.schedules[schedule_name].spans())


def text(menu: Menu, lang: Language, contact: Contact) -> str:
    p = menu.phrases[lang.code]
    return p(phrases.SMS_BODY, name=name(menu, lang, contact), number=" ".join(contact.number.groups),
             hours=hours(menu, lang, contact.schedule) if contact.schedule else "").strip().translate(WRITTEN)


def message(menu: Menu, lang: Language, contact: Contact | None = None) -> Message | None:
    """The duty number's message in `lang`, or None when the menu has no duty phone."""
    contact = contact or duty_contact(menu)
    if contact is None:
        return None
    return encoded(text(menu, lang, contact))
