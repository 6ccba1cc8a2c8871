"""The studio's store: every version kept, atomic files, a manifest that two writers cannot tear."""

import multiprocessing

import yaml

from ivr.audio import store
from ivr.speech.prompts import Prompt

PROMPT = Prompt("migri.say", ("Migri decides.",))


def test_a_submitted_version_waits_then_plays_once_approved(tmp_path):
    kept = store.Store(tmp_path)
    first = kept.submit("fa", PROMPT, b"RIFF1", "amina", "browser")
    takes = kept.takes("fa")["migri.say"]
    assert [(v.id, v.state, v.by, v.via, v.sha256) for v in takes.versions] == [
        (first, "waiting", "amina", "browser", store.checksum("Migri decides."))]
    assert takes.playing is None
    kept.review("fa", "migri.say", first, "rez", approve=True)
    assert kept.takes("fa")["migri.say"].playing.id == first
    assert kept.path("fa", "migri.say", first).read_bytes() == b"RIFF1"


def test_rejecting_the_playing_version_brings_back_the_one_approved_before(tmp_path):
    """Undoing a bad approval: the earlier approved version plays again."""
    kept = store.Store(tmp_path)
    good = kept.submit("fa", PROMPT, b"good", "amina", "browser")
    kept.review("fa", "migri.say", good, "rez", approve=True)
    bad = kept.submit("fa", PROMPT, b"bad", "amina", "phone")
    kept.review("fa", "migri.say", bad, "rez", approve=True)
    kept.review("fa", "migri.say", bad, "rez", approve=False, comment="noise at the end")
    takes = kept.takes("fa")["migri.say"]
    assert takes.playing.id == good
    assert [(v.state, v.comment) for v in takes.versions] == [("approved", ""), ("rejected", "noise at the end")]


def _submit_many(root, who):
    kept = store.Store(root)
    for _ in range(15):
        kept.submit("fa", PROMPT, who.encode() * 1000, who, "browser")


def test_two_processes_submitting_at_once_keep_every_version_and_a_whole_manifest(tmp_path):
    workers = [multiprocessing.get_context("spawn").Process(target=_submit_many, args=(tmp_path, who))
               for who in ("amina", "rez")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    data = yaml.safe_load((tmp_path / "fa" / "versions.yaml").read_text())
    versions = data["migri.say"]["versions"]
    assert len(versions) == 30 and len({v["id"] for v in versions}) == 30
    for version in versions:
        wav = store.Store(tmp_path).path("fa", "migri.say", version["id"]).read_bytes()
        assert wav == version["by"].encode() * 1000
    assert not list((tmp_path / "fa").glob("**/*.tmp"))
