"""The probes: /healthz (the process answers) and /readyz (it can serve calls now), neither naming a path or setting."""

import shutil
import threading

from ..conftest import LINE, line_app
from ..sms_support import SID, TOKEN, free_port


def test_healthz_is_alive_and_names_no_path(clock, recordings):
    response = line_app(clock, recordings).test_client().get("/healthz")
    assert response.status_code == 200 and response.json["status"] == "ok"
    assert str(LINE) not in response.get_data(as_text=True) and str(recordings) not in response.get_data(as_text=True)


def test_ready_with_a_menu_and_a_readable_recordings_folder(clock, recordings):
    recordings.mkdir()
    response = line_app(clock, recordings).test_client().get("/readyz")
    assert response.status_code == 200 and response.json == {"status": "ready"}


def test_not_ready_without_the_recordings_folder_says_why_and_nothing_more(clock, tmp_path):
    response = line_app(clock, tmp_path / "gone").test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "not ready", "reason": "the recordings folder cannot be read"}


def test_not_ready_when_text_messages_are_on_and_their_store_is_unreachable(clock, recordings):
    recordings.mkdir()
    url = f"redis://127.0.0.1:{free_port()}/0"
    app = line_app(clock, recordings, auth_token=TOKEN, account_sid=SID, sms_from="+358457395000", redis_url=url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["reason"] == "the text message store cannot be reached"
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_ready_with_text_messages_on_a_reachable_store(clock, recordings, tmp_path):
    recordings.mkdir()
    app = line_app(clock, recordings, auth_token=TOKEN, account_sid=SID, sms_from="+358457395000",
                   sms_db=tmp_path / "sms.sqlite3")
    assert app.test_client().get("/readyz").status_code == 200


def test_both_probes_answer_at_once_during_a_menu_reload(clock, recordings, tmp_path):
    """A reload in progress (its lock held, as while a large file is read) never holds up a probe."""
    recordings.mkdir()
    menu = tmp_path / "menu.yaml"
    shutil.copy(LINE, menu)
    app = line_app(clock, recordings, served=None, menu=menu)
    watch = app.extensions["ivr.live"]
    client = app.test_client()
    with watch._lock:  # another request is reloading now
        watch.reloading = True
        answers = []
        probe = threading.Thread(target=lambda: answers.extend(client.get(p) for p in ("/healthz", "/readyz")))
        probe.start()
        probe.join(5)
    assert [a.status_code for a in answers] == [200, 200]
