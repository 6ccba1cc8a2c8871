"""Recordings for the studio's tests, made with espeak-ng, sox and ffmpeg in a temporary folder."""

import os
import pathlib
import shutil
import subprocess

import pytest


def needs(*tools):
    """Skip without the tools, except in CI, where a missing tool fails the run."""
    missing = [t for t in tools if shutil.which(t) is None]
    return pytest.mark.skipif(bool(missing) and os.environ.get("CI") != "true", reason=f"needs {missing}")


def speech(folder: pathlib.Path, text="One two three four five, the studio records this prompt.",
           seconds_of_silence=1.0, name="speech.wav") -> pathlib.Path:
    """A spoken WAV at 48 kHz (a browser's rate) with silence before and after."""
    said, out = folder / f"said-{name}", folder / name
    subprocess.run(["espeak-ng", "-v", "en", "-w", str(said), text], check=True)
    subprocess.run(["sox", str(said), "-r", "48000", str(out), "pad", str(seconds_of_silence),
                    str(seconds_of_silence)], check=True)
    return out


def encoded(source: pathlib.Path, suffix: str, *codec: str) -> bytes:
    """`source` re-encoded by ffmpeg (webm: opus, as a browser sends)."""
    out = source.with_name(f"encoded{suffix}")
    subprocess.run(["ffmpeg", "-y", "-v", "error", "-i", str(source), *codec, str(out)], check=True)
    return out.read_bytes()


def silence(folder: pathlib.Path, seconds=3) -> bytes:
    out = folder / "silence.wav"
    subprocess.run(["sox", "-n", "-r", "48000", "-c", "1", str(out), "trim", "0", str(seconds)], check=True)
    return out.read_bytes()


def tone(folder: pathlib.Path, seconds=20) -> bytes:
    """A webm/opus of `seconds` of sound (a tone with noise): the length of a long prompt."""
    out = folder / f"tone{seconds}.webm"
    subprocess.run(["ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", f"sine=f=300:d={seconds}", "-f", "lavfi",
                    "-i", f"anoisesrc=d={seconds}:a=0.1", "-filter_complex", "amix", "-ar", "48000",
                    "-c:a", "libopus", str(out)], check=True)
    return out.read_bytes()
