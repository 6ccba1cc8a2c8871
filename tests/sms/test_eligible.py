"""Only a mobile number of an allowed region may get the number by text message."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivr.sms.eligible import allowed_mobile, eligible

FI = ("FI",)


@pytest.mark.parametrize("caller, e164", [
    ("+358401234567", "+358401234567"),  # 040: a mobile
    ("+358501234567", "+358501234567"),
    ("+358457123456", "+358457123456"),  # 0457
    ("+358 40 123 4567", "+358401234567"),  # spaced: the same number, so the same limits
    ("+٣٥٨٤٠١٢٣٤٥٦٧", "+358401234567"),  # in Arabic-Indic digits: still the same number
])
def test_a_finnish_mobile_gets_one_in_e164(caller, e164):
    """The number comes back as E.164, the form the limits hash and Twilio sends to."""
    assert allowed_mobile(caller, FI) == e164
    assert eligible(caller, FI)


@pytest.mark.parametrize("caller", [
    "+358861552760",  # the office's own fixed line
    "+35818123456",  # Åland's fixed line
    "+46701234567",  # a Swedish mobile: not an allowed region
    "+447700900123",  # a British mobile
    "0401234567",  # no country code: Twilio's From always has one
    "anonymous", "Anonymous", "+266696687",  # Twilio's ways of writing a hidden number
    "client:alice", "sip:alice@example.org", "", " ", "+", "+358", "+358abc",
    "+3584012345678901234567890123456789",  # over the length of any phone number
])
def test_anything_else_gets_none(caller):
    assert allowed_mobile(caller, FI) is None
    assert not eligible(caller, FI)


def test_other_regions_when_allowed():
    assert allowed_mobile("+46701234567", ("FI", "SE")) == "+46701234567"
    assert allowed_mobile("+358401234567", ("SE",)) is None


@pytest.mark.parametrize("caller", [None, 358401234567, b"+358401234567", ["+358401234567"]])
def test_what_is_not_text_gets_none(caller):
    assert allowed_mobile(caller, FI) is None


@given(st.text(max_size=40))
def test_no_text_makes_it_raise(caller):
    """Whatever a network or a forged request puts in From is an answer, never an exception."""
    found = allowed_mobile(caller, FI)
    assert found is None or allowed_mobile(found, FI) == found
