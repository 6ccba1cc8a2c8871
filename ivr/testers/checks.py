"""What Twilio would refuse in a webhook's answer: bad XML, verbs nested where they may not be, voices
that do not speak their language. Pure functions on the answer's bytes; no Flask, no network.

Each problem is one line for a tester, starting with the Twilio debugger's error code when there is one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..menu import voices

VERBS = {
    "Say", "Play", "Pause", "Gather", "Dial", "Redirect", "Hangup", "Reject", "Record", "Enqueue", "Leave",
    "Refer", "Connect", "Start", "Stop", "Pay", "Prompt", "Sms", "Message", "Echo",
}
# What Twilio accepts inside each verb; a verb missing here takes no children.
CHILDREN = {
    "Response": VERBS,
    "Gather": {"Say", "Play", "Pause"},
    "Dial": {"Number", "Client", "Conference", "Queue", "Sip", "Sim", "Application", "WhatsApp"},
    "Say": {"break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w",
            "amazon:domain", "amazon:effect"},
    "Connect": {"Stream", "Room", "Conversation", "VirtualAgent", "Autopilot", "ConversationRelay"},
    "Start": {"Stream", "Siprec", "Transcription"},
    "Stop": {"Stream", "Siprec", "Transcription"},
}
# SSML may nest inside SSML.
for _tag in CHILDREN["Say"]:
    CHILDREN[_tag] = CHILDREN["Say"]
NEEDS_TEXT = {"Play": "an audio URL", "Redirect": "a URL"}
INTEGERS = {("Gather", "timeout"), ("Gather", "numDigits"), ("Dial", "timeout"), ("Pause", "length"),
            ("Say", "loop"), ("Play", "loop"), ("Record", "timeout"), ("Record", "maxLength")}
METHODS = {"GET", "POST"}


def parse(body: bytes, content_type: str) -> tuple[ET.Element | None, list[str]]:
    """The TwiML document and what is wrong with it; the element is None when Twilio could not read it."""
    problems: list[str] = []
    if "xml" not in content_type:
        problems.append(f"12300 the answer's Content-Type is {content_type or 'missing'}: Twilio wants text/xml")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        return None, [*problems, f"12100 not well-formed XML ({exc}): Twilio cannot read this answer"]
    if root.tag != "Response":
        return None, [*problems, f"12200 the root element is <{root.tag}>, not <Response>"]
    return root, problems + check(root)


def check(element: ET.Element) -> list[str]:
    """Nesting, attributes and voices of `element` and everything inside it."""
    problems: list[str] = []
    allowed = CHILDREN.get(element.tag, set())
    for child in element:
        if child.tag not in allowed:
            where = "inside <Response>" if element.tag == "Response" else f"inside <{element.tag}>"
            hint = f" (allowed: {', '.join(sorted(allowed))})" if allowed and element.tag != "Response" else ""
            problems.append(f"12200 <{child.tag}> is not allowed {where}{hint}")
        problems += check(child)
    what = NEEDS_TEXT.get(element.tag)
    if what and not (element.text or "").strip():
        problems.append(f"12200 <{element.tag}> without {what}")
    for (tag, name) in INTEGERS:
        value = element.get(name)
        if tag == element.tag and value is not None and not value.strip().isdigit():
            problems.append(f"12200 <{tag} {name}={value!r}>: a whole number is expected")
    method = element.get("method")
    if method is not None and method.upper() not in METHODS:
        problems.append(f"12200 <{element.tag} method={method!r}>: GET or POST")
    if element.tag == "Say":
        problems += _voice(element)
    return problems


def _voice(say: ET.Element) -> list[str]:
    voice, language = say.get("voice"), say.get("language")
    if not voice:
        return ["<Say> without a voice: Twilio reads it in its basic robot voice"]
    spoken = voices.VOICES.get(voice)
    if spoken is None:
        return [f"<Say voice={voice!r}>: not a voice in ivr/voices.py; check it against Twilio's list"]
    if language and language != spoken:
        return [f"<Say voice={voice!r} language={language!r}>: that voice speaks {spoken}; Twilio rejects the pair"]
    return []
