"""The line's own phrases exist in every language it offers, with their placeholders intact."""

import re

import pytest
from babel.messages.pofile import read_po

from ivr import phrases as P

CODES = ["fi", "sv", "ar", "uk", "ru"]


def placeholders(text):
    return sorted(re.findall(r"%\((\w+)\)s", text))


@pytest.mark.parametrize("code", CODES)
def test_every_phrase_is_translated_with_the_same_placeholders(code):
    with P.catalog_path(code).open("rb") as fp:
        catalog = read_po(fp)
    translated = {m.id: m.string for m in catalog if m.id}
    assert set(translated) == set(P.ALL), "catalog out of date: run pybabel extract and update (README)"
    for message in P.ALL:
        assert translated[message], f"{code}: {message!r} has no translation"
        assert placeholders(translated[message]) == placeholders(message), (code, message)


def test_template_lists_every_phrase():
    with (P.LOCALE_DIR / "messages.pot").open("rb") as fp:
        assert {m.id for m in read_po(fp) if m.id} == set(P.ALL)


def test_phrases_are_said_in_the_language():
    assert P.load("sv")(P.GOODBYE) != P.GOODBYE
    assert P.load("en")(P.GOODBYE) == "Thank you for calling. Goodbye."


def test_a_language_without_a_catalog_is_refused():
    with pytest.raises(LookupError, match="no phrase catalog for language 'xx'"):
        P.load("xx")
