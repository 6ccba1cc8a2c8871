"""`ivr timing`: seconds from pick-up to a number and to the transfer, by the stated model, on small menus."""

import datetime as dt
import wave

import pytest

from ivr import cli
from ivr.audio import library as audio
from ivr.menu import model as menus
from ivr.staff import timing

from ..conftest import HELSINKI

MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=HELSINKI)

MENU = """\
name: small
timezone: Europe/Helsinki
holidays: FI
start: top
languages:
  - {code: LANG_LINE}
schedules:
  duty:
    weekly: {monday: "08:00-15:00", tuesday: "08:00-15:00", wednesday: "08:00-15:00",
             thursday: "08:00-15:00", friday: "08:00-15:00"}
nodes:
  top:
    type: menu
    say: {CODE: TOP_SAY}
    options: {"1": info, "KEY": centre}
  info:
    type: page
    label: {CODE: Information}
    say: {CODE: Here is information.}
  centre:
    type: page
    label: {CODE: The centre}
    say: {CODE: The centre helps.}
    contacts:
      - {type: phone, label: {CODE: The duty number}, number: (08) 6155 2760, schedule: duty}
    options: {"1": duty}
  duty:
    type: transfer
    label: {CODE: To speak to the duty now}
    name: {CODE: the duty}
    number: (08) 6155 2760
    schedule: duty
"""
ENGLISH = "en, key: \"1\", name: For English, voice: Polly.Amy-Neural, locale: en_GB"
DARI = "fa, key: \"1\", name: به زبان دری, locale: fa_AF"


def small(code="en", top_say="Welcome.", centre_key="2", hours=True):
    """The small menu; without `hours` the duty number's opening hours are not said after it."""
    text = (MENU.replace("LANG_LINE", ENGLISH if code == "en" else DARI).replace("CODE", code)
            .replace("TOP_SAY", top_say).replace("KEY", centre_key))
    return menus.loads(text if hours else text.replace(", schedule: duty}", "}"), "small.yaml")


