"""A caller's path through the line, through the real webhooks, read as Twilio reads TwiML.

What a caller hears at the edges of the call flow, pinned down where valid TwiML alone proves nothing:
silence at the language menu, a transfer's every outcome, the apology, and how Twilio is told to come back.
(Written for changes that mutation testing showed went unnoticed.)

The flow is built for the caller's time: the line names itself first, the keys that work everywhere
come only after a miss, and machine-made recordings are played only where the menu allows them.

Edges a caller, a tester or staff could meet: a webhook set to GET, odd counters, a cut-short recording.
"""

import logging
import pathlib
import tempfile

import pytest

from ivr import cli
from ivr import phrases as P
from ivr.audio import library as audio
from ivr.flow import line
from ivr.menu import voices
from ivr.urls import Step

from ..answers import parse
from ..conftest import LINE, LINE_MENU, OPEN, Clock, line_app, record, record_language, spoken

VOICED = ["fi", "sv", "en", "ar", "uk"]  # the test line's languages with a voice


def post(client, url, **form):
    return parse(client.post(url, data=form))


def option(menu, code, node, key):
    """What the line says for one option: '<label>, press <key>.' in that language."""
    return menu.phrases[code](P.PRESS, label=menu.nodes[node].label[code], key=key)


def test_language_menu_says_each_language_in_its_own_voice(client, menu):
    """The first answer lists every language, each in its own voice, then waits for one key."""
    answer = post(client, "/voice")
    gather = answer.gather
    assert gather.get("numDigits") == "1" and gather.get("action") == "/voice/choose"
    greeting, said = answer.said[:2], answer.said[2:]
    assert [(s.text, s.voice) for s in greeting] == [(menu.greeting[code], menu.language(code).voice)
                                                     for code in ("fi", "en")], "the line names itself first"
    voiced = [lang for lang in menu.languages if lang.voice]
    assert [s.language for s in said] == [lang.tts_language for lang in voiced]
    for s, lang in zip(said, voiced, strict=True):
        assert s.voice == lang.voice and voices.speaks(s.voice, lang.code)
        assert lang.name in s.text and lang.key in s.text
    assert said[0].text == "Suomeksi, paina 1."
    assert said[2].text == "In English, press 3."
    assert answer.redirect == "/voice?s=1", "silence must lead somewhere, not end the call"


@pytest.mark.parametrize("code", VOICED)
def test_choosing_a_language_gives_the_start_menu_in_it(client, menu, code):
    lang = menu.language(code)
    answer = post(client, "/voice/choose", Digits=lang.key)
    assert answer.action == f"/voice/{code}/{menu.start}/key"
    assert {(s.voice, s.language) for s in answer.said} == {(lang.voice, lang.tts_language)}
    assert menu.nodes[menu.start].say[code] in answer.text
    for key, node in menu.nodes[menu.start].options.items():
        assert option(menu, code, node, key) in answer.text
    first = option(menu, code, *sorted(menu.nodes[menu.start].options.items())[0][::-1])
    emergency = menu.phrases[code](P.EMERGENCY, number=P.EMERGENCY_NUMBER)
    assert answer.text.index(first) < answer.text.index(emergency), "112 right after the first option"
    assert menu.phrases[code](P.NAVIGATION) not in answer.text, "star, 0 and 9 only after a miss"


def test_finnish_is_really_finnish(client):
    answer = post(client, "/voice/choose", Digits="1")
    assert "paina 1" in answer.text
    assert "press" not in answer.text


@pytest.mark.parametrize("code", VOICED)
def test_a_page_reads_its_numbers_in_groups_twice(client, menu, code):
    office = menu.nodes["office"]
    answer = post(client, f"/voice/{code}/top/key", Digits="2")
    text = answer.text
    assert office.say[code] in text and office.after[code] in text
    phone, fax = office.contacts
    assert text.count(spoken(phone.number)) == 2
    assert text.count(spoken(fax.number)) == 2, "the fax number too"
    assert answer.said[1].breaks >= 8, "pauses between digit groups"
    assert answer.said[0].text == option(menu, code, "desk", "1"), "action first: the key that connects"
    assert text.index(spoken(phone.number)) < text.index(office.say[code]), "the numbers before the explanation"


