"""`ivr script`: the whole call as text, node by node, for proofreading.

Everything here is read back from the TwiML the call flow (`call.Line`) really
answers, so the script cannot drift from what callers hear: what is said, what
each key does, what happens on silence, when the transfer is open or closed.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from . import options as shared
from ..menu import hours
from ..menu import model as menus
from ..flow.line import MAX_SILENCES, MAX_WRONG, Line, Step

PAUSE = " / "
OTHER_KEYS = "*0123456789"


@dataclasses.dataclass(frozen=True)
class Heard:
    """One TwiML answer, read the way Twilio plays it."""

    said: tuple[str, ...]
    after: tuple[str, ...]  # said when no key comes while waiting
    waits: tuple[str, dict, int] | None  # (endpoint, params, seconds) of the <Gather>
    then: tuple[str, dict] | None  # where the <Redirect> goes
    dials: tuple[str, int, str] | None  # number, seconds of ringing, node
    hangs_up: bool

    @property
    def text(self) -> str:
        return " ".join(self.said)

    def where(self) -> str:
        """Where the caller is now: the node, the language menu or a transfer."""
        if self.dials:
            return f"{self.dials[2]} (transfer)"
        if self.waits:
            endpoint, params, _ = self.waits
            return params.get("node", "") if endpoint == "key" else "the language menu"
        return ""


def urls(endpoint: str, **params) -> str:
    """The call flow's URLs, kept readable: `endpoint?name=value`."""
    return endpoint + "?" + urllib.parse.urlencode(sorted(params.items()))


def _place(url: str) -> tuple[str, dict]:
    endpoint, _, query = url.partition("?")
    return endpoint, dict(urllib.parse.parse_qsl(query))


def hear(response) -> Heard:
    root = ET.fromstring(str(response))
    gather = root.find("Gather")
    said = tuple(_spoken(say) for say in (gather if gather is not None else root).iter("Say"))
    after = tuple(_spoken(say) for say in root.findall("Say")) if gather is not None else ()
    waits = (*_place(gather.get("action")), int(gather.get("timeout"))) if gather is not None else None
    redirect = root.find("Redirect")
    dial = root.find("Dial")
    return Heard(
        said,
        after,
        waits,
        _place(redirect.text) if redirect is not None else None,
        (dial.text, int(dial.get("timeout")), _place(dial.get("action"))[1].get("node", "")) if dial is not None else None,
        root.find("Hangup") is not None,
    )


def _spoken(say: ET.Element) -> str:
    parts = [say.text or ""]
    for child in say:
        parts += [PAUSE if child.tag == "break" else "", child.tail or ""]
    return " ".join("".join(parts).split()).replace(" /", PAUSE.rstrip()).strip(" /")


def _quote(heard: Heard) -> str:
    return f'"{heard.text}"' if heard.said else "(nothing)"


def _ending(heard: Heard, line: Line) -> str:
    """What happens after the words of an answer."""
    if heard.dials:
        return f"dials {heard.dials[0]}, ringing up to {heard.dials[1]} s"
    if heard.after:
        return f'no key again: "{" ".join(heard.after)}", and the call ends'
    if heard.hangs_up:
        return "the call ends"
    if heard.then:
        endpoint, params = heard.then
        if endpoint == "voice":
            return "back to the language menu"
        node = params.get("node", "")
        return f"back to {node} ({'its options only' if params.get('b') else 'from the start'})"
    return "waits for a key"


