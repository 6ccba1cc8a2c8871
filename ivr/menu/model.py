"""The menu: loaded from YAML, checked, and frozen. No Flask here.

`load(path)` / `loads(text)` return a `Menu` or raise `MenuError` listing every
problem as `file:line:col: message`. Warnings (drafts not yet reviewed) travel
on `Menu.warnings` and never stop a menu from going live.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import pathlib
import re
import stat
from collections.abc import Callable, Mapping
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from .. import phrases
from ..settings import Settings
from . import hours, voices
from .errors import MenuError, Problem
from .source import Source, dotted

# Keys that mean the same on every menu of every language.
REPEAT_KEY, BACK_KEY, LANGUAGE_KEY = "*", "0", "9"
RESERVED_KEYS = (BACK_KEY, LANGUAGE_KEY)
SLOW_KEY = "8"  # on a page: hear it again slowly
REGION = "FI"  # numbers written without a country code are Finnish
# A rough guide to how long a text takes to say: text-to-speech on a phone line
# reads about 150 words a minute (2.5 words a second); long Finnish words are
# slower, so this errs on the short side. Past MAX_PROMPT_S callers lose track.
WORDS_PER_SECOND = 2.5
MAX_PROMPT_S = 20

Text = Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class Language:
    code: str
    key: str
    name: str
    voice: str
    tts_language: str
    locale: str
    reviewed: bool
    line: int = 1  # where it is in the YAML, for problems with its recordings
    placeholders: bool = False  # machine-made (synthetic) recordings may be served until real ones come


@dataclasses.dataclass(frozen=True)
class Number:
    """A phone number: E.164 for dialling, digit groups for reading aloud."""

    e164: str
    groups: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Contact:
    kind: str
    label: Text
    number: Number
    schedule: str | None


@dataclasses.dataclass(frozen=True)
class Node:
    id: str
    kind: str  # menu | page | transfer
    label: Text
    say: Text
    after: Text
    name: Text
    closed_label: Text  # a transfer's option while it is closed (its page, not the call)
    options: Mapping[str, str]
    contacts: tuple[Contact, ...]
    number: Number | None
    schedule: str | None
    timeout: int
    parent: str | None  # where the back key goes; None: the language menu
    line: int
    about: str | None = None  # a page about a transfer: says that transfer's texts and numbers, at any hour
    sms: Text = dataclasses.field(default_factory=dict)  # a transfer: what the text message with its number calls it

    def texting(self, nodes: Mapping[str, Node]) -> Node | None:
        """The transfer whose number a caller can ask for by text message here: a transfer's own page, or a
        page about one."""
        if self.kind == "transfer":
            return self
        return nodes.get(self.about) if self.about else None


@dataclasses.dataclass(frozen=True)
class Notice:
    """A dated announcement (a closure, a move, a changed service): said once per call on its days."""

    id: str
    first: dt.date  # `from`, inclusive
    last: dt.date  # `until`, inclusive
    say: Text
    line: int

    def live(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


@dataclasses.dataclass(frozen=True)
class Menu:
    name: str
    source: str
    timezone: ZoneInfo
    start: str
    languages: tuple[Language, ...]
    schedules: Mapping[str, hours.Schedule]
    nodes: Mapping[str, Node]
    phrases: Mapping[str, phrases.Phrases]
    warnings: tuple[Problem, ...]
    greeting: Mapping[str, str] = dataclasses.field(default_factory=dict)  # code -> the line's name, said first
    notices: tuple[Notice, ...] = ()  # in file order
    confirm: tuple[Problem, ...] = ()  # said on the line but not in the source: staff confirm each (`confirm:`)

    def notices_on(self, day: dt.date) -> tuple[Notice, ...]:
        """The notices callers hear on `day` (the menu's local date): from and until both count."""
        return tuple(notice for notice in self.notices if notice.live(day))

    def first_transfer(self) -> Node | None:
        """The transfer nearest the start (fewest keys, then lowest key): the number a call that ends
        without a choice leaves the caller with."""
        queue, seen = [self.start], {self.start}
        while queue:
            node = self.nodes[queue.pop(0)]
            if node.kind == "transfer":
                return node
            for _, target in sorted(node.options.items()):
                if target not in seen and target in self.nodes:
                    seen.add(target)
                    queue.append(target)
        return None

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code == code), None)


