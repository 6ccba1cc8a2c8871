"""Golden transcripts: each scenario's call, as heard now, is exactly the one recorded in tests/golden."""

import difflib
import pathlib
import xml.etree.ElementTree as ET

import pytest

from ivr import cli
from ivr import menu as menus
from ivr.settings import BUNDLED_MENU
from ivr.testers import golden
from ivr.testers.call import Request

from ..conftest import LINE

FOLDER = pathlib.Path(__file__).parents[1] / "golden"
SCENARIOS = golden.scenarios(FOLDER)


@pytest.fixture(scope="module")
def bundled():
    """The transcripts are of the bundled menu: its own tests, so a menu edit changes them, nothing else."""
    return menus.load(BUNDLED_MENU)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_call_sounds_as_recorded(scenario, bundled):
    """Any difference fails with a diff; `ivr golden --record` records an intended change."""
    heard, _ = golden.play(scenario, bundled)
    path = FOLDER / f"{scenario.name}.txt"
    recorded = path.read_text(encoding="utf-8") if path.exists() else ""
    if heard != recorded:
        pytest.fail(f"{path} differs from what the caller hears now (if intended: ivr golden --record):\n"
                    + "\n".join(difflib.unified_diff(recorded.splitlines(), heard.splitlines(),
                                                            "recorded", "now", lineterm="")))


LINE_FOLDER = FOLDER / "line"
LINE_SCENARIOS = golden.scenarios(LINE_FOLDER)


@pytest.mark.parametrize("scenario", LINE_SCENARIOS, ids=[s.name for s in LINE_SCENARIOS])
def test_the_test_line_sounds_as_recorded(scenario, tmp_path):
    """The test line's scenarios (a day with a notice), with no recordings: voiced languages only."""
    heard, _ = golden.play(scenario, menus.load(LINE), str(tmp_path))
    recorded = (LINE_FOLDER / f"{scenario.name}.txt").read_text(encoding="utf-8")
    assert heard == recorded, "\n".join(difflib.unified_diff(recorded.splitlines(), heard.splitlines(),
                                                             "recorded", "now", lineterm=""))


def test_every_transcript_has_its_scenario():
    assert {p.stem for p in FOLDER.glob("*.txt")} == {s.name for s in SCENARIOS}


def test_the_scenarios_cover_the_required_situations():
    """Open, closed evening, weekend, public holiday, busy transfer, silence, wrong keys, 3+ languages."""
    names = " ".join(s.name for s in SCENARIOS)
    for situation in ["open", "closed-evening", "weekend", "public-holiday", "busy", "silence", "wrong-keys"]:
        assert situation in names
    assert len({s.press.split()[0] for s in SCENARIOS if s.press[0].isdigit()}) >= 3


# -- The command, on the test line -------------------------------------------------

@pytest.fixture
def scratch(tmp_path):
    (tmp_path / "scenarios.yaml").write_text('en-busy:\n  at: "2026-11-30 10:00"\n  press: "3 2 1"\n'
                                             "  dial-outcome: busy\n", encoding="utf-8")
    return tmp_path


def golden_cli(*args):
    return cli.main(["golden", "--menu", str(LINE), *args])


def test_record_then_check_passes_and_a_change_shows_as_a_diff(scratch, capsys):
    assert golden_cli("--dir", str(scratch), "--record") == 0
    assert capsys.readouterr().out == f"{scratch / 'en-busy.txt'}\n"
    assert golden_cli("--dir", str(scratch)) == 0
    path = scratch / "en-busy.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Sorry, nobody", "Sorry, everybody"), encoding="utf-8")
    assert golden_cli("--dir", str(scratch)) == 1
    out = capsys.readouterr().out
    assert f"--- {path} (recorded)\n+++ {path} (now)\n" in out
    assert "-  [en-GB Polly.Amy-Neural] Sorry, everybody could answer the call." in out
    assert "+  [en-GB Polly.Amy-Neural] Sorry, nobody could answer the call." in out
    assert out.endswith("1 transcript(s) differ: en-busy. If the change is intended, record them again: "
                        "ivr golden --record\n")


