"""The call flow: what the caller hears at each step and where the call goes next.

A call's whole state (language, node, silences, wrong keys) travels in the URLs
built by `urls`, so any worker can answer any request. No Flask here: `urls` is
a function (endpoint, **params) -> URL that the web layer supplies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

from twilio.twiml.voice_response import VoiceResponse

from ..audio import library as audio
from ..speech import prompts as speech
from ..speech import twiml
from .. import phrases as P
from ..menu import BACK_KEY, LANGUAGE_KEY, REPEAT_KEY, SLOW_KEY, Language, Menu, Node

MAX_SILENCES = 3  # prompts in a row with no key, then goodbye
MAX_WRONG = 3  # wrong keys in a row, then goodbye
DIAL_FAILED = {"busy", "no-answer", "failed", "canceled"}

Urls = Callable[..., str]


@dataclasses.dataclass(frozen=True)
class Event:
    """What happened at one request, as the call log and `ivr stats` count it.

    kind: said (a menu or page), silence (no key: the options again), wrong key, goodbye (the line
    hung up; outcome silence or wrong keys), dialled (put through), transfer (after it; outcome
    Twilio's DialCallStatus), closed (the transfer asked for outside its hours), lost (a URL that names
    nothing we know), apology (something failed while answering).
    """

    kind: str
    lang: str | None = None
    node: str | None = None  # "languages" for the language menu
    key: str | None = None
    outcome: str | None = None


@dataclasses.dataclass(frozen=True)
class Answer:
    """The TwiML to answer with, and the event it was decided on."""

    twiml: VoiceResponse
    event: Event

    def __str__(self) -> str:
        return str(self.twiml)


def caller_keys(offered: Sequence[Language]) -> dict[str, str]:
    """The key a caller presses for each offered language, by code: a two-key language
    alone behind its first key is chosen with that key (see `Line.choose`)."""
    firsts = Counter(lang.key[0] for lang in offered if len(lang.key) > 1)
    return {lang.code: lang.key[0] if len(lang.key) > 1 and firsts[lang.key[0]] == 1 else lang.key
            for lang in offered}


@dataclasses.dataclass(frozen=True)
class Step:
    """Where a call stands: `silent` and `wrong` count misses in a row at this node."""

    silent: int = 0
    wrong: int = 0
    brief: bool = False  # say only the options, not the whole node again
    slow: bool = False  # the page again, slowly (key 8)
    group: str = ""  # the language menu's second page: the languages whose key starts with this


@dataclasses.dataclass(frozen=True)
class Line:
    menu: Menu
    urls: Urls
    now: dt.datetime
    audio: audio.Library | None = None

    def say(self, parent, lang: Language, what: speech.Speech, slow: bool = False) -> None:
        twiml.say(parent, lang, what, self._player(lang, slow), slow)

    def _player(self, lang: Language, slow: bool) -> twiml.Player | None:
        if self.audio is None:
            return None
        library = self.audio
        started = bool(library.recordings(lang.code))

        def play(prompt: speech.Prompt) -> str | None:
            found = library.fresh(lang, prompt)
            if found is None:
                if started and lang.voice and not prompt.changing:
                    twiml.log.info("%s: no fresh recording of %r: the voice says it", lang.code, prompt.id)
                return None
            return self.urls("audio.play", lang=lang.code, prompt=prompt.id, v=found.digest, slow=int(slow))

        return play

    def offered(self) -> tuple[Language, ...]:
        """Voiced languages, and those served from recordings once every prompt is recorded."""
        if self.audio is None:
            return tuple(lang for lang in self.menu.languages if lang.voice)
        return self.audio.offered(self.menu)

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.offered() if lang.code == code), None)

    # The language menu -------------------------------------------------
    # A language's key is one key, or two ("82"): several languages behind one
    # first key share a second page, where each says its second key. When only
    # one of them is offered, its first key chooses it at once.

    def _group(self, first: str) -> list[Language]:
        return [lang for lang in self.offered() if len(lang.key) > 1 and lang.key[0] == first]

    def languages(self, step: Step = Step(), kind: str | None = None, key: str | None = None,
                  greet: bool = False) -> Answer:
        """The language menu, after the greeting when `greet` (a call's first answer); `kind` says why
        it is said again (default: said, or silence)."""
        response = VoiceResponse()
        if step.silent >= MAX_SILENCES or step.wrong >= MAX_WRONG:
            return Answer(self._goodbye_all(response), _goodbye(step, None, "languages", key))
        here = dict(s=step.silent, w=step.wrong, g=step.group)
        gather = twiml.gather(response, self.urls("choose", **here))
        if greet:  # the line names itself in its first seconds, in the order the menu gives
            offered = {lang.code: lang for lang in self.offered()}
            for code in self.menu.greeting:
                if code in offered:
                    self.say(gather, offered[code], speech.greeting(self.menu, offered[code]))
        for lang in self._group(step.group) if step.group else self.offered():
            self.say(gather, lang, speech.language_option(self.menu, lang, second=bool(step.group)))
        event = Event(kind or ("silence" if step.silent else "said"), None, "languages", key,
                      "final prompt" if step.silent + 1 >= MAX_SILENCES else None)
        if step.silent + 1 >= MAX_SILENCES:
            return Answer(self._goodbye_all(response), event)
        response.redirect(self.urls("voice", **dict(here, s=step.silent + 1)), method="POST")
        return Answer(response, event)

    def choose(self, digits: str | None, step: Step) -> Answer:
        if not digits:
            return self.languages(dataclasses.replace(step, silent=step.silent + 1, brief=False))
        key = step.group + digits
        lang = next((lang for lang in self.offered() if lang.key == key), None)
        group = [] if step.group else self._group(digits)
        if lang is None and len(group) == 1:
            lang = group[0]
        if lang is not None:
            return self.node(lang, self.menu.nodes[self.menu.start], key=digits)
        if group:
            return self.languages(Step(group=digits), key=digits)
        if digits in (REPEAT_KEY, BACK_KEY, LANGUAGE_KEY):
            return self.languages(key=digits)
        return self.languages(Step(0, step.wrong + 1, group=step.group), "wrong key", digits)

    # Menus and pages ---------------------------------------------------

    def node(self, lang: Language, node: Node, step: Step = Step(), message: str | None = None,
             kind: str | None = None, key: str | None = None) -> Answer:
        """A menu or page; `message` is a phrase said first (the notice of a wrong key)."""
        closed = self.closed()
        if node.kind == "transfer" and node.id not in closed:
            return self.transfer(lang, node, key)
        response = VoiceResponse()
        if step.silent >= MAX_SILENCES or step.wrong >= MAX_WRONG:
            return Answer(self.goodbye(lang, response), _goodbye(step, lang.code, node.id, key))
        page = node.kind != "menu"  # a closed transfer is said as a page
        params = dict(lang=lang.code, node=node.id)
        gather = twiml.gather(
            response,
            self.urls("key", s=step.silent, w=step.wrong, **params),
            twiml.PAGE_TIMEOUT_S if page else twiml.MENU_TIMEOUT_S,
        )
        # A missed key (silence or a wrong key) brings the keys that work everywhere; pages put the
        # action first (their options, then the numbers), so a caller in a hurry needs no explanation.
        missed = speech.say(speech.phrase(self.menu, lang, message) if message else None,
                            speech.phrase(self.menu, lang, P.NO_KEY) if step.silent else None)
        body: speech.Speech = ()
        if not step.brief and not step.silent:
            if node.kind == "transfer":
                body = speech.closed_page(self.menu, lang, node, self.now)
            elif page:
                body = speech.say(speech.closed_options(self.menu, lang, node, closed, self.now),
                                  speech.page(self.menu, lang, node))
            else:
                body = speech.intro(self.menu, lang, node)
        options = speech.options(self.menu, lang, node, closed)
        hints = speech.say(speech.phrase(self.menu, lang, P.SLOW) if page else None,
                           speech.navigation(self.menu, lang) if missed else None)
        if page:
            self.say(gather, lang, speech.say(missed, options))
            self.say(gather, lang, body, slow=step.slow)
            self.say(gather, lang, hints)
        else:
            self.say(gather, lang, speech.say(missed, body, options, hints))
        said = "closed" if node.kind == "transfer" and not step.brief else "said"
        event = Event(kind or ("silence" if step.silent else said), lang.code, node.id, key,
                      "final prompt" if step.silent + 1 >= MAX_SILENCES else None)
        if step.silent + 1 >= MAX_SILENCES:
            return Answer(self.goodbye(lang, response), event)
        response.redirect(self.urls("node", s=step.silent + 1, w=step.wrong, b=1, **params), method="POST")
        return Answer(response, event)

    def key(self, lang: Language, node: Node, digits: str | None, step: Step) -> Answer:
        if not digits:
            return self.node(lang, node, Step(step.silent + 1, step.wrong, True))
        if digits == REPEAT_KEY:
            return self.node(lang, node, key=digits)
        if digits == BACK_KEY:
            if node.parent is None:
                return self.languages(key=digits)
            return self.node(lang, self.menu.nodes[node.parent], key=digits)
        if digits == LANGUAGE_KEY:
            return self.languages(key=digits)
        if digits == SLOW_KEY and node.kind != "menu":
            return self.node(lang, node, Step(slow=True), key=digits)
        target = node.options.get(digits)
        if target is not None:
            return self.node(lang, self.menu.nodes[target], key=digits)
        return self.node(lang, node, Step(0, step.wrong + 1, True), P.NOT_IN_MENU, "wrong key", digits)

    # The transfer ------------------------------------------------------

    def closed(self) -> frozenset[str]:
        """The transfers closed at this moment."""
        return frozenset(node.id for node in self.menu.nodes.values()
                         if node.kind == "transfer" and not self.menu.schedules[node.schedule].is_open(self.now))

    def transfer(self, lang: Language, node: Node, key: str | None = None) -> Answer:
        """Connect the caller (the transfer is open: `node` says its page while it is closed)."""
        response = VoiceResponse()
        self.say(response, lang, speech.connecting(self.menu, lang, node))
        response.dial(
            node.number.e164,
            timeout=node.timeout,
            action=self.urls("dialled", lang=lang.code, node=node.id),
            method="POST",
        )
        return Answer(response, Event("dialled", lang.code, node.id, key))

    def dialled(self, lang: Language, node: Node, status: str | None) -> Answer:
        """After <Dial>: a finished call ends here; one nobody answered gets the alternatives."""
        failed = status in DIAL_FAILED or status is None or node.kind != "transfer"
        response = VoiceResponse()
        event = Event("transfer", lang.code, node.id, outcome=status or "none")
        if failed:
            back = node.parent or self.menu.start
            if node.kind == "transfer":  # the number to call back, and a key that tries again
                retry = next((key for key, target in self.menu.nodes[back].options.items() if target == node.id), None)
                gather = twiml.gather(response, self.urls("key", lang=lang.code, node=back), twiml.PAGE_TIMEOUT_S)
                self.say(gather, lang, speech.no_answer(self.menu, lang, node, retry))
            response.redirect(self.urls("node", lang=lang.code, node=back, b=1), method="POST")
            return Answer(response, event)
        return Answer(self.goodbye(lang, response, last_words=False), event)

    # Endings and strays ------------------------------------------------

    def goodbye(self, lang: Language, response: VoiceResponse | None = None,
                last_words: bool = True) -> VoiceResponse:
        """The line ends the call; unless the caller was put through, first the duty number and 112."""
        response = response or VoiceResponse()
        if last_words:
            self.say(response, lang, speech.last_words(self.menu, lang))
        self.say(response, lang, speech.phrase(self.menu, lang, P.GOODBYE))
        response.hangup()
        return response

    def _goodbye_all(self, response: VoiceResponse) -> VoiceResponse:
        """No language chosen: the duty number and 112 in the greeting's languages, then goodbye in all."""
        offered = {lang.code: lang for lang in self.offered()}
        for code in self.menu.greeting or list(offered)[:1]:
            if code in offered:
                self.say(response, offered[code], speech.last_words(self.menu, offered[code]))
        for lang in offered.values():
            self.say(response, lang, speech.phrase(self.menu, lang, P.GOODBYE))
        response.hangup()
        return response

    def lost(self, lang: Language | None) -> Answer:
        """A URL that names no node we know (an old link after a menu change): start again."""
        response = VoiceResponse()
        event = Event("lost", lang.code if lang else None)
        if lang is None:
            response.redirect(self.urls("voice"), method="POST")
            return Answer(response, event)
        self.say(response, lang, speech.phrase(self.menu, lang, P.LOST))
        response.redirect(self.urls("node", lang=lang.code, node=self.menu.start), method="POST")
        return Answer(response, event)

    def apology(self, retry: bool) -> Answer:
        """Something failed while answering: say so in every language, then start again or end."""
        response = VoiceResponse()
        for lang in self.offered():
            self.say(response, lang, speech.phrase(self.menu, lang, P.LOST if retry else P.GOODBYE))
        if retry:
            response.redirect(self.urls("voice"), method="POST")
        else:
            response.hangup()
        return Answer(response, Event("apology"))


def _goodbye(step: Step, lang: str | None, node: str, key: str | None) -> Event:
    return Event("goodbye", lang, node, key, "silence" if step.silent >= MAX_SILENCES else "wrong keys")
