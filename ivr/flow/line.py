"""The call flow: what the caller hears at each step and where the call goes next, decided as data.

Each answer is a `Plan` (speech.plan: say, gather, dial, redirect, hangup) and the `Event` it was
decided on; the web layer renders the plan as TwiML and logs the event. A call's whole state
(language, node, silences, wrong keys) travels in the places the plan points to (`ivr.urls`), so
any worker can answer any request. No Flask and no TwiML here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

from .. import phrases, urls
from ..audio.library import Library
from ..menu import BACK_KEY, LANGUAGE_KEY, REPEAT_KEY, SLOW_KEY, Language, Menu, Node
from ..speech import notices, plan, prompts
from ..urls import MAX_SILENCES, MAX_WRONG, Place, Step
from . import events
from .events import Event

DIAL_FAILED = {"busy", "no-answer", "failed", "canceled"}
MENU_TIMEOUT_S = 6
PAGE_TIMEOUT_S = 8  # a page has numbers to write down


@dataclasses.dataclass(frozen=True)
class Answer:
    """What to answer, and the event it was decided on."""

    plan: plan.Plan
    event: Event


def caller_keys(offered: Sequence[Language]) -> dict[str, str]:
    """The key a caller presses for each offered language, by code: a two-key language
    alone behind its first key is chosen with that key (see `Line.choose`)."""
    firsts = Counter(lang.key[0] for lang in offered if len(lang.key) > 1)
    return {lang.code: lang.key[0] if len(lang.key) > 1 and firsts[lang.key[0]] == 1 else lang.key
            for lang in offered}


@dataclasses.dataclass(frozen=True)
class Texting:
    """The duty number by text message, offered to this caller: `send` texts it in a language and says
    how it went (ivr.sms: sent, already, cap, not_allowed, failed)."""

    send: Callable[[Language], str]


@dataclasses.dataclass(frozen=True)
class Line:
    menu: Menu
    now: dt.datetime
    audio: Library | None = None
    texting: Texting | None = None  # None: not configured, or not for this caller's number

    def offered(self) -> tuple[Language, ...]:
        """Voiced languages, and those served from recordings once every prompt is recorded."""
        if self.audio is None:
            return tuple(lang for lang in self.menu.languages if lang.voice)
        return self.audio.offered(self.menu)

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.offered() if lang.code == code), None)

    def answer(self, place: Place, digits: str | None = None, dial_status: str | None = None) -> Answer:
        """The answer to a request for `place` (a key pressed, or how a transfer ended, with it)."""
        found = self._answer(place, digits, dial_status)
        # A language chosen on a day with notices: they were said, and the call's URLs remember it from now on.
        said = place.endpoint == urls.CHOOSE and found.event.lang is not None and bool(self._notices())
        if place.step.heard or said:
            return dataclasses.replace(found, plan=plan.heard(found.plan))
        return found

    def _notices(self):
        return self.menu.notices_on(self.now.astimezone(self.menu.timezone).date())

    def _answer(self, place: Place, digits: str | None, dial_status: str | None) -> Answer:
        if place.endpoint == urls.VOICE:
            return self.languages(place.step, greet=place.step == Step())
        if place.endpoint == urls.CHOOSE:
            return self.choose(digits, place.step)
        if place.endpoint not in (urls.NODE, urls.KEY, urls.DIALLED):
            return self.lost(None)
        lang, node = self.language(place.lang), self.menu.nodes.get(place.node)
        if lang is None or node is None:
            return self.lost(lang)
        if place.endpoint == urls.NODE:
            return self.node(lang, node, place.step)
        if place.endpoint == urls.KEY:
            return self.key(lang, node, digits, place.step)
        return self.dialled(lang, node, dial_status)

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
        if step.silent >= MAX_SILENCES or step.wrong >= MAX_WRONG:
            return Answer(plan.Plan(self._goodbye_all()), _goodbye(step, None, "languages", key))
        here = Step(step.silent, step.wrong, group=step.group)
        said: list[plan.Say] = []
        if greet:  # the line names itself in its first seconds, in the order the menu gives
            offered = {lang.code: lang for lang in self.offered()}
            said += [plan.Say(offered[code], prompts.greeting(self.menu, offered[code]))
                     for code in self.menu.greeting if code in offered]
        said += [plan.Say(lang, prompts.language_option(self.menu, lang, second=bool(step.group)))
                 for lang in (self._group(step.group) if step.group else self.offered())]
        verbs: list[plan.Verb] = [plan.Gather(urls.choose(here), MENU_TIMEOUT_S, tuple(said))]
        last = step.silent + 1 >= MAX_SILENCES
        event = Event(kind or (events.SILENCE if step.silent else events.SAID), None, "languages", key,
                      events.FINAL_PROMPT if last else None)
        verbs += self._goodbye_all() if last else [plan.Redirect(urls.voice(dataclasses.replace(here, silent=step.silent + 1)))]
        return Answer(plan.Plan(tuple(verbs)), event)

    def choose(self, digits: str | None, step: Step) -> Answer:
        if not digits:
            return self.languages(dataclasses.replace(step, silent=step.silent + 1, brief=False))
        key = step.group + digits
        lang = next((lang for lang in self.offered() if lang.key == key), None)
        group = [] if step.group else self._group(digits)
        if lang is None and len(group) == 1:
            lang = group[0]
        if lang is not None:  # the notices live today, said once a call, as the language is chosen
            live = () if step.heard else self._notices()
            said = prompts.say(*(notices.notice(self.menu, lang, n) for n in live))
            return self.node(lang, self.menu.nodes[self.menu.start], key=digits, first=said)
        if group:
            return self.languages(Step(group=digits), key=digits)
        if digits in (REPEAT_KEY, BACK_KEY, LANGUAGE_KEY):
            return self.languages(key=digits)
        return self.languages(Step(0, step.wrong + 1, group=step.group, heard=step.heard), events.WRONG_KEY, digits)

    # Menus and pages ---------------------------------------------------

    def closed(self) -> frozenset[str]:
        """The transfers closed at this moment."""
        return frozenset(node.id for node in self.menu.nodes.values()
                         if node.kind == "transfer" and not self.menu.schedules[node.schedule].is_open(self.now))

    def node(self, lang: Language, node: Node, step: Step = Step(), message: str | None = None,
             kind: str | None = None, key: str | None = None, first: prompts.Speech = ()) -> Answer:
        """A menu or page; `message` is a phrase said first (the notice of a wrong key); `first` is said
        before everything (the day's notices)."""
        closed = self.closed()
        if node.kind == "transfer" and node.id not in closed:
            return self.transfer(lang, node, key)
        if step.silent >= MAX_SILENCES or step.wrong >= MAX_WRONG:
            return Answer(plan.Plan(self._goodbye(lang)), _goodbye(step, lang.code, node.id, key))
        menu = self.menu
        page = node.kind != "menu"  # a closed transfer is said as a page
        # A missed key (silence or a wrong key) brings the keys that work everywhere; pages put the
        # action first (their options, then the numbers), so a caller in a hurry needs no explanation.
        missed = prompts.say(prompts.phrase(menu, lang, message) if message else None,
                             prompts.phrase(menu, lang, phrases.NO_KEY) if step.silent else None)
        body: prompts.Speech = ()
        if not step.brief and not step.silent:
            if node.kind == "transfer":
                body = prompts.closed_page(menu, lang, node, self.now)
            elif page:
                body = prompts.say(prompts.closed_options(menu, lang, node, closed, self.now),
                                   prompts.page(menu, lang, node))
            else:
                body = prompts.intro(menu, lang, node)
        options = prompts.options(menu, lang, node, closed)
        if node.texting(menu.nodes) is not None and self.texting is not None:
            # The duty's page (closed, or a page about it): the number by text message, offered once the
            # caller has heard the number; or alone, where the page's words are not said again.
            if body:
                body = prompts.say(body, prompts.sms_offer(menu, lang))
            else:
                options = prompts.say(options, prompts.sms_offer(menu, lang))
        hints = prompts.say(prompts.phrase(menu, lang, phrases.SLOW) if page else None,
                            prompts.navigation(menu, lang) if missed else None)
        if page:
            said = (plan.Say(lang, prompts.say(first, missed, options)), plan.Say(lang, body, step.slow),
                    plan.Say(lang, hints))
        else:
            said = (plan.Say(lang, prompts.say(first, missed, body, options, hints)),)
        here = Step(step.silent, step.wrong)
        verbs: list[plan.Verb] = [plan.Gather(urls.key(lang.code, node.id, here),
                                              PAGE_TIMEOUT_S if page else MENU_TIMEOUT_S, said)]
        shown = events.CLOSED if node.kind == "transfer" and not step.brief else events.SAID
        last = step.silent + 1 >= MAX_SILENCES
        event = Event(kind or (events.SILENCE if step.silent else shown), lang.code, node.id, key,
                      events.FINAL_PROMPT if last else None)
        again = Step(step.silent + 1, step.wrong, brief=True)
        verbs += self._goodbye(lang) if last else [plan.Redirect(urls.node(lang.code, node.id, again))]
        return Answer(plan.Plan(tuple(verbs)), event)

    def key(self, lang: Language, node: Node, digits: str | None, step: Step) -> Answer:
        if digits == prompts.SMS_KEY and node.texting(self.menu.nodes) is not None and self.texting is not None:
            return self.text_number(lang, node)
        if node.kind == "transfer" and node.id not in self.closed():
            # After a failed transfer: its menu's keys (1 tries again), silence too; closed, its page has its own.
            return self.key(lang, self.menu.nodes[node.parent or self.menu.start], digits, step)
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
        return self.node(lang, node, Step(0, step.wrong + 1, True), phrases.NOT_IN_MENU, events.WRONG_KEY, digits)

    # The transfer ------------------------------------------------------

    def text_number(self, lang: Language, node: Node) -> Answer:
        """Text the duty number to the caller; say how it went and the number again, then the page's keys
        (after a failed transfer, the menu's: an open transfer's own place would dial)."""
        transfer = node.texting(self.menu.nodes)
        outcome = self.texting.send(lang)
        said = plan.Say(lang, prompts.sms_outcome(self.menu, lang, transfer, outcome))
        back = node.id
        if node.kind == "transfer" and node.id not in self.closed():
            back = node.parent or self.menu.start
        return Answer(plan.Plan((plan.Gather(urls.key(lang.code, node.id), PAGE_TIMEOUT_S, (said,)),
                                 plan.Redirect(urls.node(lang.code, back, Step(brief=True))))),
                      Event(events.TEXTED, lang.code, node.id, prompts.SMS_KEY, outcome))

    def transfer(self, lang: Language, node: Node, key: str | None = None) -> Answer:
        """Connect the caller (the transfer is open: `node` says its page while it is closed)."""
        return Answer(plan.Plan((
            plan.Say(lang, prompts.connecting(self.menu, lang, node)),
            plan.Dial(node.number.e164, node.timeout, urls.dialled(lang.code, node.id)),
        )), Event(events.DIALLED, lang.code, node.id, key))

    def dialled(self, lang: Language, node: Node, status: str | None) -> Answer:
        """After <Dial>: a finished call ends here; one nobody answered gets the alternatives."""
        failed = status in DIAL_FAILED or status is None or node.kind != "transfer"
        event = Event(events.TRANSFER, lang.code, node.id, outcome=status or events.NONE)
        if not failed:
            return Answer(plan.Plan(self._goodbye(lang, last_words=False)), event)
        back = node.parent or self.menu.start
        verbs: list[plan.Verb] = []
        if node.kind == "transfer":  # the number to call back, a key that tries again, and one that texts it
            retry = next((key for key, target in self.menu.nodes[back].options.items() if target == node.id), None)
            texting = self.texting is not None
            # Keys go to the transfer's place, which passes them on to its menu, but for the text message.
            verbs.append(plan.Gather(urls.key(lang.code, node.id if texting else back), PAGE_TIMEOUT_S,
                                     (plan.Say(lang, prompts.no_answer(self.menu, lang, node, retry, texting)),)))
        verbs.append(plan.Redirect(urls.node(lang.code, back, Step(brief=True))))
        return Answer(plan.Plan(tuple(verbs)), event)

    # Endings and strays ------------------------------------------------

    def _goodbye(self, lang: Language, last_words: bool = True) -> list[plan.Verb]:
        """The line ends the call; unless the caller was put through, first the duty number and 112."""
        said = [plan.Say(lang, prompts.last_words(self.menu, lang))] if last_words else []
        return said + [plan.Say(lang, prompts.phrase(self.menu, lang, phrases.GOODBYE)), plan.Hangup()]

    def _goodbye_all(self) -> list[plan.Verb]:
        """No language chosen: in every offered language, the greeting's first, the duty number and 112,
        then goodbye: whichever language the caller understands, they hear the number in it."""
        offered = {lang.code: lang for lang in self.offered()}
        order = [code for code in self.menu.greeting if code in offered]
        order += [code for code in offered if code not in order]
        verbs: list[plan.Verb] = [plan.Say(offered[code], prompts.say(
            prompts.last_words(self.menu, offered[code]), prompts.phrase(self.menu, offered[code], phrases.GOODBYE)))
            for code in order]
        return verbs + [plan.Hangup()]

    def lost(self, lang: Language | None) -> Answer:
        """A URL that names no node we know (an old link after a menu change): start again."""
        event = Event(events.LOST, lang.code if lang else None)
        if lang is None:
            return Answer(plan.Plan((plan.Redirect(urls.voice()),)), event)
        return Answer(plan.Plan((plan.Say(lang, prompts.phrase(self.menu, lang, phrases.LOST)),
                                 plan.Redirect(urls.node(lang.code, self.menu.start)))), event)

    def apology(self, retry: bool) -> Answer:
        """Something failed while answering: say so in every language, then start again or end."""
        said = [plan.Say(lang, prompts.phrase(self.menu, lang, phrases.LOST if retry else phrases.GOODBYE))
                for lang in self.offered()]
        last = plan.Redirect(urls.voice()) if retry else plan.Hangup()
        return Answer(plan.Plan((*said, last)), Event(events.APOLOGY))


def _goodbye(step: Step, lang: str | None, node: str, key: str | None) -> Event:
    return Event(events.GOODBYE, lang, node, key, events.SILENCE if step.silent >= MAX_SILENCES else events.WRONG_KEYS)
