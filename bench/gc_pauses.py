"""Garbage-collector pauses in a worker, with and without gunicorn.conf.py's gc.freeze().

    .venv/bin/python -m bench.gc_pauses [--requests 30000]

Loads the line as the gunicorn master does (menu, catalogs, holiday tables), then answers
the benchmark's requests in-process and times every collection with gc.callbacks, once
as loaded and once with the loaded heap frozen, each in a fresh process. Prints the
collections per generation and the longest pause: the pause is added to the latency of
every call waiting on that worker.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from collections import defaultdict


def measure(requests: int, freeze: bool) -> dict[int, list[float]]:
    from ivr import create_app
    from ivr.menu import model
    from ivr.settings import BUNDLED_MENU, Settings

    from . import traffic

    app = create_app(Settings(require_token=False, call_log=False))
    paths = traffic.paths(model.load(BUNDLED_MENU))
    client = app.test_client()
    if freeze:
        gc.freeze()
    pauses: dict[int, list[float]] = defaultdict(list)
    started = [0.0]

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(timed)
    for index in range(requests):
        path, extra = paths[index % len(paths)]
        client.post(path, data=traffic.twilio_form(index % 500, **extra))
    gc.callbacks.remove(timed)
    return pauses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.gc_pauses", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30000)
    # One measurement in this process: the parent starts one per case, so each starts from a fresh heap.
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--freeze", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.requests, args.freeze)))
        return 0
    print(f"{args.requests} requests answered in-process; collections per generation, longest pause")
    for label, flags in (("as loaded", []), ("frozen (gc.freeze)", ["--freeze"])):
        out = subprocess.run([sys.executable, "-m", "bench.gc_pauses", "--one", "--requests", str(args.requests),
                              *flags], check=True, capture_output=True, text=True).stdout
        pauses = {int(k): v for k, v in json.loads(out.splitlines()[-1]).items()}
        print(f"  {label:<20} " + "; ".join(f"gen {g}: {len(p)}, {max(p):.1f} ms" for g, p in sorted(pauses.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
