"""One JSON line on standard output per webhook request: what the caller did and how fast the line answered.

The line is read from the request (path, query, form) and the TwiML answer, so
the call flow itself logs nothing. `ivr stats` reads these lines back. A
caller's number is never written whole: its country code and last two digits.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import logging
import re
import sys
import time
from urllib.parse import parse_qs, urlsplit

import phonenumbers
from flask import Flask, Response, g, request

from .security import printable
from .views import current_menu, fields

PREFIX = "/voice"
# /voice/<lang>/<node>[/key|/dialled]: the call's place, as the app builds its URLs.
PLACE = re.compile(r"^/voice/(?P<lang>[^/?]+)/(?P<node>[^/?]+)(?:/(?P<step>key|dialled))?$")
REFUSED = {403: "refused", 404: "not found", 405: "not found", 413: "too large"}

log = logging.getLogger(__name__)


def masked(number: str | None) -> str | None:
    """'+358401234567' -> '+358...67'; anything that is not a phone number is 'hidden'."""
    if not number:
        return None
    if len(number) > 32:  # no phone number is that long; and keep the cache small
        return "hidden"
    return _masked(number)


@functools.lru_cache(maxsize=4096)  # a call's requests all carry the same number
def _masked(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return "hidden"
    # The national significant number keeps leading zeros that the integer form drops.
    return f"+{parsed.country_code}...{phonenumbers.national_significant_number(parsed)[-2:]}"


@functools.lru_cache(maxsize=1024)  # a menu has a few hundred places; each request names one
def _place(url: str | None) -> tuple[str | None, str | None]:
    """(language, node) named by a webhook URL; the language menu is node 'languages'."""
    if not url:
        return None, None
    path = urlsplit(url).path
    if path in (PREFIX, PREFIX + "/choose"):
        return None, "languages"
    match = PLACE.match(path)
    return (match["lang"], match["node"]) if match else (None, None)


def _count(query: str, name: str) -> int:
    value = parse_qs(query).get(name, [""])[0]
    return int(value) if value.isdigit() and len(value) < 4 else 0


# The answers are the twilio library's own rendering: plain tags, attributes in double quotes.
# Regular expressions read them about ten times faster than an XML parser.
def _attr(answer: str, tag: str, name: str) -> str | None:
    match = re.search(rf'<{tag}\b[^>]*?\s{name}="([^"]*)"', answer)
    return html.unescape(match[1]) if match else None


def _text(answer: str, tag: str) -> str | None:
    match = re.search(rf"<{tag}\b[^>]*>([^<]*)</{tag}>", answer)
    return html.unescape(match[1]) if match else None


def _short(value: str | None) -> str | None:
    """A field Twilio fills with a short token; anyone else's is cut, so a line stays a line."""
    return value[:64] if value else value


def describe(path: str, query: str, form, status: int, body: bytes | None) -> dict:
    """What happened at this request: {lang, node, key, event, outcome}."""
    lang, node = _place(path)
    key = (form.get("Digits") or "").strip()[:8] or None
    entry = {"lang": lang, "node": node, "key": key, "event": None, "outcome": None}
    if status >= 400:
        entry["event"] = REFUSED.get(status, "error")
        return entry
    if path == PREFIX + "/status":
        entry.update(event="hung up", outcome=_short(form.get("CallStatus")))
        return entry
    if path == PREFIX + "/fallback":
        entry["event"] = "fallback"
        return entry
    if path.endswith("/dialled"):
        entry.update(event="transfer", outcome=_short(form.get("DialCallStatus")) or "none")
        return entry
    entry.update(_reading(path, query, key, body or b""))
    return entry


@functools.lru_cache(maxsize=1024)  # a menu has a few hundred distinct answers: read each once, not per call
def _reading(path: str, query: str, key: str | None, body: bytes) -> tuple[tuple[str, str | None], ...]:
    """What a TwiML answer tells about the request: the fields of `describe` it sets, as (name, value) pairs."""
    entry: dict[str, str | None] = {}
    answer = body.decode("utf-8", "replace")
    gather, dial = _attr(answer, "Gather", "action"), _attr(answer, "Dial", "action")
    keyed = path.endswith("/key") or path == PREFIX + "/choose"
    silent = (keyed and key is None) or _count(query, "s") > 0
    hangs_up = "<Hangup" in answer
    if dial is not None:
        entry["lang"], entry["node"] = _place(dial)
        entry["event"] = "dialled"
    elif gather is not None:
        lang, node = _place(gather)
        if node:
            entry["lang"], entry["node"] = lang, node
        if key is not None and _count(urlsplit(gather).query, "w") > _count(query, "w"):
            entry["event"] = "wrong key"
        else:
            entry["event"] = "silence" if silent else "said"
        if hangs_up:  # one more silence ends the call
            entry["outcome"] = "final prompt"
    elif hangs_up:
        entry.update(event="goodbye", outcome="silence" if silent else "wrong keys" if key else "done")
    else:
        redirect = _text(answer, "Redirect") or ""
        entry["event"] = "closed" if "b=1" in urlsplit(redirect).query else "lost"
    return tuple(entry.items())


def _start() -> None:
    g.calllog_started = time.perf_counter()


FIELDS = ("CallSid", "From", "Digits", "CallStatus", "DialCallStatus")  # the ones a line is made of


def _record(response: Response) -> Response:
    path = request.path
    if not path.startswith(PREFIX):
        return response
    started = g.get("calllog_started")
    status = response.status_code
    # Real time, not the line's clock (which testers may freeze): staff count calls by local hour,
    # in the live menu's time zone.
    entry = {"time": dt.datetime.now(_timezone()).isoformat(timespec="milliseconds")}
    if status >= 400:
        # Refused (unsigned, too large, not a webhook): whoever sent it chose its CallSid, From and path,
        # so none of it is a call. Only what the line knows, and the path escaped and cut.
        entry.update(method=request.method, path=printable(request.full_path.rstrip("?"), 80),
                     event=REFUSED.get(status, "error"))
    else:
        _describe(entry, path, status, response)
    entry["status"] = status
    entry["ms"] = round((time.perf_counter() - started) * 1000, 2) if started else None
    try:  # one write of ASCII: lines from several workers never interleave
        sys.stdout.write(json.dumps(entry) + "\n")
        sys.stdout.flush()
    except (OSError, ValueError):  # stdout closed or gone: the caller still gets the answer
        pass
    return response


def _describe(entry: dict, path: str, status: int, response: Response) -> None:
    try:
        form = fields(FIELDS)
        body = response.get_data() if response.mimetype == "text/xml" else None
        entry["call"] = _short(form.get("CallSid"))
        entry["caller"] = masked(form.get("From"))
        entry.update(describe(path, request.query_string.decode("latin-1"), form, status, body))
    except Exception:  # the log must never cost the caller an answer
        log.exception("could not describe %s for the call log", printable(path))
        entry["event"] = "unknown"


def _timezone() -> dt.tzinfo:
    try:
        return current_menu().timezone
    except Exception:  # no menu at all: the log still gets its line
        return dt.timezone.utc


def init_app(app: Flask) -> None:
    if not app.config["IVR"].call_log:
        return
    # First of the before-request hooks, so the latency covers the signature check too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_record)
