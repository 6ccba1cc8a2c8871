"""For the text message tests: a fake Twilio REST API and a real redis-server, each on loopback."""

from __future__ import annotations

import base64
import dataclasses
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest
from werkzeug.wrappers import Request, Response

from .serving import serving

SID = "AC" + "0" * 32
TOKEN = "test-token"
MESSAGES = f"/2010-04-01/Accounts/{SID}/Messages.json"


@dataclasses.dataclass
class Posted:
    path: str
    form: dict
    user: str


class FakeTwilio:
    """Answers Messages.json as Twilio does: 201 with a sid, or `mode` "refuse" (400 and Twilio's error
    JSON, which quotes the number as Twilio's does), "hang" (no answer until the test ends), "dribble"
    (201 and its JSON a byte a second) or "accept-hang" (taken, as Twilio takes it, then no answer)."""

    def __init__(self) -> None:
        self.posted: list[Posted] = []
        self.mode = "accept"
        self.released = threading.Event()

    def __call__(self, environ, start_response):
        request = Request(environ)
        user = base64.b64decode(request.headers.get("Authorization", "Basic ")[6:]).decode()
        self.posted.append(Posted(request.path, request.form.to_dict(), user))
        if self.mode == "dribble":
            body = f'{{"sid": "SM{len(self.posted):032d}", "status": "queued"}}'.encode()
            released = self.released

            def drip():
                for byte in body:
                    if released.wait(1):
                        return
                    yield bytes([byte])

            return Response(drip(), 201, content_type="application/json")(environ, start_response)
        if self.mode in ("hang", "accept-hang"):
            self.released.wait(30)
            answer = Response("{}", 503, content_type="application/json")
        elif self.mode == "refuse":
            to = request.form.get("To")
            answer = Response(f'{{"code": 21211, "message": "The \'To\' number {to} is not a valid phone number.", '
                              f'"more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}}',
                              400, content_type="application/json")
        else:
            answer = Response(f'{{"sid": "SM{len(self.posted):032d}", "status": "queued", "account_sid": "{SID}"}}',
                              201, content_type="application/json")
        return answer(environ, start_response)


@pytest.fixture(scope="module")
def twilio_server():
    """One server for a module: stopping one takes half a second."""
    fake = FakeTwilio()
    with serving(fake) as url:
        fake.url = url
        yield fake
        fake.released.set()


@pytest.fixture
def twilio(twilio_server):
    """The fake Twilio (its base URL in `.url`), with nothing posted yet, accepting messages."""
    twilio_server.released.set()  # a request a test left hanging ends now
    twilio_server.posted, twilio_server.mode, twilio_server.released = [], "accept", threading.Event()
    return twilio_server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of its own, on a free port; skipped without Debian's redis-server, except in CI."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "needs Debian's redis-server (.ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    import redis

    port = free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        with redis.Redis.from_url(url) as client:
            for _ in range(100):
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
            else:
                pytest.fail("redis-server did not start within 5 s")
        yield url
    finally:
        server.terminate()
        server.wait(10)
