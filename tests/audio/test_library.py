"""Recorded prompts: played when fresh, the voice when not, and languages served from recordings alone."""

import os
import shutil
import wave

import pytest

from ivr import cli
from ivr import menu as menus
from ivr import phrases as P
from ivr.audio import library as audio

from ..answers import parse
from ..conftest import line_app, record, record_language, spoken

SMALL = """\
name: small
timezone: Europe/Helsinki
start: top
languages:
  - {code: en, key: "1", name: For English, voice: Polly.Amy-Neural, locale: en_GB}
  - {code: fa, key: "2", name: به زبان دری, locale: fa_AF}
nodes:
  top:
    type: menu
    say: {en: Welcome to the line., fa: به این خط خوش آمدید.}
    options: {"1": info}
  info:
    type: page
    label: {en: Information, fa: معلومات}
    say: {en: Here is some information., fa: اینجا معلومات است.}
"""


def needs(*tools):
    """Skip when a Debian tool is missing, except in CI, where the test must run (.ci/run installs them)."""
    missing = [t for t in tools if shutil.which(t) is None]
    return pytest.mark.skipif(bool(missing) and os.environ.get("CI") != "true", reason=f"needs {missing}")


def small_app(tmp_path, clock, text=SMALL):
    menu = menus.loads(text, "small.yaml")
    # RELOAD_INTERVAL 0: a recording added or removed in a test is heard by the very next request.
    return line_app(clock, tmp_path, served=menu), menu


def post(client, url, **form):
    return parse(client.post(url, data=form))


def plays(answer):
    return [p.text for p in answer.root.iter("Play")]


def fetch(client, url):
    response = client.get(url)
    response.get_data()  # buffered, so the file can be closed
    response.close()
    return response


# -- Dari, recorded in full, end to end ------------------------------------------

def test_dari_is_served_from_recordings_alone_through_the_webhooks(client, menu, dari):
    """Choose Dari, open the page with contacts, get put through: every prompt is a <Play> that answers audio."""
    first = post(client, "/voice")
    assert any(url.startswith("/audio/fa/language.name.wav?v=") for url in plays(first))
    assert not any(url.startswith("/audio/so/") for url in plays(first)), "Somali is not recorded"
    start = post(client, "/voice/choose", Digits=dari.key)
    assert start.gather.get("action") == f"/voice/fa/{menu.start}/key"
    page = post(client, f"/voice/fa/{menu.start}/key", Digits="2")
    transfer = post(client, "/voice/fa/office/key", Digits="1")
    for answer in (start, page, transfer):
        assert answer.said == [], "no text-to-speech in a language no voice speaks"
        for url in plays(answer):
            response = fetch(client, url)
            assert response.status_code == 200 and response.mimetype == "audio/wav", url
    assert page.plays[:2] == ["/audio/fa/desk.label.wav", "/audio/fa/office.contacts.0.wav"], "action first"
    assert "/audio/fa/phrase.slow.wav" in page.plays
    assert transfer.plays == ["/audio/fa/desk.connecting.wav", "/audio/fa/phrase.emergency.wav"]
    assert transfer.dial.text == menu.nodes["desk"].number.e164


def test_a_language_with_no_voice_and_missing_recordings_is_not_offered(client, menu, recordings):
    """Somali has no recordings: its key does nothing and its URLs lead back to the start."""
    record_language(recordings, "kmr")
    group = menu.language("kmr").key[0]
    assert menu.language("so").key[0] == group
    assert post(client, "/voice/choose", Digits=group).gather.get("action") == f"/voice/kmr/{menu.start}/key", \
        "the group's first key leads straight to Kurmanji while it is the only one of its group that is offered"
    assert post(client, f"/voice/so/{menu.start}").redirect == "/voice"


