"""What the line answers at one step of a call, as plain data: the flow decides it, `render` writes it
as TwiML, and `ivr timing` reads it without any TwiML at all.

A plan is Twilio's verbs in order: `Say` (speech in one language: prompts and pauses), `Gather` (waits
for one key while its `Say`s are heard), `Dial`, `Redirect` and `Hangup`. Where the call goes next is a
`urls.Place`, never a URL string: `ivr.urls` writes and reads those.
"""

from __future__ import annotations

import dataclasses

from ..menu import Language
from ..urls import Place
from .prompts import Speech


@dataclasses.dataclass(frozen=True)
class Say:
    lang: Language
    speech: Speech
    slow: bool = False  # "hear this again slowly"


@dataclasses.dataclass(frozen=True)
class Gather:
    action: Place  # where a key goes
    timeout: int  # seconds of silence before the verbs after it run
    said: tuple[Say, ...]


@dataclasses.dataclass(frozen=True)
class Dial:
    number: str  # E.164
    timeout: int  # seconds to ring
    action: Place  # where the call goes when the transfer ends


@dataclasses.dataclass(frozen=True)
class Redirect:
    to: Place


@dataclasses.dataclass(frozen=True)
class Hangup:
    pass


Verb = Say | Gather | Dial | Redirect | Hangup


@dataclasses.dataclass(frozen=True)
class Plan:
    verbs: tuple[Verb, ...]

    @property
    def gather(self) -> Gather | None:
        return next((v for v in self.verbs if isinstance(v, Gather)), None)

    def prompt(self) -> tuple[Say, ...]:
        """What is heard while the line waits for a key (all of it, when it waits for none)."""
        return self.gather.said if self.gather else self.until_next()

    def until_next(self) -> tuple[Say, ...]:
        """What is heard before the call leaves this answer when nobody presses anything."""
        out: list[Say] = []
        for verb in self.verbs:
            if isinstance(verb, Gather):
                out += verb.said
            elif isinstance(verb, Say):
                out.append(verb)
            else:
                break
        return tuple(out)

    def next(self, key: str | None = None, outcome: str = "completed") -> tuple[Place, str | None, str | None] | None:
        """Where Twilio goes after this answer, with the key pressed at the Gather (None: silence) and how
        a transfer ended: (place, digits, dial status); None when the call ends here."""
        for verb in self.verbs:
            if isinstance(verb, Gather) and key:
                return verb.action, key, None
            if isinstance(verb, Redirect):
                return verb.to, None, None
            if isinstance(verb, Dial):
                return verb.action, None, outcome
            if isinstance(verb, Hangup):
                return None
        return None


def heard(found: Plan) -> Plan:
    """The plan with every place it points to marked: this call has heard the day's notices."""
    def marked(place: Place) -> Place:
        return dataclasses.replace(place, step=dataclasses.replace(place.step, heard=True))

    verbs: list[Verb] = []
    for verb in found.verbs:
        if isinstance(verb, Gather | Dial):
            verb = dataclasses.replace(verb, action=marked(verb.action))
        elif isinstance(verb, Redirect):
            verb = dataclasses.replace(verb, to=marked(verb.to))
        verbs.append(verb)
    return Plan(tuple(verbs))
