"""One JSON line on standard output per webhook request: what the caller did and how fast the line answered.

The call flow decides what happened (an Event, kept by the views in `g.event`);
this module only writes it down, with the call, the masked caller and the time.
`ivr stats` reads these lines back. A caller's number is never written whole:
its country code and last two digits.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time

import phonenumbers
from flask import Flask, Response, g, request

from ..flow import events
from .security import printable
from .views import current_menu

PREFIX = "/voice"
REFUSED = {403: events.REFUSED, 404: events.NOT_FOUND, 405: events.NOT_FOUND, 413: events.TOO_LARGE}

log = logging.getLogger(__name__)


def masked(number: str | None) -> str | None:
    """'+358401234567' -> '+358...67'; anything that is not a phone number is 'hidden'."""
    if not number:
        return None
    if len(number) > 32:  # no phone number is that long
        return "hidden"
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return "hidden"
    # The national significant number keeps leading zeros that the integer form drops.
    return f"+{parsed.country_code}...{phonenumbers.national_significant_number(parsed)[-2:]}"


def _short(value: str | None) -> str | None:
    """A field Twilio fills with a short token; anyone else's is cut, so a line stays a line."""
    return value[:64] if value else value


def entry(status: int) -> dict:
    """The log line's fields for the request being answered."""
    found = {"time": dt.datetime.now(_timezone()).isoformat(timespec="milliseconds")}
    if status in REFUSED or status >= 400:
        # Refused (unsigned, too large, not a webhook): whoever sent it chose its CallSid, From and path,
        # so none of it is a call. Only what the line knows, and the path escaped and cut.
        found.update(method=request.method, path=printable(request.full_path.rstrip("?"), 80),
                     event=REFUSED.get(status, events.ERROR))
        return found
    event = g.get("event")
    values = request.values
    found.update(call=_short(values.get("CallSid")), caller=masked(values.get("From")))
    if event is None:
        found["event"] = events.UNKNOWN
        return found
    found.update(lang=event.lang, node=event.node, key=_short(event.key), event=event.kind,
                 outcome=_short(event.outcome))
    return found


def _start() -> None:
    g.calllog_started = time.perf_counter()


def _record(response: Response) -> Response:
    if not request.path.startswith(PREFIX):
        return response
    started = g.get("calllog_started")
    status = response.status_code
    try:
        line = entry(status)
    except Exception:  # the log must never cost the caller an answer
        log.exception("could not describe a request for the call log")
        line = {"event": events.UNKNOWN}
    line["status"] = status
    line["ms"] = round((time.perf_counter() - started) * 1000, 2) if started else None
    try:  # one write of ASCII: lines from several workers never interleave
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()
    except (OSError, ValueError):  # stdout closed or gone: the caller still gets the answer
        pass
    return response


def _timezone() -> dt.tzinfo:
    # Real time, not the line's clock (which testers may freeze): staff count calls by local hour,
    # in the live menu's time zone.
    try:
        return current_menu().timezone
    except Exception:  # no menu at all: the log still gets its line
        return dt.UTC


def init_app(app: Flask) -> None:
    if not app.config["IVR"].call_log:
        return
    # First of the before-request hooks, so the latency covers the signature check too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_record)
