"""Benchmark: the line under gunicorn against a bare Flask app, same settings, same signed load.

    .venv/bin/python -m bench.run [--seconds 10] [--rounds 3] [--connections 32]

Starts the Procfile's server (bound to 127.0.0.1) and, with the same gunicorn.conf.py,
a bare Flask app answering a constant TwiML document and the same app checking the
signature first; drives each in turns with wrk replaying signed Twilio-like requests
across the menu's real paths, and prints the median requests/s, p50 and p99 of the
rounds and the ratios; then times loading a generated large menu and reports each
worker's resident memory. Installs wrk (Debian package) when missing."""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from ivr.menu import model
from ivr.menu.errors import MenuError
from ivr.settings import BUNDLED_MENU

from . import bigmenu, traffic

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOKEN = "bench-token-not-a-secret"
THREADS = 2


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing the Debian package", file=sys.stderr)
    subprocess.run("apt-get update -qq && apt-get install -y -qq wrk", shell=True, check=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_command(app: str | None, port: int) -> list[str]:
    """The Procfile's web command, bound to loopback; `app` replaces its application."""
    line = (ROOT / "Procfile").read_text().split("web:", 1)[1].strip()
    args = [arg.replace("0.0.0.0:$PORT", f"127.0.0.1:{port}") for arg in shlex.split(line)]
    args[0] = str(pathlib.Path(sys.executable).with_name("gunicorn"))
    if app:
        args[-1] = app
    return args


class Server:
    """One gunicorn run; its stdout (the call log) goes to a file."""

    def __init__(self, name: str, app: str | None, log: pathlib.Path, environ: dict[str, str] | None = None) -> None:
        self.name, self.port, self.log = name, free_port(), log
        env = {**os.environ, "TWILIO_AUTH_TOKEN": TOKEN, "PORT": str(self.port),
               "PYTHONPATH": str(ROOT), **(environ or {})}
        env.pop("IVR_NOW", None)
        self.out = log.open("w")
        self.proc = subprocess.Popen(procfile_command(app, self.port), cwd=ROOT, env=env,
                                     stdout=self.out, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"{self.name}: gunicorn exited; see {self.log}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
            except urllib.error.HTTPError:
                return  # it answers (the bare app has no /healthz): up
            except OSError:
                time.sleep(0.2)
            else:
                return
        sys.exit(f"{self.name}: no answer within 30 s; see {self.log}")

    def workers_rss_mb(self) -> list[float]:
        children = pathlib.Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return [_rss_mb(int(pid)) for pid in children]

    def stop(self) -> None:
        self.proc.terminate()  # SIGTERM: gunicorn's graceful shutdown
        self.proc.wait(timeout=30)
        self.out.close()


def _rss_mb(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wrk_run(wrk: str, server: Server, requests: pathlib.Path, seconds: int, connections: int) -> dict:
    """wrk's figures for one run against one server."""
    env = {**os.environ, "BENCH_REQUESTS": str(requests)}
    script = str(pathlib.Path(__file__).with_name("signed.lua"))
    run = subprocess.run([wrk, "-t", str(THREADS), "-c", str(connections), "--latency", "-s", script,
                          "-d", f"{seconds}s", f"http://127.0.0.1:{server.port}"],
                         env=env, check=True, capture_output=True, text=True)
    line = next(x for x in run.stdout.splitlines() if x.startswith("BENCH "))
    result = json.loads(line[6:])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def time_large_menu() -> list[str]:
    lines = []
    for languages in (8, 10):
        text = bigmenu.generate(nodes=500, languages=languages)
        with bigmenu.catalogs():
            started = time.perf_counter()
            try:
                loaded = model.loads(text, "generated.yaml")
                outcome = f"accepted ({len(loaded.nodes)} nodes)"
            except MenuError as exc:
                outcome = f"refused: {exc.problems[0].message}"
            seconds = time.perf_counter() - started
        lines.append(f"  500 nodes, {languages} languages ({len(text) // 1024} KB): "
                     f"{seconds:.2f} s to load and check, {outcome}")
    return lines


SERVERS = (("bare Flask", "bench.bare:create_app()"),
           ("bare+signature", "bench.bare:create_signed_app()"),
           ("the line", None))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each measured run")
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per server, taken in turns")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    wrk = ensure_wrk()
    menu = model.load(BUNDLED_MENU)
    runs: dict[str, list[dict]] = {name: [] for name, _ in SERVERS}
    rss: dict[str, list[float]] = {}
    # The servers' stdout (the call log) goes to memory when it can, as to a platform's log pipe:
    # a flush per line to a file on this disk would be measured instead of the line.
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(prefix="ivr-bench-", dir=shm) as tmp:
        tmp = pathlib.Path(tmp)
        servers: dict[str, tuple[Server, pathlib.Path]] = {}
        try:
            for name, app in SERVERS:  # all up at once; an idle one costs nothing
                server = Server(name, app, tmp / f"{name.replace(' ', '-')}.log")
                requests = tmp / f"requests-{server.port}.txt"
                requests.write_text("\n".join(traffic.signed_lines(menu, f"http://127.0.0.1:{server.port}", TOKEN)))
                servers[name] = (server, requests)
            for server, requests in servers.values():
                wrk_run(wrk, server, requests, 3, args.connections)  # warm-up, not counted
            # In turns, and each round in another order: this machine's speed drifts from minute to
            # minute, and each server should meet the drift alike.
            for round_ in range(args.rounds):
                names = list(servers)[round_ % len(servers):] + list(servers)[:round_ % len(servers)]
                for name in names:
                    runs[name].append(wrk_run(wrk, *servers[name], args.seconds, args.connections))
            rss = {name: server.workers_rss_mb() for name, (server, _) in servers.items()}
        finally:
            for server, _ in servers.values():
                server.stop()
        calls = tmp / "the-line.log"
        logged = [json.loads(x) for x in calls.read_text().splitlines() if x.startswith("{")]
    print(f"{args.connections} connections, {THREADS} wrk threads, {args.rounds} rounds of {args.seconds} s per "
          f"server, {len(traffic.paths(menu))} distinct signed requests, {os.cpu_count()} CPUs; medians of the rounds")
    print(f"{'server':<15} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}  worker RSS MB")
    for name, results in runs.items():
        errors = sum(sum(r["errors"].values()) for r in results)
        print(f"{name:<15} {_median(r['rps'] for r in results):>11.0f} {_median(r['p50_ms'] for r in results):>8.2f} "
              f"{_median(r['p99_ms'] for r in results):>8.2f} {errors:>7}  " + ", ".join(f"{mb:.0f}" for mb in rss[name]))
    ratios = [line["rps"] / bare["rps"] for line, bare in zip(runs["the line"], runs["bare Flask"], strict=True)]
    signed = [line["rps"] / bare["rps"] for line, bare in zip(runs["the line"], runs["bare+signature"], strict=True)]
    p99 = _median(r["p99_ms"] for r in runs["the line"])
    print(f"throughput ratio line / bare Flask: {_median(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f}; "
          f"floor >= 0.35); line / bare+signature: {_median(signed):.2f}; line p99 {p99:.1f} ms (floor < 50)")
    bad = [x for x in logged if x.get("status") != 200]
    print(f"call log: {len(logged)} lines, {len(bad)} answers other than 200")
    print("large menu:")
    print("\n".join(time_large_menu()))
    return 0


def _median(values) -> float:
    return statistics.median(list(values))


if __name__ == "__main__":
    sys.exit(main())
