"""Answers rendered once and reused: only what cannot change between calls is kept."""

from ivr.answers import Answers

from .twiml import parse


def post(client, url, **form):
    return parse(client.post(url, data=form))


def test_a_transfer_follows_the_clock_from_one_call_to_the_next(client, clock):
    """The same request, open then closed: a kept answer would dial a closed duty or miss an open one."""
    open_now = post(client, "/voice/en/reception_centre/key", Digits="1")
    assert open_now.dial is not None
    clock.set("2026-11-30T16:00")
    closed = post(client, "/voice/en/reception_centre/key", Digits="1")
    assert closed.dial is None and "It opens again on Tuesday 1 December at 08:00." in closed.text
    clock.set("2026-12-01T16:00")
    next_evening = post(client, "/voice/en/reception_centre/key", Digits="1")
    assert "It opens again on Wednesday 2 December at 08:00." in next_evening.text, "not the kept Tuesday"
    clock.set("2026-12-01T09:00")
    assert post(client, "/voice/en/reception_centre/key", Digits="1").dial is not None


def test_each_transfer_outcome_gets_its_own_answer(client):
    """Kept answers after a transfer: busy, then completed, then busy again, for the same page."""
    assert "nobody could answer" in post(client, "/voice/en/duty/dialled", DialCallStatus="busy").text
    completed = post(client, "/voice/en/duty/dialled", DialCallStatus="completed")
    assert completed.hangs_up and "nobody could answer" not in completed.text
    assert not post(client, "/voice/en/duty/dialled", DialCallStatus="no-answer").hangs_up


def test_a_page_answered_again_is_the_same_and_a_mounted_line_gets_its_own_urls(client):
    """A line served under a prefix (SCRIPT_NAME) must not be handed the URLs of one served at the root."""
    first = client.post("/voice/en/migri").text
    assert client.post("/voice/en/migri").text == first
    mounted = parse(client.post("/voice/en/migri", base_url="http://localhost/line"))
    assert mounted.gather.get("action") == "/line/voice/en/migri/key"
    assert parse(client.post("/voice/en/migri")).gather.get("action") == "/voice/en/migri/key"


def test_the_kept_answers_stay_bounded_and_each_is_rendered_once():
    """A worker's memory stays bounded however many answers it has seen."""
    answers, menu, rendered = Answers(size=2), object(), []

    def render(text):
        return lambda: rendered.append(text) or text

    assert str(answers.get((menu,), "a", render("A"))) == "A"
    assert str(answers.get((menu,), "a", render("A again"))) == "A"
    assert str(answers.get((object(),), "a", render("other menu"))) == "other menu"
    assert str(answers.get((menu,), "b", render("B"))) == "B"
    assert len(answers._kept) <= 2
    assert rendered == ["A", "other menu", "B"]
