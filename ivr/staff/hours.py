"""`ivr hours`: day by day, whether each schedule is open, and why not when it is closed.

Answers from the same `hours.Schedule` the line asks during calls; holiday names
come from the `holidays` package in the chosen language where it has that
language, else in English; the words around them ("open", "weekend") from the
line's phrase catalogs, in the chosen language. A notice (menu `notices:`) is shown
under each day callers hear it, with its text in the chosen language.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator

import holidays
from babel.dates import format_date

from .. import phrases
from ..menu import hours
from ..menu.model import Menu
from ..settings import Settings
from . import options

NOTICE_WIDTH = 60  # a notice's text is cut to about this, so each stays one line beside the days


def holiday_names(schedule: hours.Schedule, code: str):
    """The schedule's public holidays with names in language `code` (else English, else the country's own)."""
    table = schedule.holidays
    if table is None or not hasattr(table, "supported_languages"):
        return table
    supported = table.supported_languages
    language = next((s for s in supported if s == code or s.split("_")[0] == code), None)
    language = language or next((s for s in supported if s.startswith("en")), None)
    return holidays.country_holidays(table.country, language=language) if language else table


def users(menu: Menu, name: str) -> list[str]:
    """Which nodes follow schedule `name`: a transfer's hours, or a number's."""
    found = []
    for node in menu.nodes.values():
        if node.schedule == name:
            found.append(f"{node.id} ({node.kind})")
        found += [f"{node.id} ({contact.kind} number)" for contact in node.contacts if contact.schedule == name]
    return found


def days(menu: Menu, name: str, first: dt.date, count: int, code: str) -> Iterator[str]:
    schedule = menu.schedules[name]
    names = holiday_names(schedule, code)
    say = menu.phrases[code]
    locale = say.locale
    width = max(len(format_date(first + dt.timedelta(days=n), "EEE", locale=locale)) for n in range(7))
    for offset in range(count):
        day = first + dt.timedelta(days=offset)
        label = f"{day.isoformat()} {format_date(day, 'EEE', locale=locale):<{width}}"
        opening = schedule.weekly[day.weekday()]
        if schedule.closed_reason(day) is None:  # the line's own answer decides; below only says why
            yield f"{label} {say(phrases.HOURS_OPEN, start=f'{opening[0]:%H:%M}', end=f'{opening[1]:%H:%M}')}"
            continue
        reasons = []
        if day in schedule.closed:
            reasons.append(say(phrases.HOURS_CLOSURE, where=f"schedules.{name}.closed"))
        if names is not None and day in names:
            reasons.append(say(phrases.HOURS_HOLIDAY, name=names.get(day)))
        if opening is None:
            reasons.append(say(phrases.HOURS_WEEKEND if day.weekday() >= 5 else phrases.HOURS_NO_HOURS))
        yield f"{label} {say(phrases.HOURS_CLOSED, reasons=say.join(reasons))}"


def notices(menu: Menu, day: dt.date, code: str) -> Iterator[str]:
    """The notices callers hear on `day`, one line each: its id and its text in `code`, shortened."""
    for notice in menu.notices_on(day):
        yield f"  notice {notice.id}: {shortened(notice.say[code])}"


def shortened(text: str, width: int = NOTICE_WIDTH) -> str:
    """The text on one line, cut at a word near `width` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > width // 2 else cut).rstrip(" ,.;:،") + "…"


def run(args: argparse.Namespace) -> int:
    menu = options.load(args)
    code = menu and options.language(menu, args)
    if code is None:
        return 1
    try:
        first = dt.date.fromisoformat(args.start) if args.start else hours.clock(menu.timezone, Settings.from_env().now)().date()
    except ValueError:
        print(f"ivr hours: --from {args.start!r} is not a date: write YYYY-MM-DD, e.g. 2026-12-01", file=sys.stderr)
        return 1
    if not menu.schedules:
        print(f"{menu.source}: no schedules: every service is always open")
    for index, name in enumerate(menu.schedules):
        if index:
            print()
        print(f"{name}: {', '.join(users(menu, name)) or 'not used by any node'}; "
              f"{args.days} days from {first.isoformat()}, names in {code!r}")
        for offset, line in enumerate(days(menu, name, first, args.days, code)):
            print(line)
            for notice in notices(menu, first + dt.timedelta(days=offset), code):
                print(notice)
    return 0


def register(commands) -> None:
    table = commands.add_parser("hours", help="each day open or closed, and why, for every schedule")
    table.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: today)")
    table.add_argument("--days", type=int, default=60, help="how many days (default: 60)")
    options.add(table, "language of weekday and holiday names, e.g. fi (default: en)")
    table.set_defaults(func=run)
