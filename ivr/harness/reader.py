"""Reading the line's TwiML answers as Twilio plays them: plain frozen records, and what comes next.

`read(answer)` turns a TwiML document into an `Answer` of verbs (Say, Play, Pause, Gather, Dial,
Record, Redirect, Hangup); `Answer.next(...)` is the request Twilio makes after it, for a key, for
silence, for how a transfer ended or for a recording made. The line's own URLs in it are read by `ivr.urls`. Every tester and staff tool
reads answers here: the one TwiML reader (the one writer is `ivr.speech.render`).
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from .. import urls

DEFAULT_TIMEOUT_S = 5  # Twilio's own defaults, for attributes an answer leaves out
DEFAULT_RING_S = 30
DEFAULT_RECORD_S = 3600


@dataclasses.dataclass(frozen=True)
class Break:
    """An SSML <break>: silence inside a <Say>."""

    seconds: float


@dataclasses.dataclass(frozen=True)
class Say:
    parts: tuple[str | Break, ...]  # text runs and breaks, in the order they are said
    language: str = ""
    voice: str = ""
    slow: bool = False  # inside <prosody rate="slow">

    @property
    def text(self) -> str:
        """The words, breaks left out, spaces tidied."""
        return " ".join(" ".join(p for p in self.parts if isinstance(p, str)).split())

    @property
    def breaks(self) -> tuple[Break, ...]:
        return tuple(p for p in self.parts if isinstance(p, Break))


@dataclasses.dataclass(frozen=True)
class Play:
    url: str

    @property
    def recording(self) -> tuple[str, str] | None:
        """(language code, prompt id) of one of the line's recordings; None for any other URL."""
        where = urls.parse(self.url)
        return (where.lang, where.prompt) if where.endpoint == urls.AUDIO else None

    @property
    def slow(self) -> bool:
        return urls.parse(self.url).step.slow


@dataclasses.dataclass(frozen=True)
class Pause:
    seconds: float


@dataclasses.dataclass(frozen=True)
class Gather:
    action: str  # "" when the answer leaves it out: Twilio then posts to the same URL
    method: str
    timeout: int
    num_digits: int | None
    children: tuple[Say | Play | Pause, ...]
    on_empty: bool = False  # actionOnEmptyResult: silence too goes to the action


@dataclasses.dataclass(frozen=True)
class Dial:
    number: str  # the number, or the nouns inside (<Number>, <Client>...) as "Tag value, ..."
    action: str
    method: str
    timeout: int


@dataclasses.dataclass(frozen=True)
class Record:
    """<Record>: Twilio records after a beep, then posts the recording's URL to `action`."""

    action: str  # "" when the answer leaves it out: Twilio then posts to the same URL
    method: str
    timeout: int  # seconds of silence that end it
    finish_on_key: str
    max_length: int
    play_beep: bool
    trim: str


@dataclasses.dataclass(frozen=True)
class Taken:
    """A recording the simulated caller makes at a <Record>: where Twilio would say it is."""

    url: str
    seconds: int = 3
    key: str = "#"  # the key that ended it ("hangup" when the caller hung up)

    @property
    def sid(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1].split(".")[0]

    def fields(self) -> tuple[tuple[str, str], ...]:
        return (("RecordingUrl", self.url), ("RecordingSid", self.sid),
                ("RecordingDuration", str(self.seconds)), ("Digits", self.key))


@dataclasses.dataclass(frozen=True)
class Redirect:
    url: str
    method: str


@dataclasses.dataclass(frozen=True)
class Hangup:
    tag: str = "Hangup"  # or Reject: both end the call


@dataclasses.dataclass(frozen=True)
class Other:
    """A verb the line never answers with; kept so nothing is silently dropped."""

    tag: str


Verb = Say | Play | Pause | Gather | Dial | Record | Redirect | Hangup | Other
Heard = Say | Play | Pause


@dataclasses.dataclass(frozen=True)
class Next:
    """The request Twilio makes next."""

    method: str
    url: str
    form: tuple[tuple[str, str], ...] = ()

    @property
    def fields(self) -> dict[str, str]:
        return dict(self.form)


