"""`ivr hours`: each day open or closed, with the reason, in the chosen language.

`ivr hours --lang X` speaks X: its words from the phrase catalogs, holiday names from `holidays` where it has them.
"""

import datetime as dt
import pathlib
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from ivr import cli
from ivr import phrases as P
from ivr.staff import hours as timetable

from ..conftest import HELSINKI, LINE


def hours_of(capsys, *args) -> list[str]:
    assert cli.main(["hours", *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_christmas_in_finnish(capsys):
    assert hours_of(capsys, "--from", "2026-12-23", "--days", "6", "--lang", "fi") == [
        "desk: office (phone number), desk (transfer); 6 days from 2026-12-23, names in 'fi'",
        "2026-12-23 ke auki 08:00-15:00",
        "2026-12-24 to suljettu: Jouluaatto (juhlapyhä)",
        "2026-12-25 pe suljettu: Joulupäivä (juhlapyhä)",
        "2026-12-26 la suljettu: Tapaninpäivä (juhlapyhä) ja viikonloppu",
        "2026-12-27 su suljettu: viikonloppu",
        "2026-12-28 ma auki 08:00-15:00",
    ]


def test_holiday_names_fall_back_to_english(capsys):
    """The holidays package has no Arabic names: English, rather than Finnish, for an Arabic translator."""
    assert hours_of(capsys, "--from", "2026-12-06", "--days", "1", "--lang", "ar")[1] == \
        "2026-12-06 الأحد    مغلق: Independence Day (عطلة رسمية) وعطلة نهاية الأسبوع"
    assert hours_of(capsys, "--from", "2026-12-06", "--days", "1", "--lang", "sv")[1] == \
        "2026-12-06 sön  stängt: Självständighetsdagen (helgdag) och veckoslut"


def test_a_closure_from_the_menu(tmp_path, capsys):
    """The test line closes the desk on Monday 7 December; a closure staff add is there at once."""
    assert hours_of(capsys, "--from", "2026-12-07", "--days", "2")[1:] == [
        "2026-12-07 Mon closed: closure day (schedules.desk.closed)",
        "2026-12-08 Tue open 08:00-15:00",
    ]
    path = tmp_path / "line.yaml"
    path.write_text(LINE.read_text(encoding="utf-8").replace(
        "      - 2026-12-07\n", "      - 2026-12-07\n      - 2026-12-08\n"), encoding="utf-8")
    assert hours_of(capsys, "--menu", str(path), "--from", "2026-12-07", "--days", "3")[1:] == [
        "2026-12-07 Mon closed: closure day (schedules.desk.closed)",
        "2026-12-08 Tue closed: closure day (schedules.desk.closed)",
        "2026-12-09 Wed open 08:00-15:00",
    ]


def test_starts_today_by_the_line_clock_for_60_days(capsys, monkeypatch):
    monkeypatch.setenv("IVR_NOW", "2026-11-30T10:00")
    out = hours_of(capsys)
    assert out[0] == "desk: office (phone number), desk (transfer); 60 days from 2026-11-30, names in 'en'"
    assert out[1] == "2026-11-30 Mon open 08:00-15:00"
    days = [line for line in out[1:] if not line.startswith("  notice ")]
    assert len(days) == 60 and days[-1].startswith("2027-01-28 ")
    assert len(out) == 1 + 60 + 5  # the test line's notice, under each of its five days (14-18 December)


def test_the_table_agrees_with_the_line_all_year(menu):
    """Every day the table says open, the line puts callers through at 10:00; every closed day, it does not."""
    schedule = menu.schedules["desk"]
    first = dt.date(2026, 1, 1)
    for day, line in zip((first + dt.timedelta(days=n) for n in range(365)),
                         timetable.days(menu, "desk", first, 365, "en"), strict=False):
        assert line.startswith(day.isoformat())
        assert (" open " in line) == schedule.is_open(dt.datetime.combine(day, dt.time(10), tzinfo=HELSINKI)), line


def test_bad_arguments_say_what_to_write(capsys):
    assert cli.main(["hours", "--from", "28.12.2026"]) == 1
    assert capsys.readouterr().err == "ivr hours: --from '28.12.2026' is not a date: write YYYY-MM-DD, e.g. 2026-12-01\n"
    assert cli.main(["hours", "--lang", "de"]) == 1
    assert capsys.readouterr().err == "ivr hours: the menu has no language 'de': choose one of fi, sv, en, ar, uk, fa, so, kmr\n"


def test_a_reader_that_stops_early_gets_no_traceback():
    """`ivr hours --days 400 | head -1`: staff see the first line, not a Python error."""
    ivr = pathlib.Path(sys.executable).with_name("ivr")
    with subprocess.Popen([str(ivr), "hours", "--days", "400"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as command:
        first = command.stdout.readline()
        command.stdout.close()
        errors = command.stderr.read().decode()
    assert first.startswith(b"desk: ") and "Traceback" not in errors and "BrokenPipe" not in errors


# -- `ivr hours --lang X` speaks X: its words from the phrase catalogs, holiday names from `holidays` where it has them ----

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
