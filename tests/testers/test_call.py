"""`ivr call`: a call through the real webhooks, printed as the caller hears it, with what Twilio would refuse."""

import pytest

from ivr import cli
from ivr.testers.call import Caller, hear, interactive, scripted
from ivr.testers.transports import InProcess, Reply

from ..conftest import line_app
from ..serving import serving

TOKEN = "test-token-not-a-secret"


def transcript(app, press, **options):
    lines, result = hear(InProcess(app), press, **options)
    return "\n".join(lines), result


def unwrapped(text):
    """The transcript's words, without its line breaks (long <Say> texts are wrapped)."""
    return " ".join(text.split())


def test_an_open_hours_busy_transfer_gives_the_alternatives_and_goes_back(app):
    """Keys 3 2 1 on a Monday morning: English, the office, the desk; busy: the desk's number again, a key
    that tries again, the hours and 112 (no fax); silence, and back to the office's options."""
    text, result = transcript(app, "3 2 1 -", dial_outcome="busy")
    assert result.problems == []
    assert "  [dial +358861552760, rings 20 s] -> busy" in text
    assert "> POST /voice/en/desk/dialled  DialCallStatus=busy" in text
    heard = unwrapped(text.split("DialCallStatus=busy", 1)[1])
    heard = heard[:heard.index("> POST")]
    assert heard.index("Sorry, nobody could answer the call.") < heard.index("0 8 [0.6 s] 6 1 5 5 [0.6 s] 2 7 6 0") \
        < heard.index("To try again, press 1.") < heard.index("Open Monday to Friday") \
        < heard.index("hang up and call 1 1 2"), "the number, the retry, the hours, then 112"
    assert "2 7 6 2" not in heard, "no fax"
    assert "> POST /voice/en/office?b=1\n  [en-GB Polly.Amy-Neural] To talk to the desk, press 1." in text
    assert text.endswith("(listening for 1 key, 8 s)\ncaller hangs up")


def test_after_a_busy_transfer_one_key_tries_again(app):
    text, result = transcript(app, "3 2 1 1", dial_outcome="busy")
    assert result.problems == []
    assert text.count("  [dial +358861552760, rings 20 s] -> busy") == 2


def test_the_caller_hears_each_language_in_its_own_voice(app):
    text, _ = transcript(app, "")
    assert "  [fi-FI Polly.Suvi-Neural] Suomeksi, paina 1." in text
    assert "  [arb Polly.Zeina] بالعربية، اضغط 4." in text
    assert "  [uk-UA Google.uk-UA-Standard-A] Українською, натисніть 5." in text


def test_a_completed_transfer_ends_with_goodbye(app):
    text, _ = transcript(app, "2 2 1")
    assert text.splitlines()[-2:] == ["  [sv-SE Polly.Elin-Neural] Tack för att du ringde. Hej då.", "  [hangup]"]


def test_on_a_public_holiday_nothing_is_dialled(app, clock):
    clock.set("2027-01-06T10:00")
    text, result = transcript(app, "3 2 1")
    assert "[dial" not in text and result.problems == []
    assert "The desk is closed now. It opens again on Thursday 7 January at 8." in unwrapped(text)


def test_silence_lets_the_gather_time_out_into_the_next_verbs_then_goodbye(app):
    text, result = transcript(app, "3 - - -")
    assert text.count("caller is silent") == 3
    assert "> POST /voice/en/top?s=1&b=1" in text and "> POST /voice/en/top?s=2&b=1" in text
    assert text.splitlines()[-2:] == ["  [en-GB Polly.Amy-Neural] Thank you for calling. Goodbye.", "  [hangup]"]
    assert result.problems == []


def test_the_requests_carry_twilios_form_fields(app):
    _, result = transcript(app, "3", caller="+358401234567")
    first, second = result.requests
    assert first.url == "/voice" and first.form == {"CallStatus": "ringing"}
    assert second.url == "/voice/choose" and second.form == {"Digits": "3"}


def test_signed_requests_pass_the_lines_signature_check(clock):
    app = line_app(clock, auth_token=TOKEN, require_token=True)
    text, result = transcript(app, "3", token=TOKEN)
    assert result.problems == [] and "] The test line. [0.4 s] News, press 1." in text


def test_a_wrong_token_is_refused_and_said_so(clock):
    app = line_app(clock, auth_token=TOKEN, require_token=True)
    text, result = transcript(app, "3", token="some-other-token")
    assert result.problems == [
        "11200 the line answered HTTP 403 (the signature check refused it: is TWILIO_AUTH_TOKEN right, "
        "and IVR_PUBLIC_URL?)"
    ]
    assert "Suomeksi" not in text


def test_the_signature_uses_the_public_url_when_one_is_set(clock):
    app = line_app(clock, auth_token=TOKEN, require_token=True, public_url="https://ivr.example.org")
    _, result = transcript(app, "3 2", token=TOKEN)
    assert result.problems == []


# -- TwiML Twilio would refuse, from a line that answers what the test says ----------------------

