"""Who gets into the studio: refused without a session, with a wrong password, a wrong language, no CSRF token,
an expired session; the webhooks stay signature-checked beside it."""

import pytest

from ivr.menu.errors import ConfigError

from ..conftest import line_app
from .conftest import SECRET, login, token


def test_without_a_users_file_there_is_no_studio(client):
    assert client.get("/studio/login").status_code == 404
    assert client.get("/studio/fa").status_code == 404


def test_the_studio_refuses_to_start_without_a_secret_key(clock, recordings, users_file, studio_dir):
    with pytest.raises(ConfigError, match="IVR_SECRET_KEY is not set"):
        line_app(clock, recordings, studio_users=users_file, audio_dir=studio_dir)


def test_the_webhooks_stay_signature_checked_and_the_studio_is_not(clock, recordings, users_file, studio_dir):
    signed = line_app(clock, recordings, studio_users=users_file, secret_key=SECRET, audio_dir=studio_dir,
                      auth_token="token").test_client()
    assert signed.post("/voice").status_code == 403
    assert signed.get("/studio/login").status_code == 200


def test_no_session_goes_to_the_login_form_and_a_post_is_refused(studio):
    client = studio.test_client()
    answer = client.get("/studio/fa")
    assert answer.status_code == 302 and answer.location.startswith("/studio/login")
    assert client.post("/studio/fa/top.say/upload").status_code in (400, 401)


def test_the_session_cookie_is_httponly_samesite_and_secure_behind_tls(clock, recordings, users_file, studio_dir):
    app = line_app(clock, recordings, studio_users=users_file, secret_key=SECRET, audio_dir=studio_dir,
                   public_url="https://ivr.example.org")
    client = app.test_client()
    login(client, "amina")
    cookie = client.get_cookie("ivr_studio", path="/studio")
    assert cookie.secure and cookie.http_only and cookie.same_site == "Strict"


def test_a_right_password_logs_in_and_a_wrong_one_does_not(studio):
    client = studio.test_client()
    assert login(client, "amina", "wrong password").status_code == 401
    assert client.get("/studio/fa").status_code == 302
    answer = login(client, "amina")
    assert answer.status_code == 302 and answer.location == "/studio/"
    page = client.get("/studio/fa")
    assert page.status_code == 200 and "amina (translator)" in page.get_data(as_text=True)
    client.post("/studio/logout", data={"csrf": token(client)})
    assert client.get("/studio/fa").status_code == 302


def test_wrong_passwords_are_rate_limited_per_user(studio):
    client = studio.test_client()
    for _ in range(5):
        assert login(client, "amina", "wrong password").status_code == 401
    answer = login(client, "amina")
    assert answer.status_code == 429 and "Too many wrong passwords" in answer.get_data(as_text=True)
    assert login(client, "rez").status_code == 302, "another user from the same office still gets in"


def test_a_translator_works_on_their_languages_only_and_does_not_review(studio):
    client = studio.test_client()
    login(client, "amina")
    assert client.get("/studio/so").status_code == 403
    answer = client.post("/studio/fa/top.say/20261207T000000Z-00000000/review",
                         data={"csrf": token(client), "decision": "approve"})
    assert answer.status_code == 403 and "does not review" in answer.get_data(as_text=True)


def test_a_post_without_the_csrf_token_is_refused(studio, studio_dir):
    client = studio.test_client()
    login(client, "amina")
    answer = client.post("/studio/fa/top.say/upload", data={"audio": (b"RIFF", "take.webm")})
    assert answer.status_code == 400 and "reload the page" in answer.get_json()["message"]
    assert not studio_dir.exists() or not list(studio_dir.rglob("*.wav"))


def test_an_expired_session_is_refused(studio):
    client = studio.test_client()
    login(client, "amina")
    assert client.get("/studio/fa").status_code == 200
    started = studio.extensions["ivr.studio.clock"]()
    studio.extensions["ivr.studio.clock"] = lambda: started + studio.config["IVR"].studio_session_s + 1
    assert client.get("/studio/fa").status_code == 302
