"""The duty number by text message (docs/operations.md, Text messages): a layer the call flow asks, no Flask.

    if sms.offered(settings, menu, caller): ...   # "to get this number by text message, press 2"
    outcome = sms.request_sms(settings, menu, lang, caller, now)   # one of sms.OUTCOMES
"""

from .service import OUTCOMES, Outcome, enabled, offered, request_sms

__all__ = ["OUTCOMES", "Outcome", "enabled", "offered", "request_sms"]
