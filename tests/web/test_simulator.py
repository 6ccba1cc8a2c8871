"""/simulator: the web phone, driven in real headless Chromium against the line served on 127.0.0.1.

/simulator in headless Chromium, on a desktop and a phone screen: what a tester sees while calling.

Set IVR_SCREENSHOTS=/some/folder to keep a screenshot of each state the tests check.
"""

import io
import os
import wave

import pytest
from flask import Flask, Response

from ivr import cli, create_app
from ivr import menu as menus
from ivr.audio import library as audio
from ivr.settings import Settings
from ivr.web import simulator as webphone

from ..audio.test_library import SMALL, record
from ..browser import chromium
from ..conftest import LINE_MENU, OPEN, Clock, line_app
from ..serving import serving

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


# -- /simulator in headless Chromium, on a desktop and a phone screen: what a tester sees while calling ----


DESKTOP, PHONE = (1280, 800), (390, 844)

# English and Swedish have voices; Dari (fa) is played from recordings.
MENU = SMALL.replace(
    "  - {code: fa", '  - {code: sv, key: "3", name: På svenska, voice: Polly.Elin-Neural}\n  - {code: fa').replace(
    "en: Welcome to the line.,", "en: Welcome to the line., sv: Välkommen.,").replace(
    "en: Information,", "en: Information, sv: Information,").replace(
    "en: Here is some information.,", "en: Here is some information., sv: Här finns information.,")

# A browser whose only voice speaks English: what it reads aloud is kept in window.readAloud.
ENGLISH_ONLY = """
window.readAloud = [];
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  getVoices: () => [{ name: "Test English", lang: "en-GB", default: true, localService: true }],
  speak(u) { window.readAloud.push({ text: u.text, voice: u.voice.name }); setTimeout(() => u.onend(), 5); },
  cancel() {}, addEventListener() {},
} });
"""


# A browser with no speech synthesis at all.
NO_SPEECH = 'Object.defineProperty(window, "speechSynthesis", { configurable: true, value: undefined });'


@pytest.fixture(scope="module")
def small():
    return menus.loads(MENU, "small.yaml")


@pytest.fixture(scope="module")
def small_line(tmp_path_factory, small):
    """The small line, its Dari prompts all recorded, served with the simulator."""
    folder = tmp_path_factory.mktemp("audio")
    for prompt in audio.needed(small, small.language("fa")).values():
        record(folder / "fa", prompt)
    settings = Settings.from_env({}, require_token=False, auth_token=None, simulator=True, audio=folder)
    app = create_app(settings, menu=small, clock=Clock(OPEN))
    with serving(app) as base:
        yield base


def open_page(browser, small_line, size, speak=True):
    width, height = size
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    browser.get(f"{small_line}/simulator")
    if not speak:
        browser.find_element(By.ID, "speak").click()  # silent: the page need not wait for speech


def screenshot(browser, name):
    folder = os.environ.get("IVR_SCREENSHOTS")
    if folder:
        browser.save_screenshot(os.path.join(folder, f"simulator-{name}.png"))


def text_of(browser, element_id):
    return browser.find_element(By.ID, element_id).text


def wait_until(browser, check, message, seconds=15):
    WebDriverWait(browser, seconds, poll_frequency=0.05).until(lambda b: check(b), message)


def wait_text(browser, text):
    wait_until(browser, lambda b: text in text_of(b, "transcript"), f"{text!r} never appeared")


def listening(browser):
    wait_until(browser, lambda b: text_of(b, "status").startswith("Listening: press a key ("),
               "the line never listened")


def on_screen(browser, selector):
    """The element's box and whether all of it is inside the viewport."""
    return browser.execute_script("""
        const box = document.querySelector(arguments[0]).getBoundingClientRect();
        return box.height > 0 && box.top >= 0 && box.left >= 0
            && box.bottom <= innerHeight && box.right <= innerWidth;""", selector)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_keypad_and_status_stay_on_screen_however_long_the_transcript(browser, small_line, size):
    """Forty lines later the keypad, Call, Hang up and the countdown are still on screen, with no page
    scroll: only the transcript scrolls, and it shows its newest line."""
    open_page(browser, small_line, size, speak=False)
    browser.find_element(By.ID, "call").click()
    listening(browser)
    press(browser, "1")
    wait_text(browser, "Welcome to the line.")
    while len(browser.find_elements(By.CSS_SELECTOR, "#transcript li")) < 40:
        listening(browser)
        press(browser, "*")  # the menu again
    listening(browser)
    for selector in ["#status", ".keypad", "#call", "#hangup"]:
        assert on_screen(browser, selector), f"{selector} left the screen"
    assert browser.execute_script("return scrollY") == 0
    box = browser.execute_script("""
        const box = document.getElementById("transcript"), last = box.lastElementChild;
        return { overflows: box.scrollHeight > box.clientHeight,
                 lastShown: last.getBoundingClientRect().bottom <= box.getBoundingClientRect().bottom + 1 };""")
    assert box == {"overflows": True, "lastShown": True}
    screenshot(browser, f"{size[0]}x{size[1]}-long-call")
    browser.find_element(By.ID, "hangup").click()
    wait_until(browser, lambda b: text_of(b, "status") == "Call ended", "the call never ended")


