"""A translator's recording, as sent, to the WAV the line plays: 8000 Hz mono 16-bit PCM.

ffmpeg decodes whatever arrives (the browser's webm/opus or ogg, a WAV, Twilio's wav or mp3)
through pipes: the upload is never a path, never a shell word, and only the demuxers named in
FORMATS may read it (no playlist or concat demuxer that would open other files). Whether it is
audio is decided by decoding it. The sound is then trimmed of leading and trailing silence,
checked (silent, clipped, too long) and brought to one level, in Python. No Flask here.
"""

from __future__ import annotations

import array
import io
import math
import shutil
import subprocess
import sys
import wave

MAX_BYTES = 5 * 1024 * 1024  # a minute of browser opus is about 250 KB: 5 MB is far more than any prompt
RATE = 8000  # the line's own rate (ivr.audio.synth.RATE)
FORMATS = "matroska,webm,ogg,wav,mp3"  # ffmpeg demuxers: browsers' and Twilio's containers, nothing else
TIMEOUT_S = 20  # a 5 MB file decodes in well under a second; a stuck decoder is killed
FRAME = RATE // 50  # 20 ms: the unit silence is judged in
SILENT_RMS = 100  # about -50 dBFS: below this throughout, nobody spoke
TRIM_BELOW = 0.05  # a frame quieter than 1/20 (-26 dB) of the loudest one is silence at the ends
KEEP_MS = 150  # silence left at each end, so the first sound is not cut
FULL_SCALE = 32767
CLIPPED_AT = 32000  # samples this loud were (almost certainly) cut off by the microphone or its gain
CLIPPED_SHARE = 0.002  # more than 0.2% of the speech at full scale: audibly distorted
TARGET_RMS = 0.1 * FULL_SCALE  # about -20 dBFS of speech: every prompt at one level
PEAK = 0.89 * FULL_SCALE  # -1 dBFS: normalising never clips
WORDS_PER_S = 1.5  # a slow reader; digits said one by one count as words
CHARS_PER_S = 8  # for texts with long words
MARGIN_S = 10.0
CAP_S = 300.0


class Refused(ValueError):
    """The recording cannot be used; str() says why, for the person who sent it."""


class ToolMissing(RuntimeError):
    """ffmpeg is not installed."""


def max_seconds(text: str) -> float:
    """The longest recording accepted for `text`: three times a slow reading of it, plus a margin."""
    slow = max(len(text.split()) / WORDS_PER_S, len(text) / CHARS_PER_S)
    return min(slow * 3 + MARGIN_S, CAP_S)


def convert(data: bytes, max_seconds: float) -> bytes:
    """The WAV the line plays, made from `data`; Refused when it is no usable recording."""
    if not data:
        raise Refused("The file is empty: nothing was recorded. Record again, then send.")
    if len(data) > MAX_BYTES:
        raise Refused(f"The file is {len(data) / 1024 / 1024:.1f} MB; at most {MAX_BYTES // 1024 // 1024} MB "
                      "is accepted. Record the prompt alone, without a long silence.")
    _whole(data)
    samples = _decode(data, max_seconds)
    start, end = _speech(samples)
    seconds = (end - start) / RATE
    if seconds > max_seconds:
        raise Refused(f"The recording lasts {seconds:.0f} seconds; this text needs at most {max_seconds:.0f}. "
                      "Record only this prompt.")
    speech = samples[start:end]
    loud = sum(1 for x in speech if x >= CLIPPED_AT or x <= -CLIPPED_AT)
    if loud > CLIPPED_SHARE * len(speech):
        raise Refused("The recording is clipped (too loud: the sound is distorted). Move a little further "
                      "from the microphone or turn its level down, then record again.")
    return _wav(_level(speech))


def _whole(data: bytes) -> None:
    """Refuse a file cut short that ffmpeg would decode without a word (a WAV or an Ogg stream)."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        at = 12
        while at + 8 <= len(data):
            name, size = data[at:at + 4], int.from_bytes(data[at + 4:at + 8], "little")
            if name == b"data":
                if size not in (0, 0xFFFFFFFF) and at + 8 + size > len(data):  # streamed WAVs leave it unknown
                    raise Refused(_TRUNCATED)
                return
            at += 8 + size + (size & 1)
    elif data[:4] == b"OggS":
        last = data.rfind(b"OggS")
        if len(data) < last + 27 or not data[last + 5] & 0x04:  # the last page must say end of stream
            raise Refused(_TRUNCATED)


_TRUNCATED = "The recording is incomplete (the file was cut off while sending). Send it again."
_NOT_AUDIO = "This file is not a sound recording the studio can read. Record in the page, or send webm, ogg, wav or mp3."


def _decode(data: bytes, max_seconds: float) -> array.array:
    """16-bit mono samples at 8000 Hz, decoded by ffmpeg from stdin to stdout."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise ToolMissing("ffmpeg is not installed: apt-get install ffmpeg")
    limit = max_seconds * 2 + 30  # leading silence is trimmed later; decoding stops past this
    command = [ffmpeg, "-hide_banner", "-nostats", "-loglevel", "error",
               "-protocol_whitelist", "pipe", "-format_whitelist", FORMATS, "-i", "pipe:0",
               "-map", "0:a:0", "-vn", "-t", f"{limit:.0f}", "-ac", "1", "-ar", str(RATE),
               "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1"]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise Refused("The recording took too long to read. Record it again.") from exc
    errors = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0 or not done.stdout:
        raise Refused(_TRUNCATED if "ended prematurely" in errors else _NOT_AUDIO)
    if errors:  # decoded, but with damage: a file cut short, or corrupt frames
        raise Refused(_TRUNCATED)
    samples = array.array("h")
    samples.frombytes(done.stdout[: len(done.stdout) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    if len(samples) >= limit * RATE:
        raise Refused(f"The recording lasts more than {limit:.0f} seconds; this text needs at most "
                      f"{max_seconds:.0f}. Record only this prompt.")
    return samples


def _rms(frame) -> float:
    return math.sqrt(sum(x * x for x in frame) / len(frame)) if len(frame) else 0.0


def _speech(samples: array.array) -> tuple[int, int]:
    """The span from the first to the last sound (with KEEP_MS either side); Refused when silent."""
    levels = [_rms(samples[i:i + FRAME]) for i in range(0, len(samples), FRAME)]
    loudest = max(levels, default=0.0)
    if loudest < SILENT_RMS:
        raise Refused("The recording is silent: nothing was heard. Check that the right microphone is "
                      "chosen and allowed, then record again.")
    voiced = [i for i, level in enumerate(levels) if level >= max(SILENT_RMS, loudest * TRIM_BELOW)]
    keep = KEEP_MS * RATE // 1000
    return max(0, voiced[0] * FRAME - keep), min(len(samples), (voiced[-1] + 1) * FRAME + keep)


def _level(speech: array.array) -> array.array:
    """The speech at TARGET_RMS (measured over its voiced frames), never peaking above PEAK."""
    levels = [_rms(speech[i:i + FRAME]) for i in range(0, len(speech), FRAME)]
    voiced = [level for level in levels if level >= SILENT_RMS] or [1.0]
    rms = math.sqrt(sum(level * level for level in voiced) / len(voiced))
    peak = max(max(speech), -min(speech), 1)
    gain = min(TARGET_RMS / rms, PEAK / peak)
    return array.array("h", [int(x * gain) for x in speech])


def _wav(samples: array.array) -> bytes:
    if sys.byteorder == "big":
        samples = array.array("h", samples)
        samples.byteswap()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())
    return out.getvalue()