class Canned:
    """A line that answers each URL with the given TwiML (or other content)."""

    def __init__(self, answers):
        self.answers = answers

    def absolute(self, url):
        return url

    def signed_url(self, url):
        return url

    def request(self, method, url, form, headers):
        body, kind = self.answers.get(url.split("?")[0], ("", "text/plain"))
        status = 404 if url.split("?")[0] not in self.answers else 200
        return Reply(status, kind, body.encode())


def canned(twiml, **more):
    return Canned({"/voice": (f"<Response>{twiml}</Response>", "text/xml"), **more})


SAY = '<Say voice="Polly.Amy-Neural" language="en-GB">{}</Say>'


@pytest.mark.parametrize(
    "twiml, problem",
    [
        ('<Gather action="/k"><Dial>+358861552760</Dial></Gather>',
         "12200 <Dial> is not allowed inside <Gather> (allowed: Pause, Play, Say)"),
        ('<Gather action="/k"><Gather/></Gather>',
         "12200 <Gather> is not allowed inside <Gather> (allowed: Pause, Play, Say)"),
        ("<Speak>hello</Speak>", "12200 <Speak> is not allowed inside <Response>"),
        ('<Say voice="Polly.Suvi-Neural" language="sv-SE">Hej</Say>',
         "<Say voice='Polly.Suvi-Neural' language='sv-SE'>: that voice speaks fi-FI; Twilio rejects the pair"),
        ('<Say voice="Polly.Nobody">Hi</Say>',
         "<Say voice='Polly.Nobody'>: not a voice in ivr/voices.py; check it against Twilio's list"),
        ("<Say>Hi</Say>", "<Say> without a voice: Twilio reads it in its basic robot voice"),
        ('<Gather timeout="soon" action="/k"/>', "12200 <Gather timeout='soon'>: a whole number is expected"),
        ("<Redirect/>", "12200 <Redirect> without a URL"),
    ],
)
def test_twiml_twilio_would_refuse_is_flagged(twiml, problem):
    lines, result = hear(canned(twiml), "-")
    assert result.problems[0] == problem
    assert f"  !! {problem}" in lines


def test_an_answer_that_is_not_xml_is_flagged():
    line = Canned({"/voice": ("<Response><Say>oops</Response>", "text/xml")})
    _, result = hear(line, "")
    assert result.problems[0].startswith("12100 not well-formed XML (mismatched tag: line 1, column")


def test_an_answer_that_is_not_text_xml_is_flagged():
    line = Canned({"/voice": ("<Response><Hangup/></Response>", "text/html")})
    _, result = hear(line, "")
    assert result.problems == ["12300 the answer's Content-Type is text/html: Twilio wants text/xml"]


def test_play_is_heard_and_a_url_that_is_not_audio_is_flagged():
    line = canned("<Play>/audio/good.mp3</Play><Play>/audio/page.html</Play><Play>/audio/gone.mp3</Play><Hangup/>",
                  **{"/audio/good.mp3": ("ID3", "audio/mpeg"), "/audio/page.html": ("<html>", "text/html")})
    lines, result = hear(line, "")
    assert lines[2:5] == ["  [play] /audio/good.mp3", "  [play] /audio/page.html",
                          "  !! 12300 <Play> /audio/page.html answers text/html, not audio: Twilio cannot play it"]
    assert result.problems[1] == "<Play> /audio/gone.mp3: 11200 the line answered HTTP 404"


def test_a_gather_nobody_answers_falls_through_to_the_verbs_after_it():
    line = canned(f'<Gather action="/k" timeout="3">{SAY.format("Press 1.")}<Pause length="2"/></Gather>'
                  f'{SAY.format("Still there?")}<Hangup/>')
    lines, _ = hear(line, "-")
    assert lines[2:] == ["  [en-GB Polly.Amy-Neural] Press 1.", "  [pause 2 s]", "  (listening for any keys, 3 s)",
                         "caller is silent", "  [en-GB Polly.Amy-Neural] Still there?", "  [hangup]"]


def test_an_answer_without_hangup_ends_the_call_and_says_so():
    lines, result = hear(canned(SAY.format("Bye.")), "")
    assert lines[-1] == "  [end of the answer: Twilio hangs up]" and result.problems == []


def test_a_call_that_goes_round_in_circles_is_stopped():
    _, result = hear(canned("<Redirect>/voice</Redirect>"), "", max_requests=5)
    assert len(result.requests) == 5
    assert result.problems == ["stopped after 5 requests: does the call go round in circles?"]


def test_a_dial_without_action_goes_on_with_the_next_verb():
    lines, _ = hear(canned(f"<Dial>+358861552760</Dial>{SAY.format('After.')}"), "", dial_outcome="busy")
    assert lines[2:4] == ["  [dial +358861552760, rings 30 s] -> busy", "  [en-GB Polly.Amy-Neural] After."]


# -- Keys ------------------------------------------------------------------------------------------

def test_scripted_keys_dash_and_underscore_are_silence_and_the_end_hangs_up():
    keys = scripted("3 - _ 12")
    assert [keys() for _ in range(5)] == ["3", "", "", "12", "hangup"]


