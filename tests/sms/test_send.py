"""One send to Twilio, bounded by one deadline whatever the API does, and never sent twice when its fate is unknown."""

import dataclasses
import time

import pytest

from ivr import sms
from ivr.settings import Settings
from ivr.sms.send import send

from ..conftest import LINE_MENU, OPEN
from ..sms_support import SID, TOKEN, twilio, twilio_server  # noqa: F401 (fixtures)

CALLER, SENDER = "+358401234567", "+358457395000"
FI = LINE_MENU.language("fi")
DEADLINE_S = 1.5


@pytest.fixture
def line(tmp_path, twilio):  # noqa: F811
    return Settings(account_sid=SID, auth_token=TOKEN, sms_from=SENDER, sms_db=tmp_path / "sms.sqlite3",
                    twilio_api=twilio.url)


@pytest.mark.parametrize("mode", ["hang", "dribble", "accept-hang"])
def test_a_hanging_or_dribbling_twilio_is_cut_off_at_the_deadline(line, twilio, mode):  # noqa: F811
    """The fake holds the answer for 30 s, or sends it a byte a second: the send gives up at its deadline."""
    twilio.mode = mode
    started = time.monotonic()
    assert send(line, CALLER, "x", DEADLINE_S) == "unknown"
    assert time.monotonic() - started < DEADLINE_S + 0.5


def test_a_name_that_does_not_resolve_is_unsent_within_the_deadline(line):
    started = time.monotonic()
    result = send(dataclasses.replace(line, twilio_api="https://api.twilio.invalid"), CALLER, "x", DEADLINE_S)
    assert result in ("unsent", "unknown")
    assert time.monotonic() - started < DEADLINE_S + 0.5


def test_a_send_that_timed_out_after_twilio_took_it_is_not_sent_again(line, twilio):  # noqa: F811
    """The idempotency key is in the store before the send: asked again (the same call, or a resent request),
    the line says it was already sent and Twilio gets nothing more."""
    twilio.mode = "accept-hang"
    ask = dict(call="CA" + "5" * 32, timeout=DEADLINE_S)
    assert sms.request_sms(line, LINE_MENU, FI, CALLER, OPEN, **ask) == "failed"
    twilio.mode = "accept"
    assert sms.request_sms(line, LINE_MENU, FI, CALLER, OPEN, **ask) == "already"
    assert sms.request_sms(line, LINE_MENU, FI, CALLER, OPEN, call="CA" + "6" * 32) == "already"
    assert len(twilio.posted) == 1


def test_a_send_twilio_refused_may_be_asked_again_in_the_same_call(line, twilio):  # noqa: F811
    twilio.mode = "refuse"
    call = "CA" + "8" * 32
    assert sms.request_sms(line, LINE_MENU, FI, CALLER, OPEN, call=call) == "failed"
    twilio.mode = "accept"
    assert sms.request_sms(line, LINE_MENU, FI, CALLER, OPEN, call=call) == "sent"
    assert sms.request_sms(line, LINE_MENU, FI, CALLER, OPEN, call=call) == "already"
    assert len(twilio.posted) == 2