def test_hours_are_said_in_the_callers_language(client):
    assert "Open Monday to Friday, from 8 to 15." in post(client, "/voice/en/office").text
    assert "maanantai" in post(client, "/voice/fi/office").text


# -- The transfer -------------------------------------------------------------------

def test_open_hours_transfer_dials_the_number_in_e164(client, menu):
    answer = post(client, "/voice/en/office/key", Digits="1")
    assert answer.verbs == ["Say", "Dial"]
    assert menu.phrases["en"](P.CONNECTING, name="the desk") in answer.text
    assert "call 1 1 2" in answer.text
    dial = answer.dial
    assert dial.text == menu.nodes["desk"].number.e164 == "+358861552760"
    assert dial.get("timeout") == "20"
    assert dial.get("action") == "/voice/en/desk/dialled"


@pytest.mark.parametrize(
    "now, opens",
    [
        ("2026-11-30T15:00", "It opens again on Tuesday 1 December at 8."),  # closes at 15 sharp
        ("2026-11-30T07:59", "It opens again on Monday 30 November at 8."),  # early morning
        ("2026-12-05T11:00", "It opens again on Tuesday 8 December at 8."),  # Saturday, then the closure day
        ("2026-12-06T11:00", "It opens again on Tuesday 8 December at 8."),  # Independence Day, Sunday
        ("2026-12-24T10:00", "It opens again on Monday 28 December at 8."),  # Christmas Eve
        ("2027-03-26T09:00", "It opens again on Tuesday 30 March at 8."),  # Good Friday to Easter Monday
        ("2027-06-25T09:00", "It opens again on Monday 28 June at 8."),  # Midsummer Eve
        ("2026-12-31T23:30", "It opens again on Monday 4 January at 8."),  # New Year, Epiphany is Wed 6th
    ],
)
def test_outside_hours_the_line_says_when_it_opens_and_112(client, clock, menu, now, opens):
    """Closed, the transfer is a page: closed and when it opens first, 112 (hang up first), then its
    own number; it waits on its own page and never offers a call that cannot be made."""
    clock.set(now)
    answer = post(client, "/voice/en/office/key", Digits="1")
    assert answer.dial is None
    assert answer.text.startswith("The desk is closed now. " + opens)
    assert "In a life-threatening emergency, hang up and call 1 1 2." in answer.text
    assert answer.text.index(opens) < answer.text.index("1 1 2") < answer.text.index(spoken(menu.nodes["desk"].number))
    assert option(menu, "en", "desk", "1") not in answer.text
    assert answer.action == "/voice/en/desk/key"


def test_closed_the_page_before_the_transfer_says_so_first_and_offers_no_call(client, clock, menu):
    clock.set("2026-11-30T16:00")
    answer = post(client, "/voice/en/top/key", Digits="2")
    assert answer.action == "/voice/en/office/key"
    assert answer.text.startswith("The desk is closed now. It opens again on Tuesday 1 December at 8.")
    assert option(menu, "en", "desk", "1") not in answer.text
    assert spoken(menu.nodes["office"].contacts[0].number) in answer.text, "the page's numbers follow"


def test_closed_pressing_1_again_never_loops_back_to_an_offer(client, clock, menu):
    """The old line said 'closed', went back to the page and offered 'press 1' again, round and round."""
    clock.set("2026-11-30T16:00")
    page = post(client, "/voice/en/office/key", Digits="1")
    again = post(client, page.action, Digits="1")
    assert again.dial is None
    assert again.text.startswith(menu.phrases["en"](P.NOT_IN_MENU))
    assert "press 1" not in again.text


def test_open_the_page_offers_the_call_first(client, clock, menu):
    clock.set("2026-11-30T10:00")
    answer = post(client, "/voice/en/top/key", Digits="2")
    assert answer.text.startswith(option(menu, "en", "desk", "1"))
    assert "closed" not in answer.text


def test_a_closure_day_is_closed(client, clock):
    clock.set("2026-12-07T10:00")  # a Monday, closed in the menu's schedule
    answer = post(client, "/voice/en/desk")
    assert answer.dial is None and "Tuesday 8 December" in answer.text


def test_epiphany_2027_is_closed(client, clock):
    clock.set("2027-01-06T10:00")
    assert "Thursday 7 January" in post(client, "/voice/en/desk").text