def test_closed_in_dari_says_the_hours_instead_of_a_date(client, clock, dari):
    """The next opening date changes every call and cannot be recorded whole: the weekly hours are played."""
    clock.set("2026-12-24T10:00")
    answer = post(client, "/voice/fa/desk")
    assert answer.plays[:3] == ["/audio/fa/desk.closed.wav", "/audio/fa/hours.desk.wav", "/audio/fa/phrase.emergency.wav"]
    assert "/audio/fa/desk.number.wav" in answer.plays, "then its number"
    assert answer.action == "/voice/fa/desk/key"


def test_the_second_language_page(tmp_path, clock):
    """Several languages behind key 8: 8 opens a page where each says its second key."""
    text = SMALL.replace('key: "2", name: به زبان دری', 'key: "81", name: به زبان دری').replace(
        "  - {code: fa", '  - {code: sv, key: "82", name: På svenska, voice: Polly.Elin-Neural}\n  - {code: fa')
    text = text.replace("en: Welcome to the line.,", "en: Welcome to the line., sv: Välkommen.,").replace(
        "en: Information,", "en: Information, sv: Information,").replace(
        "en: Here is some information.,", "en: Here is some information., sv: Här finns information.,")
    app, menu = small_app(tmp_path, clock, text)
    fa = menu.language("fa")
    for prompt in audio.needed(menu, fa).values():
        record(tmp_path / "fa", prompt)
    client = app.test_client()
    first = post(client, "/voice")
    assert "På svenska, tryck 8." in first.text
    second = post(client, "/voice/choose", Digits="8")
    assert second.gather.get("action") == "/voice/choose?g=8"
    assert second.text == "På svenska, tryck 2."
    assert [url.split("?")[0] for url in plays(second)] == ["/audio/fa/language.more.wav"]
    assert audio.needed(menu, fa)["language.more"].text == "به زبان دری، دکمه 1 را فشار دهید."
    assert post(client, "/voice/choose?g=8", Digits="1").gather.get("action") == "/voice/fa/top/key"


# -- Fresh, missing, stale ---------------------------------------------------------

def test_a_fresh_recording_plays_and_a_missing_one_falls_back_to_the_voice(tmp_path, clock, caplog):
    app, menu = small_app(tmp_path, clock)
    en = menu.language("en")
    welcome = audio.needed(menu, en)["top.say"]
    record(tmp_path / "en", welcome)
    client = app.test_client()
    answer = post(client, "/voice/en/top")
    assert [url.split("?")[0] for url in plays(answer)] == ["/audio/en/top.say.wav"]
    assert "Welcome to the line." not in answer.text
    assert "Information, press 1." in answer.text, "what is not recorded is said by the voice"
    (tmp_path / "en" / "top.say.wav").unlink()
    with caplog.at_level("INFO", logger="ivr"):  # other commands quieten "ivr" for their own output
        answer = post(client, "/voice/en/top")
    assert plays(answer) == [] and answer.text.startswith("Welcome to the line.")
    assert "en: no fresh recording of 'top.say': the voice says it" in caplog.text


def test_a_changed_text_makes_its_recording_stale(tmp_path, clock):
    """Recorded from the old text: the voice says the new one, and status and validation say so."""
    app, menu = small_app(tmp_path, clock)
    record(tmp_path / "en", audio.needed(menu, menu.language("en"))["top.say"])
    changed = SMALL.replace("Welcome to the line.", "Welcome to the information line.")
    app, menu = small_app(tmp_path, clock, changed)
    answer = post(app.test_client(), "/voice/en/top")
    assert plays(answer) == [] and answer.text.startswith("Welcome to the information line.")
    library = audio.Library(tmp_path)
    assert library.status(menu, menu.language("en")).stale == ("top.say",)
    assert [str(p) for p in audio.problems(menu, library) if "stale" in p.message] == [
        "small.yaml:9:1: warning: 'en' has a stale recording (the text changed) of top.say: "
        "the voice says them (see `ivr audio status`)"]


