"""/simulator: the web phone, driven in real headless Chromium against the line served on 127.0.0.1."""

import io
import wave

import pytest
from flask import Flask, Response

from ivr import cli
from ivr.web import simulator as webphone

from .browser import chromium
from .conftest import LINE_MENU, line_app
from .serving import serving

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402


def test_the_page_is_off_unless_configured(clock):
    """The public server never has it: only `ivr serve` (SIMULATOR true) does."""
    app = line_app(clock)
    assert app.test_client().get("/simulator").status_code == 404
    on = line_app(clock, simulator=True)
    with on.test_client().get("/simulator") as page:
        assert page.status_code == 200 and b'<ol id="transcript"' in page.data
    with on.test_client().get("/simulator/static/phone.js") as script:
        assert script.status_code == 200 and script.mimetype == "text/javascript"


@pytest.mark.parametrize("flags, status", [([], 200), (["--no-simulator"], 404)])
def test_ivr_serve_has_the_page_unless_told_not_to(monkeypatch, capsys, flags, status):
    served = {}
    monkeypatch.setattr(Flask, "run", lambda app, **options: served.update(app=app))
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    assert cli.main(["serve", "--port", "8123", *flags]) == 0
    with served["app"].test_client().get("/simulator") as page:
        assert page.status_code == status
    said = "Call it from the browser: http://127.0.0.1:8123/simulator" in capsys.readouterr().err
    assert said == (status == 200)


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture
def line(clock):
    app = line_app(clock, simulator=True)
    with serving(app) as base:
        yield base


def transcript(browser):
    return browser.find_element(By.ID, "transcript").text


def wait_for(browser, text, seconds=20):
    WebDriverWait(browser, seconds).until(lambda b: text in transcript(b), f"{text!r} never appeared")


def press(browser, key):
    browser.find_element(By.CSS_SELECTOR, f'.keypad button[data-key="{key}"]').click()


def test_a_call_from_the_browser_reaches_the_page_with_numbers(browser, line):
    """Call, press 3 (English) and 2 (the office): the transcript shows what the caller hears."""
    browser.get(f"{line}/simulator")
    browser.find_element(By.ID, "call").click()
    wait_for(browser, "In English, press 3.")
    press(browser, "3")
    wait_for(browser, "The test line.")
    press(browser, "2")
    wait_for(browser, "The desk number: 0 8 [0.6 s] 6 1 5 5 [0.6 s] 2 7 6 0.")
    said = browser.find_elements(By.CSS_SELECTOR, "#transcript li.said")
    voiced = [lang for lang in LINE_MENU.languages if lang.voice]
    assert said[0].get_attribute("lang") == "fi-FI" and said[0].get_attribute("data-voice") == "Polly.Suvi-Neural"
    assert said[1].get_attribute("lang") == "en-GB", "the greeting, in Finnish and English"
    assert said[5].get_attribute("lang") == "arb"
    assert {s.get_attribute("lang") for s in said[2 + len(voiced):]} == {"en-GB"}
    spoken = browser.execute_script("return window.phone.spoken")
    assert {"text": "In English, press 3.", "lang": "en-GB"} in spoken, "speech synthesis gets each text's language"
    text = transcript(browser)
    assert "You press 3\nPOST /voice/choose Digits=3" in text
    assert "POST /voice/en/top/key Digits=2" in text
    browser.find_element(By.ID, "hangup").click()
    wait_for(browser, "Call ended")
    assert browser.find_element(By.ID, "call").is_enabled()
    assert [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_busy_transfer_in_the_browser_gives_the_alternatives(browser, line):
    browser.get(f"{line}/simulator")
    browser.find_element(By.ID, "speak").click()  # silent: the page need not wait for speech
    browser.find_element(By.CSS_SELECTOR, '#outcome option[value="busy"]').click()
    browser.find_element(By.ID, "call").click()
    for key, heard in [("3", "In English, press 3."), ("2", "The test line."),
                       ("1", "To talk to the desk, press 1.")]:
        wait_for(browser, heard)
        press(browser, key)
    wait_for(browser, "Sorry, nobody could answer the call.")
    text = transcript(browser)
    assert "Dials +358861552760: the transfer is busy" in text
    assert "POST /voice/en/desk/dialled DialCallStatus=busy" in text
    wait_for(browser, "POST /voice/en/office?b=1")


def test_silence_in_the_browser_lets_the_prompt_time_out_and_go_on(browser, line):
    browser.get(f"{line}/simulator")
    browser.find_element(By.ID, "speak").click()
    browser.find_element(By.ID, "call").click()
    wait_for(browser, "No key: the line goes on", seconds=15)
    wait_for(browser, "POST /voice?s=1")


def wav(seconds=0.2, rate=8000) -> bytes:
    """A short silent WAV file, made here."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(b"\x80" * int(seconds * rate))
    return buffer.getvalue()


@pytest.fixture
def playing_line():
    """A line whose answer plays a recording, then a page that is not audio, then hangs up."""
    app = Flask(__name__)
    webphone.init_app(app)

    @app.post("/voice")
    def voice():
        twiml = "<Response><Play>/audio/hello.wav</Play><Play>/audio/page.html</Play><Hangup/></Response>"
        return Response(twiml, mimetype="text/xml")

    @app.get("/audio/hello.wav")
    def hello():
        return Response(wav(), mimetype="audio/wav")

    @app.get("/audio/page.html")
    def page():
        return Response("<html></html>", mimetype="text/html")

    with serving(app) as base:
        yield base


def test_play_is_played_and_a_file_that_is_not_audio_is_flagged(browser, playing_line):
    browser.get(f"{playing_line}/simulator")
    browser.find_element(By.ID, "call").click()
    wait_for(browser, "The line hung up")
    assert transcript(browser).splitlines()[1:] == [
        "Plays /audio/hello.wav", "Plays /audio/page.html", "Cannot play /audio/page.html: is it an audio file?",
        "The line hung up"]
