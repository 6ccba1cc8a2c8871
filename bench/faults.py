"""Faults: calls keep being answered while the menu file is broken, and a good edit goes live.

    .venv/bin/python -m bench.faults [--seconds 30] [--threads 4]

Starts the Procfile's server (bench.run.Server) on a copy of menus/kajaani.yaml and,
from several threads, replays the signed requests of bench.traffic without pause,
reading every answer as Twilio would. Meanwhile it puts the copy through one state
after another, each held long enough for the line to look at it (ivr/menu/live.py):
deleted, empty, half written, not YAML, failing validation, not UTF-8, then hostile: a
342-byte alias bomb, a python tag, a 100,000-deep list, a FIFO, /dev/zero, a 50 MB file;
a good edit (which must go live and be heard), the original again. Prints the answers per
status, the answers' median and slowest time in each state, the invalid TwiML, what /healthz and the line said in each state, then
`ivr stats` over the server's call log. Exits 1 on any non-200 (but /voice/status's
204), invalid TwiML or traceback in the server log, or when a state was not seen as expected."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import http.client
import json
import os
import pathlib
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter

from ivr import cli
from ivr.harness import reader
from ivr.menu import model
from ivr.settings import BUNDLED_MENU, Settings
from ivr.testers import checks

from . import traffic
from .run import TOKEN, Server

AUDIBLE = {"Say", "Play", "Gather", "Redirect", "Dial", "Hangup"}  # without one Twilio plays its error
STATUS = ("/voice/status", {"CallStatus": "completed"})  # the one webhook answered with 204
PROBE = "/voice/en/services"  # the first menu in English, whose text the good edit changes
WELCOME = "      en: Kajaani immigration line.\n"  # the services title (the greeting is less indented)
EDITED = "Kajaani immigration line, as edited while calls went on."
# A change is taken at the first look (every 2 s) after the file has been still for 1 s.
MIN_HOLD_S = Settings.reload_interval_s + Settings.reload_settle_s + 1.0
LOOKS = 6  # at the end of each state: several workers answer, each must show the expected menu


@dataclasses.dataclass(frozen=True)
class State:
    name: str
    data: bytes | str | None  # None: the file is deleted; a str: a file no menu can be read from (put())
    good: bool  # must go live; a bad one must be refused


FIFO, LARGE = "a named pipe", "a 50 MB sparse file"  # and any other str: a symlink to that path
# Nine lines of nine aliases: 342 bytes that a YAML loader expands to 9^9 strings.
BOMB = ("a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))).encode()


def states(original: bytes) -> list[State]:
    text = original.decode()
    return [
        State("deleted", None, False),
        State("empty", b"", False),
        State("half written", original[:len(original) // 2], False),
        State("not YAML", _once(text, "\nstart: services", "\nstart: [services").encode(), False),
        State("fails validation", _once(text, '"3": associations', '"3": asociations').encode(), False),
        State("not UTF-8", text.encode("utf-16"), False),
        State("alias bomb", BOMB, False),
        State("python tag", _once(text, "\ntimezone: ", "\ntimezone: !!python/name:os.system ").encode(), False),
        State("100,000-deep list", b"[" * 100_000 + b"]" * 100_000, False),
        State("FIFO", FIFO, False),
        State("/dev/zero", "/dev/zero", False),
        State("50 MB", LARGE, False),
        State("good edit", _once(text, WELCOME, f"      en: {EDITED}\n").encode(), True),
        State("original", original, True),
    ]


def _once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:  # the menu changed under this script: say so rather than test nothing
        sys.exit(f"bench.faults: {old.strip()!r} is not once in the menu; update bench/faults.py")
    return text.replace(old, new)


def _sha(data: bytes | str | None) -> str | None:
    """The refused version /healthz names: None for a file that cannot be read at all."""
    return None if data is None or isinstance(data, str) else hashlib.sha256(data).hexdigest()


def post(port: int, line: str) -> tuple[int | str, str, bytes]:
    """Send one signed request line (path, signature, body); the status (or why none came), type, body."""
    path, signature, body = line.split("\t")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                          "X-Twilio-Signature": signature})
        answer = conn.getresponse()
        return answer.status, answer.getheader("Content-Type", ""), answer.read()
    except (OSError, http.client.HTTPException) as exc:
        return f"no answer ({type(exc).__name__})", "", b""
    finally:
        conn.close()


def invalid(body: bytes, content_type: str) -> str | None:
    """Why Twilio could not play this answer, or None."""
    root, problems = checks.parse(body, content_type)
    if problems:
        return problems[0]
    if not any(element.tag in AUDIBLE for element in root.iter()):
        return "no verb to play: Twilio would say 'an application error has occurred'"
    return None


def said(body: bytes) -> str:
    """Everything the answer says, on one line (read by the line's one TwiML reader)."""
    try:
        answer = reader.read(body)
    except Exception:  # not TwiML: `invalid` says why
        return ""
    return " ".join(" ".join(say.text for say in answer.said).split())


class Load(threading.Thread):
    """One caller-like client replaying the signed lines in turn until stopped."""

    def __init__(self, port: int, lines: list[str], offset: int, stop: threading.Event, state: list[str]) -> None:
        super().__init__(daemon=True)
        self.port, self.lines, self.offset, self.stop, self.state = port, lines, offset, stop, state
        self.statuses: Counter = Counter()
        self.times: dict[str, list[float]] = {}  # seconds per answer, by the menu file's state
        self.wrong: list[str] = []  # answers with another status than the webhook's own
        self.invalid: list[str] = []  # 200s that Twilio could not play

    def run(self) -> None:
        index = self.offset
        while not self.stop.is_set():
            line = self.lines[index % len(self.lines)]
            index += 1
            state = self.state[0]
            started = time.perf_counter()
            status, content_type, body = post(self.port, line)
            self.times.setdefault(state, []).append(time.perf_counter() - started)
            self.statuses[status] += 1
            expected = 204 if line.startswith(STATUS[0] + "\t") else 200
            if status != expected:
                self.wrong.append(f"[{state}] {shown(line)} -> {status}: {body[:120]!r}")
            elif status == 200 and (problem := invalid(body, content_type)):
                self.invalid.append(f"[{state}] {shown(line)} -> {problem}: {body[:120]!r}")


def shown(line: str) -> str:
    """A request line as a reader wants it: the path and the fields that choose the answer."""
    path, _, body = line.split("\t")
    fields = urllib.parse.parse_qs(body)
    chosen = [f"{name}={fields[name][0]}" for name in ("Digits", "DialCallStatus") if name in fields]
    return " ".join(["POST", path, *chosen])


def look(port: int, probe: str) -> tuple:
    """(live sha256, refused sha256 or 'none' when nothing was refused, the edited text heard), and /healthz."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", "/healthz")
        health = json.loads(conn.getresponse().read())["version"]
    finally:
        conn.close()
    _, _, body = post(port, probe)
    refused = health["refused"]
    return (health["sha256"], refused["sha256"] if refused else "none", EDITED in said(body)), health


def hold(port: int, probe: str, state: State, expected: tuple, seconds: float) -> str:
    """Keep the state for `seconds`, looking at the line; one report line on what it showed."""
    started = time.monotonic()
    first = None
    while time.monotonic() - started < seconds:
        seen, _ = look(port, probe)
        if first is None and seen == expected:
            first = time.monotonic() - started
        time.sleep(0.2)
    looks = [look(port, probe) for _ in range(LOOKS)]
    agree = sum(seen == expected for seen, _ in looks)
    (_, _, edited), health = looks[-1]
    what = f"version {health['sha256'][:12]} live, {'the edited' if edited else 'the original'} text heard"
    if not state.good:
        refused = health["refused"]
        what = f"refused: {refused['problems'][0]}; {what}" if refused else f"NOT refused; {what}"
    when = f"after {first:.1f} s" if first is not None else "NEVER"
    return f"{'ok' if agree == LOOKS else 'FAILED'}  {state.name:<17} {when:>12}; {agree}/{LOOKS} looks agree; {what}"


def put(path: pathlib.Path, data: bytes | str | None) -> None:
    if path.is_symlink():
        path.unlink()
    if data is None:
        path.unlink(missing_ok=True)
    elif data == LARGE:
        with path.open("wb") as file:
            file.truncate(50_000_000)
    elif isinstance(data, str):  # the menu's name pointing at a pipe or a device
        target = path.with_name("pipe") if data == FIFO else pathlib.Path(data)
        if data == FIFO and not target.exists():
            os.mkfifo(target)
        path.unlink(missing_ok=True)
        path.symlink_to(target)
    else:
        path.write_bytes(data)  # in place, as an editor saves


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.faults", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of the run, shared by the states")
    parser.add_argument("--threads", type=int, default=4, help="clients replaying requests at once")
    args = parser.parse_args(argv)
    original = BUNDLED_MENU.read_bytes()
    plan = states(original)
    seconds = max(args.seconds / len(plan), MIN_HOLD_S)
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None  # the call log in memory, as in bench.run
    with tempfile.TemporaryDirectory(prefix="ivr-faults-", dir=shm) as tmp:
        copy, log = pathlib.Path(tmp) / "kajaani.yaml", pathlib.Path(tmp) / "server.log"
        shutil.copyfile(BUNDLED_MENU, copy)
        server = Server("the line", None, log, {"IVR_MENU": str(copy)})
        stop, current, loads = threading.Event(), ["start"], []
        started = time.monotonic()
        try:
            lines = traffic.signed_lines(model.load(copy), f"http://127.0.0.1:{server.port}", TOKEN, (STATUS,))
            probe = next(x for x in lines if x.startswith(PROBE + "\t"))
            loads = [Load(server.port, lines, i * len(lines) // args.threads, stop, current)
                     for i in range(args.threads)]
            for load in loads:
                load.start()
            report, last_good = [], original
            for state in plan:
                current[0] = state.name
                put(copy, state.data)
                live_data = state.data if state.good else last_good
                expected = (_sha(live_data), "none" if state.good else _sha(state.data), state.name == "good edit")
                report.append(hold(server.port, probe, state, expected, seconds).replace(tmp + "/", ""))
                last_good = live_data
        finally:
            stop.set()
            for load in loads:
                load.join()
            duration = time.monotonic() - started
            server.stop()
        statuses = sum((load.statuses for load in loads), Counter())
        wrong = [x for load in loads for x in load.wrong]
        bad = [x for load in loads for x in load.invalid]
        print(f"{sum(statuses.values())} requests in {duration:.1f} s from {args.threads} threads "
              f"({len(lines)} distinct signed requests), each menu file state held {seconds:.1f} s")
        print("answers by status: " + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items(), key=str)))
        print(f"wrong status (other than 200, or 204 for /voice/status): {len(wrong)}; invalid TwiML: {len(bad)}")
        for line in (wrong + bad)[:10]:
            print("  " + line)
        # A failed webhook still answers 200 with an apology (views.failed): only the server log tells.
        tracebacks = log.read_text(errors="replace").count("Traceback")
        print(f"tracebacks in the server log (answered with an apology): {tracebacks}")
        print("answer times by the menu file's state (median, slowest):")
        for state in ["start", *(state.name for state in plan)]:
            times = sorted(t for load in loads for t in load.times.get(state, []))
            if times:
                print(f"  {state:<17} {len(times):>6} answers  {times[len(times) // 2] * 1000:>7.1f} ms  "
                      f"{times[-1] * 1000:>8.1f} ms")
        print("the menu file, state by state (what /healthz and the English menu showed):")
        print("\n".join("  " + line for line in report))
        print("ivr stats over the server's call log:")
        sys.stdout.flush()
        cli.main(["stats", str(log), "--chart", ""])
    failed = any(line.startswith("FAILED") for line in report)
    return 1 if wrong or bad or tracebacks or failed else 0


if __name__ == "__main__":
    sys.exit(main())