def test_languages_the_browser_cannot_read_aloud_are_named_and_still_shown(browser, small_line):
    """The only voice speaks English: Swedish lines are not read aloud, the page says so and still shows them."""
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ENGLISH_ONLY})
    try:
        open_page(browser, small_line, PHONE)
        notice = browser.find_element(By.ID, "voices")
        assert not notice.is_displayed(), "nothing to say before anything is said"
        browser.find_element(By.ID, "call").click()
        listening(browser)
        assert notice.text == "No voice in this browser for Swedish (sv-SE): read those lines below."
        said = {item.get_attribute("lang"): item for item in browser.find_elements(By.CSS_SELECTOR, "li.said")}
        assert "På svenska, tryck 3." in said["sv-SE"].text
        assert "unvoiced" in said["sv-SE"].get_attribute("class").split()
        assert "unvoiced" not in said["en-GB"].get_attribute("class").split()
        read = browser.execute_script("return window.readAloud")
        assert {"text": "For English, press 1.", "voice": "Test English"} in read
        assert not any("svenska" in r["text"] for r in read), "no English voice reading Swedish"
        assert on_screen(browser, "#voices") and on_screen(browser, ".keypad")
        screenshot(browser, "390x844-no-voice")
        browser.find_element(By.ID, "hangup").click()
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


def test_a_browser_that_cannot_speak_says_so_and_the_call_goes_on(browser, small_line):
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NO_SPEECH})
    try:
        open_page(browser, small_line, DESKTOP)
        browser.find_element(By.ID, "call").click()
        listening(browser)
        assert text_of(browser, "voices") == ("This browser cannot read aloud: read what the caller hears "
                                              "in the transcript.")
        press(browser, "1")
        wait_text(browser, "Welcome to the line.")
        browser.find_element(By.ID, "hangup").click()
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


def test_a_recorded_prompt_shows_its_text(browser, small_line, small):
    """Dari is played from recordings: the transcript shows what each one says, not only its file name."""
    fa = audio.needed(small, small.language("fa"))
    open_page(browser, small_line, DESKTOP, speak=False)
    browser.find_element(By.ID, "call").click()
    wait_text(browser, fa["language.name"].text)
    listening(browser)
    press(browser, "2")
    wait_text(browser, fa["top.say"].text)
    played = browser.find_elements(By.CSS_SELECTOR, "li.played")
    assert played[0].text == f"fa recording {fa['language.name'].text} language.name.wav"
    assert {p.get_attribute("lang") for p in played} == {"fa"}
    assert "Plays /audio" not in text_of(browser, "transcript")
    screenshot(browser, "1280x800-recorded")
    browser.find_element(By.ID, "hangup").click()


@pytest.mark.parametrize("how", ["keypad", "keyboard"])
def test_a_key_before_call_says_to_press_call_first(browser, small_line, how):
    open_page(browser, small_line, PHONE)
    if how == "keypad":
        press(browser, "5")
    else:
        browser.find_element(By.TAG_NAME, "body").send_keys("5")
    assert text_of(browser, "status") == "You pressed 5: press Call first, then the keys go to the line"
    assert "nudge" in browser.find_element(By.ID, "call").get_attribute("class").split()
    assert text_of(browser, "transcript") == "" and browser.execute_script("return window.phone.call") is None
    screenshot(browser, f"390x844-key-before-call-{how}")


def test_the_recording_endpoint_gives_the_manifest_text_and_nothing_else(tmp_path, small):
    folder = tmp_path / "audio"
    prompt = audio.needed(small, small.language("fa"))["top.say"]
    record(folder / "fa", prompt)
    settings = Settings.from_env({}, require_token=False, auth_token=None, simulator=True, audio=folder)
    client = create_app(settings, menu=small, clock=Clock(OPEN)).test_client()
    answer = client.get("/simulator/recording/fa/top.say")
    assert answer.status_code == 200
    assert answer.json == {"lang": "fa", "prompt": "top.say", "text": "به این خط خوش آمدید.",
                           "recorded_by": "Test Reader", "synthetic": False}
    for url in ["/simulator/recording/fa/info.say", "/simulator/recording/so/top.say",
                "/simulator/recording/fa/..%2Fmanifest", "/simulator/recording/FA/top.say"]:
        assert client.get(url).status_code == 404, url
    public = create_app(Settings.from_env({}, require_token=False, audio=folder), menu=small, clock=Clock(OPEN))
    assert public.test_client().get("/simulator/recording/fa/top.say").status_code == 404
