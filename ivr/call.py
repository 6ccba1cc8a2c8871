"""The call flow: what the caller hears at each step and where the call goes next.

A call's whole state (language, node, silences, wrong keys) travels in the URLs
built by `urls`, so any worker can answer any request. No Flask here: `urls` is
a function (endpoint, **params) -> URL that the web layer supplies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from twilio.twiml.voice_response import VoiceResponse

from . import phrases as P
from . import speech, twiml
from .menu import BACK_KEY, LANGUAGE_KEY, REPEAT_KEY, Language, Menu, Node

MAX_SILENCES = 3  # prompts in a row with no key, then goodbye
MAX_WRONG = 3  # wrong keys in a row, then goodbye
DIAL_FAILED = {"busy", "no-answer", "failed", "canceled"}

Urls = Callable[..., str]


@dataclasses.dataclass(frozen=True)
class Step:
    """Where a call stands: `silent` and `wrong` count misses in a row at this node."""

    silent: int = 0
    wrong: int = 0
    brief: bool = False  # say only the options, not the whole node again


@dataclasses.dataclass(frozen=True)
class Line:
    menu: Menu
    urls: Urls
    now: dt.datetime

    # The language menu -------------------------------------------------

    def languages(self, step: Step = Step()) -> VoiceResponse:
        response = VoiceResponse()
        if step.silent >= MAX_SILENCES or step.wrong >= MAX_WRONG:
            return self._goodbye_all(response)
        gather = twiml.gather(response, self.urls("choose", s=step.silent, w=step.wrong))
        for lang in self.menu.languages:
            twiml.say(gather, lang, speech.language_option(self.menu, lang))
        if step.silent + 1 >= MAX_SILENCES:
            return self._goodbye_all(response)
        response.redirect(self.urls("voice", s=step.silent + 1, w=step.wrong), method="POST")
        return response

    def choose(self, digits: str | None, step: Step) -> VoiceResponse:
        if not digits:
            return self.languages(Step(step.silent + 1, step.wrong))
        lang = self.menu.language_for_key(digits)
        if lang is not None:
            return self.node(lang, self.menu.nodes[self.menu.start])
        if digits in (REPEAT_KEY, BACK_KEY, LANGUAGE_KEY):
            return self.languages()
        return self.languages(Step(0, step.wrong + 1))

    # Menus and pages ---------------------------------------------------

    def node(self, lang: Language, node: Node, step: Step = Step(), notice: speech.Speech = ()) -> VoiceResponse:
        if node.kind == "transfer":
            return self.transfer(lang, node)
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
        if step.silent:
            notice = speech.say(notice, speech.phrase(self.menu, lang, P.NO_KEY))
        body: speech.Speech = ()
        if not step.brief and not step.silent:
            body = speech.page(self.menu, lang, node) if page else speech.say(node.say.get(lang.code))
        top = node.id == self.menu.start
        twiml.say(gather, lang, speech.say(notice, body, speech.options(self.menu, lang, node, top)))
        if step.silent + 1 >= MAX_SILENCES:
            return self.goodbye(lang, response)
        response.redirect(self.urls("node", s=step.silent + 1, w=step.wrong, b=1, **params), method="POST")
        return response

    def key(self, lang: Language, node: Node, digits: str | None, step: Step) -> VoiceResponse:
        if not digits:
            return self.node(lang, node, Step(step.silent + 1, step.wrong, True))
        if digits == REPEAT_KEY:
            return self.node(lang, node)
        if digits == BACK_KEY:
            return self.back(lang, node)
        if digits == LANGUAGE_KEY:
            return self.languages()
        target = node.options.get(digits)
        if target is not None:
            return self.node(lang, self.menu.nodes[target])
        wrong = speech.phrase(self.menu, lang, P.NOT_IN_MENU)
        return self.node(lang, node, Step(0, step.wrong + 1, True), notice=wrong)

    def back(self, lang: Language, node: Node) -> VoiceResponse:
        if node.parent is None:
            return self.languages()
        return self.node(lang, self.menu.nodes[node.parent])

    # The transfer ------------------------------------------------------

    def transfer(self, lang: Language, node: Node) -> VoiceResponse:
        response = VoiceResponse()
        schedule = self.menu.schedules[node.schedule]
        back = self.urls("node", lang=lang.code, node=node.parent or self.menu.start, b=1)
        if not schedule.is_open(self.now):
            twiml.say(response, lang, speech.closed(self.menu, lang, node, self.now))
            response.redirect(back, method="POST")
            return response
        twiml.say(response, lang, speech.connecting(self.menu, lang, node))
        response.dial(
            node.number.e164,
            timeout=node.timeout,
            action=self.urls("dialled", lang=lang.code, node=node.id),
            method="POST",
        )
        return response

    def dialled(self, lang: Language, node: Node, status: str | None) -> VoiceResponse:
        """After <Dial>: a finished call ends here; one nobody answered gets the alternatives."""
        response = VoiceResponse()
        if status in DIAL_FAILED or status is None or node.kind != "transfer":
            if node.kind == "transfer":
                twiml.say(response, lang, speech.no_answer(self.menu, lang, node))
            back = node.parent or self.menu.start
            response.redirect(self.urls("node", lang=lang.code, node=back, b=1), method="POST")
            return response
        return self.goodbye(lang, response)

    # Endings and strays ------------------------------------------------

    def goodbye(self, lang: Language, response: VoiceResponse | None = None) -> VoiceResponse:
        response = response or VoiceResponse()
        twiml.say(response, lang, speech.phrase(self.menu, lang, P.GOODBYE))
        response.hangup()
        return response

    def _goodbye_all(self, response: VoiceResponse) -> VoiceResponse:
        for lang in self.menu.languages:
            twiml.say(response, lang, speech.phrase(self.menu, lang, P.GOODBYE))
        response.hangup()
        return response

    def lost(self, lang: Language | None) -> VoiceResponse:
        """A URL that names no node we know (an old link after a menu change): start again."""
        response = VoiceResponse()
        if lang is None:
            response.redirect(self.urls("voice"), method="POST")
            return response
        twiml.say(response, lang, speech.phrase(self.menu, lang, P.LOST))
        response.redirect(self.urls("node", lang=lang.code, node=self.menu.start), method="POST")
        return response

    def apology(self, retry: bool) -> VoiceResponse:
        """Something failed while answering: say so in every language, then start again or end."""
        response = VoiceResponse()
        for lang in self.menu.languages:
            twiml.say(response, lang, speech.phrase(self.menu, lang, P.LOST if retry else P.GOODBYE))
        if retry:
            response.redirect(self.urls("voice"), method="POST")
        else:
            response.hangup()
        return response
