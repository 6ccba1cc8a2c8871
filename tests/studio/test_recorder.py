"""Recording by phone: PIN, language, a prompt's number from the sheet, <Record>, hear it back, keep it.
Twilio's side is simulated: signed webhooks, and a fake REST API on loopback serving the recording."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from flask import Flask, Response, request
from twilio.request_validator import RequestValidator

from ivr.audio import store
from ivr.studio import sheet, users

from ..audio.sounds import needs, silence, speech
from ..conftest import LINE_MENU, line_app
from ..serving import serving
from ..sms_support import SID, TOKEN
from .conftest import PASSWORD, SECRET

PIN, CALLER, CALL = "246810", "+358401234567", "CA" + "2" * 32
TAKE = "RE" + "a" * 32


@pytest.fixture
def pins(tmp_path):
    path = tmp_path / "users.yaml"
    (users.Users().add("amina", "translator", ("fa",), PASSWORD).with_pin("amina", PIN)
     .add("rez", "reviewer", ("fa", "so"), PASSWORD).with_pin("rez", "135791")).save(path)
    return path


@pytest.fixture
def fake_twilio(tmp_path):
    """Serves one recording per RecordingSid, only with the account's credentials."""
    fake = Flask("fake-twilio")
    fake.recordings, fake.asked = {}, []

    @fake.get("/2010-04-01/Accounts/<account>/Recordings/<sid>.wav")
    def recording(account, sid):
        fake.asked.append((account, sid, request.authorization.username if request.authorization else None))
        auth = request.authorization
        if account != SID or not auth or (auth.username, auth.password) != (SID, TOKEN):
            return Response(status=401)
        return Response(fake.recordings[sid], mimetype="audio/wav") if sid in fake.recordings else Response(status=404)

    with serving(fake) as base:
        fake.base = base
        yield fake


@pytest.fixture
def app(clock, recordings, pins, tmp_path, fake_twilio):
    return line_app(clock, recordings, studio_users=pins, secret_key=SECRET, audio_dir=tmp_path / "studio",
                    auth_token=TOKEN, account_sid=SID, twilio_api=fake_twilio.base)


