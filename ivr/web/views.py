"""The webhooks Twilio calls. Thin: read the request, ask the call flow, answer TwiML."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, g, request, url_for

from . import fallback, security
from ..flow.line import MAX_SILENCES, MAX_WRONG, Answer, Event, Line, Step

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__, url_prefix="/voice")
bp.before_request(security.check_signature)
METHODS = ["GET", "POST"]


def xml(answer: Answer) -> Response:
    """The answer's TwiML; its event is kept for the call log."""
    g.event = answer.event
    return Response(str(answer.twiml), mimetype="text/xml")


def urls(endpoint: str, **params) -> str:
    """A webhook URL; zero counters are left out to keep URLs short."""
    params = {k: v for k, v in params.items() if v not in (0, None, "")}
    return url_for(endpoint if "." in endpoint else f"voice.{endpoint}", **params)


def current_menu():
    """The menu live now (the one place that knows where the app keeps it)."""
    watch = current_app.extensions.get("ivr.live")
    return watch.current() if watch is not None else current_app.extensions["ivr.menu"]


def line() -> Line:
    return Line(current_menu(), urls, current_app.extensions["ivr.clock"](), current_app.extensions.get("ivr.audio"))


def step() -> Step:
    """The call's counters from the URL; anything malformed counts as none."""
    args = request.args
    group = args.get("g", "")
    return Step(_count(args.get("s", ""), MAX_SILENCES), _count(args.get("w", ""), MAX_WRONG), args.get("b") == "1",
                group=group if len(group) == 1 and group in "0123456789" else "")


def _count(value: str, most: int) -> int:
    return min(int(value), most) if value.isascii() and value.isdigit() and len(value) < 4 else 0


def field(name: str) -> str | None:
    """A field Twilio sent, in the query or the posted form."""
    return request.values.get(name)


def digits() -> str | None:
    """The key pressed: None for none; anything not one key is kept so it counts as wrong."""
    value = (field("Digits") or "").strip()
    return value[:8] or None


@bp.route("", methods=METHODS)
def voice():
    return xml(line().languages(step(), greet=not {"s", "w", "g"} & request.args.keys()))


@bp.route("/choose", methods=METHODS)
def choose():
    return xml(line().choose(digits(), step()))


@bp.route("/status", methods=["POST"])
def status():
    """Twilio's status callback: nothing to answer; the call log records how the call ended."""
    g.event = Event("hung up", outcome=field("CallStatus"))
    return Response(status=204)


def _where(lang_code: str, node_id: str):
    current = line()
    lang = current.language(lang_code)
    node = current.menu.nodes.get(node_id)
    return current, lang, node


@bp.route("/<lang>/<node>", methods=METHODS)
def node(lang: str, node: str):
    current, language, found = _where(lang, node)
    if language is None or found is None:
        return xml(current.lost(language))
    return xml(current.node(language, found, step()))


@bp.route("/<lang>/<node>/key", methods=METHODS)
def key(lang: str, node: str):
    current, language, found = _where(lang, node)
    if language is None or found is None:
        return xml(current.lost(language))
    return xml(current.key(language, found, digits(), step()))


@bp.route("/<lang>/<node>/dialled", methods=METHODS)
def dialled(lang: str, node: str):
    current, language, found = _where(lang, node)
    if language is None or found is None:
        return xml(current.lost(language))
    return xml(current.dialled(language, found, field("DialCallStatus")))


@bp.route("/<path:rest>", methods=METHODS)
def stray(rest: str):
    """An unknown webhook path: back to the start rather than an error page."""
    return xml(line().lost(None))


@bp.errorhandler(Exception)
def failed(exc: Exception):
    """Never an HTTP 500 to Twilio: it would play its own error message to the caller."""
    if getattr(exc, "code", None) is not None:  # 403 and friends are answers, not failures
        return exc
    log.exception("webhook %s failed", security.printable(request.path))
    try:
        return xml(line().apology(retry=request.path != url_for("voice.voice")))
    except Exception:  # the flow itself is broken: the static answer needs nothing of it
        log.exception("apology failed too; answering with the fallback")
        return Response(fallback.ANSWER, mimetype="text/xml")