def wav(path, seconds, rate=8000):
    """A silent 8 kHz mono WAV of exactly `seconds`."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * int(rate * seconds))


def record_all(root, menu, code, lengths):
    """Every prompt the language needs, each as long as `lengths` says (1 s otherwise)."""
    folder = root / code
    folder.mkdir(parents=True)
    for prompt in audio.needed(menu, menu.language(code)).values():
        wav(folder / f"{prompt.id}.wav", lengths.get(prompt.id, 1.0))
        audio.write_entry(folder, prompt, recorded_by="Test Reader")


def figures(menu, root, code):
    return {f.what: f for f in timing.Timing(menu, root, MONDAY_10).figures(menu.language(code))}


def test_a_wav_header_gives_the_recordings_length(tmp_path):
    wav(tmp_path / "x.wav", 2.5)
    assert audio.wav_seconds(tmp_path / "x.wav") == 2.5


def test_the_speaking_rate_digits_and_slow_speech():
    clock = timing.Clockwork(audio.Library("/nowhere"))
    """The model the budgets are stated in: letters a second by language, each digit 0.4 s, a stop 0.35 s,
    a comma 0.15 s; spaces free."""
    assert clock.text("abcde fghij", "en") == pytest.approx(10 / 13)
    assert clock.text("abcde fghij", "ru") == pytest.approx(10 / 12)
    assert clock.text("abcde fghij", "ar") == pytest.approx(10 / 10)
    assert clock.text("abcde fghij", "kmr") == pytest.approx(10 / 11)
    assert clock.text("0 8 6 1", "en") == pytest.approx(4 * 0.4), "digits one by one, the spaces between them free"
    assert clock.text("abc, def.", "en") == pytest.approx(6 / 13 + 0.15 + 0.35)
    assert clock.text("ab؟ cd، ef", "fa") == pytest.approx(6 / 11 + 0.35 + 0.15), "Arabic-script punctuation"
    assert clock.text("abcde", "en", slow=True) == pytest.approx(5 / 13 / 0.75)


def test_recorded_prompts_take_their_recordings_length(tmp_path):
    """Dari is all recordings: every figure is the sum of the recordings heard, the round trips and reactions."""
    menu = small("fa")
    lengths = {"language.name": 2.0, "top.say": 3.0, "phrase.emergency": 1.25, "info.label": 1.5,
               "centre.label": 2.5, "centre.say": 4.0, "centre.contacts.0": 10.0, "hours.duty": 3.5,
               "duty.label": 2.75, "phrase.slow": 1.75}
    record_all(tmp_path, menu, "fa", lengths)
    found = figures(menu, tmp_path, "fa")
    # The first menu: its title, 112, then its options; the page: its option first, then the number.
    to_page = 0.7 + 2.0 + 1 + 0.7 + (3.0 + 1.25 + 1.5 + 2.5) + 1 + 0.7
    offered = found["duty offered (centre, key 1)"]
    assert offered.presser == pytest.approx(to_page + 2.75)
    # The option is the last on the first menu, and the page says it first: the listener is no later.
    assert offered.listener == pytest.approx(offered.presser)
    number = found["centre: first number starts (duty's)"]
    # The digits start as far into the recording as they are into its words and pauses, by the same model.
    pieces = audio.needed(menu, menu.language("fa"))["centre.contacts.0"].speech
    clock = timing.Clockwork(audio.Library(tmp_path))
    into = 10.0 * clock.pieces(pieces[:pieces.index("0 8")], "fa") / clock.pieces(pieces, "fa")
    assert 0 < into < 10.0
    assert number.presser == pytest.approx(to_page + 2.75 + into)
    assert number.listener == pytest.approx(number.presser), "no hints at the end of a menu: nothing more to wait for"


def test_a_longer_say_costs_its_characters_at_the_rate(tmp_path):
    """Ten more four-letter words on the first menu: 40 letters at 13 a second later."""
    short = figures(small(), tmp_path, "en")
    longer = figures(small(top_say="Welcome." + " abcd" * 10), tmp_path, "en")
    for what in short:
        assert longer[what].presser - short[what].presser == pytest.approx(40 / 13)
        assert longer[what].listener - short[what].listener == pytest.approx(40 / 13)


def test_the_transfer_is_found_by_following_the_keys(tmp_path):
    """Moved one menu deeper (key 3, then 2): the route is read from the menu tree, and the caller who
    presses at once hears the extra menu up to its option, and one more round trip."""
    flat = small()
    text = MENU.replace("LANG_LINE", ENGLISH).replace("CODE", "en").replace("TOP_SAY", "Welcome.")
    deeper = menus.loads(text.replace('"KEY": centre}', '"3": more}\n  more:\n    type: menu\n'
                                      '    label: {en: More}\n    say: {en: More.}\n    options: {"2": centre}'),
                         "deeper.yaml")
    assert timing.routes(deeper)["duty"] == (("top", "3"), ("more", "2"), ("centre", "1"))
    before, after = figures(flat, tmp_path, "en"), figures(deeper, tmp_path, "en")
    clock = timing.Clockwork(audio.Library(tmp_path))
    # On top "More, press 3." is said instead of "The centre, press 2."; then the new menu up to its
    # option, the reaction and one more round trip.
    extra = (clock.text("More, press 3.", "en") - clock.text("The centre, press 2.", "en")
             + clock.text("More.", "en") + 0.4 + clock.text("The centre, press 2.", "en") + 1 + 0.7)
    for what in ("duty offered (centre, key 1)", "centre: first number starts (duty's)"):
        assert after[what].presser - before[what].presser == pytest.approx(extra)


def test_the_option_comes_before_the_number_and_the_listener_is_later(tmp_path):
    """Action first: the key that connects is offered before the number is read."""
    found = figures(small(), tmp_path, "en")
    number, offered = found["centre: first number starts (duty's)"], found["duty offered (centre, key 1)"]
    assert offered.presser < number.presser
    assert number.listener > number.presser and offered.listener > offered.presser
    assert number.budgets == (35, None) and offered.budgets == (30, 60)


def test_a_short_menu_is_within_budget_and_a_long_one_is_warned_about(tmp_path):
    assert timing.over_budget(small(hours=False), audio.Library(tmp_path), MONDAY_10) == []
    long = small(hours=False, top_say="Welcome. " + "This sentence is here only to make the menu long. " * 8)
    warnings = timing.over_budget(long, audio.Library(tmp_path), MONDAY_10)
    assert len(warnings) == 1
    assert warnings[0].startswith("small.yaml:")
    assert ": warning: 'en' is slow to the information callers need: " in warnings[0]
    assert "duty offered (centre, key 1) after " in warnings[0] and "(budget 30 s)" in warnings[0]


def test_the_default_moment_is_the_next_working_morning():
    menu = small()
    saturday = dt.datetime(2026, 12, 5, 12, 0, tzinfo=HELSINKI)
    assert timing.open_moment(menu, saturday) == dt.datetime(2026, 12, 7, 10, 0, tzinfo=HELSINKI)
    christmas_eve = dt.datetime(2026, 12, 23, 12, 0, tzinfo=HELSINKI)
    assert timing.open_moment(menu, christmas_eve) == dt.datetime(2026, 12, 28, 10, 0, tzinfo=HELSINKI)


def test_the_command_prints_a_table_with_verdicts_and_exits_0(tmp_path, capsys, monkeypatch):
    path = tmp_path / "small.yaml"
    path.write_text(MENU.replace("LANG_LINE", ENGLISH).replace("CODE", "en").replace("TOP_SAY", "Welcome.")
                    .replace("KEY", "2").replace(", schedule: duty}", "}"), encoding="utf-8")
    monkeypatch.setenv("IVR_AUDIO", str(tmp_path))
    assert cli.main(["timing", "--menu", str(path), "--at", "2026-11-30T10:00"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("at Monday 2026-11-30 10:00 EET")
    assert out[3] == "en  For English"
    assert out[5].startswith("  centre: first number starts (duty's)") and out[5].endswith("presser OK (<= 35 s)")
    assert out[6].endswith("presser OK (<= 30 s); listener OK (<= 60 s)")
    assert cli.main(["timing", "--menu", str(path), "--at", "2026-11-30T10:00"]) == 0
    assert "OVER" not in capsys.readouterr().out
    path.write_text(path.read_text(encoding="utf-8").replace("Welcome.", "Welcome. " + "This sentence is long. " * 12),
                    encoding="utf-8")
    assert cli.main(["timing", "--menu", str(path), "--at", "2026-11-30T10:00"]) == 0, "over budget is no error"
    assert "presser OVER (<= 30 s)" in capsys.readouterr().out
    assert cli.main(["timing", "--menu", str(tmp_path / "nowhere.yaml")]) == 1
