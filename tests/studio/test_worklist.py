"""The work list's states, and `ivr audio status` counting them, from the studio's store."""

import dataclasses
import io
import wave

from ivr import cli
from ivr.audio import library, store
from ivr.studio import worklist

from ..conftest import LINE, LINE_MENU


def wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as made:
        made.setnchannels(1), made.setsampwidth(2), made.setframerate(8000), made.writeframes(b"\1\0" * 800)
    return out.getvalue()


def test_states_follow_submission_approval_and_a_changed_text(tmp_path, monkeypatch, capsys):
    fa = LINE_MENU.language("fa")
    prompts = library.needed(LINE_MENU, fa)
    kept = store.Store(tmp_path / "studio")
    waiting = prompts["top.say"]
    kept.submit("fa", waiting, wav(), "amina", "browser")
    approved = prompts["phrase.goodbye"]
    kept.review("fa", approved.id, kept.submit("fa", approved, wav(), "amina", "browser"), "rez", True)
    old = dataclasses.replace(prompts["phrase.lost"], speech=("An older text.",))
    kept.review("fa", old.id, kept.submit("fa", old, wav(), "amina", "phone"), "rez", True)
    found = worklist.items(LINE_MENU, fa, library.Library(tmp_path / "none", studio=kept), kept)
    states = {item.id: item.state for item in found}
    assert (states["top.say"], states["phrase.goodbye"], states["phrase.lost"]) == ("waiting", "approved", "stale")
    assert found[0].id == "phrase.lost", "stale first"
    monkeypatch.setenv("IVR_AUDIO_DIR", str(tmp_path / "studio"))
    assert cli.main(["audio", "status", "--menu", str(LINE), "--lang", "fa"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"  by state: 1 stale, {len(prompts) - 3} missing, 0 machine-made, 1 waiting, 1 approved"
    assert "  stale: phrase.lost" in out
    cli.main(["validate", str(LINE), "--verbose"])
    assert "'fa' has a stale recording (the text changed) of phrase.lost" in capsys.readouterr().out
