"""The line as a platform installs it: `pip install .` (no extras) and the Procfile's command, nothing else.

The test suite's own venv has the test extra, whose packages can hide a dependency the server needs
(gunicorn's gevent worker once failed to start for want of `packaging`, which pytest brought along).
So one fresh venv for the module, built from a copy of the repository, and the Procfile's `web:` line
run by a shell with $PORT set, from that copy (where gunicorn.conf.py is read), as a platform runs it.
"""

import http.client
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from bench.traffic import twilio_form

from ..conftest import LINE_MENU

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOKEN = "production-test-token-not-a-secret"
PUBLIC = "https://ivr.example.org"
# What a clone has that the copy should not: local venvs, caches and build leftovers.
NOT_IN_A_CLONE = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", "*.egg-info", "build", "dist",
                                        ".pytest_cache", ".hypothesis", "mutants")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the repository's copy, the venv's bin folder): `pip install <copy>` into a new venv, no extras."""
    tmp = tmp_path_factory.mktemp("production")
    repo = tmp / "repo"
    shutil.copytree(ROOT, repo, ignore=NOT_IN_A_CLONE)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(repo)],
                         capture_output=True, text=True, timeout=600)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return repo, venv / "bin"


@pytest.fixture(scope="module")
def server(installed, tmp_path_factory):
    """The Procfile's `web:` command as written, through a shell that substitutes $PORT; yields the port."""
    repo, bin_ = installed
    line = (repo / "Procfile").read_text().split("web:", 1)[1].strip()
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "IVR_NOW")}
    env.update(PATH=f"{bin_}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(bin_.parent), PORT=str(port),
               TWILIO_AUTH_TOKEN=TOKEN, IVR_PUBLIC_URL=PUBLIC)
    log = tmp_path_factory.mktemp("production-log") / "server.log"
    with log.open("w") as out:
        # exec: the shell becomes gunicorn, so SIGTERM below reaches gunicorn's master itself.
        proc = subprocess.Popen(["/bin/sh", "-c", "exec " + line], cwd=repo, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(proc, port, log)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_until_up(proc: subprocess.Popen, port: int, log: pathlib.Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the Procfile's server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the Procfile's server did not listen within 60 s:\n{log.read_text()[-3000:]}")


def post(port: int, path: str, form: dict, signature: str | None) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    try:
        conn.request("POST", path, urlencode(form), headers)
        answer = conn.getresponse()
        return answer.status, answer.getheader("Content-Type", ""), answer.read()
    finally:
        conn.close()


def test_the_production_install_answers_a_signed_call_with_the_language_menu(installed, server):
    """A call Twilio signed for the public URL hears the greeting and every voiced language's option."""
    repo, bin_ = installed
    assert not list(bin_.parent.glob("lib/*/site-packages/pytest")), "the production install has no test extra"
    form = twilio_form(1)
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + "/voice", form)
    status, content_type, body = post(server, "/voice", form, signature)
    assert status == 200, body
    assert content_type.startswith("text/xml")
    gather = ET.fromstring(body).find("Gather")
    assert gather is not None and gather.get("action") == "/voice/choose"
    said = {(say.get("voice"), say.text) for say in gather.iter("Say")}
    voiced = [lang for lang in LINE_MENU.languages if lang.voice]
    assert len(voiced) >= 3
    for lang in voiced:  # each offered in its own voice, by its own name
        assert any(voice == lang.voice and lang.name in text for voice, text in said), lang.code


def test_the_production_install_refuses_an_unsigned_call(server):
    status, _, _ = post(server, "/voice", twilio_form(2), None)
    assert status == 403
