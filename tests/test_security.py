"""Only requests signed with the account's auth token reach the menu."""

from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from .conftest import line_app
from .twiml import parse

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