def test_next_opening_in_finnish_uses_finnish_date_forms(client, clock):
    clock.set("2026-12-24T10:00")
    text = post(client, "/voice/fi/desk").text
    assert "maanantaina 28. joulukuuta" in text and "kello 8" in text
    assert "1 1 2" in text


@pytest.mark.parametrize("outcome", ["busy", "no-answer", "failed", "canceled"])
def test_a_transfer_nobody_answers_gives_alternatives_and_returns_to_the_menu(client, menu, outcome):
    """The number twice, the key to try again, the hours, 112, in that order; no fax."""
    answer = post(client, "/voice/en/desk/dialled", DialCallStatus=outcome)
    text = answer.text
    number = spoken(menu.nodes["desk"].number)
    assert text.startswith(menu.phrases["en"](P.NO_ANSWER))
    assert text.count(number) == 2
    retry = menu.phrases["en"](P.TRY_AGAIN, key="1")
    emergency = menu.phrases["en"](P.EMERGENCY, number=P.EMERGENCY_NUMBER)
    assert text.rindex(number) < text.index(retry) < text.index("Open Monday to Friday") < text.index(emergency)
    assert text.endswith(emergency), "112 is the last thing said"
    assert spoken(menu.nodes["desk"].contacts[0].number) not in text, "no fax"
    assert answer.gather.get("action") == "/voice/en/office/key", "1 tries again"
    assert answer.redirect == "/voice/en/office?b=1"
    page = post(client, answer.redirect)
    assert page.gather is not None and option(menu, "en", "desk", "1") in page.text


def test_a_completed_transfer_ends_with_goodbye(client, menu):
    answer = post(client, "/voice/sv/desk/dialled", DialCallStatus="completed")
    assert answer.hangs_up and answer.said[-1].voice == menu.language("sv").voice
    assert answer.said[-1].text == menu.phrases["sv"](P.GOODBYE)


# -- Keys that work everywhere, silence and wrong keys ---------------------------

def test_star_repeats_the_page(client):
    first = post(client, "/voice/en/top/key", Digits="3")
    again = post(client, "/voice/en/forms/key", Digits="*")
    assert again.text == first.text


def test_zero_goes_back_one_menu(client):
    assert post(client, "/voice/en/news/key", Digits="0").action == "/voice/en/top/key"
    assert post(client, "/voice/en/desk/dialled", DialCallStatus="busy").redirect == "/voice/en/office?b=1"
    assert post(client, "/voice/en/office/key", Digits="0").action == "/voice/en/top/key"
    assert post(client, "/voice/en/top/key", Digits="0").action == "/voice/choose"


def test_nine_goes_to_the_language_menu_from_anywhere(client):
    assert post(client, "/voice/ar/forms/key", Digits="9").action == "/voice/choose"


def test_silence_repeats_the_options_then_says_goodbye_after_three_prompts(client, menu):
    answer = post(client, "/voice/choose", Digits="3")
    url, prompts = answer.redirect, 1
    while not answer.hangs_up:
        assert answer.gather is not None, "every prompt waits for a key"
        answer = post(client, answer.redirect)
        prompts += 1
        assert prompts <= 3
    assert prompts == 3
    assert menu.phrases["en"](P.NO_KEY) in answer.text
    assert answer.verbs[-2:] == ["Say", "Hangup"] and answer.said[-1].text == menu.phrases["en"](P.GOODBYE)
    assert url == "/voice/en/top?s=1&b=1"
    last = answer.text[answer.text.index(menu.phrases["en"](P.NO_KEY)):]
    number = spoken(menu.first_transfer().number)
    emergency = menu.phrases["en"](P.EMERGENCY, number=P.EMERGENCY_NUMBER)
    assert last.count(number) == 2 and last.rindex(number) < last.rindex(emergency) < last.rindex("Goodbye"), \
        "silence never ends a call without the duty number and 112"


def test_wrong_keys_are_named_then_goodbye_after_three(client, menu):
    answer = post(client, "/voice/en/top/key", Digits="8")
    assert answer.text.startswith(menu.phrases["en"](P.NOT_IN_MENU))
    assert answer.action == "/voice/en/top/key?w=1"
    answer = post(client, answer.action, Digits="7")
    assert answer.action == "/voice/en/top/key?w=2"
    answer = post(client, answer.action, Digits="#")
    assert answer.hangs_up and answer.said[-1].text == menu.phrases["en"](P.GOODBYE)
    assert spoken(menu.first_transfer().number) in answer.text and "hang up and call 1 1 2" in answer.text


