"""Recorded prompts: audio/<code>/<prompt id>.wav, and a manifest saying what each one says.

`audio/<code>/manifest.yaml` has one entry per recording:

    migri.say:
      text: The Finnish Immigration Service, Migri, decides ...
      sha256: 5f1c...          # of that text; when the menu's text changes, the recording is stale
      recorded_by: Amina       # or `synthetic: true` for a placeholder

A recording plays when its file exists and its checksum matches the text the
line would say now. The studio's recordings (`store.py`, IVR_AUDIO_DIR) come on top: a
prompt's approved version, when it has one, replaces the bundled file; waiting and rejected
versions never reach callers. No Flask here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import pathlib
import re
import struct
import time
from collections.abc import Callable

import yaml

from .. import phrases
from ..menu import Language, Menu
from ..menu.errors import Problem
from ..speech import prompts
from ..speech.notices import notice
from .store import Store

MANIFEST = "manifest.yaml"
PROMPT_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
RATES = (8000, 16000)  # phone lines: 8 kHz (or 16 kHz) mono
FORMATS = {1: "16-bit PCM", 7: "mu-law", 6: "A-law"}

MAX_NAMES = 64  # language folders remembered (a menu has about ten languages; codes come from URLs too)
NONE: dict = {}  # a language with no recordings (one object, so caches can compare it; never changed)

log = logging.getLogger(__name__)


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclasses.dataclass(frozen=True)
class Recording:
    id: str
    text: str
    sha256: str
    recorded_by: str | None
    synthetic: bool
    path: pathlib.Path
    digest: str  # of the file's bytes ("" when the file is missing): URLs carry it, so caches renew


@dataclasses.dataclass(frozen=True)
class Status:
    """One language's prompts: recorded (and fresh), missing, stale (recorded from an older text)."""

    code: str
    recorded: tuple[str, ...]
    missing: tuple[str, ...]
    stale: tuple[str, ...]
    synthetic: tuple[str, ...] = ()  # recorded, but machine-made placeholders
    placeholders: bool = False  # the menu allows machine-made recordings for this language

    @property
    def complete(self) -> bool:
        """Every prompt recorded, by a person or (where the menu allows it) as a placeholder."""
        return not self.missing and not self.stale and (self.placeholders or not self.synthetic)

    @property
    def machine_made(self) -> bool:
        """Offered with placeholders: callers hear machine-made recordings."""
        return self.complete and bool(self.synthetic)


class Library:
    """The recordings under `root`, re-read when a language's manifest or folder changes.

    Every request asks which languages are offered, which needs every prompt of a
    recorded-only language: kept per language until its recordings or the menu change
    (without it a request cost several milliseconds more). With `recheck_s`, a folder
    is looked at no more often than that (the menu's reload interval); 0 looks every
    time (the staff commands).
    """

    def __init__(self, root: str | pathlib.Path, recheck_s: float = 0.0,
                 monotonic: Callable[[], float] = time.monotonic, studio: Store | None = None) -> None:
        self.root = pathlib.Path(root)
        self.studio = studio
        self.recheck_s = recheck_s
        self._monotonic = monotonic
        self._recordings: dict[str, tuple[float, tuple, dict[str, Recording]]] = {}  # code -> (when, stamp, found)
        self._statuses: dict[str, tuple[Menu, dict, Status]] = {}

    def folder(self, code: str) -> pathlib.Path:
        if not LANG_CODE.match(code):
            raise ValueError(f"{code!r} is not a language code")
        return self.root / code

    def recordings(self, code: str) -> dict[str, Recording]:
        """The language's recordings by prompt id; the same dict object until its folder changes."""
        now = self._monotonic()
        kept = self._recordings.get(code)
        if kept is not None and now - kept[0] < self.recheck_s:
            return kept[2]
        try:
            folder = self.folder(code)
        except ValueError:
            return NONE
        # Adding a file changes the folder; the studio writes its manifest last (and renames it in).
        studio = self.studio.manifest(code) if self.studio else None
        stamp = (_stat(folder / MANIFEST), _stat(folder), _stat(studio) if studio else None)
        if stamp[0] is None and stamp[2] is None:
            return NONE
        found = kept[2] if kept is not None and kept[1] == stamp else self._read(code)
        if kept is not None or len(self._recordings) < MAX_NAMES:  # codes come from URLs too
            self._recordings[code] = (now, stamp, found)
        return found

    def _read(self, code: str) -> dict[str, Recording]:
        """The bundled manifest's recordings, each replaced by the studio's approved version if any."""
        found = read_manifest(self.folder(code) / MANIFEST) if (self.folder(code) / MANIFEST).is_file() else {}
        if self.studio is None:
            return found
        try:
            takes = self.studio.takes(code)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            log.error("%s cannot be read: %s", self.studio.manifest(code), exc)
            return found
        for prompt_id, each in takes.items():
            playing = each.playing
            if playing is None or not PROMPT_ID.match(prompt_id):
                continue
            path = self.studio.path(code, prompt_id, playing.id)
            if path.is_file():
                found[prompt_id] = Recording(prompt_id, playing.text, playing.sha256, playing.by, False, path,
                                             playing.audio[:16])
        return found

    def _folders(self, code: str) -> list[pathlib.Path]:
        return [self.folder(code)] + ([self.studio.folder(code)] if self.studio else [])

    def file(self, code: str, prompt_id: str) -> Recording | None:
        """The recording listed in the manifest, with its file, never anything outside audio/<code>/."""
        if not LANG_CODE.match(code) or not PROMPT_ID.match(prompt_id):
            return None
        found = self.recordings(code).get(prompt_id)
        if found is None or not found.digest:
            return None
        inside = any(found.path.resolve().is_relative_to(folder.resolve()) for folder in self._folders(code))
        return found if inside else None

    def fresh(self, lang: Language, prompt: prompts.Prompt) -> Recording | None:
        """The recording to play for `prompt`, or None: missing, stale, a changing prompt, or a
        placeholder the menu does not allow for this language."""
        if prompt.changing:
            return None
        found = self.recordings(lang.code).get(prompt.id)
        if found is None or not found.digest or found.sha256 != checksum(prompt.text):
            return None
        return None if found.synthetic and not lang.placeholders else found

    def status(self, menu: Menu, lang: Language) -> Status:
        have = self.recordings(lang.code)
        cached = self._statuses.get(lang.code)
        if cached is not None and cached[0] is menu and cached[1] is have:
            return cached[2]
        recorded, missing, stale, synthetic = [], [], [], []
        for prompt_id, prompt in needed(menu, lang).items():
            found = have.get(prompt_id)
            if found is None or not found.digest:
                missing.append(prompt_id)
            elif found.sha256 != checksum(prompt.text):
                stale.append(prompt_id)
            else:
                recorded.append(prompt_id)
                if found.synthetic:
                    synthetic.append(prompt_id)
        found = Status(lang.code, tuple(recorded), tuple(missing), tuple(stale), tuple(synthetic), lang.placeholders)
        self._statuses[lang.code] = (menu, have, found)
        return found

    def offered(self, menu: Menu) -> tuple[Language, ...]:
        """The languages a caller can choose: every voiced one, and a recorded-only one once complete."""
        return tuple(lang for lang in menu.languages if lang.voice or self.status(menu, lang).complete)


