"""What a caller hears at the edges of the call flow, pinned down where valid TwiML alone proves nothing:
silence at the language menu, a transfer's every outcome, the apology, and how Twilio is told to come back.
(Written for changes that mutation testing showed went unnoticed.)"""

import pathlib
import tempfile

import pytest

from ivr.flow import line
from ivr.urls import Step

from .conftest import OPEN, Clock, line_app, record_language
from .twiml import parse

CLOCK = Clock(OPEN)
RECORDINGS = pathlib.Path(tempfile.mkdtemp(prefix="heard-"))  # Kurmanji recorded, Somali not: 6 chooses Kurmanji
record_language(RECORDINGS, "kmr")
APP = line_app(CLOCK, RECORDINGS, call_log=False)


@pytest.fixture
def clock():
    """One app for the module (building one per test cost seconds); its clock back at OPEN for each test."""
    CLOCK.now = OPEN
    return CLOCK


@pytest.fixture
def client(clock):
    return APP.test_client()

GOODBYE = "Thank you for calling. Goodbye."
LOST = "Sorry, something went wrong. Returning to the start."
NO_ANSWER = "Sorry, nobody could answer the call."


def english(answer):
    return " ".join(s.text for s in answer.said if s.language == "en-GB")


def test_silence_at_the_language_menu_counts_and_ends_in_goodbye(client):
    """No key at /voice/choose: the languages again, the silence counted in the URL; the third ends the call."""
    first = parse(client.post("/voice/choose", data={"CallSid": "CA1"}))
    assert first.gather.get("action") == "/voice/choose?s=1"
    assert "In English, press 3" in english(first)
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
    answer = parse(client.post("/voice/en/desk"))
    dial = answer.dial
    assert dial.get("action") == "/voice/en/desk/dialled" and dial.get("method") == "POST"
    assert dial.text == "+358861552760"


def test_the_duty_when_closed_is_a_page_that_waits_for_a_key_with_post(client, clock):
    clock.set("2026-11-29T10:00")  # a Sunday
    answer = parse(client.post("/voice/en/desk"))
    assert answer.dial is None
    assert answer.gather.get("action") == "/voice/en/desk/key" and answer.gather.get("method") == "POST"
    redirect = answer.root.find("Redirect")
    assert redirect.text == "/voice/en/desk?s=1&b=1" and redirect.get("method") == "POST"


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled", None])
def test_a_transfer_nobody_answered_gives_the_alternatives_and_returns(client, status):
    form = {} if status is None else {"DialCallStatus": status}
    answer = parse(client.post("/voice/en/desk/dialled", data=form))
    assert english(answer).startswith(NO_ANSWER)
    redirect = answer.root.find("Redirect")
    assert redirect.text == "/voice/en/office?b=1" and redirect.get("method") == "POST"
    assert not answer.hangs_up


def test_a_completed_transfer_ends_the_call_with_goodbye(client):
    answer = parse(client.post("/voice/en/desk/dialled", data={"DialCallStatus": "completed"}))
    assert answer.verbs == ["Say", "Hangup"] and english(answer) == GOODBYE


def test_dialled_on_a_node_that_is_no_transfer_goes_back_without_a_word(client):
    """An old or made-up URL: whatever status it claims, back to the node's parent, nothing said."""
    answer = parse(client.post("/voice/en/news/dialled", data={"DialCallStatus": "completed"}))
    assert answer.verbs == ["Redirect"] and answer.redirect == "/voice/en/top?b=1"


def test_when_the_first_answer_fails_the_caller_hears_goodbye_not_a_retry_loop(client, monkeypatch):
    def broken(self, step=Step()):
        raise RuntimeError("broken")

    monkeypatch.setattr(line.Line, "languages", broken)
    answer = parse(client.post("/voice"))
    assert answer.hangs_up and answer.redirect is None
    assert english(answer) == GOODBYE and LOST not in answer.text


