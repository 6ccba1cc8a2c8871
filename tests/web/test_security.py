"""Only requests signed with the account's auth token reach the menu.

Hostile requests: the signature check fails closed, forwarded headers count only when the deployment
says so, floods of fields are refused before parsing, and a refused request cannot write a call into the log.
"""

import io
import json
import logging
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from ivr import create_app
from ivr.settings import Settings
from ivr.web import security

from ..answers import parse
from ..conftest import OPEN, Clock, line_app

TOKEN = "test-token-not-a-secret"


@pytest.fixture
def signed_app(clock):
    return line_app(clock, auth_token=TOKEN, require_token=True)


def sign(url, form):
    return RequestValidator(TOKEN).compute_signature(url, form)


def test_a_correctly_signed_request_gets_the_menu(signed_app):
    form = {"CallSid": "CA1", "Digits": "3"}
    url = "http://localhost/voice/choose"
    response = signed_app.test_client().post(url, data=form, headers={"X-Twilio-Signature": sign(url, form)})
    assert parse(response).gather.get("action") == "/voice/en/top/key"


@pytest.mark.parametrize("headers", [{}, {"X-Twilio-Signature": ""}, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}])
def test_unsigned_or_badly_signed_requests_get_403_and_nothing_of_the_menu(signed_app, headers):
    response = signed_app.test_client().post("/voice/choose", data={"Digits": "3"}, headers=headers)
    assert response.status_code == 403
    assert b"Say" not in response.data and b"press" not in response.data and b"In English" not in response.data


