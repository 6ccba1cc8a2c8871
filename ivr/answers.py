"""Answers rendered once: the TwiML of a menu or a page, reused while nothing it depends on changes.

Building the twilio library's element tree and serializing it was most of a
webhook request's CPU, yet a menu or a page answer is the same text every time
for the same menu, recordings, language, node, step and URL scheme. A transfer
depends on the clock only through whether the duty is open and when it opens
next, so the caller (call.Line) keys it on those. No Flask here.

Entries are keyed on the menu and recordings objects by identity, so a live
reload (a new Menu) or a changed recording (a new manifest dict) is a new key;
an entry holds those objects, so their ids are not reused while it lives. The
cache is bounded: when full it starts again (a menu has a few hundred distinct
answers, so that only happens after reloads).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

MAX_ANSWERS = 4096


class Rendered:
    """An answer as text: str() of it is the TwiML, as str() of the VoiceResponse it came from was."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


class Answers:
    def __init__(self, size: int = MAX_ANSWERS) -> None:
        self._size = size
        self._kept: dict[tuple, tuple[tuple, Rendered]] = {}

    def get(self, held: tuple, key: Hashable, render: Callable[[], object]) -> Rendered:
        """The answer for `key` given the objects in `held` (compared by identity), rendered at most once."""
        full = (tuple(map(id, held)), key)
        found = self._kept.get(full)
        if found is not None:
            return found[1]
        answer = Rendered(str(render()))
        if len(self._kept) >= self._size:
            self._kept.clear()
        self._kept[full] = (held, answer)  # `held` keeps the ids in the key from being reused
        return answer


ANSWERS = Answers()  # one per process: each gunicorn worker renders its own
