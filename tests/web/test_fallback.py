"""Twilio's Fallback URL answers even when the line's menu could not be loaded at all."""

import pytest
from flask import Flask
from twilio.request_validator import RequestValidator

from ivr.web import fallback

from ..answers import parse
from ..conftest import line_app

TOKEN = "test-token-not-a-secret"
DUTY = "0 8 6 1 5 5 2 7 6 0"


def test_apology_duty_number_and_112_in_three_languages_each_in_its_voice_then_hang_up(client):
    answer = parse(client.post("/voice/fallback", data={"CallSid": "CA1", "ErrorCode": "11200"}))
    assert answer.verbs == ["Say", "Say", "Say", "Hangup"]
    assert [(s.voice, s.language) for s in answer.said] == [
        ("Polly.Suvi-Neural", "fi-FI"), ("Polly.Elin-Neural", "sv-SE"), ("Polly.Amy-Neural", "en-GB")]
    fi, sv, en = (s.text for s in answer.said)
    assert fi.startswith("Pahoittelemme") and "Jos henki on vaarassa, soita 1 1 2." in fi
    assert sv.startswith("Vi beklagar") and "Om det är fara för livet, ring 1 1 2." in sv
    assert en.startswith("Sorry") and en.endswith("In a life-threatening emergency, call 1 1 2.")
    for said in answer.said:
        assert DUTY in said.text, "the duty number, digit by digit"
        assert said.breaks == 4, "a pause before each group of digits and after the number"


def test_it_needs_no_menu_no_catalog_and_no_clock():
    """Registered on an app that has nothing else, it still answers the same."""
    bare = Flask("bare")
    bare.register_blueprint(fallback.bp)
    answer = parse(bare.test_client().post("/voice/fallback"))
    assert DUTY in answer.said[2].text and answer.hangs_up


def test_it_answers_after_the_menu_is_gone(app):
    del app.extensions["ivr.menu"]
    assert parse(app.test_client().get("/voice/fallback")).hangs_up


@pytest.fixture
def signed(clock):
    return line_app(clock, auth_token=TOKEN, require_token=True).test_client()


def test_with_a_token_only_signed_requests_get_it(signed):
    url, form = "http://localhost/voice/fallback", {"CallSid": "CA1", "ErrorCode": "11200"}
    good = signed.post(url, data=form, headers={"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, form)})
    assert parse(good).hangs_up
    bad = signed.post(url, data=form, headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"})
    assert bad.status_code == 403 and b"Say" not in bad.data
