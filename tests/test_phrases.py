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


WEDNESDAY = __import__("datetime").date(2026, 12, 9)


@pytest.mark.parametrize("code, locale, expected", [
    # The language review's forms: the weekday in the case its sentence needs, the hour as people say it.
    ("ru", "ru", "Снова будет работать в среду, 9 декабря, в 8 часов."),
    ("uk", "uk", "Знову працюватиме у середу, 9 грудня, о восьмій."),
    ("sv", "sv", "Den öppnar igen onsdag den 9 december klockan 8."),
    ("ar", "ar", "تبدأ ساعات العمل مرة أخرى يوم الأربعاء 9 ديسمبر، الساعة الثامنة صباحًا."),
    ("en", "en_GB", "It opens again on Wednesday 9 December at 8."),
])
def test_the_opens_again_sentence_is_said_as_people_say_it(code, locale, expected):
    p = P.load(code, locale)
    hour = __import__("datetime").time(8)
    assert p(P.OPENS_AT, day=p.day(WEDNESDAY), time=p.time(hour)) == expected


@pytest.mark.parametrize("code, locale, hours, expected", [
    ("uk", "uk", (8, 15), ("восьмої", "пʼятнадцятої")),
    ("uk", "uk", (13, 21), ("тринадцятої", "двадцять першої")),
    ("ar", "ar", (8, 15), ("الثامنة صباحًا", "الثالثة بعد الظهر")),
    ("ar", "ar", (12, 19), ("الثانية عشرة ظهرًا", "السابعة مساءً")),
    ("fa", "fa_AF", (8, 15), ("ساعت ۸ صبح", "۳ بعد از ظهر")),
    ("ru", "ru", (8, 15), ("8", "15")),  # "с 8 до 15 часов": the catalog carries the word
    ("fi", "fi", (8, 15), ("8", "15")),
])
def test_hours_of_a_span_as_people_say_them(code, locale, hours, expected):
    time = __import__("datetime").time
    found = P.load(code, locale).hours(time(hours[0]), time(hours[1]))
    assert (found["start"], found["end"]) == expected


@pytest.mark.parametrize("hour, word", [(1, "час"), (2, "часа"), (5, "часов"), (11, "часов"), (21, "час"), (22, "часа")])
def test_russian_says_the_hour_with_the_right_form_of_chas(hour, word):
    assert P.load("ru").time(__import__("datetime").time(hour)) == f"{hour} {word}"


def test_half_hours_keep_the_numeral():
    assert P.load("uk").time(__import__("datetime").time(8, 30)) == "8:30"
