"""Golden transcripts: each scenario's call, as heard now, is exactly the one recorded in tests/golden."""

import difflib
import pathlib
import xml.etree.ElementTree as ET

import pytest

from ivr.settings import BUNDLED_MENU
from ivr import cli
from ivr.testers import golden
from ivr import menu as menus
from ivr.testers.call import Request

FOLDER = pathlib.Path(__file__).parent / "golden"
SCENARIOS = golden.scenarios(FOLDER)


@pytest.fixture(scope="module")
def bundled():
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


def test_every_transcript_has_its_scenario():
    assert {p.stem for p in FOLDER.glob("*.txt")} == {s.name for s in SCENARIOS}


def test_the_scenarios_cover_the_required_situations():
    """Open, closed evening, weekend, public holiday, busy transfer, silence, wrong keys, 3+ languages."""
    names = " ".join(s.name for s in SCENARIOS)
    for situation in ["open", "closed-evening", "weekend", "public-holiday", "busy", "silence", "wrong-keys"]:
        assert situation in names
    assert len({s.press.split()[0] for s in SCENARIOS if s.press[0].isdigit()}) >= 3


@pytest.fixture
def scratch(tmp_path):
    (tmp_path / "scenarios.yaml").write_text('en-busy:\n  at: "2026-11-30 10:00"\n  press: "3 1 1"\n'
                                             "  dial-outcome: busy\n", encoding="utf-8")
    return tmp_path


def test_record_then_check_passes_and_a_change_shows_as_a_diff(scratch, capsys):
    assert cli.main(["golden", "--dir", str(scratch), "--record"]) == 0
    assert capsys.readouterr().out == f"{scratch / 'en-busy.txt'}\n"
    assert cli.main(["golden", "--dir", str(scratch)]) == 0
    path = scratch / "en-busy.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Sorry, nobody", "Sorry, everybody"), encoding="utf-8")
    assert cli.main(["golden", "--dir", str(scratch)]) == 1
    out = capsys.readouterr().out
    assert f"--- {path} (recorded)\n+++ {path} (now)\n" in out
    assert "-  [en-GB Polly.Amy-Neural] Sorry, everybody could answer the call." in out
    assert "+  [en-GB Polly.Amy-Neural] Sorry, nobody could answer the call." in out
    assert out.endswith("1 transcript(s) differ: en-busy. If the change is intended, record them again: "
                        "ivr golden --record\n")


def test_record_removes_a_transcript_without_scenario(scratch, capsys):
    (scratch / "gone.txt").write_text("old", encoding="utf-8")
    assert cli.main(["golden", "--dir", str(scratch), "--record"]) == 0
    assert not (scratch / "gone.txt").exists()
    assert f"{scratch / 'gone.txt'} (removed: no scenario)" in capsys.readouterr().out


def test_a_scenario_with_a_misspelt_field_is_refused(tmp_path, capsys):
    (tmp_path / "scenarios.yaml").write_text('x:\n  at: "2026-11-30 10:00"\n  keys: "3"\n', encoding="utf-8")
    assert cli.main(["golden", "--dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (f"{tmp_path / 'scenarios.yaml'}: x: needs at and press; may have at, "
                                       "dial-outcome, from, note, press; found at, keys\n")


def test_coverage_names_the_nodes_reached_and_those_never_reached(scratch, capsys):
    assert cli.main(["golden", "--dir", str(scratch), "--record", "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "Coverage: 3 of 90 menu places (node x language) reached by 1 call\n" in out
    assert "\nservices              .   .   x   .   .   .   .   .   .   .\n" in out
    assert "\nduty                  .   .   x   .   .   .   .   .   .   .\n" in out
    assert "\nNever reached:\n" in out
    assert "\n  migri: fi, sv, en, ar, uk, ru, fa, so, kmr, ckb\n" in out
    assert "\n  reception_centre: fi, sv, ar, uk, ru, fa, so, kmr, ckb\n" in out


def answered(method, url, form, twiml):
    return Request(method, url, form, ET.fromstring(f"<Response>{twiml}</Response>"))


def test_reached_reads_the_places_the_answers_name(bundled):
    """Gather actions, Redirects and Dial actions name /voice/<lang>/<node>; keys and request URLs do not count."""
    calls = [answered("POST", "/voice/choose", {"Digits": "4"},
                      '<Gather action="/voice/ar/services/key"><Say>...</Say></Gather>'),
             answered("POST", "/voice/fi/services/key?w=1", {"Digits": "6"},
                      '<Redirect>https://line.example.org/voice/fi/associations?b=1</Redirect>'),
             answered("POST", "/voice/sv/reception_centre/key", {"Digits": "1"},
                      '<Say>...</Say><Dial action="/voice/sv/duty/dialled" timeout="25">+358861552760</Dial>'),
             answered("POST", "/voice/en/services/key", {"Digits": "9"},
                      '<Gather action="/voice/choose"/><Redirect>/voice?s=1</Redirect>'),
             answered("POST", "/voice/ru/services", {}, '<Redirect>/voice/xx/services</Redirect>'),
             answered("POST", "/voice/ru/services", {}, '<Redirect>/voice/ru/nowhere</Redirect>'),
             answered("POST", "/voice/uk/services", {}, "<Say>...</Say><Hangup/>"),
             Request("POST", "/voice/choose", {"Digits": "5"})]  # no answer (an HTTP error): nowhere reached
    assert golden.reached(bundled, calls) == {("ar", "services"), ("fi", "associations"), ("sv", "duty")}


def test_a_language_chosen_by_a_group_key_counts_even_when_the_caller_hangs_up_at_once(bundled):
    """Kurmanji is offered alone behind key 8 (its configured key is 82): pressing 8, then hanging up,
    reaches the start node in Kurmanji."""
    assert bundled.language("kmr").key == "82"
    heard, requests = golden.play(golden.Scenario("kmr-hangs-up", "2026-11-30 10:00", "8"), bundled)
    assert "caller presses 8\n> POST /voice/choose  Digits=8\n" in heard and heard.endswith("caller hangs up\n")
    assert golden.reached(bundled, requests) == {("kmr", bundled.start)}
