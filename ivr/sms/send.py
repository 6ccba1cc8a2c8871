"""Send one text message through Twilio's REST API (the official client), within one deadline.

The whole send (name lookup, connect, TLS, the request, an answer dribbled a byte a second) must end
within `deadline` seconds: under gevent (the deployed workers) a gevent Timeout cuts it off; under
threads (`ivr serve`, tests) it runs in a worker thread of a small bounded set and is abandoned at the
deadline (a thread left hanging holds one of MAX_PENDING places; none free, nothing is sent).

The result says what is known: "accepted"; "refused" (Twilio answered no) and "unsent" (Twilio was
never reached) are surely not sent, so the caller may ask again; "unknown" (a timeout once the
request could have reached Twilio) may have been sent, so it must not be sent again (service.py).
Every failure is one log line that names it, never the number: Twilio's own error text may quote it.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Literal

import requests
import urllib3
from gevent import monkey
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ..settings import Settings

Result = Literal["accepted", "refused", "unsent", "unknown"]
DEADLINE_S = 5.0  # the whole send; with the limits' store (1 s a step) well inside Twilio's 15 s for a webhook
TIMEOUT_S = 3.0  # each socket step (connect, each read), inside the deadline
MAX_PENDING = 4  # sends abandoned at their deadline and still hanging, under threads

SERVICE_SID = re.compile(r"MG[0-9a-fA-F]{32}")  # a Messaging Service; an alphanumeric sender may start with MG too

log = logging.getLogger(__name__)
_pending = threading.BoundedSemaphore(MAX_PENDING)


def send(settings: Settings, to: str, body: str, deadline: float = DEADLINE_S) -> Result:
    """Ask Twilio to send `body` to `to` (E.164) from IVR_SMS_FROM, all of it within `deadline` seconds."""
    if monkey.is_module_patched("socket"):
        import gevent

        try:
            with gevent.Timeout(deadline):
                return _send(settings, to, body, min(TIMEOUT_S, deadline))
        except gevent.Timeout:
            log.warning("text message not confirmed: no answer from Twilio within %.1f s", deadline)
            return "unknown"
    if not _pending.acquire(blocking=False):
        log.warning("text message not sent: %d earlier sends still hang", MAX_PENDING)
        return "unsent"
    result: list[Result] = []

    def run() -> None:
        try:
            result.append(_send(settings, to, body, min(TIMEOUT_S, deadline)))
        finally:
            _pending.release()

    worker = threading.Thread(target=run, name="sms-send", daemon=True)
    worker.start()
    worker.join(deadline)
    if not result:
        log.warning("text message not confirmed: no answer from Twilio within %.1f s", deadline)
        return "unknown"
    return result[0]


def _never_reached(exc: requests.ConnectionError) -> bool:
    """No connection was made (the name did not resolve, refused, connect timed out): nothing was sent."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def _send(settings: Settings, to: str, body: str, timeout: float) -> Result:
    sender = settings.sms_from or ""
    origin = {"messaging_service_sid": sender} if SERVICE_SID.fullmatch(sender) else {"from_": sender}
    http = TwilioHttpClient(timeout=timeout, max_retries=0)
    try:
        # environment={}: the settings are read in one place; TWILIO_EDGE and the like must not redirect it.
        client = Client(settings.account_sid, settings.auth_token, http_client=http, environment={})
        client.api.base_url = settings.twilio_api
        sent = client.messages.create(to=to, body=body, **origin)
    except TwilioRestException as exc:
        log.warning("text message not sent: Twilio answered %s, error %s", exc.status, exc.code)
        return "refused"
    except requests.ConnectionError as exc:
        if _never_reached(exc):
            log.warning("text message not sent: %s", type(exc).__name__)  # no connection: Twilio never had it
            return "unsent"
        log.warning("text message not confirmed: %s", type(exc).__name__)  # cut off after the request went
        return "unknown"
    except (TwilioException, OSError, ValueError) as exc:  # a read timeout, a broken answer: it may have gone
        log.warning("text message not confirmed: %s", type(exc).__name__)
        return "unknown"
    finally:
        http.session.close()
    log.info("text message accepted by Twilio: %s", sent.sid)
    return "accepted"
