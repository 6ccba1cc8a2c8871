"""The line in this process, its answers read through the TwiML reader: for tools that follow a call
(`ivr script`, `ivr timing`) without printing a transcript of it.

The menu, the recordings folder and the clock are passed in; the app answers exactly as on a real call.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import pathlib

from ..menu import Menu
from ..settings import Settings
from . import reader


@contextlib.contextmanager
def quiet():
    """The line's own log (unsigned requests, prompts said by the voice) is for a server, not these tools."""
    logger = logging.getLogger("ivr")
    level = logger.level
    logger.setLevel(max(level, logging.ERROR))
    try:
        yield
    finally:
        logger.setLevel(level)


class Clock:
    """A clock the tool can move (open hours, closed hours) between requests."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class LocalLine:
    def __init__(self, menu: Menu, audio: pathlib.Path, now: dt.datetime) -> None:
        from ..web.app import create_app  # the web layer, loaded only by tools that drive it

        self.menu = menu
        self.clock = Clock(now)
        settings = Settings(require_token=False, call_log=False, audio=pathlib.Path(audio))
        with quiet():
            self.app = create_app(settings, menu=menu, clock=self.clock)
        self.library = self.app.extensions["ivr.audio"]
        self.client = self.app.test_client()

    def ask(self, url: str, **fields: str) -> reader.Answer:
        with quiet():
            reply = self.client.post(url, data=fields)
        if reply.status_code != 200:
            raise RuntimeError(f"POST {url} answered HTTP {reply.status_code}")
        return reader.read(reply.get_data())

    def follow(self, step: reader.Next | None) -> reader.Answer | None:
        """The answer to the request Twilio makes next; None when the call has ended."""
        return None if step is None else self.ask(step.url, **step.fields)

    def offered(self):
        return self.library.offered(self.menu)
