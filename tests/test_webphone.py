"""/simulator: the web phone, driven in real headless Chromium against the line served on 127.0.0.1."""

import io
import os
import shutil
import wave

import pytest
from flask import Flask, Response

from ivr.settings import Settings
from ivr import cli, create_app
from ivr.web import simulator as webphone

from .serving import serving

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--no-first-run"]


def test_the_page_is_off_unless_configured(clock):
    """The public server never has it: only `ivr serve` (SIMULATOR true) does."""
    app = create_app(Settings.from_env({}, require_token=False), clock=clock)
    assert app.test_client().get("/simulator").status_code == 404
    on = create_app(Settings.from_env({}, require_token=False, simulator=True), clock=clock)
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
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        message = "needs Debian's chromium and chromium-driver (.ci/run installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    chrome = webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver), options=options)
    yield chrome
    chrome.quit()


@pytest.fixture
def line(clock):
    app = create_app(Settings.from_env({}, require_token=False, auth_token=None, simulator=True), clock=clock)
    with serving(app) as base:
        yield base


def transcript(browser):
    return browser.find_element(By.ID, "transcript").text


def wait_for(browser, text, seconds=20):
    WebDriverWait(browser, seconds).until(lambda b: text in transcript(b), f"{text!r} never appeared")


def listening(browser):
    """The line has said its prompts and waits for a key (the status counts the seconds down)."""
    WebDriverWait(browser, 20).until(
        lambda b: b.find_element(By.ID, "status").text.startswith("Listening: press a key ("), "never listened")


def press(browser, key):
    browser.find_element(By.CSS_SELECTOR, f'.keypad button[data-key="{key}"]').click()


def test_a_call_from_the_browser_reaches_the_reception_centre_page(browser, line):
    """Call, press 3 (English) and 1 (reception centre): the transcript shows what the caller hears."""
    browser.get(f"{line}/simulator")
    browser.find_element(By.ID, "call").click()
    wait_for(browser, "For English, press 3.")
    listening(browser)
    press(browser, "3")
    wait_for(browser, "Reception centre duty phone, press 1.")
    listening(browser)
    press(browser, "1")
    wait_for(browser, "The duty phone number: 0 8 [0.6 s] 6 1 5 5 [0.6 s] 2 7 6 0.")
    said = browser.find_elements(By.CSS_SELECTOR, "#transcript li.said")
    assert said[0].get_attribute("lang") == "fi-FI" and said[0].get_attribute("data-voice") == "Polly.Suvi-Neural"
    assert said[3].get_attribute("lang") == "arb"
    assert {s.get_attribute("lang") for s in said[6:]} == {"en-GB"}
    spoken = browser.execute_script("return window.phone.spoken")
    assert {"text": "For English, press 3.", "lang": "en-GB"} in spoken, "speech synthesis gets each text's language"
    text = transcript(browser)
    assert "You press 3\nPOST /voice/choose Digits=3" in text
    assert "POST /voice/en/services/key Digits=1" in text
    browser.find_element(By.ID, "hangup").click()
    wait_for(browser, "Call ended")
    assert browser.find_element(By.ID, "call").is_enabled()
    assert [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_busy_transfer_in_the_browser_gives_the_alternatives(browser, line):
    browser.get(f"{line}/simulator")
    browser.find_element(By.ID, "speak").click()  # silent: the page need not wait for speech
    browser.find_element(By.CSS_SELECTOR, '#outcome option[value="busy"]').click()
    browser.find_element(By.ID, "call").click()
    for key, heard in [("3", "For English, press 3."), ("1", "Reception centre duty phone, press 1."),
                       ("1", "To call the duty phone now, press 1.")]:
        wait_for(browser, heard)
        press(browser, key)
    wait_for(browser, "Sorry, nobody could answer the call.")
    text = transcript(browser)
    assert "Dials +358861552760: the transfer is busy" in text
    assert "POST /voice/en/duty/dialled DialCallStatus=busy" in text
    wait_for(browser, "POST /voice/en/reception_centre?b=1")


def test_silence_in_the_browser_lets_the_prompt_time_out_and_go_on(browser, line):
    browser.get(f"{line}/simulator")
    browser.find_element(By.ID, "speak").click()
    browser.find_element(By.ID, "call").click()
    wait_for(browser, "No key: the line goes on", seconds=15)
    wait_for(browser, "POST /voice?s=1")


def wav(seconds=0.2, rate=8000) -> bytes:
    """A short silent WAV file, made here: the bundled menu has no recordings yet."""
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
