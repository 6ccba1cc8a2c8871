"""A fault inside the line reaches the caller as an apology in TwiML, never as an HTTP 500."""

from ivr import phrases as P
from ivr.flow import line

from .twiml import parse


def test_a_failing_node_is_an_apology_in_every_language_then_a_fresh_start(client, menu, dari, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(line.Line, "key", broken)
    answer = parse(client.post("/voice/en/top/key", data={"Digits": "1"}))
    voiced = [lang.code for lang in menu.languages if lang.voice]
    assert [s.text for s in answer.said] == [menu.phrases[code](P.LOST) for code in voiced]
    assert answer.plays == ["/audio/fa/phrase.lost.wav"], "and in Dari, recorded, the one other language offered"
    assert answer.redirect == "/voice"


def test_a_failing_first_answer_says_goodbye_instead_of_looping(client, monkeypatch):
    monkeypatch.setattr(line.Line, "languages", lambda *a, **k: 1 / 0)
    answer = parse(client.post("/voice"))
    assert answer.hangs_up and answer.redirect is None


def test_when_even_the_apology_fails_the_static_fallback_answers(client, monkeypatch):
    monkeypatch.setattr(line.Line, "key", lambda *a, **k: 1 / 0)
    monkeypatch.setattr(line.Line, "apology", lambda *a, **k: 1 / 0)
    answer = parse(client.post("/voice/fi/top/key", data={"Digits": "1"}))
    assert "6 1 5 5" in answer.text and "1 1 2" in answer.text
    assert answer.hangs_up
