"""Making audio with Debian's espeak-ng and sox: placeholder recordings, and slowed copies.

Placeholders let the whole line be tried before a person records anything;
they are marked synthetic in the manifest and never replace a human recording.
"""

from __future__ import annotations

import functools
import html
import logging
import pathlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence

log = logging.getLogger(__name__)

RATE = 8000  # the phone line's own rate: nothing gained by storing more
SLOW_TEMPO = 0.75  # "hear this again slowly": three quarters of the speed, same pitch
# Words a minute: the rate these placeholders were first made at, below espeak-ng's default of 175.
# Never faster: they reach people on poor lines, at 8 kHz, in an accent not their own, who may need
# to write a number down. Time to the duty phone is won by the menu's order, not by faster speech.
ESPEAK_WPM = 150
# The line's own pauses are kept inside a recording (SSML breaks), and never shorter than this:
# between digit groups and between sentences a listener needs the time a voiced language gets.
MIN_GAP_MS = 500
# Menu language -> espeak-ng voice, where the code alone does not name it.
# espeak-ng's "ku" reads Kurmanji in Latin letters; Sorani (ckb) is written in
# Arabic letters and that voice cannot read it, so it has none.
ESPEAK_VOICES = {"fa": "fa", "kmr": "ku", "ckb": None}


class ToolMissing(RuntimeError):
    """espeak-ng or sox is not installed."""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} is not installed: apt-get install {name}")
    return path


@functools.cache
def espeak_voices() -> frozenset[str]:
    """The voice names this machine's espeak-ng knows (its `--voices` list)."""
    listing = subprocess.run([_tool("espeak-ng"), "--voices"], capture_output=True, text=True, check=True).stdout
    return frozenset(line.split()[1] for line in listing.splitlines()[1:] if len(line.split()) > 1)


def espeak_voice(code: str) -> str | None:
    """The espeak-ng voice for a menu language, or None when espeak-ng cannot speak it."""
    voice = ESPEAK_VOICES.get(code, code)
    return voice if voice is not None and voice in espeak_voices() else None


def ssml(pieces: Sequence[str | int]) -> str:
    """Text and pauses (milliseconds) as SSML for espeak-ng: each pause, and the end of each sentence,
    a break of at least MIN_GAP_MS."""
    out = []
    for piece in pieces:
        if isinstance(piece, int):
            out.append(f'<break time="{max(piece, MIN_GAP_MS)}ms"/>')
        else:
            text = html.escape(piece.strip(), quote=False)
            out.append(re.sub(r"([.!?؟])\s+(?=\S)", rf'\1 <break time="{MIN_GAP_MS}ms"/> ', text))
    return "<speak>" + " ".join(out) + "</speak>"


def synthesise(pieces: Sequence[str | int], voice: str, target: pathlib.Path) -> None:
    """Text and pauses (ms) spoken by espeak-ng, written as 8 kHz mono 16-bit PCM WAV."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = pathlib.Path(tmp) / "raw.wav"
        subprocess.run([_tool("espeak-ng"), "-m", "-v", voice, "-s", str(ESPEAK_WPM), "-w", str(raw),
                        ssml(pieces)], check=True, capture_output=True)
        convert(raw, target)


def convert(source: str | pathlib.Path, target: pathlib.Path) -> None:
    """Any audio file sox reads -> 8 kHz mono 16-bit PCM WAV."""
    # -R: repeatable (fixed dither seed), so the same text always makes the same file. Silence before the
    # first word and after the last is cut (a caller waits through it: about 0.3 s a prompt from espeak-ng,
    # often a second in a person's take), leaving a short pad so no word is clipped.
    subprocess.run([_tool("sox"), "-R", str(source), "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer",
                    str(target), "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse",
                    "pad", "0.05", "0.1"], check=True, capture_output=True)


@functools.lru_cache(maxsize=256)
def slowed(path: pathlib.Path, digest: str) -> bytes | None:
    """A slower copy of a recording, same pitch (`digest` renews it when the file changes); None without sox."""
    try:
        sox = _tool("sox")
    except ToolMissing as exc:
        log.warning("%s: the normal speed plays instead", exc)
        return None
    with tempfile.TemporaryDirectory() as tmp:
        target = pathlib.Path(tmp) / "slow.wav"  # a file, not a pipe: sox then writes the true length
        done = subprocess.run([sox, str(path), str(target), "tempo", "-s", str(SLOW_TEMPO)],
                              capture_output=True, check=False)
        if done.returncode != 0:
            log.error("sox could not slow %s: %s", path, done.stderr.decode(errors="replace")[:200])
            return None
        return target.read_bytes()
