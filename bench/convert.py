"""Benchmark: the studio's conversion of a 20 s browser recording, and the webhook with the studio on and off.

    .venv/bin/python -m bench.convert [--rounds 5] [--requests 2000]

Makes a 20 s webm/opus with ffmpeg (a tone with noise, as long as a long prompt), converts it
`rounds` times and prints the median and worst wall time (the target: under 1 s). Then builds the
bundled line twice in this process, without the studio and with it (a users file, a secret key and
an IVR_AUDIO_DIR in a temporary folder), posts to /voice and a menu key with Flask's test client,
and prints the median and p99 per request of each: the studio must not slow the webhooks.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from ivr import create_app
from ivr.audio import convert
from ivr.settings import Settings
from ivr.studio import users


def recording(folder: Path, seconds: int = 20) -> bytes:
    out = folder / "take.webm"
    subprocess.run(["ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i", f"sine=f=300:d={seconds}", "-f", "lavfi",
                    "-i", f"anoisesrc=d={seconds}:a=0.1", "-filter_complex", "amix", "-ar", "48000", "-c:a", "libopus",
                    str(out)], check=True)
    return out.read_bytes()


def conversion(data: bytes, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        convert.convert(data, 60)
        times.append(time.perf_counter() - started)
    return times


def webhook(settings: Settings, requests: int) -> list[float]:
    client = create_app(settings).test_client()
    times = []
    for index in range(requests):
        started = time.perf_counter()
        answer = client.post("/voice" if index % 2 else "/voice/choose", data={"Digits": "3"})
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200
    return times[requests // 10:]  # the first requests warm the caches


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--requests", type=int, default=2000)
    args = options.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        data = recording(folder)
        times = conversion(data, args.rounds)
        print(f"convert 20 s webm/opus ({len(data) // 1024} KB): median {statistics.median(times) * 1000:.0f} ms, "
              f"worst {max(times) * 1000:.0f} ms over {args.rounds} rounds (target: under 1000 ms)")
        users.Users().add("bench", "translator", ("fa",), "bench password").save(folder / "users.yaml")
        off = Settings(require_token=False, call_log=False)
        on = Settings(require_token=False, call_log=False, studio_users=folder / "users.yaml",
                      secret_key="b" * 64, audio_dir=folder / "studio")
        for name, settings in (("studio off", off), ("studio on", on)):
            times = sorted(webhook(settings, args.requests))
            print(f"webhook, {name}: median {statistics.median(times) * 1000:.2f} ms, "
                  f"p99 {times[int(len(times) * 0.99)] * 1000:.2f} ms over {len(times)} requests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
