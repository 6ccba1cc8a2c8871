"""Who may get the number by text message: a mobile number in one of the allowed regions.

Twilio's `From` is whatever the caller's network sent: E.164, "anonymous", a SIP or client
address, or nothing. Only a valid mobile number gets a message, so a fixed line, a premium or
foreign number (where SMS pumping makes its money) never does.
"""

from __future__ import annotations

from collections.abc import Collection

import phonenumbers

MOBILE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
MAX_LENGTH = 32  # no phone number is longer; a longer `From` is not parsed at all


def allowed_mobile(caller: object, regions: Collection[str]) -> str | None:
    """The caller's number in E.164 when it is a mobile number of one of `regions`, else None.

    Never raises: garbage, "anonymous" and numbers without a country code are None."""
    if not isinstance(caller, str) or not caller.startswith("+") or len(caller) > MAX_LENGTH:
        return None
    try:
        parsed = phonenumbers.parse(caller, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    if phonenumbers.region_code_for_number(parsed) not in regions:
        return None
    if phonenumbers.number_type(parsed) not in MOBILE:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def eligible(caller: object, regions: Collection[str]) -> bool:
    """May this caller get a text message? (see allowed_mobile)"""
    return allowed_mobile(caller, regions) is not None
