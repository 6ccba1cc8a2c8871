"""The live menu: the last good version of the menu file, swapped in when staff save a good change.

No Flask and no thread here. The web layer asks `current()` on each request; at
most once every `interval` seconds that looks at the file's size and mtime and,
when they changed, reads, hashes and validates it. Checking on requests (not in
a background thread) keeps this safe under gunicorn's forking workers, where a
thread started before the fork would not exist; each worker checks for itself,
and a line with no calls has nothing to serve anyway.

A file that does not validate, cannot be read, is empty or is gone is refused:
the last good menu stays live and the validator's lines are logged once. A
file modified less than `settle` seconds ago is left until it is older, so a
half-written file that happens to parse (cut off inside the last text) is not
taken for the finished one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import pathlib
import threading
import time
from collections.abc import Callable

from . import model
from .errors import MenuError

log = logging.getLogger(__name__)

@dataclasses.dataclass(frozen=True)
class Version:
    """One file content that was looked at: its hash, and when."""

    sha256: str
    at: dt.datetime

    @property
    def short(self) -> str:
        return self.sha256[:12]


@dataclasses.dataclass(frozen=True)
class Refusal:
    """A newer file that was not taken, and the validator's lines saying why."""

    version: Version | None  # None: the file could not be read at all
    problems: tuple[str, ...]


class LiveMenu:
    def __init__(self, path: str | os.PathLike, interval: float, settle: float,
                 ticks: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time) -> None:
        self.path = pathlib.Path(path)
        self.interval, self.settle = interval, settle
        self._ticks, self._wall = ticks, wall
        self._lock = threading.Lock()
        stat = self._stat()
        data = model.read(self.path)
        self.menu = model.parsed(data, self.path)  # a bad file stops the start
        self.version = Version(hashlib.sha256(data).hexdigest(), self._now())
        self.refused: Refusal | None = None
        self._seen = stat  # the (mtime, size) last looked at, taken or not
        self._checked = ticks()
        self.on_reload: Callable[[str], None] | None = None  # told "loaded" or "refused" (the web layer counts them)
        self.reloading = False  # a changed file is being read and checked right now

    def current(self) -> model.Menu:
        """The live menu, after a look at the file when the last look is `interval` old."""
        if self._ticks() - self._checked >= self.interval and self._lock.acquire(blocking=False):
            try:
                self._checked = self._ticks()
                self.reloading = True
                self.check()
            except Exception as exc:  # whatever the file is, the caller still gets the last good menu
                self._refuse(None, [f"{model.shown(self.path)}:1:1: the menu file could not be checked "
                                    f"({type(exc).__name__}): fix it"])
            finally:
                self.reloading = False
                self._lock.release()
        return self.menu

    def check(self) -> None:
        """Take the file if it changed and is good; otherwise say why not, once."""
        stat = self._stat()
        if stat == self._seen:
            return
        if stat is None:
            self._seen = None
            return self._refuse(None, [f"{model.shown(self.path)}: the menu file is gone: put it back"])
        if self._wall() - stat[0] / 1e9 < self.settle:
            return  # still being written: look again next time
        self._seen = stat
        try:
            data = model.read(self.path)
        except MenuError as exc:
            return self._refuse(None, [str(p) for p in exc.problems])
        sha = hashlib.sha256(data).hexdigest()
        if sha == self.version.sha256:
            self.refused = None  # back to the live content (an undo, or a touch)
            return
        version = Version(sha, self._now())
        try:
            loaded = model.parsed(data, self.path)
        except MenuError as exc:
            return self._refuse(version, [str(p) for p in exc.problems])
        self.menu, self.version, self.refused = loaded, version, None
        log.info("menu %s is live: version %s, %d nodes in %d languages",
                 loaded.source, version.short, len(loaded.nodes), len(loaded.languages))
        self._tell("loaded")

    def _tell(self, result: str) -> None:
        if self.on_reload is not None:
            try:
                self.on_reload(result)
            except Exception:  # a listener's failure is not the menu's
                log.exception("menu reload listener failed")

    def _refuse(self, version: Version | None, problems: list[str]) -> None:
        self.refused = Refusal(version, tuple(problems))
        what = f"version {version.short}" if version else "the file"
        log.error("menu change refused (%s); version %s stays live:", what, self.version.short)
        for line in problems:
            log.error("%s", line)
        self._tell("refused")

    def _stat(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self._wall(), dt.UTC)

    def health(self) -> dict:
        """For /healthz: which version is live and whether a newer file was refused."""
        refused = None
        if self.refused is not None:
            version = self.refused.version
            refused = {"sha256": version.sha256 if version else None,
                       "at": version.at.isoformat(timespec="seconds") if version else None,
                       "problems": list(self.refused.problems)}
        return {"sha256": self.version.sha256,
                "loaded_at": self.version.at.isoformat(timespec="seconds"), "refused": refused}