@dataclasses.dataclass(frozen=True)
class Answer:
    verbs: tuple[Verb, ...]

    @property
    def gather(self) -> Gather | None:
        return next((v for v in self.verbs if isinstance(v, Gather)), None)

    @property
    def dial(self) -> Dial | None:
        return next((v for v in self.verbs if isinstance(v, Dial)), None)

    @property
    def record(self) -> Record | None:
        return next((v for v in self.verbs if isinstance(v, Record)), None)

    @property
    def redirect(self) -> Redirect | None:
        return next((v for v in self.verbs if isinstance(v, Redirect)), None)

    @property
    def hangs_up(self) -> bool:
        return any(isinstance(v, Hangup) for v in self.verbs)

    @property
    def said(self) -> tuple[Say, ...]:
        """Every <Say>, inside the Gather or not, in document order."""
        return tuple(v for v in self.heard_all() if isinstance(v, Say))

    def heard_all(self) -> tuple[Heard, ...]:
        out: list[Heard] = []
        for verb in self.verbs:
            out += verb.children if isinstance(verb, Gather) else [verb] if isinstance(verb, Say | Play | Pause) else []
        return tuple(out)

    def prompt(self) -> tuple[Heard, ...]:
        """What is heard while the line waits for a key: the first Gather's children (or all, without one)."""
        gather = self.gather
        return gather.children if gather else self.until_next()

    def on_silence(self) -> tuple[Heard, ...]:
        """What is heard after the Gather runs out with no key, up to the next request or the end."""
        gather = self.gather
        if gather is None:
            return ()
        rest = self.verbs[self.verbs.index(gather) + 1:]
        return Answer(rest).until_next()

    def until_next(self) -> tuple[Heard, ...]:
        """The sounds before the call leaves this answer when nobody presses anything."""
        out: list[Heard] = []
        for verb in self.verbs:
            if isinstance(verb, Gather):
                out += verb.children
                if verb.on_empty:
                    break
            elif isinstance(verb, Say | Play | Pause):
                out.append(verb)
            elif isinstance(verb, Dial | Record | Redirect | Hangup):
                break
        return tuple(out)

    def next(self, key: str | None = None, outcome: str | None = "completed", here: str = "",
             taken: Taken | None = None) -> Next | None:
        """The request after this answer: `key` pressed at the first Gather (None: silence), `outcome`
        the DialCallStatus a <Dial> ends with, `taken` the recording made at a <Record> (None: nothing
        recorded, and Twilio goes on to the verbs after it); None when the call ends here. `here` is
        this answer's URL."""
        for verb in self.verbs:
            if isinstance(verb, Gather) and (key or verb.on_empty):
                return Next(verb.method, verb.action or here, (("Digits", key or ""),))
            if isinstance(verb, Record) and taken is not None:
                return Next(verb.method, verb.action or here, taken.fields())
            if isinstance(verb, Redirect):
                return Next(verb.method, verb.url)
            if isinstance(verb, Dial) and verb.action:
                return Next(verb.method, verb.action, (("DialCallStatus", outcome),) if outcome else ())
            if isinstance(verb, Hangup):
                return None
        return None

    def next_urls(self) -> list[str]:
        """Every URL Twilio could request next from this answer."""
        urls = [v.action for v in self.verbs if isinstance(v, Gather | Dial | Record) and v.action]
        return urls + [v.url for v in self.verbs if isinstance(v, Redirect)]


def read(document: str | bytes | ET.Element) -> Answer:
    """An Answer from TwiML text (or its parsed root); ET.ParseError when it is not XML."""
    root = document if isinstance(document, ET.Element) else ET.fromstring(document)
    return Answer(tuple(_verb(child) for child in root))


def _verb(el: ET.Element) -> Verb:
    tag = el.tag
    if tag in ("Say", "Play", "Pause"):
        return _heard(el)
    if tag == "Gather":
        children = tuple(_heard(c) for c in el if c.tag in ("Say", "Play", "Pause"))
        digits = el.get("numDigits")
        return Gather(el.get("action") or "", _method(el), _int(el.get("timeout"), DEFAULT_TIMEOUT_S),
                      int(digits) if digits and digits.isdigit() else None, children,
                      el.get("actionOnEmptyResult") == "true")
    if tag == "Dial":
        nouns = [f"{n.tag} {(n.text or '').strip()}".strip() for n in el]
        return Dial(", ".join(nouns) or (el.text or "").strip(), el.get("action") or "", _method(el),
                    _int(el.get("timeout"), DEFAULT_RING_S))
    if tag == "Record":
        return Record(el.get("action") or "", _method(el), _int(el.get("timeout"), DEFAULT_TIMEOUT_S),
                      el.get("finishOnKey", "1234567890*#"), _int(el.get("maxLength"), DEFAULT_RECORD_S),
                      el.get("playBeep", "true") != "false", el.get("trim") or "trim-silence")
    if tag == "Redirect":
        return Redirect((el.text or "").strip(), _method(el))
    if tag in ("Hangup", "Reject"):
        return Hangup(tag)
    return Other(tag)


def _heard(el: ET.Element) -> Heard:
    if el.tag == "Play":
        return Play((el.text or "").strip())
    if el.tag == "Pause":
        return Pause(float(_int(el.get("length"), 1)))
    parts: list[str | Break] = []
    slow = _ssml(el, parts)
    return Say(tuple(parts), el.get("language") or "", el.get("voice") or "", slow)


def _ssml(el: ET.Element, parts: list[str | Break]) -> bool:
    """Text and breaks of a <Say> and the SSML inside it, in order; True when some of it is slow."""
    slow = el.tag == "prosody" and el.get("rate") in ("slow", "x-slow")
    if el.text:
        parts.append(el.text)
    for child in el:
        if child.tag == "break":
            parts.append(Break(seconds(child.get("time", ""), child.get("strength", ""))))
        else:
            slow = _ssml(child, parts) or slow
        if child.tail:
            parts.append(child.tail)
    return slow


def seconds(time: str, strength: str = "") -> float:
    """An SSML break's length: '600ms', '1s', '1.5s'; without a time, Polly's medium break."""
    time = time.strip()
    try:
        if time.endswith("ms"):
            return float(time[:-2]) / 1000
        if time.endswith("s"):
            return float(time[:-1])
    except ValueError:
        pass
    return {"none": 0.0, "x-weak": 0.1, "weak": 0.25, "strong": 1.0, "x-strong": 1.5}.get(strength, 0.5)


def _method(el: ET.Element) -> str:
    return (el.get("method") or "POST").upper()


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.strip().isdigit() else default