def test_a_good_key_resets_the_count_of_wrong_ones(client):
    answer = post(client, "/voice/en/top/key?w=2", Digits="1")
    assert answer.action == "/voice/en/news/key"


def test_language_menu_silence_ends_with_the_duty_number_112_and_goodbye(client, menu):
    """No language chosen: in every offered language, the greeting's first, each in its own voice, the
    duty number (digit by digit, twice), 112, then goodbye: never a goodbye in a language that gave no number."""
    answer = post(client, "/voice?s=2")
    assert answer.hangs_up
    number = spoken(menu.first_transfer().number)
    voiced = [lang.code for lang in menu.languages if lang.voice]
    order = [code for code in menu.greeting] + [code for code in voiced if code not in menu.greeting]
    last = answer.said[-len(voiced):]
    assert [s.voice for s in last] == [menu.language(code).voice for code in order]
    for said, code in zip(last, order, strict=True):
        p = menu.phrases[code]
        assert said.text.count(number) == 2
        emergency, goodbye = p(P.EMERGENCY, number=P.EMERGENCY_NUMBER), p(P.GOODBYE)
        assert said.text.endswith(goodbye)
        assert said.text.index(number) < said.text.index(emergency) < said.text.index(goodbye)
    assert post(client, "/voice?s=3").verbs[-1] == "Hangup"


def test_wrong_key_in_the_language_menu_lists_the_languages_again(client, menu):
    answer = post(client, "/voice/choose", Digits="#")
    assert answer.action == "/voice/choose?w=1"
    assert all(lang.name in answer.text for lang in menu.languages if lang.voice)
    assert post(client, "/voice/choose?w=2", Digits="#").hangs_up


# -- Garbage in, something sensible out ------------------------------------------

@pytest.mark.parametrize(
    "url, form",
    [
        ("/voice/choose", {"Digits": "abc"}),
        ("/voice/choose", {"Digits": "9" * 5000}),
        ("/voice/choose?s=x&w=-1&b=zz", {}),
        ("/voice/en/top/key", {"Digits": "\x00\x01"}),
        ("/voice/en/top/key?s=99999999999999999999", {"Digits": ""}),
        ("/voice/xx/top", {}),
        ("/voice/en/no_such_node/key", {"Digits": "1"}),
        ("/voice/en/top/dialled", {"DialCallStatus": "busy"}),
        ("/voice/en/desk/dialled", {}),
        ("/voice/anything/at/all/here", {}),
        ("/voice/%F0%9F%92%A5", {}),
    ],
)
def test_garbage_gets_valid_twiml_that_leads_on(client, url, form):
    answer = post(client, url, **form)
    assert answer.gather is not None or answer.redirect or answer.hangs_up or answer.dial is not None


def test_unknown_node_says_sorry_and_restarts_in_the_callers_language(client, menu):
    answer = post(client, "/voice/fi/vanished_node")
    assert answer.said[0].voice == menu.language("fi").voice
    assert answer.said[0].text == menu.phrases["fi"](P.LOST)
    assert answer.redirect == "/voice/fi/top"


def test_twilio_may_use_get(client):
    answer = parse(client.get("/voice/choose?Digits=3"))
    assert answer.action == "/voice/en/top/key"


def test_status_callback_answers_204(client):
    response = client.post("/voice/status", data={"CallSid": "CA123", "CallStatus": "completed"})
    assert response.status_code == 204 and response.data == b""


def test_healthz(client, menu):
    """Liveness, and the languages callers are offered; no file path or setting."""
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["offered"][:5] == VOICED
    assert str(LINE) not in client.get("/healthz").get_data(as_text=True)


# -- What a caller hears at the edges of the call flow, pinned down where valid TwiML alone proves nothing: ----

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


# -- The flow is built for the caller's time: the line names itself first, the keys that work everywhere ----

def test_the_greeting_is_said_once_at_the_start_and_a_key_can_cut_it_short(client, menu):
    first = post(client, "/voice")
    assert [s.text for s in first.said[:2]] == [menu.greeting["fi"], menu.greeting["en"]]
    assert first.gather.find("Say") is not None, "inside the Gather: a caller who knows their key need not wait"
    again = post(client, "/voice?s=1")
    assert not {menu.greeting["fi"], menu.greeting["en"]} & {s.text for s in again.said}, "not on a re-prompt"


