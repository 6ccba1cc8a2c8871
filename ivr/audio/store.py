"""The studio's recordings, outside the code checkout (IVR_AUDIO_DIR): every version kept, with a manifest.

    <root>/<code>/<prompt id>/<version>.wav    one file per version, never overwritten
    <root>/<code>/versions.yaml                who sent each version, when, how, the hash of the text read
                                               and of the audio, its state and the reviewer's word

A version is `waiting` until a reviewer approves or rejects it; the prompt's `live` version (the last
one approved, unless that approval was undone) is the one callers hear. Files and the manifest are
written atomically (a temporary file in the same folder, fsync, rename), and the manifest is updated
under a lock, so two instances on one volume never tear a file or lose a version. No Flask here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
import os
import pathlib
import re
import secrets
import tempfile
import threading
from collections.abc import Callable

import yaml

from ..speech.prompts import Prompt

MANIFEST = "versions.yaml"
LOCK = ".lock"
STATES = ("waiting", "approved", "rejected")
VIAS = ("browser", "phone")
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
PROMPT_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
VERSION_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$")
_threads = threading.Lock()  # lockf() locks are per process: threads (or greenlets) of one wait here first


class StoreError(ValueError):
    """A language, prompt or version that is not in the store, or a state that cannot change so."""


@dataclasses.dataclass(frozen=True)
class Version:
    id: str
    prompt: str
    text: str  # what was read
    sha256: str  # of that text: when the menu's text changes, the version is stale
    audio: str  # sha256 of the WAV file
    by: str
    via: str
    at: str  # ISO time, UTC
    state: str = "waiting"
    reviewer: str | None = None
    comment: str = ""
    reviewed_at: str | None = None


@dataclasses.dataclass(frozen=True)
class Takes:
    """One prompt's versions, oldest first, and the one callers hear (None: none approved)."""

    versions: tuple[Version, ...]
    live: str | None = None

    @property
    def playing(self) -> Version | None:
        return next((v for v in self.versions if v.id == self.live), None)


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    def __init__(self, root: str | pathlib.Path, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.root = pathlib.Path(root)
        self._clock = clock

    def folder(self, code: str) -> pathlib.Path:
        if not LANG_CODE.match(code):
            raise StoreError(f"{code!r} is not a language code")
        return self.root / code

    def manifest(self, code: str) -> pathlib.Path:
        return self.folder(code) / MANIFEST

    def path(self, code: str, prompt_id: str, version: str) -> pathlib.Path:
        if not PROMPT_ID.match(prompt_id) or not VERSION_ID.match(version):
            raise StoreError(f"no version {version!r} of {prompt_id!r}")
        return self.folder(code) / prompt_id / f"{version}.wav"

    def takes(self, code: str) -> dict[str, Takes]:
        """Every prompt's versions in this language, read from its manifest ({} when none)."""
        try:
            data = yaml.safe_load(self.manifest(code).read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            return {}
        return {str(prompt_id): _takes(str(prompt_id), entry) for prompt_id, entry in data.items()}

    def submit(self, code: str, prompt: Prompt, wav: bytes, by: str, via: str) -> str:
        """Keep a new version of `prompt` (waiting for review); its id."""
        if via not in VIAS or not PROMPT_ID.match(prompt.id):
            raise StoreError(f"cannot keep a recording of {prompt.id!r} sent by {via!r}")
        now = self._clock().astimezone(dt.UTC)
        version = f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
        target = self.path(code, prompt.id, version)
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, wav)  # the file first: a version in the manifest always has its file
        added = Version(version, prompt.id, prompt.text, checksum(prompt.text), hashlib.sha256(wav).hexdigest(),
                        by, via, now.isoformat(timespec="seconds"))
        with self._updating(code) as data:
            entry = data.setdefault(prompt.id, {"live": None, "versions": []})
            entry["versions"].append(dataclasses.asdict(added))
        return version

    def review(self, code: str, prompt_id: str, version: str, reviewer: str, approve: bool,
               comment: str = "") -> None:
        """Approve a version (callers hear it from now on; an earlier one approved again is how a bad
        approval is undone) or reject it (if it was playing, the last other approved one plays)."""
        now = self._clock().astimezone(dt.UTC).isoformat(timespec="seconds")
        with self._updating(code) as data:
            entry = data.get(prompt_id)
            found = next((v for v in (entry or {}).get("versions", ()) if v.get("id") == version), None)
            if found is None:
                raise StoreError(f"no version {version!r} of {prompt_id!r} in {code!r}")
            found.update(state="approved" if approve else "rejected", reviewer=reviewer, comment=comment,
                         reviewed_at=now)
            if approve:
                entry["live"] = version
            elif entry.get("live") == version:
                approved = [v for v in entry["versions"] if v.get("state") == "approved"]
                approved.sort(key=lambda v: v.get("reviewed_at") or "")
                entry["live"] = approved[-1]["id"] if approved else None

    @contextlib.contextmanager
    def _updating(self, code: str):
        """The manifest as data, to change in place; written back atomically, under the lock."""
        folder = self.folder(code)
        folder.mkdir(parents=True, exist_ok=True)
        with _threads, open(folder / LOCK, "a+b") as lock:
            fcntl.lockf(lock, fcntl.LOCK_EX)  # POSIX locks also hold across hosts on an NFS volume
            try:
                path = folder / MANIFEST
                data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
                data = data or {}
                yield data
                header = "# The studio's recordings: every version, who sent it and its review. Written by the line.\n"
                _write(path, (header + yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=100))
                       .encode("utf-8"))
            finally:
                fcntl.lockf(lock, fcntl.LOCK_UN)


def at(root: str | pathlib.Path | None) -> Store | None:
    """The store in `root`, or None when there is none (IVR_AUDIO_DIR unset)."""
    return Store(root) if root else None


def _takes(prompt_id: str, entry) -> Takes:
    if not isinstance(entry, dict):
        return Takes(())
    fields = {f.name for f in dataclasses.fields(Version)}
    versions = tuple(Version(**{k: v for k, v in each.items() if k in fields})
                     for each in entry.get("versions") or () if isinstance(each, dict) and "id" in each)
    return Takes(versions, entry.get("live"))


def _write(path: pathlib.Path, data: bytes) -> None:
    """Write `path` whole or not at all: a temporary file beside it, flushed to disk, then renamed."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a crash
    finally:
        os.close(folder)
