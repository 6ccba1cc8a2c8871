"""A recording as sent, to the line's WAV: decoded by ffmpeg, trimmed, levelled, or refused with a reason."""

import io
import subprocess
import wave

import pytest

from ivr.audio import convert

from .sounds import encoded, needs, silence, speech, tone

pytestmark = needs("ffmpeg", "espeak-ng", "sox")


def played(wav: bytes) -> tuple[int, int, int, float]:
    with wave.open(io.BytesIO(wav)) as read:
        return read.getframerate(), read.getnchannels(), read.getsampwidth(), read.getnframes() / read.getframerate()


@pytest.mark.parametrize(("suffix", "codec"), [(".webm", ("-c:a", "libopus")), (".ogg", ("-c:a", "libopus")),
                                               (".mp3", ()), (".wav", ())])
def test_what_browsers_and_twilio_send_becomes_8khz_mono_without_the_silence_around(tmp_path, suffix, codec):
    """Two seconds of silence around the words are trimmed to a short margin."""
    source = speech(tmp_path)
    said = subprocess.run(["soxi", "-D", str(tmp_path / "said-speech.wav")], capture_output=True, text=True,
                          check=True).stdout
    rate, channels, width, seconds = played(convert.convert(encoded(source, suffix, *codec), 60))
    assert (rate, channels, width) == (8000, 1, 2)
    assert float(said) - 0.3 < seconds < float(said) + 0.5


def test_the_level_is_brought_up_to_the_line_s_own(tmp_path):
    """A quiet recording comes out at about -20 dBFS of speech, never clipped."""
    source = speech(tmp_path)
    quiet = tmp_path / "quiet.wav"
    subprocess.run(["sox", str(source), str(quiet), "gain", "-25"], check=True)
    out = convert.convert(quiet.read_bytes(), 60)
    import array

    samples = array.array("h", out[44:])
    assert 0.5 * convert.PEAK < max(map(abs, samples)) <= convert.PEAK + 1


@pytest.mark.parametrize(("make", "message"), [
    (lambda tmp: b"", "The file is empty"),
    (lambda tmp: b"hello, this is text renamed to .webm\n" * 10, "not a sound recording"),
    (lambda tmp: silence(tmp), "The recording is silent"),
    (lambda tmp: encoded(speech(tmp), ".webm", "-c:a", "libopus")[:3000], "incomplete"),
    (lambda tmp: encoded(speech(tmp), ".ogg", "-c:a", "libopus")[:20000], "incomplete"),
    (lambda tmp: speech(tmp).read_bytes()[:100000], "incomplete"),
    (lambda tmp: b"\0" * (convert.MAX_BYTES + 1), "at most 5 MB"),
])
def test_what_cannot_be_played_is_refused_with_a_reason(tmp_path, make, message):
    with pytest.raises(convert.Refused, match=message):
        convert.convert(make(tmp_path), 60)


def test_a_clipped_recording_is_refused(tmp_path):
    loud = tmp_path / "loud.wav"
    subprocess.run(["sox", str(speech(tmp_path)), str(loud), "gain", "30"], check=True, capture_output=True)
    with pytest.raises(convert.Refused, match="clipped"):
        convert.convert(loud.read_bytes(), 60)


def test_a_recording_longer_than_its_text_needs_is_refused(tmp_path):
    limit = convert.max_seconds("Migri decides.")
    assert 10 < limit < 30
    with pytest.raises(convert.Refused, match="lasts 20 seconds; this text needs at most"):
        convert.convert(tone(tmp_path, 20), 15)


def test_the_length_limit_grows_with_the_text_and_is_capped():
    short, longer = convert.max_seconds("one two"), convert.max_seconds("one two " * 40)
    assert short < longer <= convert.CAP_S
    assert convert.max_seconds("word " * 10000) == convert.CAP_S
