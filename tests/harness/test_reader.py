"""The one TwiML reader: an answer as plain records, and where the call goes next."""

import pytest

from ivr import urls
from ivr.harness import reader

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
    say = reader.read(PAGE).gather.children[0]
    assert say == reader.Say(("Call 0 8", reader.Break(0.6), "6 1 5 5."), "en-GB", "Polly.Amy-Neural", False)
    assert say.text == "Call 0 8 6 1 5 5."
    assert say.breaks == (reader.Break(0.6),)


def test_slow_prosody_is_read_with_its_text():
    answer = reader.read('<Response><Say voice="v"><prosody rate="slow">Slowly<break time="1s"/>now.'
                        '</prosody></Say></Response>')
    assert answer.said == (reader.Say(("Slowly", reader.Break(1.0), "now."), "", "v", True),)


def test_a_gather_its_children_and_what_follows_silence():
    answer = reader.read(PAGE)
    gather = answer.gather
    assert (gather.action, gather.method, gather.timeout, gather.num_digits) == ("/voice/en/info/key?s=1", "POST", 8, 1)
    assert [type(c) for c in gather.children] == [reader.Say, reader.Play, reader.Pause]
    assert answer.prompt() == gather.children
    assert [s.text for s in answer.on_silence()] == ["Please press a key."]
    assert answer.next("5") == reader.Next("POST", "/voice/en/info/key?s=1", (("Digits", "5"),))
    assert answer.next() == reader.Next("POST", "/voice/en/info?s=1&b=1")


def test_a_play_names_its_recording_and_speed():
    play = reader.read(PAGE).gather.children[1]
    assert play.recording == ("fa", "info.say") and play.slow
    assert reader.Play("https://example.org/x.mp3").recording is None


@pytest.mark.parametrize("outcome, form", [("busy", (("DialCallStatus", "busy"),)), (None, ())])
def test_a_dial_leads_to_its_action_with_the_outcome(outcome, form):
    answer = reader.read('<Response><Say voice="v">Connecting.</Say>'
                        '<Dial action="/voice/en/duty/dialled" timeout="25">+358861552760</Dial></Response>')
    assert answer.dial == reader.Dial("+358861552760", "/voice/en/duty/dialled", "POST", 25)
    assert answer.next("1", outcome=outcome) == reader.Next("POST", "/voice/en/duty/dialled", form)
    assert answer.until_next() == answer.said


def test_a_hangup_ends_the_call_and_nothing_after_it_is_requested():
    answer = reader.read("<Response><Say>Bye.</Say><Hangup/><Redirect>/voice</Redirect></Response>")
    assert answer.hangs_up and answer.next() is None and answer.next("1") is None


def test_a_gather_left_in_silence_without_verbs_after_it_ends_the_call():
    assert reader.read('<Response><Gather action="/a"><Say>x</Say></Gather></Response>').next() is None


def test_key_8_on_a_real_page_answers_the_page_slowly(client):
    """Read from the line itself: a page's key 8 says the page again inside slow prosody."""
    page = reader.read(client.post("/voice/en/office").get_data())
    again = reader.read(client.post(page.next("8").url, data=page.next("8").fields).get_data())
    assert any(say.slow for say in again.said) and not any(say.slow for say in page.said)
    assert urls.parse(again.gather.action).node == "office"


RECORD = """<Response>
  <Say voice="Polly.Amy-Neural">Record after the beep.</Say>
  <Record action="/recorder/fa/3/recorded" finishOnKey="#" maxLength="14" timeout="5" trim="trim-silence"
          playBeep="true"/>
  <Say voice="Polly.Amy-Neural">Nothing was recorded.</Say>
  <Redirect>/recorder/fa/3</Redirect>
</Response>"""


def test_a_record_keeps_its_limits_and_posts_the_recording_to_its_action():
    answer = reader.read(RECORD)
    assert answer.record == reader.Record("/recorder/fa/3/recorded", "POST", 5, "#", 14, True, "trim-silence")
    taken = reader.Taken("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE" + "a" * 32, 4)
    step = answer.next(taken=taken)
    assert (step.method, step.url) == ("POST", "/recorder/fa/3/recorded")
    assert step.fields == {"RecordingUrl": taken.url, "RecordingSid": "RE" + "a" * 32, "RecordingDuration": "4",
                           "Digits": "#"}
    assert answer.next_urls() == ["/recorder/fa/3/recorded", "/recorder/fa/3"]


def test_nothing_recorded_goes_on_to_the_verbs_after_the_record():
    answer = reader.read(RECORD)
    assert answer.next() == reader.Next("POST", "/recorder/fa/3")
    assert [s.text for s in answer.until_next()] == ["Record after the beep."]


def test_a_record_without_attributes_has_twilios_defaults():
    record = reader.read("<Response><Record/></Response>").record
    assert (record.action, record.timeout, record.finish_on_key, record.max_length, record.play_beep) == (
        "", 5, "1234567890*#", 3600, True)