def test_when_a_later_answer_fails_the_caller_hears_sorry_and_starts_again(client, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr(line.Line, "key", broken)
    answer = parse(client.post("/voice/en/top/key", data={"Digits": "1"}))
    redirect = answer.root.find("Redirect")
    assert redirect.text == "/voice" and redirect.get("method") == "POST"
    assert english(answer) == LOST and not answer.hangs_up


def test_every_redirect_and_gather_on_the_way_through_the_menu_is_posted(client):
    """Twilio must come back with POST: the form (Digits, DialCallStatus) travels in its body."""
    for url in ["/voice", "/voice/en/top", "/voice/en/top?s=1&b=1", "/voice/en/office"]:
        answer = parse(client.post(url))
        for element in answer.root.iter():
            if element.tag in ("Redirect", "Gather", "Dial"):
                assert element.get("method", "POST") == "POST", (url, element.tag)
            if element.tag == "Redirect":
                assert element.get("method") == "POST", url


def test_no_key_at_a_menu_says_so_gives_only_the_options_and_counts(client):
    answer = parse(client.post("/voice/en/top/key", data={"CallSid": "CA1"}))
    gather = answer.gather
    assert gather.get("action") == "/voice/en/top/key?s=1"
    text = english(answer)
    assert text.startswith("Please choose by pressing a key on your phone.")
    assert "News, press 1" in text and "The test line." not in text
    assert answer.redirect == "/voice/en/top?s=2&b=1"
    assert parse(client.post("/voice/en/top/key?s=2")).hangs_up


def test_a_wrong_key_at_a_menu_is_named_and_counted_up_to_goodbye(client):
    answer = parse(client.post("/voice/en/top/key?w=1", data={"Digits": "#"}))
    assert answer.gather.get("action") == "/voice/en/top/key?w=2"
    assert english(answer).startswith("That key is not in the menu.")
    last = parse(client.post("/voice/en/top/key?w=2", data={"Digits": "#"}))
    assert last.hangs_up and english(last).endswith(GOODBYE)


def test_key_8_chooses_the_one_offered_language_of_its_group(client):
    """Somali and Kurmanji share 6; with only Kurmanji recorded, 6 goes straight to it."""
    answer = parse(client.post("/voice/choose", data={"Digits": "6"}))
    assert answer.gather.get("action") == "/voice/kmr/top/key"


def test_on_the_second_language_page_keys_are_read_within_the_group(client):
    assert parse(client.post("/voice/choose?g=6", data={"Digits": "2"})).gather.get("action") == \
        "/voice/kmr/top/key"
    wrong = parse(client.post("/voice/choose?g=6&w=1", data={"Digits": "5"}))
    assert wrong.gather.get("action") == "/voice/choose?w=2&g=6"


MIGRI = "No news today."


def test_a_page_waits_longer_for_a_key_than_a_menu(client):
    assert parse(client.post("/voice/en/news")).gather.get("timeout") == "8"
    assert parse(client.post("/voice/en/top")).gather.get("timeout") == "6"


def test_key_8_on_a_page_says_it_again_slowly_then_the_options_at_the_usual_pace(client):
    answer = parse(client.post("/voice/en/news/key", data={"Digits": "8"}))
    gather = answer.gather
    assert gather.get("action") == "/voice/en/news/key"
    slow, options = gather.findall("Say")
    assert slow.find("prosody").get("rate") == "slow" and MIGRI in "".join(slow.itertext())
    assert options.find("prosody") is None and "".join(options.itertext()).startswith("To hear this again slowly")


def test_key_8_on_a_menu_is_just_a_key_not_in_the_menu(client):
    answer = parse(client.post("/voice/en/top/key", data={"Digits": "8"}))
    assert english(answer).startswith("That key is not in the menu.")
    assert answer.gather.get("action") == "/voice/en/top/key?w=1"
    assert answer.root.find(".//prosody") is None


def test_after_a_wrong_key_only_the_options_are_said_again(client):
    answer = parse(client.post("/voice/en/news/key", data={"Digits": "5"}))
    text = english(answer)
    assert text.startswith("That key is not in the menu.") and MIGRI not in text
    assert answer.redirect == "/voice/en/news?s=1&w=1&b=1"


def test_silence_keeps_the_wrong_key_count_in_the_next_url(client):
    answer = parse(client.post("/voice/en/top/key?w=2"))
    assert answer.gather.get("action") == "/voice/en/top/key?s=1&w=2"
    assert answer.redirect == "/voice/en/top?s=2&w=2&b=1"


def test_a_stray_node_in_a_known_language_says_sorry_and_goes_to_its_start(client):
    answer = parse(client.post("/voice/en/no_such_node"))
    assert english(answer) == LOST
    redirect = answer.root.find("Redirect")
    assert redirect.text == "/voice/en/top" and redirect.get("method") == "POST"


def test_a_stray_path_without_a_language_goes_silently_to_the_language_menu(client):
    answer = parse(client.post("/voice/zz/services/key"))
    assert answer.verbs == ["Redirect"]
    redirect = answer.root.find("Redirect")
    assert redirect.text == "/voice" and redirect.get("method") == "POST"


@pytest.mark.parametrize("query", ["s=1000", "s=x", "w=9999", "s=-1"])
def test_counters_that_are_not_small_numbers_count_as_zero(client, query):
    """A made-up counter neither ends the call nor skips the page."""
    answer = parse(client.post(f"/voice/en/news?{query}"))
    assert MIGRI in english(answer) and not answer.hangs_up
    assert answer.gather.get("action") == "/voice/en/news/key"


def test_back_from_a_transfer_the_page_gives_only_its_options(client):
    """b=1 (brief): the caller heard the page a moment ago; the full page only without it."""
    brief = english(parse(client.post("/voice/en/office?b=1")))
    full = english(parse(client.post("/voice/en/office")))
    option = "To talk to the desk, press 1."
    assert brief.startswith(option) and full.startswith(option), "action first, in both"
    assert "0 8 6 1 5 5 2 7 6 0" in full and "0 8 6 1 5 5 2 7 6 0" not in brief and len(brief) < len(full)


@pytest.mark.parametrize("group", ["x", "88", "8a", ""])
def test_a_language_page_that_is_not_one_digit_is_the_first_page(client, group):
    answer = parse(client.post(f"/voice/choose?g={group}", data={"Digits": "3"}))
    assert answer.gather.get("action") == "/voice/en/top/key"


def test_the_language_menu_after_the_last_silence_only_says_goodbye(client):
    answer = parse(client.post("/voice?s=3"))
    assert answer.gather is None and answer.hangs_up and GOODBYE in english(answer)


def test_the_language_menu_keeps_the_wrong_key_count_when_nobody_presses(client):
    assert parse(client.post("/voice?w=1")).redirect == "/voice?s=1&w=1"
