"""The text message: the duty number, its hours and the line's name in the caller's language, in two segments."""

import dataclasses
from types import MappingProxyType

import pytest

from ivr import menu as menus
from ivr.settings import BUNDLED_MENU
from ivr.sms.message import duty_contact, encoded, message

from ..conftest import LINE_MENU

UCS2 = {"ar", "uk", "ru", "fa", "ckb", "kmr"}  # Kurmanji too: ç, ê, î, ş, û are not in GSM 03.38


@pytest.mark.parametrize("text, encoding, length, segments", [
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),  # a longer one is parts of 153
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("Päivystys @ £ Å ß É ü", "GSM-7", 21, 1),  # the basic set has these
    ("€" * 80, "GSM-7", 160, 1),  # the extension table's characters take two places
    ("[" * 81, "GSM-7", 162, 2),
    ("я" * 70, "UCS-2", 70, 1),
    ("я" * 71, "UCS-2", 71, 2),  # parts of 67
    ("я" * 134, "UCS-2", 134, 2),
    ("я" * 135, "UCS-2", 135, 3),
    ("a" * 100 + "ç", "UCS-2", 101, 2),  # one character outside GSM makes the whole message UCS-2
    ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 code units each
    ("😀" * 36, "UCS-2", 72, 2),
])
def test_encoding_length_and_segments(text, encoding, length, segments):
    found = encoded(text)
    assert (found.encoding, found.length, found.segments) == (encoding, length, segments)
    assert found.fits == (segments <= 2)


def test_the_english_message_of_the_test_line():
    found = message(LINE_MENU, LINE_MENU.language("en"))
    assert found.text == "The test line. The desk number: 08 6155 2760. Open Monday to Friday, from 8 to 15."
    assert (found.encoding, found.segments) == ("GSM-7", 1)


@pytest.mark.parametrize("code, words", [
    ("fi", "Testilinja. Tiskin numero: 08 6155 2760. Avoinna maanantaista perjantaihin kello 8-15."),
    ("sv", "Testlinjen. Diskens nummer: 08 6155 2760. Öppet måndag till fredag, klockan 8 till 15."),
    ("uk", "Тестова лінія. Номер стійки: 08 6155 2760. Працює з понеділка по пʼятницю, з восьмої до пʼятнадцятої години."),
])
def test_the_message_is_in_the_callers_language(code, words):
    """With no `sms` text on the transfer, the line's name and the number's label from the menu; the hours in
    the language's own words (a hyphen for the range: the en dash is not in the GSM alphabet)."""
    assert message(LINE_MENU, LINE_MENU.language(code)).text == words


BUNDLED = menus.load(BUNDLED_MENU)


@pytest.mark.parametrize("menu, code", [(BUNDLED, lang.code) for lang in BUNDLED.languages]
                         + [(LINE_MENU, lang.code) for lang in LINE_MENU.languages])
def test_every_language_fits_two_segments(menu, code):
    """Each segment is billed: the bundled line's ten languages and the test line's all fit two."""
    lang = menu.language(code)
    contact = duty_contact(menu)
    found = message(menu, lang)
    assert found.segments <= 2, (code, found.length, found.text)
    assert found.encoding == ("UCS-2" if code in UCS2 else "GSM-7")
    assert "08 6155 2760" in found.text
    duty = next(node for node in menu.nodes.values() if node.kind == "transfer" and node.number == contact.number)
    if duty.sms:  # whose number it is, read days later: the transfer's own words for it (the place, the town)
        assert found.text.startswith(duty.sms[code] + ": ")
    else:
        assert contact.label[code] in found.text
        assert menu.nodes[menu.start].say[code].rstrip(".") in found.text
    assert menu.phrases[code].days(0, 4).lower() in found.text.lower()  # the hours, "Monday to Friday" in the language


def test_the_duty_contact_is_the_phone_a_transfer_dials():
    """Not the fax beside it: the phone with hours whose number the duty transfer dials."""
    contact = duty_contact(LINE_MENU)
    assert (contact.kind, contact.number.e164, contact.schedule) == ("phone", "+358861552760", "desk")


def test_a_menu_without_a_duty_phone_has_no_message():
    nodes = {key: node for key, node in LINE_MENU.nodes.items() if node.kind != "transfer"}
    menu = dataclasses.replace(LINE_MENU, nodes=MappingProxyType(nodes))
    assert duty_contact(menu) is None
    assert message(menu, menu.language("fi")) is None


@pytest.mark.parametrize("code, place", [
    ("fi", "Kajaanin vastaanottokeskuksen"), ("sv", "Kajana"), ("en", "Kajaani reception centre"),
    ("ar", "مركز الاستقبال في كاياني"), ("uk", "центру прийому в Каяані"), ("ru", "центра приёма в Каяани"),
    ("fa", "مرکز پذیرش کایانی"), ("kmr", "navenda pêşwaziyê ya Kajaaniyê"),
])
def test_the_bundled_message_names_kajaani_and_the_reception_centre(code, place):
    """Read days later, the message still says whose number it is: the reception centre, in Kajaani."""
    assert place in message(BUNDLED, BUNDLED.language(code)).text
