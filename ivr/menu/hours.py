"""Opening hours: a weekly schedule, public holidays and one-off closures, in one time zone.

No Flask here, and no `datetime.now()`: callers pass the moment they ask about,
which comes from the app's clock (see `clock`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

import holidays

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# How far ahead to look for the next opening; a schedule closed for longer says so.
HORIZON_DAYS = 400

Clock = Callable[[], dt.datetime]


@dataclasses.dataclass(frozen=True)
class Schedule:
    """When one service is open. `weekly[0]` is Monday; None is a closed day."""

    name: str
    tz: ZoneInfo
    weekly: tuple[tuple[dt.time, dt.time] | None, ...]
    closed: frozenset[dt.date] = frozenset()
    holidays: Mapping[dt.date, str] | None = None

    def closed_reason(self, day: dt.date) -> str | None:
        """Why `day` is closed all day ("weekend", a holiday's name, "closure"), or None."""
        if day in self.closed:
            return "closure"
        if self.holidays is not None and day in self.holidays:
            return self.holidays.get(day)
        if self.weekly[day.weekday()] is None:
            return "weekend" if day.weekday() >= 5 else "no hours"
        return None

    def is_open(self, now: dt.datetime) -> bool:
        local = now.astimezone(self.tz)
        hours = self.weekly[local.weekday()]
        if hours is None or self.closed_reason(local.date()):
            return False
        return hours[0] <= local.time().replace(tzinfo=None) < hours[1]

    def next_opening(self, now: dt.datetime) -> dt.datetime | None:
        """The next moment the service opens after `now` (local time), or None within the horizon."""
        local = now.astimezone(self.tz)
        for offset in range(HORIZON_DAYS):
            day = local.date() + dt.timedelta(days=offset)
            hours = self.weekly[day.weekday()]
            if hours is None or self.closed_reason(day):
                continue
            start = dt.datetime.combine(day, hours[0], tzinfo=self.tz)
            if start > local:
                return start
        return None

    def spans(self) -> list[tuple[int, int, dt.time, dt.time]]:
        """Runs of consecutive weekdays with the same hours: (first, last, start, end)."""
        runs: list[tuple[int, int, dt.time, dt.time]] = []
        for index, hours in enumerate(self.weekly):
            if hours is None:
                continue
            if runs and runs[-1][1] == index - 1 and runs[-1][2:] == hours:
                runs[-1] = (runs[-1][0], index, *hours)
            else:
                runs.append((index, index, *hours))
        return runs


def public_holidays(country: str, language: str | None = None) -> Mapping[dt.date, str]:
    """The country's public holidays, for any year asked about (the table grows as needed)."""
    return holidays.country_holidays(country, language=language)


def parse_hours(text: str) -> tuple[dt.time, dt.time]:
    """'08:00-15:00' -> (08:00, 15:00); ValueError says what is wrong."""
    try:
        start_text, end_text = text.split("-")
        start, end = dt.time.fromisoformat(start_text), dt.time.fromisoformat(end_text)
    except ValueError:
        raise ValueError(f"{text!r} is not opening hours: write HH:MM-HH:MM, e.g. 08:00-15:00") from None
    if start >= end:
        raise ValueError(f"{text!r} opens at or after it closes: the start must come before the end")
    return start, end


def clock(tz: ZoneInfo, frozen: str | None = None) -> Clock:
    """The line's clock: real time, or frozen at `frozen` (IVR_NOW; local time in `tz` when it has no offset)."""
    frozen = (frozen or "").strip()
    if not frozen:
        return lambda: dt.datetime.now(tz)
    moment = parse_moment(frozen, tz)
    return lambda: moment


def parse_moment(text: str, tz: ZoneInfo) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"IVR_NOW={text!r} is not an ISO 8601 date-time, e.g. 2026-12-24T10:00") from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
