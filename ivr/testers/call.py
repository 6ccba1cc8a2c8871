"""A call without a phone: drive the line through its webhooks as Twilio does, and write down what the
caller hears.

`Caller.call()` posts Twilio's form fields (signed when there is a token), reads each TwiML answer verb by
verb, follows Gather actions, Redirects and Dial actions, and lets a Gather time out into the verbs after
it when the caller is silent. It notes what Twilio would refuse (see checks). The line is reached
through a `Transport`: the app in this process (transports.InProcess) or a deployed one (transports.Remote).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pathlib
import secrets
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlencode, urlsplit

from flask import Flask
from twilio.request_validator import RequestValidator

from ..harness import reader
from ..menu import ConfigError, Menu, MenuError
from ..settings import Settings
from ..web import calllog
from . import checks, transcript
from .transports import InProcess, Remote, Reply, Transport

SILENCE = {"-", "_"}  # a scripted key that stands for saying nothing until the Gather times out
HANGUP = "hangup"
OUTCOMES = ("completed", "busy", "no-answer", "failed", "canceled")
MAX_REQUESTS = 40

# A key source, asked at each prompt: the key(s) pressed, "" for silence, HANGUP to hang up.
Keys = Callable[[], str]


def scripted(press: str) -> Keys:
    """Keys from '3 5 - 1': one Gather each; '-' or '_' is silence; after the last one the caller hangs up."""
    tokens: Iterator[str] = iter(press.split())

    def next_key() -> str:
        token = next(tokens, None)
        if token is None:
            return HANGUP
        return "" if token in SILENCE else token

    return next_key


def interactive(ask: Callable[[str], str] = input) -> Keys:
    """Keys typed at the terminal: Enter alone is silence, q (or end of input) hangs up."""

    def next_key() -> str:
        try:
            typed = ask("your key(s) - Enter for silence, q to hang up: ").strip()
        except EOFError:
            return HANGUP
        return HANGUP if typed.lower() == "q" else typed

    return next_key


@dataclasses.dataclass
class Request:
    method: str
    url: str
    form: dict[str, str]
    answer: ET.Element | None = None  # the TwiML it got; None when there was none to read


@dataclasses.dataclass
class Result:
    requests: list[Request] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Caller:
    transport: Transport
    keys: Keys
    out: Callable[[str], None] = print
    dial_outcome: str = "completed"
    caller: str = "+358000000001"
    line: str = "+358000000002"
    token: str | None = None
    max_requests: int = MAX_REQUESTS
    # What the caller records at each <Record> in turn; with none left, nothing is recorded.
    takes: list[reader.Taken] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self.sid = "CA" + secrets.token_hex(16)
        self.result = Result()
        self._audio: dict[str, str | None] = {}

    def call(self, url: str = "/voice") -> Result:
        # As the call log writes it, so staff read one style; the log writes null for no number at all.
        self.out(f"Call from {calllog.masked(self.caller) or 'hidden'}")
        step: tuple[str, str, dict[str, str]] | None = ("POST", url, {"CallStatus": "ringing"})
        for _ in range(self.max_requests):
            if step is None:
                return self.result
            root = self._fetch(*step)
            step = None if root is None else self._perform(root, step[1])
        if step is not None:
            self._problem(f"stopped after {self.max_requests} requests: does the call go round in circles?")
        return self.result

    # Talking to the line -------------------------------------------------

    def _fetch(self, method: str, url: str, fields: dict[str, str]) -> ET.Element | None:
        form = self._form(fields)
        shown = " ".join(f"{k}={v}" for k, v in fields.items() if k in ("Digits", "DialCallStatus", "RecordingSid"))
        self.out(f"> {method} {self._path(url)}" + (f"  {shown}" if shown else ""))
        request = Request(method, url, fields)
        self.result.requests.append(request)
        if method == "GET":
            url, form = _with_query(url, form), {}
        reply = self.transport.request(method, url, form, self._headers(url, form))
        if reply.error or reply.status != 200:
            self._problem(_http_problem(reply))
            return None
        root, problems = checks.parse(reply.body, reply.content_type)
        for problem in problems:
            self._problem(problem)
        request.answer = root
        return root

    def _form(self, fields: dict[str, str]) -> dict[str, str]:
        return {
            "CallSid": self.sid, "AccountSid": "AC" + "0" * 32, "ApiVersion": "2010-04-01",
            "Direction": "inbound", "CallStatus": "in-progress",
            "From": self.caller, "Caller": self.caller, "To": self.line, "Called": self.line,
            **fields,
        }

    def _headers(self, url: str, form: dict[str, str]) -> dict[str, str]:
        headers = {"User-Agent": "TwilioProxy/1.1"}
        if self.token:
            signed = self.transport.signed_url(url)
            headers["X-Twilio-Signature"] = RequestValidator(self.token).compute_signature(signed, form)
        return headers

    def _path(self, url: str) -> str:
        parts = urlsplit(self.transport.absolute(url))
        return parts.path + (f"?{parts.query}" if parts.query else "")

    # Reading the answer --------------------------------------------------

    def _perform(self, root: ET.Element, here: str) -> tuple[str, str, dict[str, str]] | None:
        """Play the verbs in order; return the next request, or None when the call ends."""
        for verb in reader.read(root).verbs:
            if isinstance(verb, reader.Gather):
                for inner in verb.children:
                    self._hear(inner)
                pressed = self._listen(verb)
                if pressed == HANGUP:
                    return None
                if pressed or verb.on_empty:
                    return verb.method, verb.action or here, {"Digits": pressed}
            elif isinstance(verb, reader.Redirect):
                self.out("  [redirect]")
                return verb.method, verb.url, {}
            elif isinstance(verb, reader.Dial):
                self.out(f"  [dial {verb.number}, rings {verb.timeout} s] -> {self.dial_outcome}")
                if verb.action:
                    status = {"DialCallStatus": self.dial_outcome, "DialCallSid": "CA" + "1" * 32,
                              "DialCallDuration": "42" if self.dial_outcome == "completed" else "0"}
                    return verb.method, verb.action, status
            elif isinstance(verb, reader.Record):
                beep = ", beep" if verb.play_beep else ""
                self.out(f"  [record up to {verb.max_length} s, ends on {verb.finish_on_key or 'silence'}{beep}]")
                if not self.takes:
                    self.out("caller records nothing")  # Twilio then goes on to the verbs after it
                    continue
                taken = self.takes.pop(0)
                self.out(f"caller records {taken.seconds} s and presses {taken.key}")
                return verb.method, verb.action or here, dict(taken.fields())
            elif isinstance(verb, reader.Hangup):
                self.out(f"  [{verb.tag.lower()}]")
                return None
            elif isinstance(verb, reader.Other):
                self.out(f"  [{verb.tag}: not simulated]")
            else:
                self._hear(verb)
        self.out("  [end of the answer: Twilio hangs up]")
        return None

    def _hear(self, verb: reader.Heard) -> None:
        if isinstance(verb, reader.Say):
            voice = " ".join(filter(None, (verb.language, verb.voice)))
            self.out(transcript.wrapped(f"  [{voice}] {transcript.spoken(verb)}"))
        elif isinstance(verb, reader.Play):
            self.out(f"  [play] {verb.url}")
            problem = self._audio_problem(verb.url)
            if problem:
                self._problem(problem)
        else:
            self.out(f"  [pause {verb.seconds:g} s]")

    def _listen(self, gather: reader.Gather) -> str:
        count = gather.num_digits or "any"
        want = f"{count} key{'' if count == 1 else 's'}, {gather.timeout} s"
        self.out(f"  (listening for {want})")
        pressed = self.keys()
        if pressed == HANGUP:
            self.out("caller hangs up")
        elif pressed:
            self.out(f"caller presses {pressed}")
        else:
            self.out("caller is silent")
        return pressed

    def _audio_problem(self, url: str) -> str | None:
        if url not in self._audio:
            reply = self.transport.request("GET", url, {}, {"User-Agent": "TwilioProxy/1.1"})
            problem = None
            if reply.error or reply.status != 200:
                problem = f"<Play> {url}: {_http_problem(reply)}"
            elif not reply.content_type.startswith("audio/"):
                problem = (f"12300 <Play> {url} answers {reply.content_type or 'no Content-Type'}, not audio: "
                           "Twilio cannot play it")
            self._audio[url] = problem
        return self._audio[url]

    def _problem(self, problem: str) -> None:
        self.result.problems.append(problem)
        self.out(f"  !! {problem}")


def _with_query(url: str, form: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(form)


def _http_problem(reply: Reply) -> str:
    if reply.error:
        return f"11205 cannot reach the line: {reply.error}"
    hint = " (the signature check refused it: is TWILIO_AUTH_TOKEN right, and IVR_PUBLIC_URL?)" if reply.status == 403 else ""
    return f"11200 the line answered HTTP {reply.status}{hint}"


def hear(transport: Transport, press: Iterable[str] | str, **options) -> tuple[list[str], Result]:
    """One scripted call; the transcript lines and the result (for tests and golden transcripts)."""
    lines: list[str] = []
    keys = scripted(press if isinstance(press, str) else " ".join(press))
    result = Caller(transport, keys, lines.append, **options).call()
    return lines, result


# The `ivr call` command ------------------------------------------------------

def local_line(at: str | None = None, menu_file: str | None = None, environ=None, *,
               menu: Menu | None = None) -> Flask:
    """The line in this process, its clock frozen at `at` (Helsinki time) when given; `menu` is served
    as it is instead of a file."""
    from .. import create_app

    settings = Settings.from_env(environ, require_token=False, call_log=False)  # stdout is the transcript's
    if at:
        settings = dataclasses.replace(settings, now=at)
    if menu_file:
        settings = dataclasses.replace(settings, menu=pathlib.Path(menu_file))
    return create_app(settings, menu=menu)


def voice_url(url: str) -> str:
    """The number's voice webhook; a bare base URL means its /voice."""
    parts = urlsplit(url)
    return url.rstrip("/") + "/voice" if parts.path in ("", "/") else url


