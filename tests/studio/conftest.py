"""A studio on the test line: a users file, a secret key, the studio's recordings in tmp_path."""

import re

import pytest

from ivr.studio import users

from ..conftest import line_app

PASSWORD = "correct horse battery"
SECRET = "s" * 64


@pytest.fixture
def users_file(tmp_path):
    path = tmp_path / "users.yaml"
    (users.Users().add("amina", "translator", ("fa",), PASSWORD).add("rez", "reviewer", ("fa", "so"), PASSWORD)
     .add("sam", "translator", ("so",), PASSWORD)).save(path)
    return path


@pytest.fixture
def studio_dir(tmp_path):
    return tmp_path / "studio"


@pytest.fixture
def studio(clock, recordings, users_file, studio_dir):
    return line_app(clock, recordings, studio_users=users_file, secret_key=SECRET, audio_dir=studio_dir)


def csrf(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.get_data(as_text=True))[1]


def login(client, name, password=PASSWORD):
    token = csrf(client.get("/studio/login"))
    return client.post("/studio/login", data={"username": name, "password": password, "csrf": token})


def token(client, code="fa") -> str:
    return csrf(client.get(f"/studio/{code}"))