def test_a_signature_for_other_form_values_is_refused(signed_app):
    url = "http://localhost/voice/choose"
    signature = sign(url, {"Digits": "3"})
    response = signed_app.test_client().post(url, data={"Digits": "1"}, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_query_string_is_part_of_what_is_signed(signed_app):
    client = signed_app.test_client()
    url = "http://localhost/voice/en/top/key?w=2"
    good = client.post(url, data={"Digits": "1"}, headers={"X-Twilio-Signature": sign(url, {"Digits": "1"})})
    assert good.status_code == 200
    other = "http://localhost/voice/en/top/key"
    bad = client.post(url, data={"Digits": "1"}, headers={"X-Twilio-Signature": sign(other, {"Digits": "1"})})
    assert bad.status_code == 403


def test_behind_a_tunnel_the_public_url_is_what_twilio_signed(clock):
    app = line_app(clock, auth_token=TOKEN, require_token=True, public_url="https://ivr.example.org/")
    signature = sign("https://ivr.example.org/voice", {"CallSid": "CA1"})
    response = app.test_client().post("/voice", data={"CallSid": "CA1"}, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200


def test_forwarded_proto_and_host_from_one_proxy_are_honoured(clock):
    """Only where the deployment says a proxy stands in front (IVR_PROXY_HOPS=1)."""
    signed_app = line_app(clock, auth_token=TOKEN, require_token=True, proxy_hops=1)
    signature = sign("https://public.example.org/voice", {"CallSid": "CA1"})
    response = signed_app.test_client().post(
        "/voice", data={"CallSid": "CA1"},
        headers={"X-Twilio-Signature": signature, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "public.example.org"},
    )
    assert response.status_code == 200


def test_get_requests_are_signed_over_the_url_alone(signed_app):
    url = "http://localhost/voice/choose?Digits=3"
    response = signed_app.test_client().get(url, headers={"X-Twilio-Signature": sign(url, {})})
    assert parse(response).gather.get("action") == "/voice/en/top/key"


def test_status_callback_is_checked_too(signed_app):
    assert signed_app.test_client().post("/voice/status", data={"CallStatus": "completed"}).status_code == 403


def test_healthz_needs_no_signature(signed_app):
    assert signed_app.test_client().get("/healthz").status_code == 200


def test_a_field_sent_twice_is_signed_with_both_values(signed_app):
    """Twilio signs every value of a repeated field; a signature over one of them is refused."""
    pairs = [("CallSid", "CA1"), ("Digits", "3"), ("Digits", "1")]
    url = "http://localhost/voice/choose"
    client = signed_app.test_client()

    def post(signature):
        return client.post(url, data=urlencode(pairs), content_type="application/x-www-form-urlencoded",
                           headers={"X-Twilio-Signature": signature})

    assert post(RequestValidator(TOKEN).compute_signature(url, MultiDict(pairs))).status_code == 200
    assert post(sign(url, dict(pairs[:2]))).status_code == 403


# -- Hostile requests: the signature check fails closed, forwarded headers count only when the deployment ----

FORM = {"CallSid": "CA1", "From": "+358401234567"}
# One path per blueprint and kind of route, the fallback's included.
WEBHOOKS = ["/voice", "/voice/choose", "/voice/en/services", "/voice/en/services/key", "/voice/en/duty/dialled",
            "/voice/status", "/voice/fallback", "/voice/no/such/place"]


def app_with(clock, **settings):
    return create_app(Settings.from_env({}, auth_token=TOKEN, **settings), clock=clock)


@pytest.fixture(scope="module")
def hostile_app():
    return app_with(Clock(OPEN))


@pytest.fixture(scope="module")
def apps_by_hops(hostile_app):
    return {0: hostile_app, 1: app_with(Clock(OPEN), proxy_hops=1)}


# -- Fail closed -------------------------------------------------------------------

@pytest.mark.parametrize("path", WEBHOOKS)
def test_a_forwarded_proto_that_breaks_the_url_is_a_403_on_every_webhook(apps_by_hops, path):
    """'X-Forwarded-Proto: http://a:b' once raised inside the check; now it is a refusal, trusted proxy or not."""
    for hops, app in apps_by_hops.items():
        response = app.test_client().post(path, data=FORM, headers={
            "X-Forwarded-Proto": "http://a:b", "X-Forwarded-Host": "a:b:c", "X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"})
        assert response.status_code == 403, (hops, path)
        assert b"<Say" not in response.data


@pytest.mark.parametrize("path", WEBHOOKS)
def test_any_exception_while_checking_is_a_403_on_every_webhook(hostile_app, monkeypatch, path):
    """Whatever the validator raises, the request is refused, the fallback too."""
    def broken(*args, **kwargs):
        raise RuntimeError("the validator broke")

    monkeypatch.setattr(RequestValidator, "validate", broken)
    url = "http://localhost" + path
    response = hostile_app.test_client().post(url, data=FORM, headers={"X-Twilio-Signature": sign(url, FORM)})
    assert response.status_code == 403


@pytest.mark.parametrize("path", WEBHOOKS)
def test_a_correct_signature_still_gets_through_on_every_webhook(hostile_app, path):
    url = "http://localhost" + path
    response = hostile_app.test_client().post(url, data=FORM, headers={"X-Twilio-Signature": sign(url, FORM)})
    assert response.status_code == (204 if path == "/voice/status" else 200)


# -- Whose URL a signature is for ----------------------------------------------------

def test_without_trusted_proxies_a_forwarded_host_does_not_choose_the_signed_url(hostile_app):
    """A signature Twilio made for another host is refused, whatever X-Forwarded-Host says."""
    signature = sign("https://other.example.org/voice", FORM)
    response = hostile_app.test_client().post("/voice", data=FORM, headers={
        "X-Twilio-Signature": signature, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "other.example.org"})
    assert response.status_code == 403


@pytest.mark.parametrize("headers", [{"Host": "other.example.org"},
                                     {"X-Forwarded-Host": "other.example.org", "X-Forwarded-Proto": "https"}])
def test_with_a_public_url_only_that_url_is_signed(clock, headers):
    """IVR_PUBLIC_URL set: a signature for the host the request names is refused, even from a trusted proxy."""
    app = app_with(clock, public_url="https://ivr.example.org", proxy_hops=1)
    client = app.test_client()
    other = sign(f"{headers.get('X-Forwarded-Proto', 'http')}://other.example.org/voice", FORM)
    assert client.post("/voice", data=FORM, headers={**headers, "X-Twilio-Signature": other}).status_code == 403
    ours = sign("https://ivr.example.org/voice", FORM)
    assert client.post("/voice", data=FORM, headers={**headers, "X-Twilio-Signature": ours}).status_code == 200


def test_two_proxy_hops_take_the_host_the_outer_proxy_was_asked_for(clock):
    """With IVR_PROXY_HOPS=2 the first of two forwarded hosts is the public one; the second is not trusted alone."""
    app = app_with(clock, proxy_hops=2)
    headers = {"X-Forwarded-Proto": "https, http", "X-Forwarded-Host": "public.example.org, inner.local"}
    good = sign("https://public.example.org/voice", FORM)
    inner = sign("http://inner.local/voice", FORM)
    client = app.test_client()
    assert client.post("/voice", data=FORM, headers={**headers, "X-Twilio-Signature": good}).status_code == 200
    assert client.post("/voice", data=FORM, headers={**headers, "X-Twilio-Signature": inner}).status_code == 403


@pytest.mark.parametrize("text, hops", [("", 0), ("0", 0), ("1", 1), (" 2 ", 2)])
def test_proxy_hops_are_read_from_the_environment(text, hops):
    assert Settings.from_env({"IVR_PROXY_HOPS": text}).proxy_hops == hops


@pytest.mark.parametrize("text", ["yes", "-1", "1.5"])
def test_proxy_hops_that_are_not_a_count_stop_the_start(text):
    with pytest.raises(ValueError, match="IVR_PROXY_HOPS"):
        Settings.from_env({"IVR_PROXY_HOPS": text})


# -- Floods of fields ------------------------------------------------------------------

def test_more_fields_than_twilio_sends_are_refused_before_they_are_parsed(hostile_app, monkeypatch):
    """9,000 fields once cost 33 ms each to sign and refuse; now 413 without computing a signature."""
    computed = []
    monkeypatch.setattr(RequestValidator, "validate", lambda *a, **k: computed.append(1) or False)
    body = urlencode([(f"f{i}", "v") for i in range(9000)])
    response = hostile_app.test_client().post("/voice", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and computed == []


def test_a_signed_form_of_as_many_fields_as_the_cap_is_answered(hostile_app):
    form = {**FORM, **{f"f{i}": "v" for i in range(security.MAX_FIELDS - len(FORM))}}
    url = "http://localhost/voice"
    response = hostile_app.test_client().post(url, data=form, headers={"X-Twilio-Signature": sign(url, form)})
    assert parse(response).gather is not None
    form["one_more"] = "v"
    response = hostile_app.test_client().post(url, data=form, headers={"X-Twilio-Signature": sign(url, form)})
    assert response.status_code == 413


def test_a_multipart_form_with_too_many_parts_is_refused(hostile_app):
    data = {f"f{i}": "v" for i in range(security.MAX_FIELDS + 5)}
    response = hostile_app.test_client().post("/voice", data=data, content_type="multipart/form-data")
    assert response.status_code == 413


# -- What a refused request may write ------------------------------------------------

def logged(capsys):
    return [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]


def test_a_refused_request_is_logged_without_the_call_it_claims(hostile_app, capsys):
    """Its CallSid, caller, language and node are whatever the sender wrote: none of it is logged."""
    capsys.readouterr()
    hostile_app.test_client().post("/voice/en/duty/key", data={**FORM, "Digits": "1"})
    (entry,) = logged(capsys)
    assert entry["event"] == "refused" and entry["status"] == 403
    assert entry["method"] == "POST" and entry["path"] == "/voice/en/duty/key"
    assert not {"call", "caller", "lang", "node", "key"} & set(entry)


def test_a_refused_path_is_escaped_and_cut_in_the_call_log_and_on_stderr(hostile_app, capsys, caplog):
    """A %0A in a path once forged a whole line on stderr; ESC sequences reached the terminal."""
    capsys.readouterr()
    path = "/voice/%0A2026-12-01 INFO forged%1B[31m%E2%80%AE" + "x" * 300
    with caplog.at_level(logging.WARNING, logger="ivr.web.security"):  # `ivr call` quiets "ivr" for good
        hostile_app.test_client().post(path, data=FORM)
    (entry,) = logged(capsys)
    assert entry["path"].startswith("/voice/\\n2026-12-01 INFO forged\\x1b[31m\\u202e")
    assert len(entry["path"]) < 120 and entry["path"].endswith("...")
    messages = [r.getMessage() for r in caplog.records if r.name == "ivr.web.security"]
    assert messages and all("\n" not in m and "\x1b" not in m and "\u202e" not in m for m in messages)


def test_an_answered_request_is_still_logged_as_a_call(hostile_app, capsys):
    capsys.readouterr()
    url = "http://localhost/voice"
    hostile_app.test_client().post(url, data=FORM, headers={"X-Twilio-Signature": sign(url, FORM)})
    (entry,) = logged(capsys)
    assert (entry["call"], entry["caller"], entry["node"], entry["event"]) == ("CA1", "+358...67", "languages", "said")


@pytest.mark.parametrize("text, shown", [
    ("plain /voice/en", "plain /voice/en"),
    ("a\nb\r\tc", "a\\nb\\r\\tc"),
    ("\x1b[2J\x7f\x9b", "\\x1b[2J\\x7f\\x9b"),
    ("\u202eevil\u2066", "\\u202eevil\\u2066"),
    ("suomi ä ع", "suomi ä ع"),
])
def test_printable_escapes_control_characters_and_keeps_the_rest(text, shown):
    assert security.printable(text) == shown


def test_printable_cuts_long_text():
    assert security.printable("x" * 500, 10) == "x" * 10 + "..."
    assert security.printable("x" * 10, 10) == "x" * 10


def test_printable_keeps_120_characters_by_default():
    assert security.printable("x" * 120) == "x" * 120
    assert security.printable("x" * 121) == "x" * 120 + "..."


# -- The URL a signature is checked against -----------------------------------------------

SENT = "/voice/en/a%2Fb%7E?x=%2F"  # escapes Twilio keeps as sent and werkzeug decodes


@pytest.mark.parametrize("environ, expected", [
    ({"RAW_URI": SENT}, SENT),
    ({"REQUEST_URI": SENT}, SENT),
    ({"RAW_URI": SENT, "REQUEST_URI": "/voice/other"}, SENT),
    ({}, "/voice/en/a/b~?x=%2F"),  # a server that passes neither: rebuilt from the path and query
    ({"RAW_URI": "http://proxy.example/voice"}, "/voice/en/a/b~?x=%2F"),  # an absolute form is not a path
])
def test_the_signed_path_is_the_one_sent(hostile_app, environ, expected):
    overrides = {"RAW_URI": "", "REQUEST_URI": "", **environ}
    with hostile_app.test_request_context(SENT, environ_overrides=overrides):
        assert security.signed_url() == "http://localhost" + expected


def test_the_rebuilt_path_keeps_what_twilio_leaves_unescaped(hostile_app):
    with hostile_app.test_request_context("/voice/en/a:b@c,d;e=f~g", environ_overrides={"RAW_URI": "", "REQUEST_URI": ""}):
        assert security.signed_url() == "http://localhost/voice/en/a:b@c,d;e=f~g"


def test_the_public_url_with_a_trailing_slash_signs_one_slash(clock):
    app = app_with(clock, public_url="https://ivr.example.org/")
    with app.test_request_context("/voice", headers={"Host": "elsewhere.example"}):
        assert security.signed_url() == "https://ivr.example.org/voice"


def test_a_signed_post_without_a_form_is_answered(hostile_app):
    """Only an urlencoded body is counted; a body of another type is not a flood."""
    url = "http://localhost/voice"
    response = hostile_app.test_client().post(url, data="&" * 200, content_type="text/plain",
                                             headers={"X-Twilio-Signature": sign(url, {})})
    assert parse(response).gather is not None


def test_the_server_warns_when_signatures_are_checked_against_the_request_s_own_host(clock, caplog):
    with caplog.at_level(logging.WARNING, logger="ivr.web.security"):
        app_with(clock)
        assert any("IVR_PUBLIC_URL is not set" in r.getMessage() for r in caplog.records)
        caplog.clear()
        app_with(clock, public_url="https://ivr.example.org")
        assert not caplog.records
        create_app(Settings.from_env({}, require_token=False, auth_token=None), clock=clock)
        assert [r.getMessage().split(":")[0] for r in caplog.records] == ["TWILIO_AUTH_TOKEN is not set"]


def test_a_signature_made_with_the_algorithm_the_settings_header_names_is_checked_with_it(hostile_app):
    url = "http://localhost/voice"
    settings = {"X-Twilio-Webhooks-Signature-Settings": "key=webhooks_sharedkey_x,algorithm=HMAC_SHA256"}
    sha256 = RequestValidator(TOKEN).compute_signature(url, FORM, "HMAC_SHA256")
    sha1 = sign(url, FORM)
    client = hostile_app.test_client()
    assert client.post(url, data=FORM, headers={**settings, "X-Twilio-Signature": sha256}).status_code == 200
    assert client.post(url, data=FORM, headers={**settings, "X-Twilio-Signature": sha1}).status_code == 403
    assert client.post(url, data=FORM, headers={"X-Twilio-Signature": sha256}).status_code == 403


@pytest.mark.parametrize("kind, expected", [
    ("none", "refused POST /voice/%s: no signature"),
    ("bad", "refused POST /voice/%s: bad signature"),
    ("fields", "refused POST /voice/%s: more than 100 fields"),
    ("broken", "refused POST /voice/%s: the signature could not be checked (RuntimeError)"),
])
def test_each_refusal_is_logged_with_its_reason_and_an_escaped_path(hostile_app, monkeypatch, caplog, kind, expected):
    if kind == "broken":
        def broken(*args, **kwargs):
            raise RuntimeError("the validator broke")

        monkeypatch.setattr(RequestValidator, "validate", broken)
    form = {f"f{i}": "v" for i in range(150)} if kind == "fields" else FORM
    headers = {} if kind == "none" else {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}
    with caplog.at_level(logging.WARNING, logger="ivr.web.security"):
        hostile_app.test_client().post("/voice/%0Ax", data=form, headers=headers)
    messages = [r.getMessage() for r in caplog.records if r.name == "ivr.web.security"]
    assert expected % "\\nx" in messages


@pytest.mark.parametrize("size, status", [(64 * 1024 - 1, 403), (64 * 1024, 403), (64 * 1024 + 1, 413)])
def test_a_body_up_to_64_kb_is_read_and_one_byte_more_is_too_large(hostile_app, size, status):
    body = ("x=" + "a" * size)[:size]
    response = hostile_app.test_client().post("/voice", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == status


@pytest.mark.parametrize("size, status", [(1000, 403), (70_000, 413)])
def test_a_chunked_body_is_measured_before_the_signature(hostile_app, size, status):
    """No Content-Length: the body is read to know its size; over the limit it is 413, not cut."""
    body = ("x=" + "a" * size).encode()
    response = hostile_app.test_client().post("/voice", input_stream=io.BytesIO(body), headers={
        "Transfer-Encoding": "chunked", "Content-Type": "application/x-www-form-urlencoded"},
        environ_overrides={"wsgi.input_terminated": True})  # as gunicorn marks a chunked body
    assert response.status_code == status


def test_a_get_is_never_read_for_a_body(hostile_app):
    url = "http://localhost/voice"
    response = hostile_app.test_client().get(url, headers={"X-Twilio-Signature": sign(url, {})})
    assert parse(response).gather is not None
