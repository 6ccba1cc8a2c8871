"""A caller's path through the line, through the real webhooks, read as Twilio reads TwiML."""

import pytest

from ivr import phrases as P
from ivr.menu import voices

from .twiml import parse

LANGS = ["fi", "sv", "en", "ar", "uk", "ru"]
SERVICES = ["reception_centre", "immigration_services", "migri", "other_help"]


def post(client, url, **form):
    return parse(client.post(url, data=form))


def test_language_menu_says_each_language_in_its_own_voice(client, menu):
    """The first answer lists every language, each in its own voice, then waits for one key."""
    answer = post(client, "/voice")
    gather = answer.gather
    assert gather.get("numDigits") == "1" and gather.get("action") == "/voice/choose"
    said = answer.said
    voiced = [lang for lang in menu.languages if lang.voice]
    assert [s.language for s in said] == [lang.tts_language for lang in voiced]
    for s, lang in zip(said, voiced):
        assert s.voice == lang.voice and voices.speaks(s.voice, lang.code)
        assert lang.name in s.text and lang.key in s.text
    assert said[0].text == "Suomeksi, paina 1."
    assert said[2].text == "For English, press 3."
    assert answer.redirect == "/voice?s=1", "silence must lead somewhere, not end the call"


@pytest.mark.parametrize("code", LANGS)
def test_choosing_a_language_gives_the_services_menu_in_it(client, menu, code):
    lang = menu.language(code)
    answer = post(client, "/voice/choose", Digits=lang.key)
    assert answer.gather.get("action") == f"/voice/{code}/services/key"
    assert {(s.voice, s.language) for s in answer.said} == {(lang.voice, lang.tts_language)}
    for key, node in zip("1234", SERVICES):
        expected = menu.phrases[code](P.PRESS, label=menu.nodes[node].label[code], key=key)
        assert expected in answer.text
    assert menu.phrases[code](P.REPEAT) in answer.text
    assert menu.phrases[code](P.LANGUAGES) in answer.text


def test_finnish_is_really_finnish(client):
    answer = post(client, "/voice/choose", Digits="1")
    assert "paina 1" in answer.text
    assert "press" not in answer.text


@pytest.mark.parametrize("code", LANGS)
def test_reception_page_reads_the_duty_number_in_groups_twice(client, menu, code):
    answer = post(client, f"/voice/{code}/services/key", Digits="1")
    text = answer.text
    assert menu.nodes["reception_centre"].say[code].split()[0] in text
    assert text.count("0 8 6 1 5 5 2 7 6 0") == 2
    assert text.count("0 8 6 1 5 5 2 7 6 2") == 2, "the fax number too"
    assert answer.said[0].breaks >= 8, "pauses between digit groups"
    assert menu.phrases[code](P.PRESS, label=menu.nodes["duty"].label[code], key="1") in text


def test_hours_are_said_in_the_callers_language(client):
    assert "Open Monday to Friday, from 8 to 15." in post(client, "/voice/en/reception_centre").text
    assert "maanantaista perjantaihin, kello 8 alkaen kello 15 asti" in post(client, "/voice/fi/reception_centre").text


# -- The duty phone transfer ------------------------------------------------

def test_open_hours_transfer_dials_the_duty_in_e164(client):
    answer = post(client, "/voice/en/reception_centre/key", Digits="1")
    assert answer.verbs == ["Say", "Dial"]
    assert "Connecting you to the reception centre's duty phone" in answer.text
    assert "call 1 1 2" in answer.text
    dial = answer.dial
    assert dial.text == "+358861552760"
    assert dial.get("timeout") == "25"
    assert dial.get("action") == "/voice/en/duty/dialled"


@pytest.mark.parametrize(
    "now, opens",
    [
        ("2026-11-30T15:00", "It opens again on Tuesday 1 December at 8."),  # closes at 15 sharp
        ("2026-11-30T07:59", "It opens again on Monday 30 November at 8."),  # early morning
        ("2026-12-05T11:00", "It opens again on Monday 7 December at 8."),  # Saturday
        ("2026-12-06T11:00", "It opens again on Monday 7 December at 8."),  # Independence Day, Sunday
        ("2026-12-24T10:00", "It opens again on Monday 28 December at 8."),  # Christmas Eve
        ("2027-03-26T09:00", "It opens again on Tuesday 30 March at 8."),  # Good Friday to Easter Monday
        ("2027-06-25T09:00", "It opens again on Monday 28 June at 8."),  # Midsummer Eve
        ("2026-12-31T23:30", "It opens again on Monday 4 January at 8."),  # New Year, Epiphany is Wed 6th
    ],
)
def test_outside_hours_the_line_says_when_it_opens_and_112(client, clock, now, opens):
    clock.set(now)
    answer = post(client, "/voice/en/reception_centre/key", Digits="1")
    assert answer.dial is None
    assert "The reception centre's duty phone is closed now." in answer.text
    assert opens in answer.text
    assert "In a life-threatening emergency, call 1 1 2." in answer.text
    assert answer.redirect == "/voice/en/reception_centre?b=1"


def test_epiphany_2027_is_closed(client, clock):
    clock.set("2027-01-06T10:00")
    assert "Thursday 7 January" in post(client, "/voice/en/duty").text


def test_next_opening_in_finnish_uses_finnish_date_forms(client, clock):
    clock.set("2026-12-24T10:00")
    text = post(client, "/voice/fi/duty").text
    assert "maanantaina 28. joulukuuta kello 8." in text
    assert "1 1 2" in text