def test_record_removes_a_transcript_without_scenario(scratch, capsys):
    (scratch / "gone.txt").write_text("old", encoding="utf-8")
    assert golden_cli("--dir", str(scratch), "--record") == 0
    assert not (scratch / "gone.txt").exists()
    assert f"{scratch / 'gone.txt'} (removed: no scenario)" in capsys.readouterr().out


def test_a_scenario_with_a_misspelt_field_is_refused(tmp_path, capsys):
    (tmp_path / "scenarios.yaml").write_text('x:\n  at: "2026-11-30 10:00"\n  keys: "3"\n', encoding="utf-8")
    assert golden_cli("--dir", str(tmp_path)) == 1
    assert capsys.readouterr().err == (f"{tmp_path / 'scenarios.yaml'}: x: needs at and press; may have at, "
                                       "dial-outcome, from, note, press; found at, keys\n")


def test_coverage_names_the_nodes_reached_and_those_never_reached(scratch, capsys):
    """English, the office page, the desk: three of the test line's 5 nodes x 8 languages."""
    assert golden_cli("--dir", str(scratch), "--record", "--coverage") == 0
    out = capsys.readouterr().out
    assert "Coverage: 3 of 40 menu places (node x language) reached by 1 call\n" in out
    assert "\n        fi  sv  en  ar  uk  fa  so  kmr\ntop     .   .   x   .   .   .   .   .\n" in out
    assert "\nnews    .   .   .   .   .   .   .   .\n" in out
    assert "\ndesk    .   .   x   .   .   .   .   .\n" in out
    assert "\nNever reached:\n" in out
    assert "\n  news: fi, sv, en, ar, uk, fa, so, kmr\n" in out
    assert "\n  office: fi, sv, ar, uk, fa, so, kmr\n" in out


def answered(method, url, form, twiml):
    return Request(method, url, form, ET.fromstring(f"<Response>{twiml}</Response>"))


def test_reached_reads_the_places_the_answers_name(menu):
    """Gather actions, Redirects and Dial actions name /voice/<lang>/<node>; keys and request URLs do not count."""
    calls = [answered("POST", "/voice/choose", {"Digits": "4"},
                      '<Gather action="/voice/ar/top/key"><Say>...</Say></Gather>'),
             answered("POST", "/voice/fi/top/key?w=1", {"Digits": "3"},
                      '<Redirect>https://line.example.org/voice/fi/forms?b=1</Redirect>'),
             answered("POST", "/voice/sv/office/key", {"Digits": "1"},
                      '<Say>...</Say><Dial action="/voice/sv/desk/dialled" timeout="20">+358861552760</Dial>'),
             answered("POST", "/voice/en/top/key", {"Digits": "9"},
                      '<Gather action="/voice/choose"/><Redirect>/voice?s=1</Redirect>'),
             answered("POST", "/voice/uk/top", {}, '<Redirect>/voice/xx/top</Redirect>'),
             answered("POST", "/voice/uk/top", {}, '<Redirect>/voice/uk/nowhere</Redirect>'),
             answered("POST", "/voice/uk/top", {}, "<Say>...</Say><Hangup/>"),
             Request("POST", "/voice/choose", {"Digits": "5"})]  # no answer (an HTTP error): nowhere reached
    assert golden.reached(menu, calls) == {("ar", "top"), ("fi", "forms"), ("sv", "desk")}


def test_a_language_chosen_by_a_group_key_counts_even_when_the_caller_hangs_up_at_once():
    """Swedish is offered alone behind key 6 (its configured key is 61): pressing 6, then hanging up,
    reaches the start node in Swedish."""
    text = LINE.read_text(encoding="utf-8").replace('key: "2"\n    name: På svenska', 'key: "63"\n    name: På svenska')
    grouped = menus.loads(text, "line.yaml")
    assert grouped.language("sv").key == "63"
    heard, requests = golden.play(golden.Scenario("sv-hangs-up", "2026-11-30 10:00", "6"), grouped)
    assert "caller presses 6\n> POST /voice/choose  Digits=6\n" in heard and heard.endswith("caller hangs up\n")
    assert golden.reached(grouped, requests) == {("sv", grouped.start)}
