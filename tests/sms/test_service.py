"""The number by text message end to end: eligibility, limits and Twilio (a fake REST API on loopback)."""

import dataclasses
import datetime as dt
import logging
import pathlib
import time

import pytest

from ivr import sms
from ivr.settings import Settings
from ivr.sms.message import message

from ..conftest import LINE_MENU, OPEN
from ..sms_support import MESSAGES, SID, TOKEN, free_port, redis_url, twilio, twilio_server  # noqa: F401 (fixtures)

CALLER = "+358401234567"
SENDER = "+358457395000"
FI = LINE_MENU.language("fi")


@pytest.fixture
def line(tmp_path, twilio):  # noqa: F811
    """The settings of a line with text messages, sending to the fake Twilio."""
    return Settings(account_sid=SID, auth_token=TOKEN, sms_from=SENDER, sms_db=tmp_path / "sms.sqlite3",
                    twilio_api=twilio.url)


@pytest.fixture(autouse=True)
def no_number_logged(caplog):
    """Whatever happens, no log line holds the caller's number (Twilio's own error text quotes it)."""
    caplog.set_level(logging.DEBUG)
    yield
    logged = [record.getMessage() for record in caplog.get_records("call")]  # caplog.text: this phase's only
    assert not [line for line in logged if "401234567" in line]


def ask(settings, caller=CALLER, lang=FI, now=OPEN, **options):
    return sms.request_sms(settings, LINE_MENU, lang, caller, now, **options)


def test_the_message_is_sent_in_the_callers_language(line, twilio):  # noqa: F811
    assert ask(line) == "sent"
    [posted] = twilio.posted
    assert posted.path == MESSAGES
    assert posted.user == f"{SID}:{TOKEN}"
    assert posted.form == {"To": CALLER, "From": SENDER, "Body": message(LINE_MENU, FI).text}
    assert posted.form["Body"].startswith("Testilinja. Tiskin numero: 08 6155 2760. Avoinna maanantaista")


def test_an_arabic_caller_gets_arabic(line, twilio):  # noqa: F811
    assert ask(line, lang=LINE_MENU.language("ar")) == "sent"
    body = twilio.posted[0].form["Body"]
    assert body.startswith("خط الاختبار. رقم المكتب: 08 6155 2760.")
    assert message(LINE_MENU, LINE_MENU.language("ar")).segments == 2


def test_a_messaging_service_sends_it(line, twilio):  # noqa: F811
    """IVR_SMS_FROM may be a Messaging Service SID: it is sent as one, with no From."""
    service = "MG" + "1" * 32
    assert ask(dataclasses.replace(line, sms_from=service)) == "sent"
    assert twilio.posted[0].form["MessagingServiceSid"] == service
    assert "From" not in twilio.posted[0].form


def test_an_alphanumeric_sender_starting_with_mg_is_a_sender(line, twilio):  # noqa: F811
    assert ask(dataclasses.replace(line, sms_from="MGKajaani")) == "sent"
    assert twilio.posted[0].form["From"] == "MGKajaani"


def test_anything_unexpected_is_a_failure_not_an_exception(line, twilio):  # noqa: F811
    """A language the menu has no phrases for (a bug in the caller of request_sms): "failed", nothing sent."""
    assert ask(line, lang=dataclasses.replace(FI, code="xx")) == "failed"
    assert twilio.posted == []


def test_a_second_request_the_same_day_is_refused(line, twilio):  # noqa: F811
    assert ask(line) == "sent"
    assert ask(line, now=OPEN + dt.timedelta(hours=3)) == "already"
    assert ask(line, now=OPEN + dt.timedelta(days=1)) == "sent"
    assert len(twilio.posted) == 2


def test_the_daily_cap(line, twilio):  # noqa: F811
    capped = dataclasses.replace(line, sms_daily_cap=1)
    assert ask(capped) == "sent"
    assert ask(capped, caller="+358501234567") == "cap"
    assert len(twilio.posted) == 1


@pytest.mark.parametrize("caller", ["+358861552760", "+46701234567", "anonymous", "", None, "+266696687"])
def test_no_message_to_a_number_that_is_not_an_allowed_mobile(line, twilio, caller):  # noqa: F811
    assert ask(line, caller=caller) == "not_allowed"
    assert twilio.posted == []


def test_twilio_refusing_it_is_a_failure_the_caller_may_retry(line, twilio, caplog):  # noqa: F811
    twilio.mode = "refuse"
    assert ask(line) == "failed"
    assert "text message not sent: Twilio answered 400, error 21211" in caplog.messages
    twilio.mode = "accept"
    assert ask(line) == "sent"  # the failed one did not use up the caller's message
    assert len(twilio.posted) == 2


