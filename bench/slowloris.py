"""Slow clients: idle connections and byte-a-second senders must not keep real calls waiting.

    .venv/bin/python -m bench.slowloris [--idle 60] [--slow 4] [--slow-body 2] [--seconds 20]
                                        [--worker-class sync]

Starts the Procfile's server (bench.run.Server, bound to 127.0.0.1) and sends it signed
calls one after another (bench.traffic), timing each: first alone, then while it holds
`--idle` connections that send nothing, `--slow` connections that send a request's head
one byte a second and `--slow-body` that send a whole head and then the body one byte a
second, for `--seconds`; then alone again. A connection the server closes is opened again
at once, as an attacker would. Everything stays on loopback, on the port this script
started, with at most idle + slow + slow-body connections open. `--worker-class sync`
runs the same server with gunicorn's sync workers (the earlier setup) for comparison.
Prints the calls' latencies in each phase; exits 1 when a call during the attack took
longer than 1 s or was not answered 200.
"""

from __future__ import annotations

import argparse
import http.client
import os
import pathlib
import socket
import statistics
import sys
import tempfile
import threading
import time

from ivr.menu import model
from ivr.settings import BUNDLED_MENU

from . import traffic
from .run import TOKEN, Server

LIMIT_S = 1.0  # every call during the attack answered within this
QUIET_S = 4.0  # the phases before and after the attack
PAUSE_S = 0.1  # between one call's answer and the next call
HEAD = b"POST /voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"


class Attack(threading.Thread):
    """Holds the hostile connections open (and reopens those closed) until stopped."""

    def __init__(self, port: int, idle: int, slow: int, slow_body: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        # (kind, socket, bytes sent so far)
        self.conns: list[list] = [[kind, None, 0] for kind, n in (("idle", idle), ("head", slow), ("body", slow_body))
                                  for _ in range(n)]
        self.opened = 0

    def _open(self, conn: list) -> None:
        if conn[1] is not None:
            conn[1].close()
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
        sock.setblocking(False)
        conn[1], conn[2] = sock, 0
        self.opened += 1
        if conn[0] == "body":  # the whole head at once; then the body drips
            sock.sendall(HEAD + b"Content-Length: 60000\r\n\r\n")

    def _alive(self, sock: socket.socket) -> bool:
        try:
            return sock.recv(65536) != b""  # an answer (a 408 or 400) also means the server is done with it
        except BlockingIOError:
            return True
        except OSError:
            return False

    def run(self) -> None:
        for conn in self.conns:
            self._open(conn)
        while not self.stop.wait(1.0):
            for conn in self.conns:
                kind, sock, sent = conn
                try:
                    if not self._alive(sock):
                        self._open(conn)
                        continue
                    if kind == "head":
                        sock.send(HEAD[sent % len(HEAD):][:1])
                        conn[2] += 1
                    elif kind == "body":
                        sock.send(b"x")
                except OSError:
                    self._open(conn)
        for _, sock, _ in self.conns:
            sock.close()


def call(port: int, line: str) -> tuple[float, int | str]:
    path, signature, body = line.split("\t")
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                          "X-Twilio-Signature": signature})
        answer = conn.getresponse()
        answer.read()
        status: int | str = answer.status
    except (OSError, http.client.HTTPException) as exc:
        status = type(exc).__name__
    finally:
        conn.close()
    return time.perf_counter() - started, status


def calls(port: int, lines: list[str], seconds: float, offset: int) -> list[tuple[float, int | str]]:
    results, deadline, index = [], time.monotonic() + seconds, offset
    while time.monotonic() < deadline:
        results.append(call(port, lines[index % len(lines)]))
        index += 1
        time.sleep(PAUSE_S)
    return results


def summary(name: str, results: list[tuple[float, int | str]]) -> str:
    ms = sorted(seconds * 1000 for seconds, _ in results)
    wrong = sum(status != 200 for _, status in results)
    late = sum(seconds > LIMIT_S for seconds, _ in results)
    return (f"{name:<7} {len(ms):>5} calls  median {statistics.median(ms):>8.1f} ms  "
            f"max {ms[-1]:>8.1f} ms  over {LIMIT_S:.0f} s: {late:>3}  not 200: {wrong}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.slowloris", description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=60, help="connections that send nothing")
    parser.add_argument("--slow", type=int, default=4, help="connections sending a request head a byte a second")
    parser.add_argument("--slow-body", type=int, default=2, help="connections sending a body a byte a second")
    parser.add_argument("--seconds", type=float, default=20, help="how long the attack lasts")
    parser.add_argument("--worker-class", help="gunicorn worker class instead of gunicorn.conf.py's (e.g. sync)")
    args = parser.parse_args(argv)
    if not 0 <= args.idle + args.slow + args.slow_body <= 500 or not 0 < args.seconds <= 120:
        parser.error("at most 500 connections, for at most 120 s")
    environ = {"GUNICORN_CMD_ARGS": f"--worker-class {args.worker_class}"} if args.worker_class else {}
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(prefix="ivr-slowloris-", dir=shm) as tmp:
        server = Server("the line", None, pathlib.Path(tmp) / "server.log", environ)
        stop = threading.Event()
        attack = Attack(server.port, args.idle, args.slow, args.slow_body, stop)
        try:
            lines = traffic.signed_lines(model.load(BUNDLED_MENU), f"http://127.0.0.1:{server.port}", TOKEN)
            before = calls(server.port, lines, QUIET_S, 0)
            attack.start()
            during = calls(server.port, lines, args.seconds, len(before))
            stop.set()
            attack.join()
            after = calls(server.port, lines, QUIET_S, len(before) + len(during))
        finally:
            stop.set()
            server.stop()
    workers = args.worker_class or "gunicorn.conf.py's (gevent)"
    print(f"worker class: {workers}; attack: {args.idle} idle, {args.slow} slow-head and {args.slow_body} slow-body "
          f"connections for {args.seconds:.0f} s ({attack.opened} opened in all); calls one after another")
    for name, results in (("before", before), ("during", during), ("after", after)):
        print(summary(name, results))
    failed = any(seconds > LIMIT_S or status != 200 for seconds, status in during + after)
    print("FAILED: a call waited past 1 s or was not answered" if failed else "ok: every call answered within 1 s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
