"""Notices: dated announcements in the menu, checked like every text, recorded like every prompt."""

import datetime as dt

import pytest

from ivr import cli, menu
from ivr.audio import library as audio
from ivr.menu.errors import MenuError
from ivr.speech.notices import notice
from ivr.speech.prompts import SENTENCE_PAUSE_MS, Pause, Prompt

from ..conftest import record
from ..test_cli import GOOD

# Appended to GOOD (56 lines): `notices:` is line 57, the notice's id line 58.
NOTICE = """\
notices:
  - id: moved_desk
    from: 2026-12-14
    until: 2026-12-18
    say:
      fi: Tiski on muuttanut.
      en: The desk has moved.
"""
BEFORE = dt.date(2026, 12, 1)  # a today before every notice here


def loaded(old: str = "", new: str = "", extra: str = "", today: dt.date = BEFORE) -> menu.Menu:
    assert old in NOTICE
    return menu.loads(GOOD + NOTICE.replace(old, new, 1) + extra, "menus/x.yaml", today=today)


def problems(old: str = "", new: str = "", extra: str = "") -> list[str]:
    with pytest.raises(MenuError) as caught:
        loaded(old, new, extra)
    return str(caught.value).splitlines()


def test_a_notice_is_loaded_frozen_with_its_days_and_texts():
    """The notice arrives on Menu.notices with its dates, texts and line; no warning while it is ahead."""
    got = loaded()
    assert got.notices == (menu.Notice("moved_desk", dt.date(2026, 12, 14), dt.date(2026, 12, 18),
                                       {"fi": "Tiski on muuttanut.", "en": "The desk has moved."}, 58),)
    assert got.warnings == ()
    with pytest.raises(TypeError):
        got.notices[0].say["en"] = "Changed."


def test_a_menu_without_notices_or_with_an_empty_list_has_none():
    """Notices are optional, and `notices:` left empty after the last one is removed is no mistake."""
    assert menu.loads(GOOD, "menus/x.yaml").notices == ()
    assert menu.loads(GOOD + "notices:\n", "menus/x.yaml").notices == ()


def test_until_before_from_is_refused_at_until():
    """A notice that would end before it starts is never heard: refused, pointing at its until."""
    assert problems("until: 2026-12-18", "until: 2026-12-13") == [
        "menus/x.yaml:60:12: notice 'moved_desk' ends (until 2026-12-13) before it starts (from 2026-12-14): "
        "make until the last day callers should hear it, on or after from"]


def test_a_one_day_notice_is_fine():
    """from and until on the same day: callers hear it that day."""
    assert loaded("until: 2026-12-18", "until: 2026-12-14").notices[0].last == dt.date(2026, 12, 14)


def test_a_missing_language_is_refused():
    """Every caller hears the notice in their language: a text for each of the line's languages."""
    assert problems("      en: The desk has moved.\n", "") == [
        "menus/x.yaml:62:7: notices[0].say has no 'en' text: add it "
        "(every text needs all the line's languages: fi, en)"]


def test_a_phone_number_in_a_notice_is_refused_as_in_any_text():
    """The voice would read the number as thousands, too fast to write down."""
    assert problems("en: The desk has moved.", "en: The desk has moved, call 08 6155 2760.") == [
        "menus/x.yaml:63:11: the 'en' text of notices[0].say has a phone number in it ('08 6155 2760'): "
        "put it under contacts, so the line reads it digit by digit"]


def test_a_long_notice_gets_the_long_text_warning():
    """A notice over 20 seconds loses callers on a poor line, as any text does: a warning, not a refusal."""
    words = " ".join(["word"] * 55)
    got = loaded("en: The desk has moved.", f"en: {words}")
    assert [str(w) for w in got.warnings] == [
        "menus/x.yaml:63:11: warning: the 'en' text of notices[0].say takes about 22 seconds to say (55 words): "
        "callers on a poor line lose track after 20 seconds; shorten it or split it into two pages"]


def test_two_notices_with_one_id_are_refused_at_the_second():
    """The id names the notice's recordings (notice.<id>): two notices cannot share one."""
    second = NOTICE.replace("notices:\n", "").replace("2026-12-14", "2027-01-04").replace("2026-12-18", "2027-01-08")
    assert problems(extra=second) == [
        "menus/x.yaml:64:9: notice 'moved_desk' is already the id of notices[0]: "
        "give each notice its own id (its recordings are named after it)"]