@pytest.mark.parametrize("code", ["fi", "en", "ar"])
def test_the_keys_that_work_everywhere_come_only_after_a_miss(client, menu, code):
    navigation = menu.phrases[code](P.NAVIGATION)
    lang = menu.language(code)
    heard = post(client, "/voice/choose", Digits=lang.key)
    assert navigation not in heard.text
    silent = post(client, f"/voice/{code}/{menu.start}?s=1&b=1")
    assert menu.phrases[code](P.NO_KEY) in silent.text and navigation in silent.text
    wrong = post(client, f"/voice/{code}/{menu.start}/key", Digits="7")
    assert menu.phrases[code](P.NOT_IN_MENU) in wrong.text and navigation in wrong.text


def test_a_page_says_its_slow_key_last(client, menu):
    page = post(client, "/voice/en/office")
    assert page.said[-1].text == menu.phrases["en"](P.SLOW)


def test_machine_made_recordings_play_only_where_the_menu_allows_them(clock, recordings):
    """Dari recorded by espeak-ng: without `placeholders: allowed` it is not offered at all."""
    lang = LINE_MENU.language("fa")
    for prompt in audio.needed(LINE_MENU, lang).values():
        record(recordings / "fa", prompt)
        audio.write_entry(recordings / "fa", prompt, recorded_by=None)  # synthetic: true
    client = line_app(clock, recordings).test_client()
    assert not any("/audio/fa/" in url for url in post(client, "/voice").plays)
    health = client.get("/healthz").get_json()
    assert "fa" not in health["offered"] and health["machine_made"] == []


def test_a_language_allowed_placeholders_is_offered_and_healthz_says_it_is_machine_made(clock, recordings):
    import dataclasses

    allowed = dataclasses.replace(LINE_MENU, languages=tuple(
        dataclasses.replace(lang, placeholders=True) if lang.code == "fa" else lang for lang in LINE_MENU.languages))
    for prompt in audio.needed(allowed, allowed.language("fa")).values():
        record(recordings / "fa", prompt)
        audio.write_entry(recordings / "fa", prompt, recorded_by=None)
    client = line_app(clock, recordings, served=allowed).test_client()
    assert any(url.startswith("/audio/fa/language.name.wav") for url in post(client, "/voice").plays)
    health = client.get("/healthz").get_json()
    assert "fa" in health["offered"] and health["machine_made"] == ["fa"]


def test_a_persons_recordings_are_offered_and_not_called_machine_made(clock, recordings):
    record_language(recordings, "fa")
    health = line_app(clock, recordings).test_client().get("/healthz").get_json()
    assert "fa" in health["offered"] and health["machine_made"] == []


# -- Edges a caller, a tester or staff could meet: a webhook set to GET, odd counters, a cut-short recording ----

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


# -- Notices -----------------------------------------------------------------------

def test_a_live_notice_is_said_once_as_the_language_is_chosen_before_the_first_menu(client, clock, menu):
    """On a day a notice is live (the test line's moved_desk, 14-18 December 2026) the caller hears it in
    their language first; the menu's next answers (a repeat, a silence) do not say it again."""
    clock.set("2026-12-15T10:00")
    notice = next(n for n in menu.notices if n.id == "moved_desk")
    answer = post(client, "/voice/choose", Digits=menu.language("en").key)
    assert answer.text.startswith(notice.say["en"])
    assert answer.text.index(notice.say["en"]) < answer.text.index(menu.nodes[menu.start].say["en"])
    assert menu.phrases["en"](P.NAVIGATION) not in answer.text, "a notice is no missed key"
    assert notice.say["en"] not in post(client, answer.action, Digits="*").text
    assert notice.say["en"] not in post(client, answer.redirect).text


@pytest.mark.parametrize("day", ["2026-12-13T10:00", "2026-12-19T10:00"])
def test_no_notice_outside_its_dates(client, clock, menu, day):
    clock.set(day)
    notice = next(n for n in menu.notices if n.id == "moved_desk")
    assert notice.say["en"] not in post(client, "/voice/choose", Digits=menu.language("en").key).text
