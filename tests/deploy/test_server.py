"""The Procfile's server itself (gunicorn, gunicorn.conf.py) on loopback: what a test client cannot show.

Slow and idle sockets, chunked bodies, forwarded headers as a proxy sends them, and the log the
server writes. One server for the module (behind one trusted proxy, IVR_PROXY_HOPS=1); every attack
here is bounded in count and time and stays on 127.0.0.1.
"""

import http.client
import json
import socket
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from bench.run import TOKEN, Server
from bench.traffic import twilio_form

from ..answers import parse as parse_response

PUBLIC = "https://ivr.example.org"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "server.log"
    running = Server("the line", None, log, {"IVR_PROXY_HOPS": "1"})
    yield running
    running.stop()


class Reply:
    """What http.client got, read as tests/answers.py reads a test client's response."""

    def __init__(self, status, content_type, data):
        self.status_code, self.content_type, self.data = status, content_type, data
        self.mimetype = content_type.split(";")[0]


def post(server, path, form=None, headers=None, body=None, timeout=5):
    body = urlencode(form or {}) if body is None else body
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
        answer = conn.getresponse()
        return Reply(answer.status, answer.getheader("Content-Type", ""), answer.read())
    finally:
        conn.close()


def signed(server, path, form, base=None, **headers):
    url = (base or f"http://127.0.0.1:{server.port}") + path
    signature = RequestValidator(TOKEN).compute_signature(url, form)
    return post(server, path, form, {"X-Twilio-Signature": signature, **headers})


def chunked(server, path, body: bytes, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.putrequest("POST", path)
        for name, value in {"Content-Type": "application/x-www-form-urlencoded",
                            "Transfer-Encoding": "chunked", **headers}.items():
            conn.putheader(name, value)
        conn.endheaders()
        for start in range(0, len(body), 8192):
            piece = body[start:start + 8192]
            conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        conn.send(b"0\r\n\r\n")
        answer = conn.getresponse()
        answer.read()
        return answer.status
    finally:
        conn.close()


def test_a_signed_call_gets_the_language_menu(server):
    answer = parse_response(signed(server, "/voice", twilio_form(1)))
    assert answer.gather.get("action") == "/voice/choose"


def test_idle_and_byte_a_second_sockets_leave_calls_answered_within_a_second(server):
    """30 idle connections and 3 sending their head a byte at a time, for 3 s: every call still under 1 s."""
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=2) for _ in range(30)]
    slow = [socket.create_connection(("127.0.0.1", server.port), timeout=2) for _ in range(3)]
    head = b"POST /voice HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    try:
        # A starved server (sync workers) leaves these calls waiting past the client's timeout (5 s):
        # they raise instead of answering. How fast the line answers is bench.slowloris's to measure.
        answered = 0
        deadline = time.monotonic() + 3
        index = 0
        while time.monotonic() < deadline:
            for sock in slow:
                sock.send(head[index % len(head):][:1])
            index += 1
            reply = signed(server, "/voice/choose", twilio_form(index, Digits="3"))
            assert reply.status_code == 200
            answered += 1
            time.sleep(0.2)
        assert answered >= 5
    finally:
        for sock in idle + slow:
            sock.close()


def test_a_chunked_body_over_64_kb_gets_413_and_a_small_one_its_answer(server):
    big = urlencode({**twilio_form(2), "Pad": "x" * 70_000}).encode()
    assert chunked(server, "/voice", big, {}) == 413
    form = twilio_form(3, Digits="3")
    url = f"http://127.0.0.1:{server.port}/voice/choose"
    signature = RequestValidator(TOKEN).compute_signature(url, form)
    assert chunked(server, "/voice/choose", urlencode(form).encode(), {"X-Twilio-Signature": signature}) == 200


def test_a_field_flood_is_refused(server):
    body = "&".join(f"f{i}=v" for i in range(9000))
    assert post(server, "/voice", body=body).status_code == 413  # before any signature is computed


def test_the_trusted_proxy_s_forwarded_host_is_what_is_signed(server):
    """Behind the one proxy the server is told of, Twilio's signature for the public URL passes."""
    form = twilio_form(4)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "ivr.example.org"}
    assert signed(server, "/voice", form, base=PUBLIC, **headers).status_code == 200
    # The same signature through a path that names another host is refused.
    other = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "other.example.org"}
    assert signed(server, "/voice", form, base=PUBLIC, **other).status_code == 403


header_values = st.one_of(st.sampled_from(["https", "http", "http://a:b", "", "https, http", "ivr.example.org",
                                           "ivr.example.org:443", "a:b:c", "[::1]", "\t", "%0a"]),
                          st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=30))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(proto=header_values, host=header_values, signed_for=st.sampled_from(["public", "loopback", "none"]),
       path=st.sampled_from(["/voice", "/voice/choose", "/voice/fallback", "/voice/en/x", "/voice/status"]))
def test_forwarded_header_variations_are_answered_or_refused_never_an_error(server, proto, host, signed_for, path):
    """Whatever a proxy (or anyone) forwards: 403 unless the signature matches, else the webhook's answer."""
    form = twilio_form(5, Digits="3")
    headers = {"X-Forwarded-Proto": proto, "X-Forwarded-Host": host}
    base = {"public": PUBLIC, "loopback": f"http://127.0.0.1:{server.port}", "none": "http://nowhere.invalid"}[signed_for]
    reply = signed(server, path, form, base=base, **headers)
    assert reply.status_code in (200, 204, 400, 403), reply.status_code
    if reply.status_code == 200:
        assert signed_for != "none"
        answer = parse_response(reply)
        assert answer.verbs and answer.verbs[-1] in {"Redirect", "Hangup", "Gather"}


def test_the_server_log_has_no_forged_lines_and_no_tracebacks(server):
    """A path with %0A and an ESC sequence stays inside its one escaped line; refusals are not calls."""
    post(server, "/voice/%0A{\"call\":\"CAforged\"}%1B[2J", twilio_form(6, CallSid="CAforged"))
    time.sleep(0.3)
    lines = server.log.read_text(errors="replace").splitlines()
    assert not any(line.startswith('{"call"') for line in lines)
    assert "\x1b" not in "\n".join(lines) and "Traceback" not in "\n".join(lines)
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    refused = [e for e in entries if e["status"] == 403]
    assert refused and all("call" not in e for e in refused)
    assert any(e.get("path", "").startswith("/voice/\\n{") for e in refused)