@pytest.mark.parametrize("old, new, expected", [
    ("from: 2026-12-14", 'from: "14.12.2026"',
     "menus/x.yaml:59:11: notices[0].from is '14.12.2026', which is not valid here: "
     "write the date as YYYY-MM-DD, e.g. 2026-12-28"),
    ("until: 2026-12-18", "until: 2026-13-01",
     "menus/x.yaml:60:12: notices[0].until is '2026-13-01', which is not valid here: "
     "write the date as YYYY-MM-DD, e.g. 2026-12-28"),
    ("until: 2026-12-18", "until: 2027-02-30",
     "menus/x.yaml:60:12: '2027-02-30' is not a date: write YYYY-MM-DD, e.g. 2026-12-28"),
    ("until: 2026-12-18", "until: 2026-12-18T15:00",
     "menus/x.yaml:60:12: notices[0].until is '2026-12-18T15:00', which is not valid here: "
     "write the date as YYYY-MM-DD, e.g. 2026-12-28"),
    ("id: moved_desk", "id: Moved desk",
     "menus/x.yaml:58:9: notices[0].id is 'Moved desk', which is not valid here: a short name for the notice: "
     "small letters a-z, digits and _, starting with a letter, at most 40, e.g. moved_desk "
     "(its recordings are notice.<id>)"),
    ("    until: 2026-12-18\n", "",
     "menus/x.yaml:58:5: notices[0] is missing 'until': add it"),
    ("    until:", "    untill:",
     "menus/x.yaml:60:5: unknown key 'untill' in notices[0]: did you mean 'until'?"),
])
def test_a_bad_date_id_or_key_is_refused_where_it_is_written(old, new, expected):
    """Dates are days written YYYY-MM-DD that exist; the id is a short name; the keys are the four."""
    assert problems(old, new) == [expected]


def test_an_ended_notice_is_a_warning_from_the_day_after_until():
    """On its last day it is still said; from the next day it is dead text: validate says to remove it."""
    assert loaded(today=dt.date(2026, 12, 18)).warnings == ()
    ended = loaded(today=dt.date(2026, 12, 19))
    assert [str(w) for w in ended.warnings] == [
        "menus/x.yaml:60:12: warning: notice 'moved_desk' ended on 2026-12-18: callers no longer hear it; "
        "remove it from the menu"]
    assert ended.notices_on(dt.date(2026, 12, 19)) == ()  # the menu still goes live, the notice is silent


def test_validate_judges_ended_notices_by_the_line_clock(tmp_path, capsys, monkeypatch):
    """`ivr validate` passes no day in: today comes from the line's clock, so IVR_NOW moves it too."""
    path = tmp_path / "x.yaml"
    path.write_text(GOOD + NOTICE, encoding="utf-8")
    ended = f"{path}:60:12: warning: notice 'moved_desk' ended on 2026-12-18"
    for now, warned in (("2026-12-18T23:59", False), ("2026-12-19T00:00", True)):
        monkeypatch.setenv("IVR_NOW", now)
        assert cli.main(["validate", "--audio", str(tmp_path / "audio"), str(path)]) == 0
        assert any(line.startswith(ended) for line in capsys.readouterr().out.splitlines()) == warned, now


@pytest.mark.parametrize("name, value", [("IVR_NOW", "Christmas"), ("IVR_PROXY_HOPS", "x")])
def test_a_bad_setting_is_not_blamed_on_the_menu(monkeypatch, name, value):
    """Asking the line's clock for today must not turn a bad environment variable into a menu problem
    (the server refuses to start on it, with its own message)."""
    monkeypatch.setenv(name, value)
    assert menu.loads(GOOD + NOTICE, "menus/x.yaml").notices[0].id == "moved_desk"


def test_notices_on_counts_from_and_until_and_no_day_outside():
    """Live from its first to its last day inclusive, in file order; not the day before or after."""
    later = "  - id: forms_late\n    from: 2026-12-18\n    until: 2026-12-31\n    say:\n      fi: Lomakkeet.\n" \
            "      en: Forms.\n"
    got = loaded(extra=later)
    ids = {day: [n.id for n in got.notices_on(dt.date(2026, 12, day))] for day in (13, 14, 17, 18, 19, 31)}
    assert ids == {13: [], 14: ["moved_desk"], 17: ["moved_desk"], 18: ["moved_desk", "forms_late"],
                   19: ["forms_late"], 31: ["forms_late"]}
    assert got.notices_on(dt.date(2027, 1, 1)) == ()