def load(path: str | pathlib.Path, today: dt.date | None = None) -> Menu:
    path = pathlib.Path(path)
    return parsed(read(path), path, today)


def parsed(data: bytes, path: pathlib.Path, today: dt.date | None = None) -> Menu:
    """The menu in the file's bytes, or MenuError: whatever else goes wrong while checking them
    (a bug, a file built to break the parser) is one more problem line, never another exception."""
    try:
        return loads(decoded(data, path), shown(path), today)
    except MenuError:
        raise
    except Exception as exc:  # RecursionError, MemoryError and the like: refused, the line stays up
        raise MenuError([Problem(shown(path), 1, 1, f"the menu could not be checked "
                                                    f"({type(exc).__name__}: {str(exc)[:200]}): fix the file")]) from None


MAX_FILE_BYTES = 1024 * 1024  # the bundled menu is 40 KB; 500 services in 10 languages about 1 MB


def read(path: pathlib.Path) -> bytes:
    """The menu file's bytes; MenuError when it cannot be read (the live menu hashes these bytes).

    Only a regular file of at most MAX_FILE_BYTES: opened without blocking (a FIFO would wait for a
    writer) and checked on the open descriptor, so a pipe, a device (/dev/zero) or a huge file is
    refused before a byte is read."""
    def refused(message: str) -> MenuError:
        return MenuError([Problem(shown(path), 1, 1, message)])

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise refused(f"cannot read the menu file: {exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refused(f"cannot read the menu file: {IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))}")
        if not stat.S_ISREG(info.st_mode):
            raise refused("the menu is not a regular file but a pipe or a device: point it at a .yaml file")
        if info.st_size > MAX_FILE_BYTES:
            raise refused(f"the menu file is {info.st_size:,} bytes, over the {MAX_FILE_BYTES:,} a menu may have: "
                          "is it the right file?")
        chunks, size = [], 0
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_FILE_BYTES:  # grew while read
                raise refused(f"the menu file is over the {MAX_FILE_BYTES:,} bytes a menu may have")
        return b"".join(chunks)
    except OSError as exc:
        raise refused(f"cannot read the menu file: {exc}") from None
    finally:
        os.close(fd)