@pytest.mark.parametrize("outcome", ["busy", "no-answer", "failed", "canceled"])
def test_a_transfer_nobody_answers_gives_alternatives_and_returns_to_the_menu(client, outcome):
    answer = post(client, "/voice/en/duty/dialled", DialCallStatus=outcome)
    assert "Sorry, nobody could answer the call." in answer.text
    assert "0 8 6 1 5 5 2 7 6 2" in answer.text, "the fax number"
    assert "Open Monday to Friday" in answer.text
    assert answer.redirect == "/voice/en/reception_centre?b=1"
    page = post(client, answer.redirect)
    assert page.gather is not None and "press 1" in page.text


def test_a_completed_transfer_ends_with_goodbye(client):
    answer = post(client, "/voice/sv/duty/dialled", DialCallStatus="completed")
    assert answer.hangs_up and answer.said[-1].voice == "Polly.Elin-Neural"


# -- Keys that work everywhere, silence and wrong keys ---------------------------

def test_star_repeats_the_page(client):
    first = post(client, "/voice/en/other_help/key", Digits="1")
    again = post(client, "/voice/en/refugee_advice/key", Digits="*")
    assert again.text == first.text


def test_zero_goes_back_one_menu(client):
    assert post(client, "/voice/en/migri/key", Digits="0").gather.get("action") == "/voice/en/services/key"
    assert post(client, "/voice/en/services/key", Digits="0").gather.get("action") == "/voice/choose"


def test_nine_goes_to_the_language_menu_from_anywhere(client):
    assert post(client, "/voice/ar/associations/key", Digits="9").gather.get("action") == "/voice/choose"


def test_silence_repeats_the_options_then_says_goodbye_after_three_prompts(client):
    answer = post(client, "/voice/choose", Digits="3")
    url, prompts = answer.redirect, 1
    while not answer.hangs_up:
        assert answer.gather is not None, "every prompt waits for a key"
        answer = post(client, answer.redirect)
        prompts += 1
        assert prompts <= 3
    assert prompts == 3
    assert "Please choose by pressing a key on your phone." in answer.text
    assert answer.verbs[-2:] == ["Say", "Hangup"] and answer.said[-1].text == "Thank you for calling. Goodbye."
    assert url == "/voice/en/services?s=1&b=1"


def test_wrong_keys_are_named_then_goodbye_after_three(client):
    answer = post(client, "/voice/en/services/key", Digits="8")
    assert answer.text.startswith("That key is not in the menu.")
    assert answer.gather.get("action") == "/voice/en/services/key?w=1"
    answer = post(client, answer.gather.get("action"), Digits="7")
    assert answer.gather.get("action") == "/voice/en/services/key?w=2"
    answer = post(client, answer.gather.get("action"), Digits="#")
    assert answer.hangs_up and "Goodbye" in answer.text


def test_a_good_key_resets_the_count_of_wrong_ones(client):
    answer = post(client, "/voice/en/services/key?w=2", Digits="3")
    assert answer.gather.get("action") == "/voice/en/migri/key"


def test_language_menu_silence_ends_with_goodbye_in_every_language(client, menu):
    answer = post(client, "/voice?s=2")
    assert answer.hangs_up
    voiced = [lang for lang in menu.languages if lang.voice]
    assert len([s for s in answer.said if s.voice]) == len(voiced) * 2  # options, then goodbyes
    assert post(client, "/voice?s=3").verbs[-1] == "Hangup"


def test_wrong_key_in_the_language_menu_lists_the_languages_again(client):
    answer = post(client, "/voice/choose", Digits="#")
    assert answer.gather.get("action") == "/voice/choose?w=1"
    assert post(client, "/voice/choose?w=2", Digits="#").hangs_up


# -- Garbage in, something sensible out ------------------------------------------

@pytest.mark.parametrize(
    "url, form",
    [
        ("/voice/choose", {"Digits": "abc"}),
        ("/voice/choose", {"Digits": "9" * 5000}),
        ("/voice/choose?s=x&w=-1&b=zz", {}),
        ("/voice/en/services/key", {"Digits": "\x00\x01"}),
        ("/voice/en/services/key?s=99999999999999999999", {"Digits": ""}),
        ("/voice/xx/services", {}),
        ("/voice/en/no_such_node/key", {"Digits": "1"}),
        ("/voice/en/services/dialled", {"DialCallStatus": "busy"}),
        ("/voice/en/duty/dialled", {}),
        ("/voice/anything/at/all/here", {}),
        ("/voice/%F0%9F%92%A5", {}),
    ],
)
def test_garbage_gets_valid_twiml_that_leads_on(client, url, form):
    answer = post(client, url, **form)
    assert answer.gather is not None or answer.redirect or answer.hangs_up or answer.dial is not None


def test_unknown_node_says_sorry_and_restarts_in_the_callers_language(client):
    answer = post(client, "/voice/fi/vanished_node")
    assert answer.said[0].voice == "Polly.Suvi-Neural"
    assert answer.redirect == "/voice/fi/services"


def test_twilio_may_use_get(client):
    answer = parse(client.get("/voice/choose?Digits=3"))
    assert answer.gather.get("action") == "/voice/en/services/key"


def test_status_callback_answers_204(client):
    response = client.post("/voice/status", data={"CallSid": "CA123", "CallStatus": "completed"})
    assert response.status_code == 204 and response.data == b""


def test_healthz(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["languages"] == LANGS + ["fa", "so", "kmr", "ckb"]
