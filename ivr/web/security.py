"""Only Twilio may drive the line: every webhook request must carry a valid X-Twilio-Signature.

Whatever goes wrong while checking one is a refusal (403), never an error page or a way in; the
fields are counted before they are parsed, and what a refused request sent reaches the log only
escaped and cut (`printable`).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

from flask import Flask, abort, current_app, request
from twilio.request_validator import SIGNATURE_HEADER, RequestValidator, get_signature_algorithm
from werkzeug.exceptions import RequestEntityTooLarge

from .. import urls
from ..settings import Settings

log = logging.getLogger(__name__)
NONE = Settings()  # an app built without the line's settings (the fallback alone) checks no signature
# Twilio posts about 20 fields; parsing (and signing) 9,000 took 33 ms a request, for nobody.
MAX_FIELDS = 100
# Control characters, and the invisible ones that reorder or split a terminal's line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(value: str, limit: int = 120) -> str:
    """A request's text as a log or terminal may show it: control characters escaped (no forged
    lines, no terminal escapes), cut to `limit` characters."""
    cut = value[:limit] + ("..." if len(value) > limit else "")
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), cut)


def _settings() -> Settings:
    return current_app.config.get("IVR", NONE)


def signed_url() -> str:
    """The URL Twilio requested: IVR_PUBLIC_URL when set (and nothing the request says), else the
    request's own scheme and host (forwarded ones only from the proxies IVR_PROXY_HOPS names)."""
    public = _settings().public_url
    if public:
        return urls.as_signed(public, _as_sent())
    # The Host header as sent (host_url would turn a punycode name into Unicode, and costs more).
    return f"{request.scheme}://{request.host}" + _as_sent()


def _as_sent() -> str:
    """Path and query with their percent-escapes as sent, which Twilio signs (request.url decodes them)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    if raw.startswith("/"):
        return raw
    query = request.query_string.decode("latin-1")
    return quote(request.path, safe="/:@!$&'()*+,;=~") + (f"?{query}" if query else "")


def _too_many_fields() -> bool:
    """More fields than Twilio ever sends, counted in the raw body before anything is parsed."""
    if request.mimetype != "application/x-www-form-urlencoded":
        return False  # multipart is capped by MAX_FORM_PARTS; other types carry no form
    return request.get_data(cache=True).count(b"&") >= MAX_FIELDS


def check_signature() -> None:
    """A before-request hook: 403 for an unsigned or wrongly signed request when a token is set."""
    token = _settings().auth_token
    if not token:
        return
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if request.method == "POST" and _too_many_fields():
        log.warning("refused %s %s: more than %d fields", request.method, printable(request.path), MAX_FIELDS)
        abort(413)
    try:  # fail closed: whatever goes wrong while checking is a refusal
        algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
        params = request.form if request.method == "POST" else {}
        valid = bool(signature) and RequestValidator(token).validate(signed_url(), params, signature, algorithm)
    except RequestEntityTooLarge:
        raise  # more multipart parts than MAX_FORM_PARTS: refused as too large
    except Exception as exc:
        log.warning("refused %s %s: the signature could not be checked (%s)", request.method,
                    printable(request.path), type(exc).__name__)
        valid = False
    if not valid:
        log.warning("refused %s %s: %s signature", request.method, printable(request.path),
                    "bad" if signature else "no")
        abort(403)


def refuse_oversized() -> None:
    """413 for a body over MAX_CONTENT_LENGTH, even where the answer would not read it; a chunked
    body (no Content-Length) is read up to the limit to know, before its signature is checked."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    # A route that takes more than a webhook (the studio's upload) names its own limit, for itself only.
    larger = current_app.config.get("IVR_BODY_LIMITS", {}).get(request.endpoint)
    if larger is not None:
        limit = request.max_content_length = larger
    if limit is None:
        return
    if (request.content_length or 0) > limit:
        abort(413)
    if request.content_length is None and request.method == "POST":
        # Chunked, or no length at all: read to know. Kept: the form is parsed from these bytes later.
        # werkzeug stops reading at the limit and returns what it read, cut without a word; a body that
        # fills the whole limit is taken as longer (Twilio's are a few KB).
        if len(request.get_data(cache=True)) >= limit:
            abort(413)


def init_app(app: Flask) -> None:
    app.before_request(refuse_oversized)
    settings = app.config.get("IVR", NONE)
    if not settings.auth_token:
        log.warning("TWILIO_AUTH_TOKEN is not set: the line answers unsigned requests (local use only)")
    elif not settings.public_url:
        log.warning("IVR_PUBLIC_URL is not set: signatures are checked against the host each request names, "
                    "so a signature Twilio made for another host of the account would pass; set it")