def decoded(data: bytes, path: pathlib.Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MenuError([Problem(shown(path), 1, 1, f"cannot read the menu file: not UTF-8 text ({exc.reason} "
                                                    f"at byte {exc.start}): save it as UTF-8")]) from None


def shown(path: pathlib.Path) -> str:
    """The path as staff typed it: relative to where they stand when that is shorter."""
    try:
        return str(path.resolve().relative_to(pathlib.Path.cwd()))
    except ValueError:
        return str(path)


def loads(text: str, filename: str = "<menu>", today: dt.date | None = None) -> Menu:
    """`today` (the menu's local date) tells which notices have ended; None: today by the line's clock."""
    source = Source(text, filename)
    problems = source.schema_problems()
    if problems:
        raise MenuError(problems)
    return _Builder(source, (lambda tz: today) if today else line_today).build()


def line_today(tz: ZoneInfo) -> dt.date:
    """Today in `tz` by the line's clock: IVR_NOW (read by Settings) freezes it, as for calls."""
    try:
        return hours.clock(tz, Settings.from_env().now)().date()
    except ValueError:  # a bad setting (IVR_NOW, IVR_PROXY_HOPS) is no fault of the menu: the server reports it
        return hours.clock(tz)().date()


class _Builder:
    def __init__(self, source: Source, today: Callable[[ZoneInfo], dt.date] = line_today) -> None:
        self.src = source
        self.data = source.data
        self.today = today  # asked once the menu's time zone is known
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, path, message: str, key: bool = False) -> None:
        self.problems.append(self.src.at(path, message, key=key))

    def warn(self, path, message: str) -> None:
        self.warnings.append(self.src.at(path, message, warning=True))

    def build(self) -> Menu:
        tz = self._timezone()
        languages = self._languages()
        codes = [lang.code for lang in languages]
        schedules = self._schedules(tz)
        nodes = self._nodes(codes, schedules)
        catalogs = self._phrases(languages)
        greeting = self._greeting(codes)
        notices = self._notices(codes, tz)
        confirm = self._confirm()
        if self.problems:
            raise MenuError(sorted(self.problems, key=lambda p: (p.line, p.col)))
        return Menu(
            name=self.data["name"],
            source=self.src.filename,
            timezone=tz,
            start=self.data["start"],
            languages=tuple(languages),
            schedules=MappingProxyType(schedules),
            nodes=MappingProxyType(nodes),
            phrases=MappingProxyType(catalogs),
            warnings=tuple(self.warnings),
            greeting=MappingProxyType(greeting),
            notices=tuple(notices),
            confirm=tuple(confirm),
        )

    def _confirm(self) -> list[Problem]:
        """Each `confirm:` entry, at the place it names, so staff see the line they are to check."""
        found = []
        for index, item in enumerate(self.data.get("confirm") or []):
            parts = item["at"].split(".")
            # A list's items by index (contacts.1), a mapping's by key (options."1")
            path = next((p for p in (tuple(parts), tuple(int(x) if x.isdigit() else x for x in parts))
                         if p in self.src.values), None)
            if path is None:
                self.error(("confirm", index, "at"), f"confirm[{index}] names {item['at']!r}, which is not in this "
                           "file: write the dotted path of the text or value to confirm, e.g. schedules.duty.weekly")
                continue
            found.append(self.src.at(path, f"to confirm: {item['what'].strip()} (then remove confirm[{index}])",
                                     warning=True))
        return found

    def _greeting(self, codes: list[str]) -> dict[str, str]:
        greeting = dict(self.data.get("greeting") or {})
        for code in greeting:
            if code not in codes:
                self.error(("greeting", code), f"the greeting has a text in {code!r}, which is not one of the "
                           f"menu's languages ({', '.join(codes)}): remove it or add the language", key=True)
        self._words(("greeting",), greeting)
        return greeting

    def _timezone(self) -> ZoneInfo:
        name = self.data["timezone"]
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.error(("timezone",), f"unknown time zone {name!r}: {_closest_zone(name)}")
            return ZoneInfo("UTC")

    def _languages(self) -> list[Language]:
        result: list[Language] = []
        seen_codes: dict[str, int] = {}
        seen_keys: dict[str, str] = {}
        for index, item in enumerate(self.data["languages"]):
            path = ("languages", index)
            code, key = item["code"], str(item["key"])
            if code in seen_codes:
                self.error(path + ("code",), f"language {code!r} is listed twice: keep one")
            clash = seen_keys.get(key) or next((c for k, c in seen_keys.items() if len(k) != len(key)
                                                and (k.startswith(key) or key.startswith(k))), None)
            if clash:
                self.error(path + ("key",), f"key {key} is already used for {clash!r}: give each language its own key")
            if any(k in RESERVED_KEYS for k in key):
                self.error(path + ("key",), f"key {key} is reserved ({_reserved_help()}): choose another key")
            seen_codes[code], seen_keys[key] = index, code
            voice = item.get("voice")
            if voice is None:
                # No voice speaks it: served from recordings, offered once they are complete.
                self.warn(path + ("code",), f"language {code!r} has no voice: the line plays recordings from "
                          f"audio/{code}/ and offers it only when every prompt is recorded")
                voice = ""
            elif voice not in voices.VOICES:
                self.error(path + ("voice",), f"{voice!r} is not a known text-to-speech voice: use one of {_voice_for(code)}")
            elif not voices.speaks(voice, code):
                self.error(path + ("voice",), f"{voice!r} speaks {voices.VOICES[voice]}, not {code!r}: use one of {_voice_for(code)}")
            if not item.get("reviewed", False):
                self.warn(path + ("code",), f"the {code!r} texts are a draft: a native speaker has not reviewed them yet")
            result.append(Language(code, key, item["name"], voice, voices.VOICES.get(voice, ""),
                                   item.get("locale", code), bool(item.get("reviewed", False)),
                                   self.src.values[path][0], item.get("placeholders") == "allowed"))
        return result

    def _schedules(self, tz: ZoneInfo) -> dict[str, hours.Schedule]:
        country = self.data.get("holidays")
        table = None
        if country:
            try:
                table = hours.public_holidays(country)
            except NotImplementedError:
                self.error(("holidays",), f"no public holidays are known for country {country!r}: use a code such as FI")
        result = {}
        for name, item in self.data.get("schedules", {}).items():
            path = ("schedules", name)
            weekly: list[tuple[dt.time, dt.time] | None] = [None] * 7
            for day, text in item["weekly"].items():
                try:
                    weekly[hours.WEEKDAYS.index(day)] = hours.parse_hours(text)
                except ValueError as exc:
                    self.error(path + ("weekly", day), str(exc))
            closed = {day for index, text in enumerate(item.get("closed", []))
                      if (day := self._date(path + ("closed", index), text))}
            result[name] = hours.Schedule(name, tz, tuple(weekly), frozenset(closed), table)
        return result

    def _date(self, path, text: str) -> dt.date | None:
        """A YYYY-MM-DD the schema let through, or None (an error) when no such day exists (2026-02-30)."""
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.error(path, f"{text!r} is not a date: write YYYY-MM-DD, e.g. 2026-12-28")
            return None

    def _notices(self, codes: list[str], tz: ZoneInfo) -> list[Notice]:
        result: list[Notice] = []
        seen: dict[str, int] = {}
        today = None
        for index, item in enumerate(self.data.get("notices") or []):
            path = ("notices", index)
            notice_id = item["id"]
            if notice_id in seen:
                self.error(path + ("id",), f"notice {notice_id!r} is already the id of notices[{seen[notice_id]}]: "
                           "give each notice its own id (its recordings are named after it)")
            seen.setdefault(notice_id, index)
            self._text(path + ("say",), item["say"], codes)
            first, last = self._date(path + ("from",), item["from"]), self._date(path + ("until",), item["until"])
            if first is None or last is None:
                continue
            if last < first:
                self.error(path + ("until",), f"notice {notice_id!r} ends (until {last}) before it starts "
                           f"(from {first}): make until the last day callers should hear it, on or after from")
                continue
            today = today or self.today(tz)
            if last < today:
                self.warn(path + ("until",), f"notice {notice_id!r} ended on {last}: callers no longer hear it; "
                          "remove it from the menu")
            result.append(Notice(notice_id, first, last, _frozen(item["say"]), self.src.values[path][0]))
        return result

    def _nodes(self, codes: list[str], schedules: Mapping[str, hours.Schedule]) -> dict[str, Node]:
        raw = self.data["nodes"]
        start = self.data["start"]
        if start not in raw:
            self.error(("start",), f"start is {start!r}, but there is no node of that name: {_closest(start, raw)}")
        parents = _parents(start, raw)
        nodes = {}
        for node_id, item in raw.items():
            path = ("nodes", node_id)
            if start in raw and node_id not in parents and node_id != start:
                self.error(path, f"node {node_id!r} cannot be reached: no menu has an option for it", key=True)
            for field in ("label", "say", "after", "name", "closed_label", "sms"):
                if field in item:
                    self._text(path + (field,), item[field], codes)
            for key, target in item.get("options", {}).items():
                if key == SLOW_KEY and item["type"] == "page":
                    self.error(path + ("options", key), f"key {key} is reserved on a page (it says the page "
                               "again slowly): choose another key", key=True)
                if target not in raw:
                    self.error(path + ("options", key), f"key {key} leads to {target!r}, which is not a node: {_closest(target, raw)}")
                elif raw[target]["type"] != "menu" and "label" not in raw[target]:
                    self.error(("nodes", target), f"node {target!r} is an option of {node_id!r} but has no label to say",
                               key=True)
            self._page(path, item, raw)
            contacts = tuple(self._contact(path + ("contacts", i), c, codes, schedules)
                             for i, c in enumerate(item.get("contacts", [])))
            number = self._number(path + ("number",), item["number"]) if "number" in item else None
            if "schedule" in item and item["schedule"] not in schedules:
                self.error(path + ("schedule",), f"schedule {item['schedule']!r} is not defined under schedules")
            nodes[node_id] = Node(
                id=node_id, kind=item["type"], label=_frozen(item.get("label")), say=_frozen(item.get("say")),
                after=_frozen(item.get("after")), name=_frozen(item.get("name")),
                closed_label=_frozen(item.get("closed_label")),
                options=MappingProxyType(dict(item.get("options", {}))), contacts=contacts, number=number,
                schedule=item.get("schedule"), timeout=item.get("timeout", 25), parent=parents.get(node_id),
                line=self.src.values[path][0], about=item.get("about"), sms=_frozen(item.get("sms")),
            )
        return nodes

    def _page(self, path, item, raw) -> None:
        """A page says its own texts, or (with `about`) a transfer's: one or the other."""
        if item["type"] != "page":
            return
        about = item.get("about")
        if about is None:
            if "say" not in item:
                self.error(path, f"page {path[-1]!r} has nothing to say: add say (what the service is), or "
                           "about: <a transfer> to say that transfer's texts and numbers", key=True)
            return
        if about not in raw or raw[about]["type"] != "transfer":
            transfers = [n for n in raw if raw[n]["type"] == "transfer"]
            hint = _closest(about, transfers) if about not in raw else f"the transfers are {', '.join(transfers)}"
            self.error(path + ("about",), f"about is {about!r}, which is not a transfer: name the transfer whose "
                       f"texts and numbers this page says ({hint})")
        for own in ("say", "contacts", "after"):
            if own in item:
                self.error(path + (own,), f"page {path[-1]!r} is about {about!r} and says its texts and numbers: "
                           f"remove {own} here (edit it under {about!r}), or remove about", key=True)

    def _contact(self, path, item, codes, schedules) -> Contact:
        self._text(path + ("label",), item["label"], codes)
        if "schedule" in item and item["schedule"] not in schedules:
            self.error(path + ("schedule",), f"schedule {item['schedule']!r} is not defined under schedules")
        number = self._number(path + ("number",), item["number"]) or Number("", ())
        return Contact(item["type"], _frozen(item["label"]), number, item.get("schedule"))

    def _number(self, path, text: str) -> Number | None:
        try:
            parsed = phonenumbers.parse(str(text), REGION)
        except phonenumbers.NumberParseException as exc:
            self.error(path, f"{text!r} is not a phone number ({exc}): write it as in the source, e.g. (08) 6155 2760")
            return None
        if not phonenumbers.is_valid_number(parsed):
            self.error(path, f"{text!r} is not a valid phone number: check every digit against the source")
            return None
        return Number(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), _groups(parsed))

    def _text(self, path, text: Mapping[str, str], codes: list[str]) -> None:
        for code in codes:
            swallowed = next((other for other, words in text.items() if f" {code}: " in f" {words}"), None)
            if code not in text and swallowed:
                # `ar:` indented further than `en: >-` above it is read as more of the English text.
                self.error(path + (swallowed,), f"{dotted(path)} has no {code!r} text: its line '{code}:' is "
                           f"indented further than '{swallowed}:' above it, so it became part of the "
                           f"{swallowed!r} text: start '{code}:' in the same column as '{swallowed}:'")
            elif code not in text:
                self.error(path, f"{dotted(path)} has no {code!r} text: add it "
                                 f"(every text needs all the line's languages: {', '.join(codes)})")
        self._words(path, text)
        for code in text:
            if code not in codes:
                self.error(path + (code,), f"{code!r} is not one of the line's languages ({', '.join(codes)})", key=True)

    def _words(self, path, text: Mapping[str, str]) -> None:
        """What any text may not hold (a phone number) or should not be (too long to follow)."""
        for code, words in text.items():
            number = number_in(words)
            if number:
                self.error(path + (code,), f"the {code!r} text of {dotted(path)} has a phone number in it "
                                           f"({number!r}): put it under contacts, so the line reads it digit by digit")
            seconds = len(words.split()) / WORDS_PER_SECOND
            if seconds > MAX_PROMPT_S:
                self.warn(path + (code,), f"the {code!r} text of {dotted(path)} takes about {seconds:.0f} seconds "
                                          f"to say ({len(words.split())} words): callers on a poor line lose track "
                                          f"after {MAX_PROMPT_S} seconds; shorten it or split it into two pages")

    def _phrases(self, languages: list[Language]) -> dict[str, phrases.Phrases]:
        result = {}
        for index, lang in enumerate(languages):
            try:
                result[lang.code] = phrases.load(lang.code, lang.locale)
            except LookupError as exc:
                self.error(("languages", index, "code"), f"{exc}: add the catalog before offering the language")
        return result