def test_a_notice_is_one_prompt_then_a_pause():
    """Said as prompt notice.<id> with the text of the caller's language, then a sentence pause."""
    got = loaded()
    assert notice(got, got.language("fi"), got.notices[0]) == (
        Prompt("notice.moved_desk", ("Tiski on muuttanut.",)), Pause(SENTENCE_PAUSE_MS))


def test_a_recorded_language_needs_the_notice_recorded(tmp_path):
    """needed() lists notice.<id>, so `ivr audio status` and `synth` see it: without it, a language with
    no voice is not complete, and so not offered."""
    without = menu.loads(GOOD.replace("        voice: Polly.Amy-Neural\n", ""), "menus/x.yaml")
    for prompt in audio.needed(without, without.language("en")).values():
        record(tmp_path / "en", prompt)
    library = audio.Library(tmp_path)
    assert library.status(without, without.language("en")).complete
    got = menu.loads(GOOD.replace("        voice: Polly.Amy-Neural\n", "") + NOTICE, "menus/x.yaml", today=BEFORE)
    needed = audio.needed(got, got.language("en"))
    assert needed["notice.moved_desk"].text == "The desk has moved."
    assert set(needed) - set(audio.needed(without, without.language("en"))) == {"notice.moved_desk"}
    status = library.status(got, got.language("en"))
    assert status.missing == ("notice.moved_desk",) and not status.complete


def hours_of(capsys, path, *args) -> list[str]:
    assert cli.main(["hours", "--menu", str(path), *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_ivr_hours_shows_the_notice_on_its_days_only(tmp_path, capsys):
    """Under each day from `from` to `until`, open or closed, the notice's id and its text in --lang; not the
    days around."""
    path = tmp_path / "x.yaml"
    path.write_text(GOOD + NOTICE, encoding="utf-8")
    assert hours_of(capsys, path, "--from", "2026-12-13", "--days", "7", "--lang", "fi")[1:] == [
        "2026-12-13 su suljettu: viikonloppu",
        "2026-12-14 ma auki 08:00-15:00",
        "  notice moved_desk: Tiski on muuttanut.",
        "2026-12-15 ti suljettu: ei aukioloaikaa tänä viikonpäivänä",
        "  notice moved_desk: Tiski on muuttanut.",
        "2026-12-16 ke suljettu: ei aukioloaikaa tänä viikonpäivänä",
        "  notice moved_desk: Tiski on muuttanut.",
        "2026-12-17 to suljettu: ei aukioloaikaa tänä viikonpäivänä",
        "  notice moved_desk: Tiski on muuttanut.",
        "2026-12-18 pe auki 08:00-12:00",
        "  notice moved_desk: Tiski on muuttanut.",
        "2026-12-19 la suljettu: viikonloppu",
    ]


def test_ivr_hours_shortens_a_long_notice_to_one_line(tmp_path, capsys):
    """A notice of several sentences shows as its first 60 characters or so, cut at a word, with an ellipsis."""
    path = tmp_path / "x.yaml"
    long = "The desk has moved to another floor of the same building for the rest of the year."
    path.write_text(GOOD + NOTICE.replace("The desk has moved.", long), encoding="utf-8")
    shown = hours_of(capsys, path, "--from", "2026-12-14", "--days", "1")[2]
    assert shown == "  notice moved_desk: The desk has moved to another floor of the same building…"
    assert long.startswith(shown.removeprefix("  notice moved_desk: ").removesuffix("…"))


def test_validate_says_when_a_notice_pushes_the_duty_past_the_time_budget(tmp_path, capsys):
    """A notice is said before the first menu: a long one delays the duty's option; validate warns on the
    notice's line, with the day it was timed on. Without the notice, no such warning."""
    long = "The desk has moved. " + " ".join(["Please listen carefully to this notice."] * 8)
    path = tmp_path / "x.yaml"
    path.write_text(GOOD + NOTICE.replace("en: The desk has moved.", f"en: {long}"), encoding="utf-8")
    cli.main(["validate", "--verbose", "--audio", str(tmp_path / "audio"), str(path)])
    out = capsys.readouterr().out
    assert f"{path}:58:1: warning: 'en' is slow to the information callers need on 2026-12-14, with notice " \
           "'moved_desk' said first: " in out
    assert "call offered (top, key 2) after 42 s for a presser (budget 30 s)" in out
    path.write_text(GOOD, encoding="utf-8")
    cli.main(["validate", "--verbose", "--audio", str(tmp_path / "audio"), str(path)])
    assert "with notice" not in capsys.readouterr().out
