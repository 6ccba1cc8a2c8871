"""A fault inside the line reaches the caller as an apology in TwiML, never as an HTTP 500."""

from ivr.flow import line as call

from .twiml import parse


def test_a_failing_node_is_an_apology_in_every_language_then_a_fresh_start(client, menu, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(call.Line, "key", broken)
    answer = parse(client.post("/voice/en/services/key", data={"Digits": "1"}))
    assert answer.said[2].text == "Sorry, something went wrong. Returning to the start."
    spoken = len(answer.root.findall("Say")) + len(answer.root.findall("Play"))
    assert spoken == 8, "each offered language: six voiced, Dari and Kurmanji recorded"
    assert answer.redirect == "/voice"


def test_a_failing_first_answer_says_goodbye_instead_of_looping(client, monkeypatch):
    monkeypatch.setattr(call.Line, "languages", lambda *a, **k: 1 / 0)
    answer = parse(client.post("/voice"))
    assert answer.hangs_up and answer.redirect is None


def test_when_even_the_apology_fails_the_static_fallback_answers(client, monkeypatch):
    monkeypatch.setattr(call.Line, "key", lambda *a, **k: 1 / 0)
    monkeypatch.setattr(call.Line, "apology", lambda *a, **k: 1 / 0)
    answer = parse(client.post("/voice/fi/services/key", data={"Digits": "1"}))
    assert "6 1 5 5" in answer.text and "1 1 2" in answer.text
    assert answer.hangs_up