def test_interactive_keys_enter_is_silence_q_and_end_of_input_hang_up():
    typed = iter(["5", "", "q"])
    keys = interactive(lambda prompt: next(typed))
    assert [keys() for _ in range(3)] == ["5", "", "hangup"]

    def closed(prompt):
        raise EOFError

    assert interactive(closed)() == "hangup"


@pytest.mark.parametrize("number, shown", [
    ("+358401234567", "Call from +358...67"),  # a Finnish mobile: country code and last two digits
    ("anonymous", "Call from hidden"),  # what Twilio sends for a withheld number
    ("", "Call from hidden"),
])
def test_the_callers_number_is_printed_as_the_call_log_writes_it(app, number, shown):
    """Never whole, and in the call log's style, so staff reading both see one form."""
    text, _ = transcript(app, "", caller=number)
    assert text.splitlines()[0] == shown
    assert "401234567" not in text


# -- The command -----------------------------------------------------------------------------------

def test_ivr_call_at_christmas_eve_says_when_the_desk_opens(capsys, monkeypatch):
    """`ivr call` runs the line in IVR_MENU (here the test line) at the given time."""
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("IVR_NOW", raising=False)
    status = cli.main(["call", "--press", "3 2 1", "--at", "2026-12-24 10:00", "--from", "+358401234567"])
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("The line in this process, at Thursday 2026-12-24 10:00 EET\nCall from +358...67\n")
    assert "It opens again on Monday 28 December at 8." in unwrapped(out)
    assert "+358401234567" not in out


def test_ivr_call_refuses_a_time_that_is_not_one(capsys, monkeypatch):
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    assert cli.main(["call", "--press", "3", "--at", "Christmas"]) == 1
    assert capsys.readouterr().err == "IVR_NOW='Christmas' is not an ISO 8601 date-time, e.g. 2026-12-24T10:00\n"


def test_ivr_call_url_calls_a_served_line_signing_with_the_token(capsys, monkeypatch, clock):
    app = line_app(clock, auth_token=TOKEN, require_token=True)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    with serving(app) as base:
        status = cli.main(["call", "--url", base, "--press", "3 2 1", "--dial-outcome", "no-answer"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "> POST /voice/en/desk/dialled  DialCallStatus=no-answer" in out
    assert "Sorry, nobody could answer the call." in unwrapped(out)


def test_ivr_call_url_with_the_wrong_token_shows_the_403_and_fails(capsys, monkeypatch, clock):
    app = line_app(clock, auth_token=TOKEN, require_token=True)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "not-the-token")
    with serving(app) as base:
        status = cli.main(["call", "--url", f"{base}/voice", "--press", "3"])
    out = capsys.readouterr().out
    assert status == 1
    assert "  !! 11200 the line answered HTTP 403" in out
    assert out.endswith("1 problem(s): Twilio would refuse this, or the caller would notice\n")


def test_ivr_call_url_to_nowhere_is_a_connection_failure(capsys, monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    assert cli.main(["call", "--url", "http://127.0.0.1:9/voice", "--press", "3"]) == 1
    assert "  !! 11205 cannot reach the line:" in capsys.readouterr().out


def test_ivr_call_url_does_not_take_at(capsys):
    assert cli.main(["call", "--url", "https://ivr.example.org", "--at", "2026-12-24 10:00"]) == 1
    assert "--at and --menu only work on the line in this process" in capsys.readouterr().err


def recorder_app():
    """A line that records once: the <Record>, then what it was sent."""
    from flask import Flask, Response, request

    app = Flask(__name__)
    app.config["IVR"] = line_app().config["IVR"]
    voice = 'voice="Polly.Amy-Neural"'

    @app.post("/rec")
    def rec():
        return Response(f'<Response><Say {voice}>Speak.</Say><Record action="/done" finishOnKey="#" maxLength="9"/>'
                        f'<Say {voice}>Nothing was recorded.</Say></Response>', mimetype="text/xml")

    @app.post("/done")
    def done():
        form = request.form
        return Response(f'<Response><Say {voice}>Got {form["RecordingSid"]} of {form["RecordingDuration"]} s, '
                        f'ended by {form["Digits"]}.</Say></Response>', mimetype="text/xml")

    return app


def test_a_record_posts_the_callers_recording_to_its_action():
    from ivr.harness.reader import Taken

    taken = Taken("http://127.0.0.1:9/2010-04-01/Accounts/AC1/Recordings/RE" + "b" * 32, 6)
    lines = []
    result = Caller(InProcess(recorder_app()), scripted(""), lines.append, takes=[taken]).call("/rec")
    text = "\n".join(lines)
    assert result.problems == []
    assert "  [record up to 9 s, ends on #, beep]\ncaller records 6 s and presses #" in text
    assert f"Got RE{'b' * 32} of 6 s, ended by #." in text
    assert "Nothing was recorded." not in text


def test_a_caller_who_records_nothing_hears_what_follows_the_record():
    lines = []
    Caller(InProcess(recorder_app()), scripted(""), lines.append).call("/rec")
    text = "\n".join(lines)
    assert "caller records nothing" in text and "Nothing was recorded." in text
