"""Send one text message through Twilio's REST API (the official client), within a time limit.

Every failure (Twilio refuses it, a timeout, no connection) is False and one log line that
names the failure, never the number: Twilio's own error text may quote it.
"""

from __future__ import annotations

import logging
import re

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ..settings import Settings

TIMEOUT_S = 3.0  # to connect, and again to read the answer: with the limits' store, inside Twilio's 15 s for a webhook

SERVICE_SID = re.compile(r"MG[0-9a-fA-F]{32}")  # a Messaging Service; an alphanumeric sender may start with MG too

log = logging.getLogger(__name__)


def send(settings: Settings, to: str, body: str, timeout: float = TIMEOUT_S) -> bool:
    """Ask Twilio to send `body` to `to` (E.164) from IVR_SMS_FROM; True when Twilio accepted it."""
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
        return False
    except (TwilioException, OSError, ValueError) as exc:  # requests' timeouts and connection errors are OSErrors
        log.warning("text message not sent: %s", type(exc).__name__)
        return False
    finally:
        http.session.close()
    log.info("text message accepted by Twilio: %s", sent.sid)
    return True