def test_status_lists_recorded_missing_and_stale(tmp_path, capsys):
    menu_file = tmp_path / "small.yaml"
    menu_file.write_text(SMALL, encoding="utf-8")
    menu = menus.load(menu_file)
    fa = menu.language("fa")
    needed = audio.needed(menu, fa)
    record(tmp_path / "audio" / "fa", needed["top.say"])
    assert cli.main(["audio", "status", "--menu", str(menu_file), "--audio", str(tmp_path / "audio")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"en: 0 recorded, {len(audio.needed(menu, menu.language('en')))} missing, 0 stale " \
                     "(voice Polly.Amy-Neural)"
    assert out[2] == f"fa: 1 recorded, {len(needed) - 1} missing, 0 stale (recordings only: NOT offered until complete)"
    assert out[3] == f"  by state: 0 stale, {len(needed) - 1} missing, 0 machine-made, 0 waiting, 1 approved"


def test_a_manifest_entry_without_its_file_stops_validation(tmp_path):
    menu = menus.loads(SMALL, "small.yaml")
    record(tmp_path / "fa", audio.needed(menu, menu.language("fa"))["top.say"])
    (tmp_path / "fa" / "top.say.wav").unlink()
    errors = [str(p) for p in audio.problems(menu, audio.Library(tmp_path)) if not p.warning]
    assert errors == ["small.yaml:6:1: audio/fa/top.say.wav is listed in its manifest but the file is missing"]


def test_a_recording_in_the_wrong_format_is_an_error(tmp_path):
    menu = menus.loads(SMALL, "small.yaml")
    record(tmp_path / "fa", audio.needed(menu, menu.language("fa"))["top.say"], rate=44100)
    errors = [str(p) for p in audio.problems(menu, audio.Library(tmp_path)) if not p.warning]
    assert errors == ["small.yaml:6:1: audio/fa/top.say.wav is 16-bit PCM, 44100 Hz, 1 channel(s): "
                      "a phone line needs 8000 Hz mono WAV (16-bit PCM or mu-law)"]


# -- The audio route -----------------------------------------------------------------

def test_the_audio_route_serves_wav_with_cache_headers(client, dari):
    answer = post(client, "/voice/choose", Digits=dari.key)
    url = plays(answer)[0]
    response = fetch(client, url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "audio/wav"
    assert "max-age=86400" in response.headers["Cache-Control"]
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    again.close()
    assert again.status_code == 304


@pytest.mark.parametrize("url", [
    "/audio/fa/manifest.wav",
    "/audio/fa/..%2Fkmr%2Fphrase.goodbye.wav",
    "/audio/../line.yaml",
    "/audio/fa/..%2Fline.yaml",
    "/audio/fa/%2E%2E.wav",
    "/audio/xx/phrase.goodbye.wav",
    "/audio/fa/phrase.nothing.wav",
    "/audio/..%2Fivr/phrase.goodbye.wav",
])
def test_the_audio_route_serves_nothing_outside_the_manifests(client, recordings, url):
    record_language(recordings, "fa")
    record_language(recordings, "kmr")
    (recordings / "line.yaml").write_text("name: not a recording", encoding="utf-8")
    assert fetch(client, plays(post(client, "/voice/kmr/top"))[0]).status_code == 200, "kmr is served"
    response = fetch(client, url)
    assert response.status_code == 404


# -- Placeholders ----------------------------------------------------------------------

@needs("espeak-ng", "sox")
def test_synth_fills_missing_prompts_with_phone_format_wavs_and_keeps_human_ones(tmp_path, capsys):
    menu_file = tmp_path / "small.yaml"
    menu_file.write_text(SMALL.replace("locale: fa_AF}", "locale: fa_AF, placeholders: allowed}"), encoding="utf-8")
    menu = menus.load(menu_file)
    folder = tmp_path / "audio" / "fa"
    human = audio.needed(menu, menu.language("fa"))["top.say"]
    record(folder, human, seconds=0.1)
    before = (folder / "top.say.wav").read_bytes()
    args = ["synth", "--lang", "fa", "--menu", str(menu_file), "--audio", str(tmp_path / "audio")]
    assert cli.main(["audio", *args]) == 0
    todo = len(audio.needed(menu, menu.language("fa"))) - 1
    assert f"[{'#' * 30}] {todo}/{todo}" in capsys.readouterr().err, "a progress bar"
    assert (folder / "top.say.wav").read_bytes() == before, "a person's recording is never replaced"
    made = audio.Library(tmp_path / "audio").recordings("fa")
    assert made["top.say"].recorded_by == "Test Reader" and not made["top.say"].synthetic
    assert {r.synthetic for k, r in made.items() if k != "top.say"} == {True}
    for recording in made.values():
        with wave.open(str(recording.path)) as wav:
            assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (8000, 1, 2), recording.id
            assert wav.getnframes() > 800 or not recording.synthetic, f"{recording.id}: under 0.1 s of speech"
    assert audio.Library(tmp_path / "audio").status(menu, menu.language("fa")).machine_made
    refused = menus.loads(SMALL, "small.yaml")  # the same recordings, placeholders not allowed
    assert not audio.Library(tmp_path / "audio").status(refused, refused.language("fa")).complete, \
        "machine-made recordings are played only where the menu allows them"


@needs("espeak-ng")
def test_synth_says_when_espeak_has_no_voice_for_a_language(tmp_path, capsys):
    text = SMALL.replace("code: fa", "code: so").replace("locale: fa_AF", "locale: so").replace(" fa:", " so:")
    menu_file = tmp_path / "small.yaml"
    menu_file.write_text(text, encoding="utf-8")
    args = ["synth", "--lang", "so", "--menu", str(menu_file), "--audio", str(tmp_path / "audio")]
    assert cli.main(["audio", *args]) == 1
    so = menus.load(menu_file).language("so")
    count = len(audio.needed(menus.load(menu_file), so))
    assert capsys.readouterr().err.splitlines() == [
        f"espeak-ng has no voice for 'so': its {count} unrecorded prompt(s) stay missing until someone records them"]
    assert not (tmp_path / "audio" / "so").exists()


# -- Again, slowly -----------------------------------------------------------------------

def test_key_8_says_a_page_again_slowly_in_a_voiced_language(client, menu):
    normal = post(client, "/voice/en/office")
    slow = post(client, "/voice/en/office/key", Digits="8")
    prosody = slow.gather.find("Say/prosody")
    assert prosody is not None and prosody.get("rate") == "slow"
    assert spoken(menu.nodes["office"].contacts[0].number) in slow.text
    pauses = [b.get("time") for b in prosody.iter("break")]
    assert "1200ms" in pauses, "digit groups further apart"
    assert menu.phrases["en"](P.SLOW) in normal.text
    assert slow.gather.get("action") == "/voice/en/office/key"


def test_key_8_is_reserved_on_a_page():
    text = SMALL.replace("    say: {en: Here is", '    options: {"8": top}\n    say: {en: Here is')
    with pytest.raises(menus.MenuError) as caught:
        menus.loads(text, "small.yaml")
    assert str(caught.value) == ("small.yaml:15:15: key 8 is reserved on a page (it says the page again slowly): "
                                 "choose another key")


@needs("sox")
def test_key_8_plays_slowed_copies_in_a_recorded_language(client, dari):
    slow = post(client, "/voice/fa/office/key", Digits="8")
    urls = plays(slow)
    assert urls[0].startswith("/audio/fa/desk.label.wav?") and "slow=1" not in urls[0], "the option at its pace"
    said = next(url for url in urls if url.startswith("/audio/fa/office.contacts.0.wav?"))
    assert said.endswith("&slow=1"), "the numbers slowly"
    normal, slowed = fetch(client, said.replace("&slow=1", "")), fetch(client, said)
    assert slowed.status_code == 200 and slowed.mimetype == "audio/wav"
    assert slowed.headers["ETag"] != normal.headers["ETag"]
    assert len(slowed.data) > len(normal.data) * 1.2, "the slowed copy lasts longer"
    assert not any("slow=1" in url for url in plays(post(client, "/voice/fa/office")))


@needs("sox")
def test_adding_a_persons_recording_converts_it_and_enters_it_in_the_manifest(tmp_path, capsys):
    menu_file = tmp_path / "small.yaml"
    menu_file.write_text(SMALL, encoding="utf-8")
    take = tmp_path / "take.wav"
    with wave.open(str(take), "wb") as out:  # a studio take: 44.1 kHz stereo
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(b"\x01\x00\x01\x00" * 44100)
    args = ["add", "--lang", "fa", "top.say", str(take), "--by", "Amina", "--menu", str(menu_file),
            "--audio", str(tmp_path / "audio")]
    assert cli.main(["audio", *args]) == 0
    menu = menus.load(menu_file)
    library = audio.Library(tmp_path / "audio")
    assert library.status(menu, menu.language("fa")).recorded == ("top.say",)
    entry = library.recordings("fa")["top.say"]
    assert entry.recorded_by == "Amina" and entry.text == "به این خط خوش آمدید."
    with wave.open(str(entry.path)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (8000, 1, 2)
    assert cli.main(["audio", *args[:3], "top.nothing", *args[4:]]) == 1


def test_validate_fails_on_a_broken_recording_and_warns_about_missing_ones(tmp_path, monkeypatch, capsys):
    menu_file = tmp_path / "small.yaml"
    menu_file.write_text(SMALL, encoding="utf-8")
    menu = menus.load(menu_file)
    monkeypatch.setenv("IVR_AUDIO", str(tmp_path / "audio"))
    assert cli.main(["validate", "--verbose", str(menu_file)]) == 0
    assert "warning: 'fa' has no recording of top.say: the language is not offered until they are" in \
        capsys.readouterr().out
    record(tmp_path / "audio" / "fa", audio.needed(menu, menu.language("fa"))["top.say"], rate=22050)
    assert cli.main(["validate", str(menu_file)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{menu.source}:6:1: audio/fa/top.say.wav is 16-bit PCM, 22050 Hz, 1 channel(s): a phone line needs " \
           "8000 Hz mono WAV (16-bit PCM or mu-law)" in out
    assert out[-1] == f"{menu.source}: cannot go live: 1 problem with the recordings in audio/"


def test_the_call_script_refuses_a_recorded_language_callers_are_not_offered(capsys, monkeypatch):
    """A recorded-only language with prompts missing is not offered: `ivr script` points to `ivr audio status`."""
    monkeypatch.setenv("IVR_NOW", "2026-11-30T10:00")
    assert cli.main(["script", "--lang", "fa"]) == 1
    assert capsys.readouterr().err == ("ivr script: 'fa' is not offered to callers: it has no voice and its "
                                       "recordings are not complete (see `ivr audio status --lang fa`)\n")


def test_manifests_are_looked_at_once_per_interval_and_a_change_is_heard_after_it(tmp_path, clock,
                                                                                  monkeypatch):
    """Each request asks about a dozen prompts and which languages are offered: a folder is looked at
    once per interval (the menu file's), not per request, and a removed recording is heard after it."""
    app, menu = small_app(tmp_path, clock)
    record(tmp_path / "en", audio.needed(menu, menu.language("en"))["top.say"])
    seconds = [100.0]
    app.extensions["ivr.audio"] = audio.Library(tmp_path, 2.0, lambda: seconds[0])
    looked = []
    real = audio.read_manifest
    monkeypatch.setattr(audio, "read_manifest", lambda path: looked.append(path.parent.name) or real(path))
    client = app.test_client()
    for _ in range(3):
        assert [url.split("?")[0] for url in plays(post(client, "/voice/en/top"))] == ["/audio/en/top.say.wav"]
    assert looked.count("en") == 1
    (tmp_path / "en" / "top.say.wav").unlink()
    seconds[0] += 1.9
    assert plays(post(client, "/voice/en/top")), "within the interval the folder is not looked at again"
    seconds[0] += 0.2
    assert plays(post(client, "/voice/en/top")) == [], "after it, the voice says the removed prompt"
    assert looked.count("en") == 2
