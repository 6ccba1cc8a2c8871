"""The line's call URLs: the one place that writes and reads them.

A call's whole state travels in the URLs the line answers with (Gather actions, Redirects, Dial actions),
so any worker can answer any request:

    /voice                          the language menu        ?s=silences &w=wrong keys &g=first key of a group
                                                             (every URL: &n=1 once the day's notices were said)
    /voice/choose                   its keys                 (the same counters)
    /voice/<lang>/<node>            a menu or page           ?s= &w= &b=1 (brief: its options only)
    /voice/<lang>/<node>/key        a key pressed there      ?s= &w=
    /voice/<lang>/<node>/dialled    after a transfer
    /audio/<lang>/<prompt>.wav      a recording              ?v=its checksum &slow=1

Zero counters are left out, to keep URLs short. `parse` reads any text without failing: a URL that is
not one of these is a `Place` with no endpoint, and counters that are malformed count as none.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

MAX_SILENCES = 3  # prompts in a row with no key, then goodbye
MAX_WRONG = 3  # wrong keys in a row, then goodbye

VOICE, CHOOSE, NODE, KEY, DIALLED, AUDIO = "voice", "choose", "node", "key", "dialled", "audio"
_TAILS = {KEY: "key", DIALLED: "dialled"}


@dataclasses.dataclass(frozen=True)
class Step:
    """Where a call stands: `silent` and `wrong` count misses in a row at this place."""

    silent: int = 0
    wrong: int = 0
    brief: bool = False  # say only the options, not the whole node again
    slow: bool = False  # the page again slowly (key 8); a recording: its slowed copy
    group: str = ""  # the language menu's second page: the languages whose key starts with this
    heard: bool = False  # the day's notices were said on this call: not again when a language is chosen again


@dataclasses.dataclass(frozen=True)
class Place:
    """Where one of the line's URLs points; `endpoint` is "" for a URL that is not the line's."""

    endpoint: str
    lang: str = ""
    node: str = ""  # a node's id; for AUDIO the prompt's id
    step: Step = Step()
    version: str = ""  # AUDIO: the recording's checksum, so a new take gets a new URL

    @property
    def prompt(self) -> str:
        return self.node if self.endpoint == AUDIO else ""


def voice(step: Step = Step()) -> Place:
    return Place(VOICE, step=step)


def choose(step: Step = Step()) -> Place:
    return Place(CHOOSE, step=step)


def node(lang: str, node_id: str, step: Step = Step()) -> Place:
    return Place(NODE, lang, node_id, step)


def key(lang: str, node_id: str, step: Step = Step()) -> Place:
    return Place(KEY, lang, node_id, step)


def dialled(lang: str, node_id: str) -> Place:
    return Place(DIALLED, lang, node_id)


def recording(lang: str, prompt_id: str, version: str, slow: bool = False) -> Place:
    return Place(AUDIO, lang, prompt_id, Step(slow=slow), version)


def url(place: Place) -> str:
    """The URL of a place, as the line writes it into TwiML."""
    step = place.step
    if place.endpoint == AUDIO:
        path = f"/audio/{_seg(place.lang)}/{_seg(place.node)}.wav"
        query = {"v": place.version, "slow": int(step.slow)}
    else:
        path = "/voice"
        if place.endpoint == CHOOSE:
            path += "/choose"
        elif place.endpoint in (NODE, KEY, DIALLED):
            path += f"/{_seg(place.lang)}/{_seg(place.node)}"
            path += f"/{_TAILS[place.endpoint]}" if place.endpoint in _TAILS else ""
        query = {"s": step.silent, "w": step.wrong, "b": int(step.brief), "g": step.group, "n": int(step.heard)}
    shown = {name: value for name, value in query.items() if value not in (0, "")}
    return path + (f"?{urlencode(shown)}" if shown else "")


def parse(text: str) -> Place:
    """The place a URL (absolute or a path, with its query) points at; never raises."""
    parts = urlsplit(text.strip())
    args = dict(parse_qsl(parts.query))
    path = [unquote(p) for p in parts.path.split("/") if p]
    if path[:1] == ["audio"] and len(path) == 3 and path[2].endswith(".wav"):
        return recording(path[1], path[2][:-len(".wav")], args.get("v", ""), args.get("slow") == "1")
    if path[:1] != ["voice"]:
        return Place("")
    rest, step = path[1:], counters(args)
    if not rest:
        return voice(step)
    if rest == ["choose"]:
        return choose(step)
    if len(rest) == 2:
        return node(rest[0], rest[1], step)
    if len(rest) == 3 and rest[2] in _TAILS.values():
        return Place(KEY if rest[2] == "key" else DIALLED, rest[0], rest[1], step)
    return Place("")


def counters(args) -> Step:
    """The call's counters from a URL's query (a mapping); anything malformed counts as none."""
    group = args.get("g", "")
    return Step(_count(args.get("s", ""), MAX_SILENCES), _count(args.get("w", ""), MAX_WRONG), args.get("b") == "1",
                group=group if len(group) == 1 and group in "0123456789" else "", heard=args.get("n") == "1")


def as_signed(public_base: str, url_as_sent: str) -> str:
    """The URL Twilio signed when it called `url_as_sent` on the line at `public_base` (IVR_PUBLIC_URL):
    the public base with the request's own path and query."""
    parts = urlsplit(url_as_sent)
    return public_base.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")


def _count(value: str, most: int) -> int:
    return min(int(value), most) if value.isascii() and value.isdigit() and len(value) < 4 else 0


def _seg(value: str) -> str:
    return quote(value, safe="")
