"""The one TwiML reader: an answer as plain records, and where the call goes next."""

import pytest

from ivr.testers import twiml

PAGE = """<Response>
  <Gather action="/voice/en/info/key?s=1" method="POST" numDigits="1" timeout="8" input="dtmf">
    <Say language="en-GB" voice="Polly.Amy-Neural">Call 0 8<break time="600ms"/>6 1 5 5.</Say>
    <Play>/audio/fa/info.say.wav?v=abc&amp;slow=1</Play>
    <Pause length="2"/>
  </Gather>
  <Say language="en-GB" voice="Polly.Amy-Neural">Please press a key.</Say>
  <Redirect method="POST">/voice/en/info?s=1&amp;b=1</Redirect>
</Response>"""


def test_a_say_keeps_its_words_breaks_language_and_voice():
    say = twiml.read(PAGE).gather.children[0]
    assert say == twiml.Say(("Call 0 8", twiml.Break(0.6), "6 1 5 5."), "en-GB", "Polly.Amy-Neural", False)
    assert say.text == "Call 0 8 6 1 5 5."
    assert say.breaks == (twiml.Break(0.6),)


def test_slow_prosody_is_read_with_its_text():
    answer = twiml.read('<Response><Say voice="v"><prosody rate="slow">Slowly<break time="1s"/>now.'
                        '</prosody></Say></Response>')
    assert answer.said == (twiml.Say(("Slowly", twiml.Break(1.0), "now."), "", "v", True),)


def test_a_gather_its_children_and_what_follows_silence():
    answer = twiml.read(PAGE)
    gather = answer.gather
    assert (gather.action, gather.method, gather.timeout, gather.num_digits) == ("/voice/en/info/key?s=1", "POST", 8, 1)
    assert [type(c) for c in gather.children] == [twiml.Say, twiml.Play, twiml.Pause]
    assert answer.prompt() == gather.children
    assert [s.text for s in answer.on_silence()] == ["Please press a key."]
    assert answer.next("5") == twiml.Next("POST", "/voice/en/info/key?s=1", (("Digits", "5"),))
    assert answer.next() == twiml.Next("POST", "/voice/en/info?s=1&b=1")


def test_a_play_names_its_recording_and_speed():
    play = twiml.read(PAGE).gather.children[1]
    assert play.recording == ("fa", "info.say") and play.slow
    assert twiml.Play("https://example.org/x.mp3").recording is None


@pytest.mark.parametrize("outcome, form", [("busy", (("DialCallStatus", "busy"),)), (None, ())])
def test_a_dial_leads_to_its_action_with_the_outcome(outcome, form):
    answer = twiml.read('<Response><Say voice="v">Connecting.</Say>'
                        '<Dial action="/voice/en/duty/dialled" timeout="25">+358861552760</Dial></Response>')
    assert answer.dial == twiml.Dial("+358861552760", "/voice/en/duty/dialled", "POST", 25)
    assert answer.next("1", outcome=outcome) == twiml.Next("POST", "/voice/en/duty/dialled", form)
    assert answer.until_next() == answer.said


def test_a_hangup_ends_the_call_and_nothing_after_it_is_requested():
    answer = twiml.read("<Response><Say>Bye.</Say><Hangup/><Redirect>/voice</Redirect></Response>")
    assert answer.hangs_up and answer.next() is None and answer.next("1") is None


def test_a_gather_left_in_silence_without_verbs_after_it_ends_the_call():
    assert twiml.read('<Response><Gather action="/a"><Say>x</Say></Gather></Response>').next() is None


@pytest.mark.parametrize("url, expected", [
    ("/voice", twiml.Place("voice")),
    ("/voice/choose?g=8", twiml.Place("choose")),
    ("/voice/fi/services", twiml.Place("node", "fi", "services")),
    ("https://line.example.org/voice/fi/associations?b=1", twiml.Place("node", "fi", "associations")),
    ("/voice/sv/reception_centre/key?w=1", twiml.Place("key", "sv", "reception_centre")),
    ("/voice/sv/duty/dialled", twiml.Place("dialled", "sv", "duty")),
    ("/audio/kmr/phrase.slow.wav?v=1&slow=1", twiml.Place("audio", "kmr", prompt="phrase.slow")),
    ("/voice/a/b/c/d", twiml.Place("")),
    ("/elsewhere", twiml.Place("")),
])
def test_the_lines_urls(url, expected):
    assert twiml.place(url) == expected


def test_params_of_a_place_are_read_too():
    assert twiml.place("/voice/fi/services?s=1&b=1").params == {"s": "1", "b": "1"}


def test_key_8_on_a_real_page_answers_the_page_slowly(client):
    """Read from the line itself: a page's key 8 says the page again inside slow prosody."""
    page = twiml.read(client.post("/voice/en/office").get_data())
    again = twiml.read(client.post(page.next("8").url, data=page.next("8").fields).get_data())
    assert any(say.slow for say in again.said) and not any(say.slow for say in page.said)
    assert twiml.place(again.gather.action).node == "office"
