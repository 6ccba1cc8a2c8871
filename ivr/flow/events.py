"""What happened at one request: the call log writes it, `ivr stats` counts it. Every kind is named here."""

from __future__ import annotations

import dataclasses

# Decided by the call flow.
SAID = "said"  # a menu or page
SILENCE = "silence"  # no key: the options again (outcome FINAL_PROMPT when one more silence ends the call)
WRONG_KEY = "wrong key"
GOODBYE = "goodbye"  # the line hung up; outcome SILENCE or WRONG_KEYS
DIALLED = "dialled"  # put through
TRANSFER = "transfer"  # after it; outcome Twilio's DialCallStatus, or NONE
CLOSED = "closed"  # the transfer's page while it is closed
LOST = "lost"  # a URL that names nothing we know
APOLOGY = "apology"  # something failed while answering
TEXTED = "text message"  # the duty number by text message; outcome sent, already, cap, not_allowed or failed
# Decided by the web layer.
HUNG_UP = "hung up"  # Twilio's status callback
FALLBACK = "fallback"  # Twilio's fallback URL
REFUSED = "refused"  # 403
NOT_FOUND = "not found"  # 404, 405
TOO_LARGE = "too large"  # 413
ERROR = "error"  # another HTTP error
UNKNOWN = "unknown"  # a request the line answered without deciding anything

# Outcomes.
FINAL_PROMPT = "final prompt"
WRONG_KEYS = "wrong keys"
NONE = "none"

REFUSALS = frozenset({REFUSED, NOT_FOUND, TOO_LARGE, ERROR})  # never a call, whatever they carry


@dataclasses.dataclass(frozen=True)
class Event:
    kind: str
    lang: str | None = None
    node: str | None = None  # "languages" for the language menu
    key: str | None = None
    outcome: str | None = None
