"""Only Twilio may drive the line: every webhook request must carry a valid X-Twilio-Signature."""

from __future__ import annotations

import functools
import hmac
import logging
from collections.abc import Iterator
from urllib.parse import quote

from flask import Flask, abort, current_app, request
from twilio.request_validator import SIGNATURE_HEADER, RequestValidator, get_signature_algorithm
from werkzeug.datastructures import MultiDict

log = logging.getLogger(__name__)


def signed_url() -> str:
    """The URL Twilio requested: behind a proxy or tunnel, the public one it signed."""
    public = current_app.config.get("PUBLIC_URL")
    # The Host header as sent (host_url would turn a punycode name into Unicode, and costs more).
    base = public.rstrip("/") if public else f"{request.scheme}://{request.host}"
    return base + _as_sent()


def _as_sent() -> str:
    """Path and query with their percent-escapes as sent, which Twilio signs (request.url decodes them)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    if raw.startswith("/"):
        return raw
    query = request.query_string.decode("latin-1")
    return quote(request.path, safe="/:@!$&'()*+,;=~") + (f"?{query}" if query else "")


def check_signature() -> None:
    """A before-request hook: 403 for an unsigned or wrongly signed request when a token is set."""
    token = current_app.config.get("AUTH_TOKEN")
    if not token:
        return
    headers = request.headers
    signature = headers.get(SIGNATURE_HEADER, "")
    algorithm = get_signature_algorithm(headers.get("X-Twilio-Webhooks-Signature-Settings"))
    params = Fields(request.form) if request.method == "POST" else {}
    if not signature or not _valid(_validator(token), signed_url(), params, signature, algorithm):
        log.warning("refused %s %s: %s signature", request.method, request.path,
                    "bad" if signature else "no")
        abort(403)


class Fields:
    """The posted fields as RequestValidator reads them. It asks each field for `getall` first, which
    werkzeug's MultiDict calls `getlist`: an AttributeError raised and caught per field, on every request."""

    __slots__ = ("_form", "getall")

    def __init__(self, form: MultiDict) -> None:
        self._form = form
        self.getall = form.getlist

    def __iter__(self) -> Iterator[str]:
        return iter(self._form)

    def __bool__(self) -> bool:
        return bool(self._form)


@functools.lru_cache(maxsize=4)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


def _valid(validator: RequestValidator, url: str, params, signature: str, algorithm: str) -> bool:
    """The library's check, but first the one signature almost every request carries: for the URL as
    requested. `validate` always computes two (with and without the port); this halves the usual cost."""
    try:
        computed = validator.compute_signature(url, params, algorithm).encode()
        if hmac.compare_digest(computed, signature.encode("utf-8", "replace")):
            return True
    except ValueError:  # an algorithm the library does not know: let it refuse and log
        pass
    return validator.validate(url, params, signature, algorithm)


def refuse_oversized() -> None:
    """413 for a body over MAX_CONTENT_LENGTH, even where the answer would not read it."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def init_app(app: Flask) -> None:
    app.before_request(refuse_oversized)
    if not app.config.get("AUTH_TOKEN"):
        log.warning("TWILIO_AUTH_TOKEN is not set: the line answers unsigned requests (local use only)")
