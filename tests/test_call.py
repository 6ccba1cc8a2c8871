"""A caller's path through the line, through the real webhooks, read as Twilio reads TwiML."""

import pytest

from ivr import phrases as P
from ivr.menu import voices

from .conftest import spoken
from .twiml import parse

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
    """No language chosen: the duty number (digit by digit, twice) and 112 in the greeting's languages,
    each in its own voice, then goodbye in every language."""
    answer = post(client, "/voice?s=2")
    assert answer.hangs_up
    number = spoken(menu.first_transfer().number)
    voiced = [lang for lang in menu.languages if lang.voice]
    last = [s for s in answer.said if number in s.text]
    assert [s.voice for s in last] == [menu.language(code).voice for code in menu.greeting]
    for said, code in zip(last, menu.greeting, strict=True):
        assert said.text.count(number) == 2
        assert said.text.endswith(menu.phrases[code](P.EMERGENCY, number=P.EMERGENCY_NUMBER))
    assert [s.text for s in answer.said[-len(voiced):]] == [menu.phrases[lang.code](P.GOODBYE) for lang in voiced]
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
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["languages"] == [lang.code for lang in menu.languages]
    assert body["languages"][:5] == VOICED
