"""The reference deployment (deploy/): nginx terminating HTTPS in front of two instances of the line.

nginx runs deploy/nginx/ivr.conf itself, its ports and certificate paths replaced, on loopback with
a self-signed certificate made by the openssl command; the two instances are the Procfile's server
(gunicorn with gunicorn.conf.py) behind one trusted proxy. One instance is set up as
docs/operations.md says (IVR_PUBLIC_URL), the other without IVR_PUBLIC_URL: its signatures pass only
when nginx forwards the scheme and host Twilio called. Skipped without Debian's nginx, except in
CI, where it fails (.ci/run installs nginx).
"""

import contextlib
import http.client
import json
import os
import pathlib
import re
import shutil
import socket
import ssl
import subprocess
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from bench.run import TOKEN, Server, free_port
from bench.traffic import twilio_form

from ..conftest import LINE, record_language

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "ivr.conf"
HEADER_TIMEOUT_S = 5  # client_header_timeout in deploy/nginx/ivr.conf


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not found:
        message = "needs Debian's nginx (.ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def render(template: str, replacements: dict[str, str]) -> str:
    """The template with each value replaced; each must be there, so the test runs the file as written."""
    for old, new in replacements.items():
        assert old in template, f"deploy/nginx/ivr.conf no longer has {old!r}"
        template = template.replace(old, new)
    return template


def certificate(folder: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=60)
    return cert, key


def wait_for_port(port: int, proc: subprocess.Popen, log: pathlib.Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"nginx exited with {proc.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nginx did not listen within 20 s:\n{log.read_text()}")


class Deployment:
    """nginx on `port`, the two instances behind it, and a TLS context that trusts the certificate."""

    def __init__(self, port: int, instances: list[Server], context: ssl.SSLContext, recordings: pathlib.Path):
        self.port, self.instances, self.context, self.recordings = port, instances, context, recordings
        self.public = f"https://127.0.0.1:{port}"

    def connect(self, timeout: float = 10) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=timeout)

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        conn = self.connect()
        try:
            conn.request(method, path, body, headers or {})
            answer = conn.getresponse()
            return answer.status, answer.getheader("Content-Type", ""), answer.read()
        finally:
            conn.close()

    def call(self, path: str, form: dict, token: str = TOKEN):
        """A webhook request as Twilio sends it: signed for the URL it called through nginx."""
        signature = RequestValidator(token).compute_signature(self.public + path, form)
        return self.request("POST", path, urlencode(form), {"Content-Type": "application/x-www-form-urlencoded",
                                                            "X-Twilio-Signature": signature})

    def calls_logged(self, server: Server) -> set[str]:
        lines = server.log.read_text().splitlines()
        return {json.loads(line).get("call") for line in lines if line.startswith("{")}


