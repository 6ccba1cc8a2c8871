"""`ivr hours`: each day open or closed, with the reason, in the chosen language."""

import datetime as dt
import pathlib
import subprocess
import sys

from ivr import cli
from ivr.staff import hours as timetable

from .conftest import HELSINKI, LINE


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
