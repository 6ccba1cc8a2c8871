"""A plan -> TwiML, with the twilio library's VoiceResponse: the one place the line writes TwiML.

A prompt with a fresh recording becomes <Play> (its URL from the `Recordings` function the web layer
passes in); the rest of the speech is said by the language's voice in one <Say> per run, pauses as
SSML <break>. A language with no voice says only what is recorded: a prompt it cannot play is left
out (and logged), or replaced by its fixed `instead` sentence. `sounds` is that choice, for `ivr timing`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from twilio.twiml import voice_response

from ..menu import Language
from ..urls import url
from . import plan
from .prompts import Pause, Prompt, Speech, join

SLOW_RATE = "slow"  # SSML prosody rate for "hear this again slowly"; never faster than the voice's own
SLOW_PAUSES = 2  # pauses (between digit groups, sentences) grow this many times when slow

log = logging.getLogger(__name__)

# (language, prompt, slow) -> URL of its fresh recording, or None
Recordings = Callable[[Language, Prompt, bool], str | None]


def _none(lang: Language, prompt: Prompt, slow: bool) -> str | None:
    return None


@dataclasses.dataclass(frozen=True)
class Spoken:
    """Words and pauses the voice says, from one prompt (None: loose pieces between prompts)."""

    pieces: tuple[str | Pause, ...]
    prompt: Prompt | None = None


@dataclasses.dataclass(frozen=True)
class Played:
    prompt: Prompt
    url: str


def sounds(say: plan.Say, recordings: Recordings = _none) -> tuple[Spoken | Played, ...]:
    """What a caller hears of `say`, prompt by prompt: recordings where there are fresh ones, the voice
    for the rest (a language with no voice: a prompt's fixed `instead` sentence, or nothing)."""
    lang, out = say.lang, []

    def add(pieces: Speech) -> None:
        for piece in pieces:
            if isinstance(piece, Prompt):
                found = recordings(lang, piece, say.slow)
                if found:
                    out.append(Played(piece, found))
                elif lang.voice:
                    out.append(Spoken(piece.speech, piece))
                elif piece.instead:
                    add(piece.instead)
                else:
                    log.warning("%s: no recording of %r and no voice: left out", lang.code, piece.id)
            elif isinstance(piece, Pause) or lang.voice:
                out.append(Spoken((piece,)))
            else:
                log.warning("%s: no voice to say %r: left out", lang.code, piece[:40])

    add(say.speech)
    return tuple(out)


def render(answer: plan.Plan, recordings: Recordings = _none) -> str:
    """The TwiML document of a plan."""
    response = voice_response.VoiceResponse()
    for verb in answer.verbs:
        if isinstance(verb, plan.Say):
            _say(response, verb, recordings)
        elif isinstance(verb, plan.Gather):
            gather = response.gather(input="dtmf", num_digits=1, timeout=verb.timeout, action=url(verb.action),
                                     method="POST")
            for said in verb.said:
                _say(gather, said, recordings)
        elif isinstance(verb, plan.Dial):
            response.dial(verb.number, timeout=verb.timeout, action=url(verb.action), method="POST")
        elif isinstance(verb, plan.Redirect):
            response.redirect(url(verb.to), method="POST")
        else:
            response.hangup()
    return str(response)


def heard(say: plan.Say, recordings: Recordings = _none) -> tuple[Played | tuple[Spoken, ...], ...]:
    """`sounds` as rendered: each recording, and each run of spoken sounds between them that has words
    in it (one <Say>); a run of pauses alone is not said at all."""
    out: list[Played | tuple[Spoken, ...]] = []
    run: list[Spoken] = []

    def flush() -> None:
        if any(isinstance(piece, str) and piece.strip() for sound in run for piece in sound.pieces):
            out.append(tuple(run))
        run.clear()

    for sound in sounds(say, recordings):
        if isinstance(sound, Played):
            flush()
            out.append(sound)
        else:
            run.append(sound)
    flush()
    return tuple(out)


def _say(parent, say: plan.Say, recordings: Recordings) -> None:
    for item in heard(say, recordings):
        if isinstance(item, Played):
            parent.play(item.url)
        else:
            parent.append(_voice(say.lang, [piece for sound in item for piece in sound.pieces], say.slow))


def _voice(lang: Language, pieces: list[str | Pause], slow: bool) -> voice_response.Say:
    node = voice_response.Say(voice=lang.voice, language=lang.tts_language)
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