@contextlib.contextmanager
def deployed(tmp: pathlib.Path, environ: dict[str, str] | None = None, app: str | None = None):
    """deploy/nginx/ivr.conf on loopback in front of two instances (the Procfile's, or `app`), in `tmp`."""
    nginx = nginx_binary()
    recordings = tmp / "audio"
    record_language(recordings, "fa")  # Dari is recorded-only: its menu entries are <Play>s
    cert, key = certificate(tmp)
    port = free_port()
    common = {"IVR_PROXY_HOPS": "1", "IVR_MENU": str(LINE), "IVR_AUDIO": str(recordings), **(environ or {})}
    instances = []
    proc = None
    try:
        instances.append(Server("instance 1", app, tmp / "instance-1.log",
                                {**common, "IVR_PUBLIC_URL": f"https://127.0.0.1:{port}"}))
        instances.append(Server("instance 2", app, tmp / "instance-2.log", {**common, "IVR_PUBLIC_URL": ""}))
        site = render(SITE.read_text(), {
            "127.0.0.1:8001": f"127.0.0.1:{instances[0].port}",
            "127.0.0.1:8002": f"127.0.0.1:{instances[1].port}",
            "listen 443 ssl": f"listen 127.0.0.1:{port} ssl",
            "/etc/letsencrypt/live/ivr.example.org/fullchain.pem": str(cert),
            "/etc/letsencrypt/live/ivr.example.org/privkey.pem": str(key),
        })
        (tmp / "ivr.conf").write_text(site)
        # What Debian's /etc/nginx/nginx.conf provides around a site, with every path in tmp.
        temp_paths = "".join(f"    {kind}_temp_path {tmp}/{kind};\n"
                             for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        # As root, the workers stay root: they write temporary files under tmp, which is root's alone.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(
            f"daemon off;\n{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\n"
            f"events {{ worker_connections 256; }}\n"
            f"http {{\n    access_log {tmp}/access.log;\n{temp_paths}    include {tmp}/ivr.conf;\n}}\n")
        with (tmp / "nginx.out").open("w") as out:
            proc = subprocess.Popen([nginx, "-e", str(tmp / "error.log"), "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                                    stdout=out, stderr=subprocess.STDOUT)
        wait_for_port(port, proc, tmp / "error.log")
        context = ssl.create_default_context(cafile=str(cert))
        yield Deployment(port, instances, context, recordings)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        for server in instances:
            if server.proc.poll() is None:
                server.stop()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    with deployed(tmp_path_factory.mktemp("nginx")) as running:
        yield running


def test_signed_https_calls_through_nginx_reach_both_instances_and_pass(deployment):
    """Twilio's signature, made for the https URL it called, passes on each instance behind nginx."""
    sids = set()
    for n in range(6):
        form = twilio_form(100 + n)
        status, content_type, body = deployment.call("/voice", form)
        assert status == 200, body
        assert content_type.startswith("text/xml")
        gather = ET.fromstring(body).find("Gather")
        assert gather is not None and gather.get("action") == "/voice/choose"
        sids.add(form["CallSid"])
    first, second = (deployment.calls_logged(server) & sids for server in deployment.instances)
    assert first and second, "nginx sends calls to both instances"
    assert first | second == sids


def test_a_bad_signature_gets_403_through_nginx(deployment):
    for n in range(4):  # round robin: each instance gets some
        status, _, _ = deployment.call("/voice", twilio_form(200 + n), token="not-the-account-token")
        assert status == 403
    # Signed for plain http: the instances know from nginx that Twilio called https.
    form = twilio_form(210)
    signature = RequestValidator(TOKEN).compute_signature(f"http://127.0.0.1:{deployment.port}/voice", form)
    for _ in range(2):
        status, _, _ = deployment.request("POST", "/voice", urlencode(form), {
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
        assert status == 403


def test_play_audio_fetches_through_nginx(deployment):
    """A <Play> URL from the language menu answers through nginx with the recording itself, on either instance."""
    status, _, body = deployment.call("/voice", twilio_form(300))
    assert status == 200
    plays = [play.text for play in ET.fromstring(body).iter("Play")]
    url = next(url for url in plays if url.startswith("/audio/fa/language.name.wav"))
    recorded = (deployment.recordings / "fa" / "language.name.wav").read_bytes()
    for _ in range(2):
        status, content_type, audio = deployment.request("GET", url)
        assert status == 200
        assert content_type.startswith("audio/")
        assert audio == recorded


def test_nginx_refuses_a_large_body_and_answers_only_the_line_s_paths(deployment):
    form = {**twilio_form(400), "Pad": "x" * 70_000}
    assert deployment.call("/voice", form)[0] == 413
    assert deployment.request("GET", "/simulator")[0] == 404
    status, content_type, body = deployment.request("GET", "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"


def _alive(sock: ssl.SSLSocket) -> bool:
    try:
        return sock.recv(1) != b""
    except ssl.SSLWantReadError:
        return True  # nothing to read: still open
    except OSError:
        return False


def test_a_byte_a_second_client_neither_delays_calls_nor_stays(deployment):
    """Three clients sending a request's head a byte a second: calls are answered while they hang on,
    and nginx drops them after its header timeout; the instances never see them."""
    head = f"POST /voice HTTP/1.1\r\nHost: 127.0.0.1:{deployment.port}\r\nContent-Type: ".encode()
    slow = []
    try:
        for _ in range(3):
            raw = socket.create_connection(("127.0.0.1", deployment.port), timeout=5)
            sock = deployment.context.wrap_socket(raw, server_hostname="127.0.0.1")
            sock.setblocking(False)
            slow.append(sock)
        opened = time.monotonic()
        answered, sent = 0, 0
        while time.monotonic() - opened < HEADER_TIMEOUT_S - 2:
            for sock in slow:
                sock.send(head[sent:sent + 1])
            sent += 1
            # A client timeout generous enough that only a line held up by the slow clients would miss it.
            status, _, _ = deployment.call("/voice/choose", twilio_form(500 + sent, Digits="3"))
            assert status == 200
            assert all(_alive(sock) for sock in slow), "answered while the slow clients still hold on"
            answered += 1
            time.sleep(1)
        assert answered >= 2
        # Still dripping, they are cut off at nginx's header timeout, not left open.
        while any(_alive(sock) for sock in slow) and time.monotonic() - opened < HEADER_TIMEOUT_S + 10:
            for sock in slow:
                try:
                    sock.send(head[sent:sent + 1])
                except OSError:
                    pass
            sent += 1
            time.sleep(1)
        assert not any(_alive(sock) for sock in slow), "nginx closes a head that takes over its timeout"
        assert sent < len(head), "the slow head was never complete"
    finally:
        for sock in slow:
            sock.close()


def test_the_operations_page_names_only_files_that_exist():
    """Every repository path docs/operations.md names (in backticks) is there."""
    text = (ROOT / "docs" / "operations.md").read_text()
    named = set(re.findall(r"`((?:deploy|docs|menus|audio|bench|tests|ivr)/[^`\s]*|Procfile|gunicorn\.conf\.py)`", text))
    assert {"deploy/nginx/ivr.conf", "deploy/systemd/ivr@.service", "deploy/ivr.env.example"} <= named
    assert [path for path in sorted(named) if not (ROOT / path).exists()] == []
