"""Speech -> TwiML, with the twilio library's VoiceResponse. No Flask here."""

from __future__ import annotations

from twilio.twiml.voice_response import Gather, Say, VoiceResponse

from .menu import Language
from .speech import Pause, Speech

MENU_TIMEOUT_S = 6
PAGE_TIMEOUT_S = 8


def say(parent: VoiceResponse | Gather, lang: Language, speech: Speech) -> None:
    """One <Say> in the language's voice; pauses become SSML <break>."""
    if not speech:
        return
    node = Say(voice=lang.voice, language=lang.tts_language)
    text: list[str] = []
    for piece in speech:
        if isinstance(piece, Pause):
            # The library keeps one text run between two elements: join them first.
            if text:
                node.append(_join(text))
                text = []
            node.break_(time=f"{piece.ms}ms")
        else:
            text.append(piece)
    if text:
        node.append(_join(text))
    parent.append(node)


def _join(texts: list[str]) -> str:
    """Join text pieces with one space, none before punctuation."""
    out = ""
    for text in (t.strip() for t in texts):
        if text:
            out += text if not out or text[0] in ".,:;!?،" else " " + text
    return out


def gather(response: VoiceResponse, action: str, timeout: int = MENU_TIMEOUT_S) -> Gather:
    """A one-key <Gather>; what follows it in `response` runs when nobody presses a key."""
    return response.gather(input="dtmf", num_digits=1, timeout=timeout, action=action, method="POST")
