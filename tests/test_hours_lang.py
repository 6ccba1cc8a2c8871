"""`ivr hours --lang X` speaks X: its words from the phrase catalogs, holiday names from `holidays` where it has them."""

import re

import pytest
from babel.messages.pofile import read_po

from ivr import cli
from ivr import phrases as P

CODES = ["fi", "sv", "en", "ar", "uk", "ru", "fa", "so", "kmr", "ckb"]
LANGUAGES = "\n".join(f"  - code: {code}\n    key: \"{index + 1 if index < 7 else 81 + index - 7}\"\n"
                      f"    name: Language {code}\n    reviewed: false" for index, code in enumerate(CODES))
TEXT = "\n".join(f"      {code}: Text {code}." for code in CODES)
MENU = f"""\
name: Test line
timezone: Europe/Helsinki
holidays: FI
start: top
languages:
{LANGUAGES}
schedules:
  duty:
    weekly:
      monday: "08:00-15:00"
      tuesday: "08:00-15:00"
      wednesday: "08:00-15:00"
      thursday: "08:00-15:00"
      friday: "08:00-12:00"
    closed:
      - 2026-12-28
nodes:
  top:
    type: menu
    say:
{TEXT}
    options:
      "1": call
  call:
    type: transfer
    label:
{TEXT}
    name:
{TEXT}
    number: (08) 6155 2760
    schedule: duty
"""


@pytest.fixture
def menu_file(tmp_path):
    path = tmp_path / "menu.yaml"
    path.write_text(MENU, encoding="utf-8")
    return path


def hours(capsys, menu_file, code, first, days) -> list[str]:
    assert cli.main(["hours", "--menu", str(menu_file), "--lang", code, "--from", first, "--days", str(days)]) == 0
    return capsys.readouterr().out.splitlines()[1:]


def test_finnish_says_every_word_in_finnish(capsys, menu_file):
    assert hours(capsys, menu_file, "fi", "2026-12-04", 3) + hours(capsys, menu_file, "fi", "2026-12-28", 1) == [
        "2026-12-04 pe auki 08:00-12:00",
        "2026-12-05 la suljettu: viikonloppu",
        "2026-12-06 su suljettu: Itsenäisyyspäivä (juhlapyhä) ja viikonloppu",
        "2026-12-28 ma suljettu: sulkemispäivä (schedules.duty.closed)",
    ]


def test_arabic_words_with_the_english_holiday_name_the_holidays_package_has(capsys, menu_file):
    """`holidays` has no Arabic names for Finland's holidays: the name is English, the words around it Arabic."""
    assert hours(capsys, menu_file, "ar", "2026-12-05", 2) == [
        "2026-12-05 السبت    مغلق: عطلة نهاية الأسبوع",
        "2026-12-06 الأحد    مغلق: Independence Day (عطلة رسمية) وعطلة نهاية الأسبوع",
    ]


@pytest.mark.parametrize("code, holiday", [("sv", "Självständighetsdagen"), ("uk", "День незалежності"),
                                           ("en", "Independence Day"), ("ru", "Independence Day")])
def test_holiday_names_in_the_language_where_the_holidays_package_has_it(capsys, menu_file, code, holiday):
    line = hours(capsys, menu_file, code, "2026-12-06", 1)[0]
    assert f" {holiday} (" in line


@pytest.mark.parametrize("code", [c for c in CODES if c != "en"])
def test_no_english_word_in_another_language(capsys, menu_file, code):
    """Open, closed, weekend, public holiday, no hours, closure day: each in the language asked for."""
    say = P.load(code)
    lines = hours(capsys, menu_file, code, "2026-12-04", 4) + hours(capsys, menu_file, code, "2026-12-28", 1)
    text = "\n".join(lines).replace("schedules.duty.closed", "")  # the menu's own key stays as written
    for english in ("open", "closed", "weekend", "public holiday", "closure", "no hours"):
        assert not re.search(rf"\b{english}\b", text), (code, english, text)
    assert say(P.HOURS_OPEN, start="08:00", end="12:00") in lines[0]
    assert say(P.HOURS_WEEKEND) in lines[1] and say(P.HOURS_CLOSURE, where="schedules.duty.closed") in lines[4]


def test_a_weekday_without_hours_is_not_called_weekend(tmp_path, capsys):
    path = tmp_path / "menu.yaml"
    path.write_text(MENU.replace('      wednesday: "08:00-15:00"\n', ""), encoding="utf-8")
    assert hours(capsys, path, "sv", "2026-12-02", 1) == ["2026-12-02 ons  stängt: inga öppettider denna veckodag"]


@pytest.mark.parametrize("code", CODES)
def test_every_catalog_has_the_staff_words_with_their_placeholders(code):
    with P.catalog_path(code).open("rb") as fp:
        catalog = {m.id: m for m in read_po(fp) if m.id}
    for message in P.STAFF:
        entry = catalog[message]
        assert not entry.fuzzy, (code, message)
        if code != "en":  # English reads the message itself
            assert entry.string and entry.string != message, (code, message)
            assert re.findall(r"%\((\w+)\)s", entry.string) == re.findall(r"%\((\w+)\)s", message), (code, message)


def test_staff_words_are_never_recorded_prompts():
    """They are read on a screen, not said on a call: no `phrase.<id>` recording is asked for."""
    assert set(P.STAFF).isdisjoint(P.ID) and set(P.STAFF) <= set(P.ALL)
