"""Open loop through nginx in front of two instances, metrics on against metrics off, in one run.

    .venv/bin/python -m bench.nginxloop [--rate 300 --rate 1000] [--seconds 5] [--rounds 2]

Runs deploy/nginx/ivr.conf (HTTPS taken out: the client here would spend the 2 cores on TLS handshakes,
not the line) in front of two instances of the Procfile's server, and sends bench.openloop's schedule
of fresh connections through it. Each round starts the pair twice, with IVR_METRICS_TOKEN set (every
request counted, as deployed with monitoring) and without (nothing counted, /metrics 404), in turns,
and prints bench.openloop's figures for each; then the medians of the rounds' p50 and p99 and the
ratio on/off. Exits 1 on any answer that is not a 200."""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from ivr.menu import model
from ivr.settings import BUNDLED_MENU

from . import openloop, traffic
from .run import TOKEN, Server, free_port

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "ivr.conf"


def site(port: int, upstreams: list[int]) -> str:
    text = SITE.read_text()
    text = text.replace("127.0.0.1:8001", f"127.0.0.1:{upstreams[0]}").replace("127.0.0.1:8002", f"127.0.0.1:{upstreams[1]}")
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("ssl_"))


class Pair:
    """nginx on a free port in front of two instances."""

    def __init__(self, tmp: pathlib.Path, metrics: bool) -> None:
        nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin") or sys.exit("needs nginx")
        self.port = free_port()
        env = {"IVR_PROXY_HOPS": "1", "IVR_PUBLIC_URL": ""}
        if metrics:
            env["IVR_METRICS_TOKEN"] = "bench-metrics-token"
        self.instances = [Server(f"instance {n}", None, tmp / f"instance-{n}.log", env) for n in (1, 2)]
        (tmp / "ivr.conf").write_text(site(self.port, [s.port for s in self.instances]))
        temp_paths = "".join(f"    {kind}_temp_path {tmp}/{kind};\n"
                             for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root;\n" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(
            f"daemon off;\n{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\n"
            f"events {{ worker_connections 4096; }}\n"
            f"http {{\n    access_log off;\n{temp_paths}    include {tmp}/ivr.conf;\n}}\n")
        self.proc = subprocess.Popen([nginx, "-e", str(tmp / "error.log"), "-p", str(tmp), "-c", str(tmp / "nginx.conf")])
        time.sleep(0.5)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        for server in self.instances:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.nginxloop", description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, action="append", help="requests a second (repeat for several)")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    rates = args.rate or [300, 1000]
    if not all(0 < rate <= 5000 for rate in rates) or not 0 < args.seconds <= 60 or not 1 <= args.rounds <= 10:
        parser.error("rates up to 5,000 a second, at most 60 s each, 1 to 10 rounds")
    menu = model.load(BUNDLED_MENU)
    runs: dict[tuple[bool, float], list[dict]] = {}
    failed = False
    print(f"open loop through nginx, two instances, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    for round_ in range(args.rounds):
        for metrics in ((True, False) if round_ % 2 == 0 else (False, True)):
            shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
            with tempfile.TemporaryDirectory(prefix="ivr-nginxloop-", dir=shm) as tmp:
                pair = Pair(pathlib.Path(tmp), metrics)
                try:
                    lines = traffic.signed_lines(menu, f"http://127.0.0.1:{pair.port}", TOKEN)
                    requests = openloop.raw_requests(pair.port, lines)
                    openloop.run(pair.port, requests, *openloop.WARM_UP)
                    for rate in rates:
                        run = openloop.run(pair.port, requests, rate, args.seconds)
                        runs.setdefault((metrics, rate), []).append(run)
                        failed |= any(status != "200" for status, _, _ in run["results"])
                        print(f"round {round_ + 1} metrics {'on ' if metrics else 'off'} {openloop.summary(run)}")
                finally:
                    pair.stop()
                    errors = pathlib.Path(tmp, "error.log").read_text(errors="replace").splitlines()
                    if errors:  # what nginx said about failed requests (the first and how many)
                        print(f"  nginx error log: {len(errors)} lines, e.g. {errors[0][:200]}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end; medians of {args.rounds} rounds:")
    for rate in rates:
        figures = {}
        for metrics in (True, False):
            p50s, p99s = [], []
            for run in runs[(metrics, rate)]:
                ms = sorted(latency * 1000 for _, latency, _ in run["results"])
                p50s.append(statistics.median(ms))
                p99s.append(ms[min(len(ms) - 1, int(len(ms) * 0.99))])
            figures[metrics] = (statistics.median(p50s), statistics.median(p99s))
        (on50, on99), (off50, off99) = figures[True], figures[False]
        print(f"{rate:>6.0f}/s  metrics on p50 {on50:.1f} ms p99 {on99:.1f} ms; off p50 {off50:.1f} ms p99 {off99:.1f} ms; "
              f"on/off p50 {on50 / off50:.2f} p99 {on99 / off99:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