def post(app, url, **form):
    """A webhook as Twilio signs it."""
    form = {"From": CALLER, "CallSid": CALL, **form}
    signature = RequestValidator(TOKEN).compute_signature(f"http://localhost{url}", form)
    response = app.test_client().post(url, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200, response.status_code
    return ET.fromstring(response.data)


def said(root) -> str:
    return " ".join(say.text for say in root.iter("Say"))


def action(root, verb="Gather") -> str:
    found = root.find(f".//{verb}")
    parts = urlsplit(found.get("action"))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_no_studio_no_recording_line(clock, recordings):
    assert line_app(clock, recordings).test_client().post("/recorder").status_code == 404


def test_an_unsigned_request_is_refused(app):
    assert app.test_client().post("/recorder", data={"CallSid": CALL}).status_code == 403


def test_a_wrong_pin_is_refused_three_times_then_the_call_ends_and_the_number_is_not_logged(app, caplog):
    root = post(app, "/recorder")
    assert "Enter your PIN" in said(root)
    for attempt in range(3):
        root = post(app, action(root), Digits="000000")
        if attempt < 2:
            assert "That PIN is not right" in said(root)
            root = post(app, urlsplit(root.find("Redirect").text).path + "?" + urlsplit(root.find("Redirect").text).query)
    assert root.find("Hangup") is not None and "Goodbye" in said(root)
    assert CALLER not in caplog.text and CALLER[4:] not in caplog.text
    assert "wrong PIN from caller" in caplog.text


def test_wrong_pins_from_one_number_are_limited_across_calls(app):
    for _ in range(5):
        post(app, "/recorder/pin", Digits="999999")
    root = post(app, "/recorder/pin", Digits=PIN)
    assert "Too many wrong PINs" in said(root) and root.find("Hangup") is not None, "even the right PIN, for now"


def test_a_translator_picks_a_prompt_by_its_sheet_number_and_hears_the_beep(app):
    fa = LINE_MENU.language("fa")
    listed = sheet.numbered(LINE_MENU, fa)
    root = post(app, "/recorder/pin", Digits=PIN)
    assert f"sheet code {' '.join(listed.code)}" in said(root), "one language: straight to the numbers"
    wrong = post(app, action(root), Digits="999")
    assert "No prompt has the number 9 9 9" in said(wrong)
    root = post(app, action(root), Digits="3")
    record = root.find("Record")
    assert said(root).startswith("Prompt 3.")
    assert (record.get("finishOnKey"), record.get("playBeep"), record.get("trim")) == ("#", "true", "trim-silence")
    assert int(record.get("maxLength")) >= 10


def test_a_translator_may_not_record_another_language(app):
    root = post(app, "/recorder/pin", Digits="135791")  # rez: two languages, asked which
    assert "language's key" in said(root)
    refused = post(app, action(root), Digits="1")  # Finnish: not rez's
    assert "You do not record a language with the key 1" in said(refused)
    chosen = post(app, action(root), Digits=LINE_MENU.language("so").key)
    assert "sheet code" in said(chosen)


def test_a_forged_or_copied_token_is_refused(app):
    root = post(app, "/recorder/pin", Digits=PIN)
    url = action(root)
    response = app.test_client()
    form = {"From": CALLER, "CallSid": "CA" + "9" * 32, "Digits": "3"}  # another call
    signature = RequestValidator(TOKEN).compute_signature(f"http://localhost{url}", form)
    other = ET.fromstring(response.post(url, data=form, headers={"X-Twilio-Signature": signature}).data)
    assert "expired" in said(other) and other.find("Hangup") is not None


def _to_take(app, number="3"):
    root = post(app, "/recorder/pin", Digits=PIN)
    root = post(app, action(root), Digits=number)
    take = post(app, action(root, "Record"), RecordingSid=TAKE, RecordingUrl="https://attacker.example/x",
                RecordingDuration="4")
    return take


@needs("espeak-ng", "sox", "ffmpeg")
def test_keep_fetches_the_take_from_twilio_converts_it_and_it_waits_for_review(app, fake_twilio, tmp_path):
    fake_twilio.recordings[TAKE] = speech(tmp_path).read_bytes()
    take = _to_take(app)
    played = take.find(".//Play").text
    assert played == f"{fake_twilio.base}/2010-04-01/Accounts/{SID}/Recordings/{TAKE}.wav", "never the request's URL"
    kept = post(app, action(take), Digits="1")
    assert "Prompt 3 is kept. It waits for a reviewer." in said(kept)
    assert fake_twilio.asked == [(SID, TAKE, SID)]
    entry = sheet.numbered(LINE_MENU, LINE_MENU.language("fa")).entry("3")
    [version] = store.Store(tmp_path / "studio").takes("fa")[entry.prompt.id].versions
    assert (version.state, version.by, version.via) == ("waiting", "amina", "phone")
    assert f"/audio/fa/{entry.prompt.id}.wav" not in app.test_client().post("/voice").get_data(as_text=True), \
        "not played to callers before a reviewer approves it"


@needs("sox")
def test_a_silent_take_is_refused_with_a_way_to_record_again(app, fake_twilio, tmp_path):
    fake_twilio.recordings[TAKE] = silence(tmp_path)
    take = _to_take(app)
    refused = post(app, action(take), Digits="1")
    assert "This recording cannot be kept." in said(refused) and "To record again, press 2" in said(refused)
    assert not (tmp_path / "studio" / "fa").exists() or not store.Store(tmp_path / "studio").takes("fa")
    again = post(app, action(refused), Digits="2")
    assert again.find("Redirect") is not None and "/recorder/prompt" in again.find("Redirect").text


def test_a_take_twilio_does_not_have_is_said_and_nothing_is_kept(app, fake_twilio, tmp_path):
    take = _to_take(app)  # the fake has no such recording: 404
    failed = post(app, action(take), Digits="1")
    assert "could not be fetched" in said(failed)
    assert not store.Store(tmp_path / "studio").takes("fa")
