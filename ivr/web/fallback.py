"""Twilio's Fallback URL: a short static answer for when the line itself cannot answer.

Twilio requests it when the main webhook fails or times out. Nothing here reads
the menu, the phrase catalogs or the clock, so it answers even when none of
them could be loaded. The number and 112 come from the service's own page; the
Finnish and Swedish wording is a draft, like the menu's, until reviewed.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, g
from twilio.twiml.voice_response import Say, VoiceResponse

from ..flow import events
from . import security

DUTY_NUMBER = "(08) 6155 2760"  # Kajaani Reception Centre's duty phone
GROUP_PAUSE = "600ms"

# (voice, Twilio language, apology, the number's lead-in, 112)
MESSAGES = (
    ("Polly.Suvi-Neural", "fi-FI", "Pahoittelemme, puhelinpalvelussa on häiriö.",
     "Vastaanottokeskuksen päivystyksen puhelinnumero on", "Jos henki on vaarassa, soita 1 1 2."),
    ("Polly.Elin-Neural", "sv-SE", "Vi beklagar, informationslinjen har en störning.",
     "Förläggningens jour har telefonnummer", "Om det är fara för livet, ring 1 1 2."),
    ("Polly.Amy-Neural", "en-GB", "Sorry, the information line is not working right now.",
     "The reception centre's duty phone number is", "In a life-threatening emergency, call 1 1 2."),
)

bp = Blueprint("fallback", __name__)
bp.before_request(security.check_signature)


def answer() -> str:
    """The whole TwiML document: each language in its own voice, then hang up."""
    response = VoiceResponse()
    groups = re.findall(r"\d+", DUTY_NUMBER)
    for voice, language, sorry, lead_in, emergency in MESSAGES:
        say = Say(voice=voice, language=language)
        say.append(f"{sorry} {lead_in}")
        for index, group in enumerate(groups, 1):
            say.break_(time=GROUP_PAUSE)
            # Digit by digit, in the groups people write down.
            say.append(" ".join(group) + ("." if index == len(groups) else ""))
        say.break_(time=GROUP_PAUSE)
        say.append(emergency)
        response.append(say)
    response.hangup()
    return str(response)


ANSWER = answer()


@bp.route("/voice/fallback", methods=["GET", "POST"])
def fallback():
    g.event = events.Event(events.FALLBACK)
    return Response(ANSWER, mimetype="text/xml")
