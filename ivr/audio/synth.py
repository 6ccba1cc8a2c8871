"""Making audio with Debian's espeak-ng and sox: placeholder recordings, and slowed copies.

Placeholders let the whole line be tried before a person records anything;
they are marked synthetic in the manifest and never replace a human recording.
"""

from __future__ import annotations

import functools
import logging
import pathlib
import shutil
import subprocess
import tempfile

log = logging.getLogger(__name__)

RATE = 8000  # the phone line's own rate: nothing gained by storing more
SLOW_TEMPO = 0.75  # "hear this again slowly": three quarters of the speed, same pitch
# espeak-ng's own default rate (words a minute). Its Dari and Kurmanji voices then speak about as fast
# as the timing model expects of a person (`ivr timing`, CHARS_PER_S); at 150 they took a sixth longer.
# No faster: these placeholders reach people on poor lines, at 8 kHz, in an accent not their own.
ESPEAK_WPM = 175
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


def synthesise(text: str, voice: str, target: pathlib.Path) -> None:
    """`text` spoken by espeak-ng, written as 8 kHz mono 16-bit PCM WAV."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = pathlib.Path(tmp) / "raw.wav"
        subprocess.run([_tool("espeak-ng"), "-v", voice, "-s", str(ESPEAK_WPM), "-w", str(raw), text],
                       check=True, capture_output=True)
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
