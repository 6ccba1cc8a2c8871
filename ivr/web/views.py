"""The webhooks Twilio calls. Thin: read the request, ask the call flow, answer TwiML."""

from __future__ import annotations

import logging
from urllib.parse import quote

from flask import Blueprint, Response, current_app, g, request

from .. import sms, urls
from ..flow import events
from ..flow.line import Answer, Line, Texting
from ..menu import Language
from ..speech.prompts import Prompt
from ..speech.render import render
from . import fallback, security

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__, url_prefix="/voice")
bp.before_request(security.check_signature)
METHODS = ["GET", "POST"]


def xml(answer: Answer) -> Response:
    """The answer's plan as TwiML; its event is kept for the call log."""
    g.event = answer.event
    return Response(render(answer.plan, recording), mimetype="text/xml")


def recording(lang: Language, prompt: Prompt, slow: bool) -> str | None:
    """The URL of a fresh recording of `prompt`, or None: the voice says it (or, with none, it is left out)."""
    library = current_app.extensions.get("ivr.audio")
    if library is None:
        return None
    found = library.fresh(lang, prompt)
    if found is None:
        if lang.voice and not prompt.changing and library.recordings(lang.code):
            log.info("%s: no fresh recording of %r: the voice says it", lang.code, prompt.id)
        return None
    return urls.url(urls.recording(lang.code, prompt.id, found.digest, slow))


def current_menu():
    """The menu live now (the one place that knows where the app keeps it)."""
    watch = current_app.extensions.get("ivr.live")
    return watch.current() if watch is not None else current_app.extensions["ivr.menu"]


def line() -> Line:
    menu, now, settings = current_menu(), current_app.extensions["ivr.clock"](), current_app.config["IVR"]
    caller, call = field("From"), field("CallSid")
    texting = None
    if sms.offered(settings, menu, caller):
        texting = Texting(lambda lang: sms.request_sms(settings, menu, lang, caller, now, call=call))
    return Line(menu, now, current_app.extensions.get("ivr.audio"), texting)


def field(name: str) -> str | None:
    """A field Twilio sent, in the query or the posted form."""
    return request.values.get(name)


def digits() -> str | None:
    """The key pressed: None for none; anything not one key is kept so it counts as wrong."""
    value = (field("Digits") or "").strip()
    return value[:8] or None


@bp.route("", methods=METHODS)
@bp.route("/<path:rest>", methods=METHODS)
def call(rest: str = ""):
    """Every webhook of a call: the place its URL names (an unknown one leads back to the start)."""
    # request.path is decoded: quoted again, a %3F or %2F in a segment stays inside it.
    query = request.query_string.decode("latin-1")
    place = urls.parse(quote(request.path, safe="/") + (f"?{query}" if query else ""))
    return xml(line().answer(place, digits(), field("DialCallStatus")))


@bp.route("/status", methods=["POST"])
def status():
    """Twilio's status callback: nothing to answer; the call log records how the call ended."""
    g.event = events.Event(events.HUNG_UP, outcome=field("CallStatus"))
    return Response(status=204)


@bp.errorhandler(Exception)
def failed(exc: Exception):
    """Never an HTTP 500 to Twilio: it would play its own error message to the caller."""
    if getattr(exc, "code", None) is not None:  # 403 and friends are answers, not failures
        return exc
    log.exception("webhook %s failed", security.printable(request.path))
    try:
        return xml(line().apology(retry=urls.parse(request.path) != urls.voice()))
    except Exception:  # the flow itself is broken: the static answer needs nothing of it
        log.exception("apology failed too; answering with the fallback")
        return Response(fallback.ANSWER, mimetype="text/xml")
