"""Open loop: the line as Twilio loads it, a fresh connection per request at a fixed rate.

    .venv/bin/python -m bench.openloop [--rate 300 --rate 1000] [--seconds 5]

Starts the Procfile's server (bench.run.Server, bound to 127.0.0.1) and, for each rate, sends the
signed Twilio-like requests of bench.traffic on a schedule: request i is due at start + i / rate,
whether or not earlier ones have been answered (open loop: Twilio does not wait for one caller's
answer before another caller's request). Each request opens its own connection and closes it, as
Twilio's requests, seconds apart within a call, arrive. Latency is measured from the time a request
was due, so a client or server falling behind shows in it. Prints, per rate: requests sent,
answered 200, errors and timeouts, p50, p99 and max latency, and how late the client sent (if it
could not keep the rate, the figures are the client's). wrk keeps connections open and sends the
next request only after an answer (closed loop): it measures something no caller meets.
"""

from __future__ import annotations

import argparse
import gc
import os
import pathlib
import statistics
import sys
import tempfile
import time

import gevent
from gevent import socket

from ivr.menu import model
from ivr.settings import BUNDLED_MENU

from . import traffic
from .run import TOKEN, Server

TIMEOUT_S = 10.0  # past Twilio's 15 s nothing matters; well before it, a request is counted as timed out
WARM_UP = (100, 1.0)  # rate, seconds: not counted


def raw_requests(port: int, lines: list[str]) -> list[bytes]:
    """Each signed request as the bytes sent on its own connection."""
    out = []
    for line in lines:
        path, signature, body = line.split("\t")
        out.append((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: {signature}\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}").encode())
    return out


def send(port: int, request: bytes) -> str:
    """One request on a fresh connection: its status code, or what went wrong."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S) as sock:
            sock.sendall(request)
            answer = b""
            while chunk := sock.recv(65536):  # Connection: close, so the answer ends with the connection
                answer += chunk
    except (TimeoutError, socket.timeout):
        return "timeout"
    except OSError as exc:
        return type(exc).__name__
    return answer[9:12].decode("ascii", "replace") if answer.startswith(b"HTTP/1.") else "no answer"


def run(port: int, requests: list[bytes], rate: float, seconds: float) -> dict:
    """Sends rate * seconds requests on schedule; returns their outcomes and latencies from their due time."""
    results: list[tuple[str, float, float]] = []  # status, latency from due time, lateness of the send
    last = [0.0]  # when the last answer came

    def one(at: float, request: bytes) -> None:
        sent = time.perf_counter()
        status = send(port, request)
        last[0] = time.perf_counter()
        results.append((status, last[0] - at, sent - at))

    count = int(rate * seconds)
    # The client's own collector pauses would be counted as the line's latency: none during a run.
    gc.collect()
    gc.disable()
    start = time.perf_counter() + 0.05
    # A greenlet per request, spawned when it is due: scheduled by the clock, never by answers.
    # (Threads cost more: at 1,000 a second on 2 cores the client fell behind its own schedule.)
    greenlets = []
    for i in range(count):
        at = start + i / rate
        delay = at - time.perf_counter()
        if delay > 0:
            gevent.sleep(delay)
        greenlets.append(gevent.spawn(one, at, requests[i % len(requests)]))
    gevent.joinall(greenlets)
    gc.enable()
    # Answers a second over the whole run: below the rate when the line (or the machine) fell behind.
    return {"rate": rate, "sent": count, "results": results, "throughput": count / (last[0] - start)}


def summary(run_: dict) -> str:
    results = run_["results"]
    ms = sorted(latency * 1000 for _, latency, _ in results)
    statuses: dict[str, int] = {}
    for status, _, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    answered = statuses.pop("200", 0)
    errors = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items())) or "0"
    late = max(lateness for _, _, lateness in results) * 1000
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return (f"{run_['rate']:>6.0f}/s {run_['sent']:>6} sent {answered:>6} answered 200  errors: {errors:<10} "
            f"p50 {statistics.median(ms):>7.1f} ms  p99 {p99:>7.1f} ms  max {ms[-1]:>7.1f} ms  "
            f"latest send {late:.1f} ms after due  {run_['throughput']:.0f} answers/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.openloop", description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, action="append", help="requests a second (repeat for several)")
    parser.add_argument("--seconds", type=float, default=5, help="how long each rate is kept")
    args = parser.parse_args(argv)
    rates = args.rate or [300, 1000]
    if not all(0 < rate <= 5000 for rate in rates) or not 0 < args.seconds <= 60:
        parser.error("rates up to 5,000 a second, for at most 60 s each")
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None  # the call log to memory, as to a log pipe
    with tempfile.TemporaryDirectory(prefix="ivr-openloop-", dir=shm) as tmp:
        server = Server("the line", None, pathlib.Path(tmp) / "server.log")
        try:
            lines = traffic.signed_lines(model.load(BUNDLED_MENU), f"http://127.0.0.1:{server.port}", TOKEN)
            requests = raw_requests(server.port, lines)
            run(server.port, requests, *WARM_UP)
            runs = [run(server.port, requests, rate, args.seconds) for rate in rates]
        finally:
            server.stop()
    print(f"open loop, a fresh connection per request, {args.seconds:g} s per rate, {len(lines)} distinct signed "
          f"requests, {os.cpu_count()} CPUs; latency from each request's due time")
    for run_ in runs:
        print(summary(run_))
    failed = any(status != "200" for run_ in runs for status, _, _ in run_["results"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