def _stat(path: pathlib.Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def needed(menu: Menu, lang: Language) -> dict[str, prompts.Prompt]:
    """Every prompt the line may say in `lang`, by id (changing ones stand for their fixed sentence)."""
    any_day = dt.datetime(2026, 1, 1, tzinfo=menu.timezone)  # closed(): only its fixed prompts count
    parts: list[prompts.Speech] = [prompts.language_option(menu, lang)]
    if len(lang.key) > 1:
        parts.append(prompts.language_option(menu, lang, second=True))
    parts += [prompts.greeting(menu, lang), prompts.navigation(menu, lang)]
    for message in (phrases.NO_KEY, phrases.NOT_IN_MENU, phrases.GOODBYE, phrases.LOST, phrases.SLOW):
        parts.append(prompts.phrase(menu, lang, message))
    transfers = frozenset(node.id for node in menu.nodes.values() if node.kind == "transfer")
    parts.append(prompts.last_words(menu, lang))
    parts.append(prompts.sms_offer(menu, lang))  # the duty number by text message, where configured
    parts += [prompts.phrase(menu, lang, message) for message in (phrases.SMS_SENT, phrases.SMS_ALREADY,
                                                                   phrases.SMS_FAILED)]
    parts += [notice(menu, lang, each) for each in menu.notices]  # every notice, live or not: recorded ahead
    for node in menu.nodes.values():
        if node.kind == "menu":
            parts.append(prompts.intro(menu, lang, node))
        elif node.kind == "page":
            parts.append(prompts.page(menu, lang, node))
        else:
            parent = menu.nodes[node.parent or menu.start]
            retry = next((key for key, target in parent.options.items() if target == node.id), None)
            parts += [prompts.connecting(menu, lang, node), prompts.closed_page(menu, lang, node, any_day),
                      prompts.no_answer(menu, lang, node, retry)]
        # Each option as said while its transfer is open, and while it is closed.
        parts += [prompts.options(menu, lang, node), prompts.options(menu, lang, node, transfers)]
    found: dict[str, prompts.Prompt] = {}
    for part in parts:
        for prompt in prompts.prompts(part):
            if not prompt.changing:
                found.setdefault(prompt.id, prompt)
    return found


def read_manifest(path: pathlib.Path) -> dict[str, Recording]:
    """The recordings a manifest lists; an unreadable manifest counts as none (`problems` says why)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        log.error("%s cannot be read: %s", path, exc)
        return {}
    result = {}
    for prompt_id, entry in data.items() if isinstance(data, dict) else ():
        if not isinstance(entry, dict) or not PROMPT_ID.match(str(prompt_id)):
            continue
        text = str(entry.get("text", ""))
        wav = path.parent / f"{prompt_id}.wav"
        digest = hashlib.sha256(wav.read_bytes()).hexdigest()[:16] if wav.is_file() else ""
        result[str(prompt_id)] = Recording(
            str(prompt_id), text, str(entry.get("sha256", "")), entry.get("recorded_by"),
            bool(entry.get("synthetic", False)), wav, digest,
        )
    return result


def write_entry(folder: pathlib.Path, prompt: prompts.Prompt, recorded_by: str | None = None) -> None:
    """Add or replace one manifest entry (synthetic when nobody recorded it)."""
    manifest = folder / MANIFEST
    data = {}
    if manifest.is_file():
        data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    entry: dict = {"text": prompt.text, "sha256": checksum(prompt.text)}
    entry.update({"recorded_by": recorded_by} if recorded_by else {"synthetic": True})
    data[prompt.id] = entry
    header = "# Recorded prompts of this language: see the README, \"Recording a prompt\".\n"
    manifest.write_text(header + yaml.safe_dump(dict(sorted(data.items())), allow_unicode=True,
                                                sort_keys=False, width=100), encoding="utf-8")


def wav_format(path: pathlib.Path) -> tuple[str, int, int]:
    """(encoding, sample rate, channels) from a WAV header; ValueError when it is not a WAV file."""
    with path.open("rb") as fp:
        head = fp.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError("not a WAV file")
        while chunk := fp.read(8):
            if len(chunk) < 8:
                break
            name, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if name == b"fmt ":
                fmt = fp.read(8)
                if len(fmt) < 8:
                    break
                tag, channels, rate = struct.unpack("<HHI", fmt)
                return FORMATS.get(tag, f"format {tag}"), rate, channels
            fp.seek(size + (size & 1), 1)
    raise ValueError("a WAV file without a format chunk")


def wav_seconds(path: pathlib.Path) -> float:
    """How long a WAV file plays: its data chunk's bytes over the bytes a second its header gives."""
    with path.open("rb") as fp:
        head = fp.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError("not a WAV file")
        byte_rate = 0
        while chunk := fp.read(8):
            if len(chunk) < 8:
                break
            name, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if name == b"fmt ":
                fmt = fp.read(size + (size & 1))
                if len(fmt) < 12:
                    break
                byte_rate = struct.unpack("<I", fmt[8:12])[0]
            elif name == b"data" and byte_rate:
                left = path.stat().st_size - fp.tell()  # a header written while streaming may overstate it
                return min(size, left) / byte_rate
            else:
                fp.seek(size + (size & 1), 1)
    raise ValueError("a WAV file without a format or data chunk")


def problems(menu: Menu, library: Library) -> list[Problem]:
    """Missing, stale and broken recordings, at the YAML position of what they say.

    A broken or missing file the manifest lists is an error; a prompt not yet
    recorded is a warning (a voiced language says it; one without a voice is
    not offered until everything is recorded).
    """
    found: list[Problem] = []
    for lang in menu.languages:
        at_language = (menu.source, lang.line, 1)
        for recording in library.recordings(lang.code).values():
            shown = f"audio/{lang.code}/{recording.id}.wav"
            if not recording.digest:
                found.append(Problem(*at_language, f"{shown} is listed in its manifest but the file is missing"))
                continue
            try:
                encoding, rate, channels = wav_format(recording.path)
                wav_seconds(recording.path)  # a header with no sound after it plays nothing
            except ValueError as exc:
                found.append(Problem(*at_language, f"{shown}: {exc}"))
                continue
            if encoding not in FORMATS.values() or rate not in RATES or channels != 1:
                found.append(Problem(*at_language, f"{shown} is {encoding}, {rate} Hz, {channels} channel(s): "
                                     "a phone line needs 8000 Hz mono WAV (16-bit PCM or mu-law)"))
        status = library.status(menu, lang)
        if status.machine_made:
            found.append(Problem(*at_language, f"{lang.code!r} is offered with machine-made recordings "
                                 f"({len(status.synthetic)} of {len(status.recorded)} prompts, placeholders: allowed): "
                                 "callers hear synthetic speech until a person records them", warning=True))
        elif status.synthetic and not lang.placeholders and not status.missing and not status.stale:
            found.append(Problem(*at_language, f"{lang.code!r} has machine-made recordings of "
                                 f"{len(status.synthetic)} prompts, which are not played: add `placeholders: allowed` "
                                 "to the language to offer them, or record them", warning=True))
        consequence = "the voice says them" if lang.voice else "the language is not offered until they are"
        for kind, ids in (("no recording", status.missing), ("a stale recording (the text changed)", status.stale)):
            if not ids or (lang.voice and not library.recordings(lang.code)):
                continue  # a voiced language nobody has started recording is fine as it is
            by_line: dict[int, list[str]] = {}
            for prompt_id in ids:
                node = menu.nodes.get(prompt_id.split(".")[0])
                by_line.setdefault(node.line if node else lang.line, []).append(prompt_id)
            for line, listed in sorted(by_line.items()):
                found.append(Problem(menu.source, line, 1, f"{lang.code!r} has {kind} of {', '.join(listed)}: "
                                     f"{consequence} (see `ivr audio status`)", warning=True))
    return found
