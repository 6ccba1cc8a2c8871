"""The number by text message on a call: offered on the duty's page while it is closed, to a Finnish
mobile only, sent through Twilio's REST API (a fake on loopback), and the caller hears how it went."""

import pytest
from twilio.request_validator import RequestValidator

from ivr import phrases

from ..answers import parse
from ..conftest import LINE_MENU, line_app, spoken
from ..sms_support import SID, TOKEN, twilio, twilio_server  # noqa: F401 (fixtures)

MOBILE, LANDLINE = "+358401234567", "+358861552700"
CLOSED = "2026-11-30T16:00"  # a Monday evening: the desk's page
OFFER = LINE_MENU.phrases["en"](phrases.SMS_OFFER, key="2")


@pytest.fixture
def app(tmp_path, twilio, clock):  # noqa: F811
    clock.set(CLOSED)
    return line_app(clock, auth_token=TOKEN, account_sid=SID, sms_from="+358457395000",
                    sms_db=tmp_path / "sms.sqlite3", twilio_api=twilio.url)


def post(app, path, caller, **form):
    """A request as Twilio signs it (the test client's host, no public URL set)."""
    form = {"From": caller, "CallSid": "CA" + "1" * 32, **form}
    signature = RequestValidator(TOKEN).compute_signature(f"http://localhost{path}", form)
    return parse(app.test_client().post(path, data=form, headers={"X-Twilio-Signature": signature}))


def test_a_mobile_caller_hears_the_offer_on_the_closed_duty_page(app):
    page = post(app, "/voice/en/desk", MOBILE)
    assert page.text.startswith("The desk is closed now.")
    number = spoken(LINE_MENU.nodes["desk"].number)
    assert page.text.rindex(number) < page.text.index(OFFER), "offered once the number has been heard"


@pytest.mark.parametrize("caller", [LANDLINE, "+46701234567", "anonymous", ""])
def test_no_offer_to_a_landline_a_foreign_or_a_hidden_number(app, caller):
    page = post(app, "/voice/en/desk", caller)
    assert OFFER not in page.text
    assert post(app, "/voice/en/desk/key", caller, Digits="2").text.startswith(
        LINE_MENU.phrases["en"](phrases.NOT_IN_MENU))


def test_no_offer_when_text_messages_are_not_configured(clock):
    clock.set(CLOSED)
    page = parse(line_app(clock).test_client().post("/voice/en/desk", data={"From": MOBILE}))
    assert "closed" in page.text and OFFER not in page.text


def test_key_2_sends_it_once_and_the_caller_hears_it_went_and_the_number_again(app, twilio):  # noqa: F811
    number = spoken(LINE_MENU.nodes["desk"].number)
    sent = post(app, "/voice/en/desk/key", MOBILE, Digits="2")
    assert sent.text.startswith(LINE_MENU.phrases["en"](phrases.SMS_SENT))
    assert sent.text.count(number) == 2
    assert sent.gather.get("action") == "/voice/en/desk/key"
    [posted] = twilio.posted
    assert posted.form["To"] == MOBILE and "08 6155 2760" in posted.form["Body"]
    again = post(app, "/voice/en/desk/key", MOBILE, Digits="2")
    assert again.text.startswith(LINE_MENU.phrases["en"](phrases.SMS_ALREADY)), "one a day per number"
    assert again.text.count(number) == 2 and len(twilio.posted) == 1


def test_a_twilio_error_says_it_failed_and_gives_the_number(app, twilio):  # noqa: F811
    twilio.mode = "refuse"
    failed = post(app, "/voice/en/desk/key", MOBILE, Digits="2")
    assert failed.text.startswith(LINE_MENU.phrases["en"](phrases.SMS_FAILED))
    assert spoken(LINE_MENU.nodes["desk"].number) in failed.text
    assert failed.redirect == "/voice/en/desk?b=1", "then back to the page's keys"


OPEN = "2026-11-30T10:00"  # a Monday morning: the desk answers calls


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed"])
def test_after_a_failed_transfer_the_number_is_offered_by_text_message_too(app, clock, status):
    clock.set(OPEN)
    failed = post(app, "/voice/en/desk/dialled", MOBILE, DialCallStatus=status)
    number = spoken(LINE_MENU.nodes["desk"].number)
    retry = LINE_MENU.phrases["en"](phrases.TRY_AGAIN, key="1")
    assert failed.text.count(number) == 2
    assert failed.text.index(retry) < failed.text.index(OFFER), "trying again first, then the message"
    assert failed.action == "/voice/en/desk/key"


def test_after_a_failed_transfer_2_texts_the_number_and_1_still_tries_again(app, clock, twilio):  # noqa: F811
    clock.set(OPEN)
    sent = post(app, "/voice/en/desk/key", MOBILE, Digits="2")
    assert sent.text.startswith(LINE_MENU.phrases["en"](phrases.SMS_SENT))
    assert len(twilio.posted) == 1 and twilio.posted[0].form["To"] == MOBILE
    assert sent.redirect == "/voice/en/office?b=1", "silence then goes to the menu, never dials by itself"
    again = post(app, "/voice/en/desk/key", MOBILE, Digits="1")
    assert again.dial is not None and again.dial.text.strip() == LINE_MENU.nodes["desk"].number.e164
    other = post(app, "/voice/en/desk/key", MOBILE, Digits="*")
    assert other.dial is None and other.action == "/voice/en/office/key", "other keys are the menu's"


def test_no_offer_after_a_failed_transfer_to_a_landline(app, clock):
    clock.set(OPEN)
    failed = post(app, "/voice/en/desk/dialled", LANDLINE, DialCallStatus="busy")
    assert OFFER not in failed.text
    assert failed.action == "/voice/en/office/key", "its keys are the menu's: 2 is the menu's own option"
