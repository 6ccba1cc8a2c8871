import datetime as dt
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
