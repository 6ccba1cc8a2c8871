"""Recording through the studio: an upload becomes a waiting version, a reviewer's approval reaches callers
under a new URL, and every bad upload is refused with a message, nothing kept, the old recording still played."""

import io
import threading
import wave

import yaml

from ivr.audio import library, store

from ..answers import parse
from ..audio.sounds import encoded, needs, silence, speech
from ..conftest import LINE_MENU, record_language
from .conftest import login, token

pytestmark = needs("ffmpeg", "espeak-ng", "sox")
PROMPT = "language.name"  # the first thing a caller hears in Dari


def played_url(client) -> str:
    answer = parse(client.post("/voice"))
    return next(p.text for p in answer.root.iter("Play") if p.text.startswith(f"/audio/fa/{PROMPT}.wav"))


def seconds(wav: bytes) -> float:
    with wave.open(io.BytesIO(wav)) as read:
        return read.getnframes() / read.getframerate()


def upload(client, data, name="take.webm"):
    return client.post(f"/studio/fa/{PROMPT}/upload", data={"csrf": token(client), "audio": (io.BytesIO(data), name)})


def test_a_recording_sent_and_approved_is_what_callers_hear_under_a_new_url(studio, recordings, tmp_path):
    record_language(recordings, "fa")  # placeholders before: Dari is offered
    caller, translator, reviewer = studio.test_client(), studio.test_client(), studio.test_client()
    before = played_url(caller)
    login(translator, "amina")
    sent = upload(translator, encoded(speech(tmp_path), ".webm", "-c:a", "libopus"))
    assert sent.get_json()["ok"], sent.get_json()
    assert played_url(caller) == before, "waiting for review: callers still hear the old one"
    login(reviewer, "rez")
    page = reviewer.get("/studio/fa").get_data(as_text=True)
    assert 'class="state waiting"' in page and "Approve" in page
    version = sent.get_json()["version"]
    reviewer.post(f"/studio/fa/{PROMPT}/{version}/review", data={"csrf": token(reviewer), "decision": "approve"})
    after = played_url(caller)
    assert after != before
    heard = caller.get(after).data
    kept = store.Store(studio.config["IVR"].audio_dir).path("fa", PROMPT, version).read_bytes()
    assert heard == kept and 2.0 < seconds(heard) < 6.0


def test_undoing_a_bad_approval_from_the_page_plays_the_earlier_version_again(studio, recordings, tmp_path):
    record_language(recordings, "fa")
    client, caller = studio.test_client(), studio.test_client()
    login(client, "rez")
    take = encoded(speech(tmp_path), ".webm", "-c:a", "libopus")
    versions = [upload(client, take).get_json()["version"] for _ in range(2)]
    for version in versions:
        client.post(f"/studio/fa/{PROMPT}/{version}/review", data={"csrf": token(client), "decision": "approve"})
    second = played_url(caller)
    client.post(f"/studio/fa/{PROMPT}/{versions[0]}/review", data={"csrf": token(client), "decision": "approve"})
    takes = store.Store(studio.config["IVR"].audio_dir).takes("fa")[PROMPT]
    assert takes.live == versions[0]
    assert caller.get(played_url(caller)).status_code == 200 and played_url(caller).split("?")[0] == second.split("?")[0]


def test_bad_uploads_are_refused_with_a_message_nothing_kept_and_the_old_recording_played(studio, recordings,
                                                                                         tmp_path, studio_dir):
    record_language(recordings, "fa")
    client, caller = studio.test_client(), studio.test_client()
    login(client, "amina")
    before = played_url(caller)
    webm = encoded(speech(tmp_path), ".webm", "-c:a", "libopus")
    for data, message in ((b"just some text\n" * 20, "not a sound recording"), (b"", "The file is empty"),
                          (silence(tmp_path, 1), "silent"), (webm[:3000], "incomplete")):
        answer = upload(client, data)
        assert answer.status_code == 422 and message in answer.get_json()["message"]
    big = client.post(f"/studio/fa/{PROMPT}/upload", data=b"\0" * 50 * 1024 * 1024,
                      content_type="multipart/form-data; boundary=x", headers={"X-CSRF-Token": token(client)})
    assert big.status_code == 413
    assert not list(studio_dir.rglob("*.wav")) and not list(studio_dir.rglob("versions.yaml"))
    assert played_url(caller) == before


def test_two_uploads_of_one_prompt_at_once_are_both_kept_whole(studio, tmp_path, studio_dir):
    take = encoded(speech(tmp_path), ".webm", "-c:a", "libopus")
    clients = [studio.test_client() for _ in range(2)]
    for each in clients:
        login(each, "amina")
    answers = []
    threads = [threading.Thread(target=lambda c=c: answers.append(upload(c, take).get_json())) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(answer["ok"] for answer in answers)
    kept = yaml.safe_load((studio_dir / "fa" / "versions.yaml").read_text())[PROMPT]["versions"]
    assert sorted(v["id"] for v in kept) == sorted(a["version"] for a in answers)
    for version in kept:
        wav = (studio_dir / "fa" / PROMPT / f"{version['id']}.wav").read_bytes()
        assert store.hashlib.sha256(wav).hexdigest() == version["audio"]


def test_a_language_without_a_voice_is_offered_once_every_prompt_is_approved(studio, studio_dir):
    """Somali: nothing bundled; every prompt approved in the studio, and the language menu offers it."""
    client = studio.test_client()
    assert "/audio/so/" not in client.post("/voice").get_data(as_text=True)
    kept = store.Store(studio_dir)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(8000), wav.writeframes(b"\1\0" * 800)
    prompts = list(library.needed(LINE_MENU, LINE_MENU.language("so")).values())
    for prompt in prompts:
        kept.review("so", prompt.id, kept.submit("so", prompt, out.getvalue(), "sam", "browser"), "rez", True)
    assert "/audio/so/language.name.wav" in client.post("/voice").get_data(as_text=True)


def test_the_work_list_puts_stale_and_missing_first_with_counts(studio, recordings):
    client = studio.test_client()
    login(client, "amina")
    page = client.get("/studio/fa").get_data(as_text=True)
    needed = len(library.needed(LINE_MENU, LINE_MENU.language("fa")))
    assert f"missing: {needed}" in page and "approved: 0" in page
