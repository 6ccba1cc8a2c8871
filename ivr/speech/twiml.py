"""Speech -> TwiML, with the twilio library's VoiceResponse. No Flask here.

A prompt with a fresh recording becomes <Play>; the rest of the speech is said
by the language's voice in one <Say> per run. A language with no voice says
only what is recorded: a prompt it cannot play is left out (and logged), or
replaced by its fixed `instead` sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from twilio.twiml.voice_response import Gather, Say, VoiceResponse

from ..menu import Language
from .prompts import Pause, Prompt, Speech, join

MENU_TIMEOUT_S = 6
PAGE_TIMEOUT_S = 8
SLOW_RATE = "slow"  # SSML prosody rate for "hear this again slowly"
SLOW_PAUSES = 2  # pauses (between digit groups, sentences) grow this many times when slow

log = logging.getLogger(__name__)

# prompt -> URL of its fresh recording, or None
Player = Callable[[Prompt], str | None]


def say(parent: VoiceResponse | Gather, lang: Language, speech: Speech,
        play: Player | None = None, slow: bool = False) -> None:
    """Recordings as <Play>, everything else in the language's voice; pauses become SSML <break>."""
    run: list[str | Pause] = []

    def flush() -> None:
        if any(isinstance(piece, str) and piece.strip() for piece in run):
            parent.append(_say(lang, run, slow))
        run.clear()

    def add(pieces: Speech) -> None:
        for piece in pieces:
            if isinstance(piece, Prompt):
                url = play(piece) if play else None
                if url:
                    flush()
                    parent.play(url)
                elif lang.voice:
                    run.extend(piece.speech)
                elif piece.instead:
                    add(piece.instead)
                else:
                    log.warning("%s: no recording of %r and no voice: left out", lang.code, piece.id)
            elif isinstance(piece, Pause) or lang.voice:
                run.append(piece)
            else:
                log.warning("%s: no voice to say %r: left out", lang.code, piece[:40])

    add(speech)
    flush()


def _say(lang: Language, pieces: list[str | Pause], slow: bool) -> Say:
    node = Say(voice=lang.voice, language=lang.tts_language)
    target = node.prosody(rate=SLOW_RATE) if slow else node
    text: list[str] = []
    for piece in pieces:
        if isinstance(piece, Pause):
            # The library keeps one text run between two elements: join them first.
            if text:
                target.append(join(text))
                text = []
            target.break_(time=f"{piece.ms * (SLOW_PAUSES if slow else 1)}ms")
        else:
            text.append(piece)
    if text:
        target.append(join(text))
    return node


def gather(response: VoiceResponse, action: str, timeout: int = MENU_TIMEOUT_S) -> Gather:
    """A one-key <Gather>; what follows it in `response` runs when nobody presses a key."""
    return response.gather(input="dtmf", num_digits=1, timeout=timeout, action=action, method="POST")
