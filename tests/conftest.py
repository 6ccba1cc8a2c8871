"""The tests' own line: a small menu in tests/fixtures, recordings made in tmp_path, a frozen clock.

The bundled menus/kajaani.yaml and audio/ are content office staff edit; only the tests whose subject
they are read them (test_bundled.py: it validates, the README shows it; test_golden.py: the transcripts).
Every other test, and every command a test runs, gets the test line: IVR_MENU and IVR_AUDIO point at it
for the whole session.
"""

import dataclasses
import datetime as dt
import pathlib
import wave
from zoneinfo import ZoneInfo

import pytest

from ivr import create_app
from ivr import menu as menus
from ivr.audio import library as audio
from ivr.settings import Settings

HELSINKI = ZoneInfo("Europe/Helsinki")
# Monday 30 November 2026: an ordinary working day.
OPEN = dt.datetime(2026, 11, 30, 10, 0, tzinfo=HELSINKI)
FIXTURES = pathlib.Path(__file__).parent / "fixtures"
LINE = FIXTURES / "line.yaml"
LINE_MENU = menus.load(LINE)  # immutable: shared by every test


class Clock:
    """A clock tests can set: the line reads it on every request."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, text: str) -> None:
        self.now = dt.datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


def settings(recordings: pathlib.Path | None = None, **overrides) -> Settings:
    """The test line's settings: its menu file, the given (or no) recordings, no token unless given."""
    base = Settings(auth_token=None, menu=LINE, audio=recordings or FIXTURES / "no-recordings",
                    require_token=False, reload_interval_s=0)
    return dataclasses.replace(base, **overrides)


def line_app(clock=None, recordings=None, *, served=LINE_MENU, **overrides):
    """The test line as a Flask app serving `served`; `served=None` watches the settings' menu file."""
    return create_app(settings(recordings, **overrides), menu=served, clock=clock)


def spoken(number) -> str:
    """A number as the voice reads it: digit by digit."""
    return " ".join("".join(number.groups))


def record(folder: pathlib.Path, prompt, seconds=0.2, rate=8000) -> None:
    """A person's recording of `prompt`: a short 8 kHz mono WAV and its manifest entry."""
    folder.mkdir(parents=True, exist_ok=True)
    with wave.open(str(folder / f"{prompt.id}.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x01\x00" * int(rate * seconds))
    audio.write_entry(folder, prompt, recorded_by="Test Reader")


def record_language(recordings: pathlib.Path, code: str, menu=LINE_MENU) -> None:
    """Every prompt of a recorded-only language, so the line offers it."""
    for prompt in audio.needed(menu, menu.language(code)).values():
        record(recordings / code, prompt)


@pytest.fixture(scope="session", autouse=True)
def own_content(tmp_path_factory):
    """Commands run by tests (`ivr hours`, `ivr script`, `ivr call`...) read the test line, never the bundled one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IVR_MENU", str(LINE))
        patch.setenv("IVR_AUDIO", str(tmp_path_factory.mktemp("no-recordings")))
        yield


@pytest.fixture
def clock():
    return Clock(OPEN)


@pytest.fixture
def menu():
    return LINE_MENU


@pytest.fixture
def recordings(tmp_path):
    """An empty recordings folder; tests record into it."""
    return tmp_path / "audio"


@pytest.fixture
def app(clock, recordings):
    return line_app(clock, recordings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def dari(recordings):
    """The test line with Dari recorded in full, so it is offered."""
    record_language(recordings, "fa")
    return LINE_MENU.language("fa")