def number_in(text: str) -> str | None:
    """The first phone number written inside a text, or None.

    Text-to-speech reads "08 6155 2760" inside a sentence as numbers in the
    thousands, too fast to write down; under contacts it is read digit by digit.
    112 is allowed: it is short and every caller knows it.
    """
    for match in phonenumbers.PhoneNumberMatcher(text, REGION):
        return match.raw_string
    return next((run.group() for run in _DIGIT_RUN.finditer(text) if not _THOUSANDS.fullmatch(run.group())), None)


# Five or more digits, alone or in groups split by single spaces ("6155 2760"): a number, not a year;
# but groups of three after the first are an amount written the Finnish way ("10 000").
_DIGIT_RUN = re.compile(r"\d(?: ?\d){4,}")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?: \d{3})+")  # an amount never starts with 0


def _parents(start: str, raw: Mapping) -> dict[str, str]:
    """Each reachable node's parent: the first menu, breadth first from start, that offers it."""
    parents: dict[str, str] = {}
    queue = [start] if start in raw else []
    while queue:
        node_id = queue.pop(0)
        for target in raw[node_id].get("options", {}).values():
            if target in raw and target not in parents and target != start:
                parents[target] = node_id
                queue.append(target)
    return parents


def _groups(number: phonenumbers.PhoneNumber) -> tuple[str, ...]:
    """Digit groups a listener can write down: area code, then the rest in fours or threes.

    A Finnish number is read as dialled in Finland ("08, 6155, 2760"); a foreign
    one with its country code first.
    """
    national = phonenumbers.national_significant_number(number)
    split = phonenumbers.length_of_national_destination_code(number)
    head, rest = national[:split], national[split:]
    if number.country_code == phonenumbers.country_code_for_region(REGION):
        head = "0" + head
        prefix: tuple[str, ...] = ()
    else:
        prefix = ("+" + str(number.country_code),)
    size = 4 if len(rest) % 4 != 1 else 3
    chunks = [rest[i:i + size] for i in range(0, len(rest), size)]
    return prefix + tuple(g for g in (head, *chunks) if g)


def _frozen(text: Mapping[str, str] | None) -> Text:
    return MappingProxyType(dict(text or {}))


def _closest(name: str, names) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(names), n=1)
    return f"did you mean {close[0]!r}?" if close else f"nodes are {', '.join(names)}"


def _closest_zone(name: str) -> str:
    import difflib
    import zoneinfo

    zones = sorted(zoneinfo.available_timezones())
    close = difflib.get_close_matches(name, zones, n=1, cutoff=0.7)
    return f"did you mean {close[0]!r}?" if close else "use an IANA name such as Europe/Helsinki"


def _voice_for(code: str) -> str:
    matching = [v for v in voices.VOICES if voices.speaks(v, code)]
    return ", ".join(matching) if matching else "none known: that language needs recorded prompts"


def _reserved_help() -> str:
    return f"{REPEAT_KEY} repeats, {BACK_KEY} goes back, {LANGUAGE_KEY} changes the language"