def test_a_twilio_that_does_not_answer_is_a_failure_within_the_timeout(line, twilio):  # noqa: F811
    """Never a hung call: the fake holds the request for 30 s, the line gives up after its timeout."""
    twilio.mode = "hang"
    started = time.monotonic()
    assert ask(line, timeout=0.5) == "failed"
    assert time.monotonic() - started < 10
    assert len(twilio.posted) == 1


def test_an_unreachable_twilio_is_a_failure(line):
    assert ask(dataclasses.replace(line, twilio_api=f"http://127.0.0.1:{free_port()}")) == "failed"


def test_an_unreachable_store_sends_nothing(line, twilio):  # noqa: F811
    """Fail closed: without the limits there is no message."""
    assert ask(dataclasses.replace(line, redis_url=f"redis://127.0.0.1:{free_port()}/0")) == "failed"
    assert twilio.posted == []


def test_a_message_over_two_segments_is_not_sent_and_not_counted(line, twilio):  # noqa: F811
    top = LINE_MENU.nodes[LINE_MENU.start]
    long_name = dataclasses.replace(top, say={**top.say, "fi": "Testilinja " * 40})
    menu = dataclasses.replace(LINE_MENU, nodes={**LINE_MENU.nodes, LINE_MENU.start: long_name})
    assert sms.request_sms(line, menu, FI, CALLER, OPEN) == "failed"
    assert twilio.posted == []
    assert ask(line) == "sent"  # the number's one message was not spent


def test_two_instances_sharing_one_redis(line, twilio, redis_url, tmp_path):  # noqa: F811
    """Two instances of the line, each with its own SQLite default, share the limits through Redis."""
    first = dataclasses.replace(line, redis_url=redis_url, sms_db=tmp_path / "first.sqlite3")
    second = dataclasses.replace(line, redis_url=redis_url, sms_db=tmp_path / "second.sqlite3")
    assert ask(first) == "sent"
    assert ask(second) == "already"
    assert len(twilio.posted) == 1
    assert not (tmp_path / "first.sqlite3").exists()  # Redis, not the file


def test_off_by_default(tmp_path, twilio):  # noqa: F811
    """A line without the three settings offers nothing and sends nothing."""
    for settings in [Settings(), Settings(auth_token=TOKEN), Settings(account_sid=SID, auth_token=TOKEN),
                     Settings(account_sid=SID, sms_from=SENDER)]:
        settings = dataclasses.replace(settings, sms_db=tmp_path / "sms.sqlite3", twilio_api=twilio.url)
        assert not sms.enabled(settings)
        assert not sms.offered(settings, LINE_MENU, CALLER)
        assert ask(settings) == "failed"
    assert twilio.posted == []


def test_offered_only_to_a_mobile_on_a_line_with_a_duty_phone(line):
    assert sms.enabled(line)
    assert sms.offered(line, LINE_MENU, CALLER)
    assert not sms.offered(line, LINE_MENU, "+358861552760")
    assert not sms.offered(line, LINE_MENU, "anonymous")
    assert sms.offered(dataclasses.replace(line, sms_regions=("FI", "SE")), LINE_MENU, "+46701234567")


def test_the_settings_from_the_environment():
    read = Settings.from_env({"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN, "IVR_SMS_FROM": "Kajaani",
                              "IVR_SMS_DAILY_CAP": "50", "IVR_SMS_REGIONS": "fi, se", "IVR_SMS_DB": "/srv/sms.db",
                              "IVR_REDIS_URL": "redis://cache:6379/0", "IVR_SMS_HASH_KEY": "k"})
    assert (read.account_sid, read.sms_from, read.sms_daily_cap, read.sms_regions, read.sms_db, read.redis_url,
            read.sms_hash_key) == (SID, "Kajaani", 50, ("FI", "SE"), pathlib.Path("/srv/sms.db"),
                                   "redis://cache:6379/0", "k")
    assert read.twilio_api == "https://api.twilio.com"  # never from the environment
    default = Settings.from_env({})
    assert (default.sms_daily_cap, default.sms_regions, default.redis_url) == (200, ("FI",), None)
    assert not sms.enabled(default)


@pytest.mark.parametrize("name, value, expected", [
    ("IVR_SMS_DAILY_CAP", "lots", "IVR_SMS_DAILY_CAP is 'lots': write how many text messages the line may send "
                                  "a day, e.g. 200"),
    ("IVR_SMS_DAILY_CAP", "-1", "IVR_SMS_DAILY_CAP is '-1': write how many text messages the line may send "
                                "a day, e.g. 200"),
    ("IVR_SMS_REGIONS", "Finland", "IVR_SMS_REGIONS is 'Finland': write region codes separated by commas, "
                                   "e.g. FI or FI,SE"),
    ("IVR_SMS_REGIONS", ",", "IVR_SMS_REGIONS is ',': write region codes separated by commas, e.g. FI or FI,SE"),
])
def test_a_bad_setting_says_what_to_write(name, value, expected):
    with pytest.raises(ValueError) as error:
        Settings.from_env({name: value})
    assert str(error.value) == expected