def run(args: argparse.Namespace) -> int:
    if args.url and (args.at or args.menu):
        print("ivr call: --at and --menu only work on the line in this process, not with --url", file=sys.stderr)
        return 1
    token = os.environ.get("TWILIO_AUTH_TOKEN") or None
    first = "/voice"
    if args.url:
        transport: Transport = Remote(voice_url(args.url))
        first = transport.base
        if not token:
            print("warning: TWILIO_AUTH_TOKEN is not set: the requests go unsigned, and a live line refuses them (403)",
                  file=sys.stderr)
    else:
        try:
            app = local_line(args.at, args.menu)
        except (MenuError, ConfigError, ValueError) as exc:
            print(exc, file=sys.stderr)
            return 1
        transport = InProcess(app)
        token = app.config["IVR"].auth_token
        print(f"The line in this process, at {app.extensions['ivr.clock']():%A %Y-%m-%d %H:%M %Z}")
    keys = scripted(args.press) if args.press is not None else interactive()
    caller = Caller(transport, keys, print, args.dial_outcome, args.caller, args.to, token, args.max_requests)
    problems = caller.call(first).problems
    if problems:
        print(f"{len(problems)} problem(s): Twilio would refuse this, or the caller would notice")
        return 1
    return 0


def register(commands) -> None:
    call = commands.add_parser(
        "call", help="simulate a call: print what the caller hears",
        description="Drive the line through its webhooks as Twilio does and print what the caller hears. "
                    "Exit 1 when something would fail on a real call.")
    call.add_argument("--press", metavar="KEYS",
                      help="keys for each prompt in turn, e.g. '3 5 1'; '-' (or '_') is silence until the prompt "
                           "times out; after the last one the caller hangs up. Without it, keys are asked for.")
    call.add_argument("--at", metavar="TIME", help="freeze the clock, e.g. '2026-12-24 10:00' (Helsinki time)")
    call.add_argument("--dial-outcome", choices=OUTCOMES, default="completed",
                      help="how a transfer ends (the DialCallStatus Twilio reports); default: completed")
    call.add_argument("--from", dest="caller", default="+358000000001", metavar="NUMBER",
                      help="the caller's number (printed masked)")
    call.add_argument("--to", default="+358000000002", metavar="NUMBER", help="the line's number")
    call.add_argument("--url", help="call a deployed line, e.g. https://ivr.example.org/voice, "
                                    "signing with TWILIO_AUTH_TOKEN")
    call.add_argument("--menu", help="menu file for the line in this process (default: IVR_MENU or the bundled one)")
    call.add_argument("--max-requests", type=int, default=MAX_REQUESTS, help=argparse.SUPPRESS)
    call.set_defaults(func=run)
