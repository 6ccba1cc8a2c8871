import contextlib
import datetime as dt
import io
import shutil
from zoneinfo import ZoneInfo

import pytest

from ivr.settings import Settings
from ivr import create_app

HELSINKI = ZoneInfo("Europe/Helsinki")
# Monday 30 November 2026: an ordinary working day.
OPEN = dt.datetime(2026, 11, 30, 10, 0, tzinfo=HELSINKI)


class Clock:
    """A clock tests can set: the line reads it on every request."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, text: str) -> None:
        self.now = dt.datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


@pytest.fixture
def clock():
    return Clock(OPEN)


@pytest.fixture
def app(clock):
    return create_app(Settings.from_env({}, require_token=False, auth_token=None), clock=clock)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def menu(app):
    return app.extensions["ivr.menu"]


@pytest.fixture(scope="session", autouse=True)
def bundled_audio(tmp_path_factory):
    """The bundled recordings with placeholders for prompts whose text changed since they were made.

    Placeholders are regenerated only after the call flow that names the prompts is
    final; until then the recorded languages (fa, kmr) would not be offered, and the
    tests of them would test nothing. With fresh recordings this copies and adds nothing.
    """
    from ivr import cli, settings

    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        yield settings.BUNDLED_AUDIO  # the tests of recorded languages then fail, and say why
        return
    folder = tmp_path_factory.mktemp("audio")
    shutil.copytree(settings.BUNDLED_AUDIO, folder, dirs_exist_ok=True)
    for code in sorted(p.name for p in settings.BUNDLED_AUDIO.iterdir() if p.is_dir()):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert cli.main(["audio", "synth", "--lang", code, "--audio", str(folder)]) == 0
    patch = pytest.MonkeyPatch()
    patch.setattr(settings, "BUNDLED_AUDIO", folder)
    yield folder
    patch.undo()
