"""Edges a caller, a tester or staff could meet: a webhook set to GET, odd counters, a cut-short recording."""

import logging

from ivr import cli
from ivr.audio import library as audio

from .conftest import LINE, LINE_MENU, line_app, record_language
from .twiml import parse


def test_the_greeting_is_said_when_twilio_sends_its_fields_in_the_query(client, menu):
    """A number whose webhook is set to HTTP GET: Twilio's fields come in the query, the call is still new."""
    answer = parse(client.get("/voice?CallSid=CA1&From=%2B358401234567"))
    assert answer.said[0].text == menu.greeting["fi"]


def test_the_public_server_has_no_simulator_files(client):
    """The /simulator page and its script exist only under `ivr serve`."""
    for url in ("/static/index.html", "/static/phone.js", "/simulator", "/simulator/static/phone.js"):
        assert client.get(url).status_code == 404, url


def test_a_counter_in_other_digits_counts_as_none_without_a_traceback(client, caplog):
    with caplog.at_level(logging.ERROR):
        answer = parse(client.post("/voice/en/top?s=%C2%B2&w=%D9%A3"))
    assert "The test line." in answer.text and not answer.hangs_up
    assert not [r for r in caplog.records if r.exc_info], "no traceback in the log"


def test_validate_names_a_cut_short_recording_instead_of_failing(tmp_path, monkeypatch, capsys):
    """A Dari recording cut short after its header: staff get the validator's line, not a traceback."""
    record_language(tmp_path, "fa")
    broken = tmp_path / "fa" / "language.name.wav"
    broken.write_bytes(broken.read_bytes()[:30])
    assert audio.Library(tmp_path).recordings("fa")["language.name"].digest
    assert cli.main(["validate", "--audio", str(tmp_path), str(LINE)]) == 1
    out = capsys.readouterr().out
    assert "audio/fa/language.name.wav" in out and out.splitlines()[-1].endswith("with the recordings in audio/")


def test_a_greeting_language_that_is_not_offered_is_left_out(clock, recordings):
    """The greeting follows the menu's order and only languages a caller is offered."""
    import dataclasses

    menu = dataclasses.replace(LINE_MENU, greeting={"fa": "خط آزمایشی.", "en": "The test phone line."})
    answer = parse(line_app(clock, recordings, served=menu).test_client().post("/voice"))
    assert answer.said[0].text == "The test phone line." and "خط آزمایشی." not in answer.text


def test_a_number_in_the_greeting_is_refused_like_any_text():
    """The greeting is a text like the others: a number typed into it belongs under contacts."""
    from ivr import menu as menus

    text = LINE.read_text(encoding="utf-8").replace("  en: The test phone line.", "  en: Call 040 123 4567.", 1)
    try:
        menus.loads(text, "menus/x.yaml")
    except menus.MenuError as exc:
        [problem] = exc.problems
        assert "the 'en' text of greeting has a phone number in it" in problem.message
    else:
        raise AssertionError("a number in the greeting passed")
