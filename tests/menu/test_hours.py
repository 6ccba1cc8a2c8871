"""Open and closed at the right local moments: across the daylight-saving changes and around midnight.

Helsinki moves to summer time on the last Sunday of March (03:00 -> 04:00) and back on the
last Sunday of October (04:00 -> 03:00). Instants are given in UTC, as a server clock keeps them.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ivr import create_app
from ivr.menu import hours

from ..answers import parse
from ..conftest import settings

HELSINKI = ZoneInfo("Europe/Helsinki")
DAY = (dt.time(8), dt.time(15))


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture
def desk(menu):
    """The test line's desk: Monday to Friday 08:00-15:00 in Helsinki, closed on Finnish public holidays."""
    return menu.schedules["desk"]


def night(with_holidays=False, **days) -> hours.Schedule:
    """A schedule open on the given weekdays (d0 is Monday) at the given hours."""
    weekly = [None] * 7
    for index, span in days.items():
        weekly[int(index[1:])] = tuple(dt.time.fromisoformat(t) for t in span.split("-"))
    return hours.Schedule("night", HELSINKI, tuple(weekly), holidays=hours.public_holidays("FI") if with_holidays else None)


@pytest.mark.parametrize("instant, open_", [
    # Thursday 25 March 2027, winter time (UTC+2): 08-15 is 06:00-13:00 UTC.
    ("2027-03-25T05:59:59", False), ("2027-03-25T06:00:00", True),
    ("2027-03-25T12:59:59", True), ("2027-03-25T13:00:00", False),
    # Tuesday 30 March 2027, summer time (UTC+3): 05:00-12:00 UTC (Easter Monday the 29th is a holiday).
    ("2027-03-29T06:00:00", False),
    ("2027-03-30T04:59:59", False), ("2027-03-30T05:00:00", True),
    ("2027-03-30T11:59:59", True), ("2027-03-30T12:00:00", False),
    # Friday 23 October 2026, summer time: 05:00-12:00 UTC.
    ("2026-10-23T05:00:00", True), ("2026-10-23T11:59:59", True), ("2026-10-23T12:00:00", False),
    # Monday 26 October 2026, winter time again: 06:00-13:00 UTC.
    ("2026-10-26T05:59:59", False), ("2026-10-26T06:00:00", True),
    ("2026-10-26T12:59:59", True), ("2026-10-26T13:00:00", False),
])
def test_desk_hours_follow_local_time_across_the_changes(desk, instant, open_):
    assert desk.is_open(utc(instant)) is open_


@pytest.mark.parametrize("instant, opens", [
    ("2027-03-25T13:00:00", "2027-03-30T05:00:00"),  # over Good Friday, Easter and the change
    ("2026-10-23T12:00:00", "2026-10-26T06:00:00"),  # over the change back
    ("2026-11-29T21:59:59", "2026-11-30T06:00:00"),  # Sunday 23:59:59 local: Monday morning
    ("2026-11-29T22:00:00", "2026-11-30T06:00:00"),  # Monday 00:00 local: this morning, not Tuesday
    ("2026-11-30T13:00:00", "2026-12-01T06:00:00"),  # 15:00 sharp: closed, tomorrow
    ("2026-12-23T13:00:00", "2026-12-28T06:00:00"),  # before Christmas Eve, Christmas, Boxing Day, Sunday
    ("2026-12-04T13:00:00", "2026-12-08T06:00:00"),  # Friday, a weekend, then the menu's closure day
])
def test_next_opening_is_the_right_instant_and_local_08_00(desk, instant, opens):
    opening = desk.next_opening(utc(instant))
    assert opening == utc(opens)
    assert opening.astimezone(HELSINKI).time() == dt.time(8)


@pytest.mark.parametrize("instant, open_", [
    # Sunday 01:00-06:00 on 28 March 2027 (Easter Sunday: no holidays here): 02:59:59 winter time is followed by 04:00 summer time.
    ("2027-03-27T22:59:59", False), ("2027-03-27T23:00:00", True),
    ("2027-03-28T00:59:59", True), ("2027-03-28T01:00:00", True),
    ("2027-03-28T02:59:59", True), ("2027-03-28T03:00:00", False),
    # Sunday 01:00-06:00 on 25 October 2026: 03:00-04:00 local happens twice; open through both.
    ("2026-10-24T21:59:59", False), ("2026-10-24T22:00:00", True),
    ("2026-10-25T00:30:00", True), ("2026-10-25T01:30:00", True),
    ("2026-10-25T03:59:59", True), ("2026-10-25T04:00:00", False),
])
def test_hours_that_span_the_change_itself(instant, open_):
    assert night(d6="01:00-06:00").is_open(utc(instant)) is open_


def test_an_opening_on_the_night_of_a_change():
    schedule = night(d6="01:00-06:00")
    assert schedule.next_opening(utc("2027-03-27T12:00:00")) == utc("2027-03-27T23:00:00")  # 01:00 UTC+2
    assert schedule.next_opening(utc("2026-10-24T12:00:00")) == utc("2026-10-24T22:00:00")  # 01:00 UTC+3


@pytest.mark.parametrize("instant, open_", [
    ("2026-12-16T22:30:00", True),   # Thursday 17 December, 00:30 local
    ("2026-12-23T22:30:00", False),  # Thursday 24 December, 00:30 local: Christmas Eve, though UTC says the 23rd
    ("2026-12-16T21:59:59", False),  # Wednesday 23:59:59 local
])
def test_days_and_holidays_change_at_local_midnight(instant, open_):
    assert night(with_holidays=True, d3="00:00-01:00").is_open(utc(instant)) is open_


# -- Through the webhooks, with the clock in UTC -----------------------------------

@pytest.mark.parametrize("instant, opens", [
    ("2026-10-26T05:59:59", "It opens again on Monday 26 October at 8."),
    ("2027-03-30T04:59:59", "It opens again on Tuesday 30 March at 8."),
    ("2026-11-29T22:00:30", "It opens again on Monday 30 November at 8."),
    ("2027-03-25T13:00:00", "It opens again on Tuesday 30 March at 8."),
])
def test_the_line_says_closed_and_the_local_opening_time(client, clock, instant, opens):
    clock.now = utc(instant)
    answer = parse(client.post("/voice/en/office/key", data={"Digits": "1"}))
    assert answer.dial is None and opens in answer.text


@pytest.mark.parametrize("instant", ["2026-10-26T06:00:00", "2027-03-30T05:00:00", "2026-10-23T11:59:59"])
def test_the_line_dials_from_the_first_second_of_local_08_00(client, menu, clock, instant):
    clock.now = utc(instant)
    answer = parse(client.post("/voice/en/office/key", data={"Digits": "1"}))
    assert answer.dial is not None and answer.dial.text == menu.nodes["desk"].number.e164


@pytest.mark.parametrize("frozen, dials", [
    ("2026-10-26T06:00:00+00:00", True),   # 08:00 in Helsinki
    ("2026-10-26T07:59:00+02:00", False),  # 07:59 in Helsinki
    ("2027-03-30T08:00:00+03:00", True),
    ("2026-10-26T08:00", True),            # no offset: Helsinki time
])
def test_ivr_now_with_an_utc_offset_is_read_as_that_instant(frozen, dials):
    app = create_app(settings(now=frozen))  # the line's own clock, frozen
    answer = parse(app.test_client().post("/voice/en/desk"))
    assert (answer.dial is not None) is dials
