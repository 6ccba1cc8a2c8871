"""What a caller hears at the edges of the call flow, pinned down where valid TwiML alone proves nothing:
silence at the language menu, a transfer's every outcome, the apology, and how Twilio is told to come back.
(Written for changes that mutation testing showed went unnoticed.)"""

import pytest

from ivr.flow import line as flow

from .twiml import parse

GOODBYE = "Thank you for calling. Goodbye."
LOST = "Sorry, something went wrong. Returning to the start."
NO_ANSWER = "Sorry, nobody could answer the call."


def english(answer):
    return " ".join(s.text for s in answer.said if s.language == "en-GB")


def test_silence_at_the_language_menu_counts_and_ends_in_goodbye(client):
    """No key at /voice/choose: the languages again, the silence counted in the URL; the third ends the call."""
    first = parse(client.post("/voice/choose", data={"CallSid": "CA1"}))
    assert first.gather.get("action") == "/voice/choose?s=1"
    assert "For English, press 3" in english(first)
    assert first.redirect == "/voice?s=2" and not first.hangs_up
    last = parse(client.post("/voice/choose?s=2", data={"CallSid": "CA1"}))
    assert last.hangs_up and GOODBYE in english(last)


def test_wrong_keys_at_the_language_menu_are_counted(client):
    answer = parse(client.post("/voice/choose?w=1", data={"Digits": "#"}))
    assert answer.gather.get("action") == "/voice/choose?w=2"
    assert parse(client.post("/voice/choose?w=2", data={"Digits": "#"})).hangs_up


@pytest.mark.parametrize("key", ["*", "0", "9"])
def test_the_reserved_keys_at_the_language_menu_say_it_again_without_counting(client, key):
    answer = parse(client.post("/voice/choose?w=2&s=1", data={"Digits": key}))
    assert answer.gather.get("action") == "/voice/choose"


def test_the_duty_when_open_dials_with_post_and_comes_back_to_dialled(client):
    answer = parse(client.post("/voice/en/duty"))
    dial = answer.dial
    assert dial.get("action") == "/voice/en/duty/dialled" and dial.get("method") == "POST"
    assert dial.text == "+358861552760"


def test_the_duty_when_closed_says_so_and_goes_back_with_post(client, clock):
    clock.set("2026-11-29T10:00")  # a Sunday
    answer = parse(client.post("/voice/en/duty"))
    assert answer.dial is None
    redirect = answer.root.find("Redirect")
    assert redirect.text == "/voice/en/reception_centre?b=1" and redirect.get("method") == "POST"


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled", None])
def test_a_transfer_nobody_answered_gives_the_alternatives_and_returns(client, status):
    form = {} if status is None else {"DialCallStatus": status}
    answer = parse(client.post("/voice/en/duty/dialled", data=form))
    assert english(answer).startswith(NO_ANSWER)
    redirect = answer.root.find("Redirect")
    assert redirect.text == "/voice/en/reception_centre?b=1" and redirect.get("method") == "POST"
    assert not answer.hangs_up


def test_a_completed_transfer_ends_the_call_with_goodbye(client):
    answer = parse(client.post("/voice/en/duty/dialled", data={"DialCallStatus": "completed"}))
    assert answer.verbs == ["Say", "Hangup"] and english(answer) == GOODBYE


def test_dialled_on_a_node_that_is_no_transfer_goes_back_without_a_word(client):
    """An old or made-up URL: whatever status it claims, back to the node's parent, nothing said."""
    answer = parse(client.post("/voice/en/migri/dialled", data={"DialCallStatus": "completed"}))
    assert answer.verbs == ["Redirect"] and answer.redirect == "/voice/en/services?b=1"


def test_when_the_first_answer_fails_the_caller_hears_goodbye_not_a_retry_loop(client, monkeypatch):
    def broken(self, step=flow.Step()):
        raise RuntimeError("broken")

    monkeypatch.setattr(flow.Line, "languages", broken)
    answer = parse(client.post("/voice"))
    assert answer.hangs_up and answer.redirect is None
    assert english(answer) == GOODBYE and LOST not in answer.text


def test_when_a_later_answer_fails_the_caller_hears_sorry_and_starts_again(client, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr(flow.Line, "key", broken)
    answer = parse(client.post("/voice/en/services/key", data={"Digits": "1"}))
    redirect = answer.root.find("Redirect")
    assert redirect.text == "/voice" and redirect.get("method") == "POST"
    assert english(answer) == LOST and not answer.hangs_up


def test_every_redirect_and_gather_on_the_way_through_the_menu_is_posted(client):
    """Twilio must come back with POST: the form (Digits, DialCallStatus) travels in its body."""
    for url in ["/voice", "/voice/en/services", "/voice/en/services?s=1&b=1", "/voice/en/reception_centre"]:
        answer = parse(client.post(url))
        for element in answer.root.iter():
            if element.tag in ("Redirect", "Gather", "Dial"):
                assert element.get("method", "POST") == "POST", (url, element.tag)
            if element.tag == "Redirect":
                assert element.get("method") == "POST", url


def test_no_key_at_a_menu_says_so_gives_only_the_options_and_counts(client):
    answer = parse(client.post("/voice/en/services/key", data={"CallSid": "CA1"}))
    gather = answer.gather
    assert gather.get("action") == "/voice/en/services/key?s=1"
    text = english(answer)
    assert text.startswith("Please choose by pressing a key on your phone.")
    assert "Migri, press 1" in text and "Immigration services in Kajaani." not in text
    assert answer.redirect == "/voice/en/services?s=2&b=1"
    assert parse(client.post("/voice/en/services/key?s=2")).hangs_up


def test_a_wrong_key_at_a_menu_is_named_and_counted_up_to_goodbye(client):
    answer = parse(client.post("/voice/en/services/key?w=1", data={"Digits": "#"}))
    assert answer.gather.get("action") == "/voice/en/services/key?w=2"
    assert english(answer).startswith("That key is not in the menu.")
    last = parse(client.post("/voice/en/services/key?w=2", data={"Digits": "#"}))
    assert last.hangs_up and english(last).endswith(GOODBYE)


def test_key_8_chooses_the_one_offered_language_of_its_group(client):
    """Somali, Kurmanji and Sorani share 8; with only Kurmanji recorded, 8 goes straight to it."""
    answer = parse(client.post("/voice/choose", data={"Digits": "8"}))
    assert answer.gather.get("action") == "/voice/kmr/services/key"


def test_on_the_second_language_page_keys_are_read_within_the_group(client):
    assert parse(client.post("/voice/choose?g=8", data={"Digits": "2"})).gather.get("action") == \
        "/voice/kmr/services/key"
    wrong = parse(client.post("/voice/choose?g=8&w=1", data={"Digits": "5"}))
    assert wrong.gather.get("action") == "/voice/choose?w=2&g=8"
