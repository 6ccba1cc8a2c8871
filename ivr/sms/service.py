"""The number by text message, as the call flow asks for it: one call, one outcome.

Eligibility first (a mobile number of an allowed region), then the limits (one a day per
number, the line's daily cap), then Twilio. Whatever goes wrong is an outcome, never an
exception: the caller hears it and the number again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Literal

from ..menu import Language, Menu
from ..settings import Settings
from . import message
from .eligible import allowed_mobile
from .limits import LimitsError, open_limits
from .send import DEADLINE_S, send

# sent; already: refused, this number had one in the last 24 h; cap: refused, the line's daily cap;
# not_allowed: not a mobile number of an allowed region; failed: Twilio or the limits' store failed.
Outcome = Literal["sent", "already", "cap", "not_allowed", "failed"]
OUTCOMES: tuple[Outcome, ...] = ("sent", "already", "cap", "not_allowed", "failed")

log = logging.getLogger(__name__)


def enabled(settings: Settings) -> bool:
    """Text messages are configured: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and IVR_SMS_FROM are all set."""
    return bool(settings.account_sid and settings.auth_token and settings.sms_from)


def offered(settings: Settings, menu: Menu, caller: object) -> bool:
    """Say "to get this number by text message, press 2"? Only when configured, for a number that may get one."""
    return (enabled(settings) and message.duty_contact(menu) is not None
            and allowed_mobile(caller, settings.sms_regions) is not None)


def request_sms(settings: Settings, menu: Menu, lang: Language, caller: object, now: dt.datetime, *,
                call: str | None = None, timeout: float = DEADLINE_S) -> Outcome:
    """Text the duty number, its hours and the line's name to `caller` (Twilio's From) in `lang`.

    `call` (the CallSid) keys this call's message to this number: asked again in the same call (the
    caller presses 2 again, or the proxy resends the request to another instance), it is never sent
    twice. `timeout` bounds the whole send."""
    try:
        outcome = _request(settings, menu, lang, caller, now, call, timeout)
    except Exception as exc:  # the caller hears "not sent" and the number, never silence; the type alone:
        log.error("text message failed: %s", type(exc).__name__)  # an exception's text may quote the number
        outcome = "failed"
    log.info("text message: %s", outcome)
    return outcome


def _request(settings, menu, lang, caller, now, call, timeout) -> Outcome:
    if not enabled(settings):
        log.warning("text message asked for, but TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or IVR_SMS_FROM is not set")
        return "failed"
    to = allowed_mobile(caller, settings.sms_regions)
    if to is None:
        return "not_allowed"
    text = message.message(menu, lang)
    if text is None or not text.fits:  # before the limits: a message never sent must not count
        log.error("text message: the menu has no duty phone, or its %s message is over %d segments",
                  lang.code, message.MAX_SEGMENTS)
        return "failed"
    try:
        limits = open_limits(settings)
    except LimitsError as exc:
        log.error("text message: %s", exc)
        return "failed"
    try:
        # Recorded before the send: a send that times out after Twilio took it is never sent again.
        verdict = limits.try_acquire(to, now, call[:64] if isinstance(call, str) else None)
        if verdict != "ok":
            return verdict
        result = send(settings, to, text.text, timeout)
        if result == "accepted":
            return "sent"
        if result in ("refused", "unsent"):
            # Surely not sent: the caller may try again. The day's count keeps it, so failures cannot loop past the cap.
            limits.release(to, call[:64] if isinstance(call, str) else None)
        # "unknown": it may be on its way; the keys stay, so asking again hears "already sent".
        return "failed"
    except LimitsError as exc:
        log.error("text message: %s", exc)
        return "failed"
    finally:
        limits.close()