class Script:
    def __init__(self, menu: menus.Menu, now: dt.datetime) -> None:
        self.menu = menu
        self.line = Line(menu, urls, now)
        self.now = now

    def languages(self) -> Iterator[str]:
        heard = hear(self.line.languages())
        yield "== The language menu (each language in its own voice) =="
        yield from (f"  says: {text}" for text in heard.said)
        yield from self._keys(lambda key: self.line.choose(key, Step()), "the language menu")
        last = hear(self.line.choose("#", Step(0, MAX_WRONG - 1)))
        yield f"  the {_nth(MAX_WRONG)} wrong key in a row: {_quote(last)}, then {_ending(last, self.line)}"
        yield from self._silence(lambda step: self.line.languages(step), heard)

    def node(self, lang: menus.Language, node: menus.Node) -> Iterator[str]:
        if node.kind == "transfer":
            yield from self.transfer(lang, node)
            return
        heard = hear(self.line.node(lang, node))
        yield f"== {node.id} ({node.kind}) =="
        yield f"  says: {_quote(heard)}"
        yield from self._keys(lambda key: self.line.key(lang, node, key, Step()), node.id)
        last = hear(self.line.key(lang, node, "#", Step(0, MAX_WRONG - 1)))
        yield f"  the {_nth(MAX_WRONG)} wrong key in a row: {_quote(last)}, then {_ending(last, self.line)}"
        yield from self._silence(lambda step: self.line.node(lang, node, step), heard)

    def transfer(self, lang: menus.Language, node: menus.Node) -> Iterator[str]:
        schedule = self.menu.schedules[node.schedule]
        yield f"== {node.id} (transfer to {node.number.e164}, hours: {node.schedule}) =="
        opens = self.now if schedule.is_open(self.now) else schedule.next_opening(self.now)
        if opens is not None:
            heard = hear(Line(self.menu, urls, opens).transfer(lang, node))
            yield f"  when open (as on {opens:%Y-%m-%d %H:%M}): {_quote(heard)}, then {_ending(heard, self.line)}"
        for status, what in (("completed", "after the call"), ("no-answer", "nobody answers (busy, no answer, failed)")):
            heard = hear(self.line.dialled(lang, node, status))
            yield f"  {what}: {_quote(heard)}, then {_ending(heard, self.line)}"
        closed = _closed_moment(schedule, self.now)
        heard = hear(Line(self.menu, urls, closed).transfer(lang, node))
        yield f"  when closed (as on {closed:%Y-%m-%d %H:%M}): {_quote(heard)}, then {_ending(heard, self.line)}"

    def _keys(self, answer, here: str) -> Iterator[str]:
        """Each key that does something, where it leads; then what any other key gets."""
        wrong = hear(answer("#"))
        yield f"  waits {wrong.waits[2]} s for one key:"
        for key in OTHER_KEYS:
            heard = hear(answer(key))
            if heard != wrong:
                where = heard.where()
                yield f"    {key}: {'this again, from the start' if where == here else where}"
        yield f"    any other key: {_quote(wrong)}"

    def _silence(self, answer, first: Heard) -> Iterator[str]:
        yield f"  no key for {first.waits[2]} s:"
        for silent in range(1, MAX_SILENCES):
            heard = hear(answer(Step(silent, 0, True)))
            yield f"    {_nth(silent)} time: {_quote(heard)}, then {_ending(heard, self.line)}"

    def lines(self, codes: list[str]) -> Iterator[str]:
        yield f"Call script: {self.menu.name} ({self.menu.source}), as said on {self.now:%Y-%m-%d %H:%M}"
        yield f"('{PAUSE.strip()}' is a pause; 'key *' repeats, 0 goes back, 9 changes the language)"
        yield ""
        yield from self.languages()
        for code in codes:
            lang = self.menu.language(code)
            yield ""
            yield f"#### {lang.name} ({lang.code}, voice {lang.voice}) ####"
            for node in _in_call_order(self.menu):
                yield ""
                yield from self.node(lang, node)


def _in_call_order(menu: menus.Menu) -> list[menus.Node]:
    """Start first, then breadth first by key, as a caller meets them."""
    order, queue = [], [menu.start]
    while queue:
        node = menu.nodes[queue.pop(0)]
        if node not in order:
            order.append(node)
            queue += [target for _, target in sorted(node.options.items())]
    return order


def _closed_moment(schedule: hours.Schedule, now: dt.datetime) -> dt.datetime:
    """`now` if the service is closed then, else the minute it closes today."""
    if not schedule.is_open(now):
        return now
    _, end = schedule.weekly[now.weekday()]
    return dt.datetime.combine(now.date(), end, tzinfo=schedule.tz)


def _nth(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def run(args: argparse.Namespace) -> int:
    menu = shared.load(args)
    code = menu and shared.language(menu, args, default=None)
    if code is None:
        return 1
    if args.lang and menu.language(code).recorded_only:
        print(f"ivr script: {code!r} has no voice, so nothing is said: its recordings are listed by "
              f"`ivr audio status --lang {code}`", file=sys.stderr)
        return 1
    now = hours.clock(menu.timezone)()
    voiced = [lang.code for lang in menu.languages if lang.voice]  # the others play recordings (ivr audio)
    try:
        for text in Script(menu, now).lines([args.lang] if args.lang else voiced):
            print(text)
    except BrokenPipeError:  # `ivr script | head`: the reader has seen enough
        sys.stderr.close()
    return 0


def register(commands) -> None:
    script = commands.add_parser("script", help="print the whole call as callers hear it, node by node")
    shared.add(script, "one language code, e.g. fi (default: every language)")
    script.set_defaults(func=run)
