"""Only Twilio may drive the line: every webhook request must carry a valid X-Twilio-Signature."""

from __future__ import annotations

import logging
from urllib.parse import quote

from flask import Flask, abort, current_app, request
from ..settings import Settings
from twilio.request_validator import SIGNATURE_HEADER, RequestValidator, get_signature_algorithm

log = logging.getLogger(__name__)
NONE = Settings()  # an app built without the line's settings (the fallback alone) checks no signature


def _settings() -> Settings:
    return current_app.config.get("IVR", NONE)


def signed_url() -> str:
    """The URL Twilio requested: behind a proxy or tunnel, the public one it signed."""
    public = _settings().public_url
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
    token = _settings().auth_token
    if not token:
        return
    signature = request.headers.get(SIGNATURE_HEADER, "")
    try:  # fail closed: whatever goes wrong while checking is a refusal
        algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
        params = request.form if request.method == "POST" else {}
        valid = bool(signature) and RequestValidator(token).validate(signed_url(), params, signature, algorithm)
    except Exception:
        log.warning("refused %s: the signature could not be checked", request.method, exc_info=True)
        valid = False
    if not valid:
        log.warning("refused %s: %s signature", request.method, "bad" if signature else "no")
        abort(403)


def refuse_oversized() -> None:
    """413 for a body over MAX_CONTENT_LENGTH, even where the answer would not read it."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def init_app(app: Flask) -> None:
    app.before_request(refuse_oversized)
    if not app.config.get("IVR", NONE).auth_token:
        log.warning("TWILIO_AUTH_TOKEN is not set: the line answers unsigned requests (local use only)")
