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
Answer = VoiceResponse


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
            found = library.fresh(lang.code, prompt)
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

    def languages(self, step: Step = Step()) -> VoiceResponse:
        response = VoiceResponse()
        if step.silent >= MAX_SILENCES or step.wrong >= MAX_WRONG:
            return self._goodbye_all(response)
        here = dict(s=step.silent, w=step.wrong, g=step.group)
        gather = twiml.gather(response, self.urls("choose", **here))
        for lang in self._group(step.group) if step.group else self.offered():
            self.say(gather, lang, speech.language_option(self.menu, lang, second=bool(step.group)))
        if step.silent + 1 >= MAX_SILENCES:
            return self._goodbye_all(response)
        response.redirect(self.urls("voice", **dict(here, s=step.silent + 1)), method="POST")
        return response

    def choose(self, digits: str | None, step: Step) -> Answer:
        if not digits:
            return self.languages(dataclasses.replace(step, silent=step.silent + 1, brief=False))
        key = step.group + digits
        lang = next((lang for lang in self.offered() if lang.key == key), None)
        group = [] if step.group else self._group(digits)
        if lang is None and len(group) == 1:
            lang = group[0]
        if lang is not None:
            return self.node(lang, self.menu.nodes[self.menu.start])
        if group:
            return self.languages(Step(group=digits))
        if digits in (REPEAT_KEY, BACK_KEY, LANGUAGE_KEY):
            return self.languages()
        return self.languages(Step(0, step.wrong + 1, group=step.group))

    # Menus and pages ---------------------------------------------------

    def node(self, lang: Language, node: Node, step: Step = Step(), notice: str | None = None) -> Answer:
        """A menu or page; `notice` is a phrase said first (the message of a wrong key)."""
        if node.kind == "transfer":
            return self.transfer(lang, node)
        return self._node(lang, node, step, notice)

    def _node(self, lang: Language, node: Node, step: Step, message: str | None) -> VoiceResponse:
        response = VoiceResponse()
        if step.silent >= MAX_SILENCES or step.wrong >= MAX_WRONG:
            return self.goodbye(lang, response)
        page = node.kind == "page"
        params = dict(lang=lang.code, node=node.id)
        gather = twiml.gather(
            response,
            self.urls("key", s=step.silent, w=step.wrong, **params),
            twiml.PAGE_TIMEOUT_S if page else twiml.MENU_TIMEOUT_S,
        )
        notice: speech.Speech = speech.phrase(self.menu, lang, message) if message else ()
        if step.silent:
            notice = speech.say(notice, speech.phrase(self.menu, lang, P.NO_KEY))
        body: speech.Speech = ()
        if not step.brief and not step.silent:
            body = speech.page(self.menu, lang, node) if page else speech.intro(lang, node)
        top = node.id == self.menu.start
        if step.slow and page:
            self.say(gather, lang, body, slow=True)
            body = ()
        self.say(gather, lang, speech.say(notice, body, speech.options(self.menu, lang, node, top)))
        if step.silent + 1 >= MAX_SILENCES:
            return self.goodbye(lang, response)
        response.redirect(self.urls("node", s=step.silent + 1, w=step.wrong, b=1, **params), method="POST")
        return response

    def key(self, lang: Language, node: Node, digits: str | None, step: Step) -> Answer:
        if not digits:
            return self.node(lang, node, Step(step.silent + 1, step.wrong, True))
        if digits == REPEAT_KEY:
            return self.node(lang, node)
        if digits == BACK_KEY:
            return self.back(lang, node)
        if digits == LANGUAGE_KEY:
            return self.languages()
        if digits == SLOW_KEY and node.kind == "page":
            return self.node(lang, node, Step(slow=True))
        target = node.options.get(digits)
        if target is not None:
            return self.node(lang, self.menu.nodes[target])
        return self.node(lang, node, Step(0, step.wrong + 1, True), notice=P.NOT_IN_MENU)

    def back(self, lang: Language, node: Node) -> Answer:
        if node.parent is None:
            return self.languages()
        return self.node(lang, self.menu.nodes[node.parent])

    # The transfer ------------------------------------------------------

    def transfer(self, lang: Language, node: Node) -> Answer:
        """Connect the caller while the service is open; when closed, say when it opens next."""
        is_open = self.menu.schedules[node.schedule].is_open(self.now)
        response = VoiceResponse()
        back = self.urls("node", lang=lang.code, node=node.parent or self.menu.start, b=1)
        if not is_open:
            self.say(response, lang, speech.closed(self.menu, lang, node, self.now))
            response.redirect(back, method="POST")
            return response
        self.say(response, lang, speech.connecting(self.menu, lang, node))
        response.dial(
            node.number.e164,
            timeout=node.timeout,
            action=self.urls("dialled", lang=lang.code, node=node.id),
            method="POST",
        )
        return response

    def dialled(self, lang: Language, node: Node, status: str | None) -> Answer:
        """After <Dial>: a finished call ends here; one nobody answered gets the alternatives."""
        failed = status in DIAL_FAILED or status is None or node.kind != "transfer"
        response = VoiceResponse()
        if failed:
            if node.kind == "transfer":
                self.say(response, lang, speech.no_answer(self.menu, lang, node))
            back = node.parent or self.menu.start
            response.redirect(self.urls("node", lang=lang.code, node=back, b=1), method="POST")
            return response
        return self.goodbye(lang, response)

    # Endings and strays ------------------------------------------------

    def goodbye(self, lang: Language, response: VoiceResponse | None = None) -> VoiceResponse:
        response = response or VoiceResponse()
        self.say(response, lang, speech.phrase(self.menu, lang, P.GOODBYE))
        response.hangup()
        return response

    def _goodbye_all(self, response: VoiceResponse) -> VoiceResponse:
        for lang in self.offered():
            self.say(response, lang, speech.phrase(self.menu, lang, P.GOODBYE))
        response.hangup()
        return response

    def lost(self, lang: Language | None) -> Answer:
        """A URL that names no node we know (an old link after a menu change): start again."""
        response = VoiceResponse()
        if lang is None:
            response.redirect(self.urls("voice"), method="POST")
            return response
        self.say(response, lang, speech.phrase(self.menu, lang, P.LOST))
        response.redirect(self.urls("node", lang=lang.code, node=self.menu.start), method="POST")
        return response

    def apology(self, retry: bool) -> VoiceResponse:
        """Something failed while answering: say so in every language, then start again or end."""
        response = VoiceResponse()
        for lang in self.offered():
            self.say(response, lang, speech.phrase(self.menu, lang, P.LOST if retry else P.GOODBYE))
        if retry:
            response.redirect(self.urls("voice"), method="POST")
        else:
            response.hangup()
        return response
