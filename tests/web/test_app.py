"""The app factory, its configuration, and how the line starts."""

import os
import pathlib
import subprocess
import sys

import pytest

from ivr import ConfigError, MenuError, create_app
from ivr.settings import BUNDLED_MENU, Settings

from ..answers import parse
from ..conftest import LINE, settings

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_factory_refuses_to_start_without_a_token_unless_told_it_is_local():
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN is not set"):
        create_app(environ={})
    assert create_app(Settings.from_env({"IVR_MENU": str(LINE)}, require_token=False)).config["IVR"].auth_token is None


def test_settings_come_from_the_environment():
    config = Settings.from_env({"TWILIO_AUTH_TOKEN": "t", "IVR_MENU": "m.yaml", "IVR_PUBLIC_URL": "https://x",
                                "IVR_NOW": "2026-12-24T10:00", "IVR_AUDIO": "rec"})
    assert config.auth_token == "t" and config.menu == pathlib.Path("m.yaml") and config.audio == pathlib.Path("rec")
    assert config.public_url == "https://x" and config.now == "2026-12-24T10:00"
    assert Settings.from_env({}).menu == BUNDLED_MENU


def test_ivr_now_freezes_the_clock_in_helsinki_time():
    """IVR_NOW as testers set it: Christmas Eve is closed, 06:30 UTC on a Monday is 08:30 in Helsinki."""
    app = create_app(Settings.from_env({"IVR_NOW": "2026-12-24T10:00", "IVR_MENU": str(LINE)}, require_token=False))
    answer = parse(app.test_client().post("/voice/en/desk"))
    assert answer.dial is None and "Monday 28 December" in answer.text
    app = create_app(Settings.from_env({"IVR_NOW": "2026-12-28T06:30:00+00:00", "IVR_MENU": str(LINE)},
                                       require_token=False))
    assert parse(app.test_client().post("/voice/en/desk")).dial is not None


def test_a_bad_ivr_now_stops_the_start_with_a_clear_message():
    with pytest.raises(ValueError, match="IVR_NOW='christmas' is not an ISO 8601 date-time"):
        create_app(settings(now="christmas"))


def test_a_broken_menu_fails_at_start_not_during_a_call(tmp_path):
    bad = tmp_path / "menu.yaml"
    bad.write_text("name: x\ntimezone: Europe/Helsinki\nstart: nowhere\nlanguages: []\nnodes: {}\n")
    with pytest.raises(MenuError) as caught:
        create_app(Settings.from_env({}, require_token=False, menu=bad))
    assert str(bad) in str(caught.value) or "menu.yaml" in str(caught.value)


def test_gunicorn_config_refuses_to_start_without_a_token_in_one_line():
    env = {k: v for k, v in os.environ.items() if k != "TWILIO_AUTH_TOKEN"}
    code = "import runpy; runpy.run_path('gunicorn.conf.py')"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "ivr: TWILIO_AUTH_TOKEN is not set; the public server refuses to start without it "
        "(set it to the Twilio account's auth token, or run `ivr serve` locally)"
    ]


def test_procfile_serves_the_factory_with_gunicorn_on_port():
    line = (ROOT / "Procfile").read_text().strip()
    assert line == "web: gunicorn --bind 0.0.0.0:$PORT 'ivr:create_app()'"
