"""The studio in headless Chromium: a translator records a Dari prompt through the real page (a fake
microphone playing a WAV), a reviewer approves it, and a call then plays it under a new URL.
The screenshots in docs/ are taken here."""

import os
import pathlib
import shutil
import subprocess

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ..answers import parse
from ..audio.sounds import needs
from ..browser import FLAGS, webdriver
from ..conftest import record_language
from ..serving import serving
from .conftest import PASSWORD

pytestmark = needs("ffmpeg", "espeak-ng", "sox")
DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
PROMPT = "language.name"


@pytest.fixture
def browser(tmp_path):
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver):
        if os.environ.get("CI") == "true":
            pytest.fail("needs Debian's chromium and chromium-driver")
        pytest.skip("needs Debian's chromium and chromium-driver")
    said = tmp_path / "said.wav"
    subprocess.run(["espeak-ng", "-v", "en", "-w", str(said), "Press seven for Dari, the studio's own test."],
                   check=True)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in FLAGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                         f"--use-file-for-fake-audio-capture={said}", "--window-size=1200,900"]:
        options.add_argument(flag)
    chrome = webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver), options=options)
    yield chrome
    chrome.quit()


def log_in(browser, base, name):
    browser.delete_all_cookies()
    browser.get(f"{base}/studio/login")
    browser.find_element(By.ID, "username").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login").click()


def test_record_in_the_browser_approve_and_callers_hear_it(browser, studio, recordings):
    record_language(recordings, "fa")
    caller = studio.test_client()
    before = next(p.text for p in parse(caller.post("/voice")).root.iter("Play") if f"/fa/{PROMPT}." in p.text)
    with serving(studio) as base:
        log_in(browser, base, "amina")
        section = WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, PROMPT))[0]
        section.find_element(By.CLASS_NAME, "record").click()
        WebDriverWait(browser, 10).until(lambda b: section.find_element(By.CLASS_NAME, "stop").is_enabled())
        browser.execute_script("return new Promise(r => setTimeout(r, 3500))")
        section.find_element(By.CLASS_NAME, "stop").click()
        WebDriverWait(browser, 10).until(lambda b: section.find_element(By.CLASS_NAME, "send").is_enabled())
        browser.save_screenshot(str(DOCS / "studio-translator.png"))
        section.find_element(By.CLASS_NAME, "send").click()
        message = section.find_element(By.CSS_SELECTOR, ".recorder .message")
        WebDriverWait(browser, 30).until(lambda b: message.text and message.text != "Sending...")
        assert "waits for a reviewer" in message.text, message.text
        log_in(browser, base, "rez")
        WebDriverWait(browser, 10).until(lambda b: "/studio/" in b.current_url and "login" not in b.current_url)
        browser.get(f"{base}/studio/fa#{PROMPT}")
        section = WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, PROMPT))[0]
        browser.save_screenshot(str(DOCS / "studio-reviewer.png"))
        section.find_element(By.CSS_SELECTOR, ".version.waiting button.approve").click()
        WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
            lambda b: "approved" in b.find_element(By.ID, PROMPT).get_attribute("class"))
    after = next(p.text for p in parse(caller.post("/voice")).root.iter("Play") if f"/fa/{PROMPT}." in p.text)
    assert after != before
    import io
    import wave

    with wave.open(io.BytesIO(caller.get(after).data)) as heard:
        seconds = heard.getnframes() / heard.getframerate()
    assert 2.0 < seconds < 5.0, "about the 3.5 s recorded (the fake microphone repeats its file), trimmed"
