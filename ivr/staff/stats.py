"""`ivr stats LOG...`: how the line is used, from the call log lines (see ivr/calllog.py).

A table in the terminal and a chart (PNG) staff can open. The chart needs
matplotlib, an optional extra: pip install 'kajaani-ivr[stats]'.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime as dt
import json
import math
import statistics
import sys
from collections import Counter
from collections.abc import Iterable

ENDINGS = {("goodbye", "silence"): "silence", ("silence", "final prompt"): "silence",
           ("goodbye", "wrong keys"): "wrong keys"}


@dataclasses.dataclass
class Stats:
    requests: int = 0
    per_day: Counter = dataclasses.field(default_factory=Counter)
    per_hour: Counter = dataclasses.field(default_factory=Counter)
    languages: Counter = dataclasses.field(default_factory=Counter)
    services: Counter = dataclasses.field(default_factory=Counter)
    transfers: Counter = dataclasses.field(default_factory=Counter)
    endings: Counter = dataclasses.field(default_factory=Counter)
    refused: Counter = dataclasses.field(default_factory=Counter)
    latencies: list[float] = dataclasses.field(default_factory=list)

    @property
    def calls(self) -> int:
        return sum(self.per_day.values())

    def latency(self, percent: int) -> float | None:
        """Webhook latency in ms: the median for 50, else the nearest-rank percentile."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        if percent == 50:
            return statistics.median(ordered)
        return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def entries(lines: Iterable[str]) -> Iterable[dict]:
    """The call log's JSON lines; anything else on stdout (server messages) is skipped."""
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and "event" in entry and "time" in entry:
            yield entry


def compute(log: Iterable[dict]) -> Stats:
    stats = Stats()
    calls: dict[str, list[dict]] = collections.defaultdict(list)
    for entry in log:
        stats.requests += 1
        if isinstance(entry.get("ms"), (int, float)):
            stats.latencies.append(float(entry["ms"]))
        if entry.get("status") not in (200, 204, None):
            stats.refused[entry["event"]] += 1
        if entry.get("call"):
            calls[entry["call"]].append(entry)
    for steps in calls.values():
        first = dt.datetime.fromisoformat(steps[0]["time"])
        stats.per_day[first.date()] += 1
        stats.per_hour[first.hour] += 1
        chosen = next((s["lang"] for s in steps if s.get("lang") and s["event"] != "lost"), None)
        stats.languages[chosen or "none chosen"] += 1
        heard = {s["node"] for s in steps if s["event"] == "said" and s.get("lang") and s.get("node")}
        stats.services.update(heard)
        for step in steps:
            if step["event"] == "transfer":
                stats.transfers[step.get("outcome") or "none"] += 1
            elif step["event"] == "closed":
                stats.transfers["closed (outside hours)"] += 1
        spoken = [s for s in steps if s["event"] != "hung up"]
        if spoken:
            ending = ENDINGS.get((spoken[-1]["event"], spoken[-1].get("outcome")))
            if ending:
                stats.endings[ending] += 1
    return stats


def table(stats: Stats) -> str:
    def section(title: str, counts: Counter, order=None) -> list[str]:
        rows = [f"{title}:"]
        items = sorted(counts.items(), key=order) if order else counts.most_common()
        rows += [f"  {str(key):<28} {value:>6}" for key, value in items] or ["  (none)"]
        return rows

    p50, p99 = stats.latency(50), stats.latency(99)
    lines = [f"{stats.calls} calls, {stats.requests} webhook requests"]
    lines += section("Calls per day", stats.per_day, order=lambda kv: kv[0])
    lines += section("Calls per hour of the day", Counter({f"{h:02d}:00": n for h, n in stats.per_hour.items()}),
                     order=lambda kv: kv[0])
    lines += section("Languages chosen", stats.languages)
    lines += section("Services listened to (calls)", stats.services)
    lines += section("Transfers by outcome", stats.transfers)
    lines += section("Calls that ended in", stats.endings)
    lines += section("Requests refused", stats.refused)
    if p50 is not None:
        lines.append(f"Webhook latency: median {p50:.1f} ms, 99th percentile {p99:.1f} ms")
    return "\n".join(lines)


def chart(stats: Stats, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(2, 3, figsize=(15, 8), layout="constrained")
    figure.suptitle(f"Information line: {stats.calls} calls")
    days = sorted(stats.per_day)
    panels = [
        ("Calls per day", [d.isoformat() for d in days], [stats.per_day[d] for d in days]),
        ("Calls per hour of the day", [f"{h:02d}" for h in range(24)], [stats.per_hour[h] for h in range(24)]),
        ("Languages chosen", *_pairs(stats.languages)),
        ("Services listened to (calls)", *_pairs(stats.services)),
        ("Transfers by outcome", *_pairs(stats.transfers)),
        ("Calls that ended in", *_pairs(stats.endings)),
    ]
    for ax, (title, labels, values) in zip(axes.flat, panels):
        ax.set_title(title)
        if labels:
            ax.bar(labels, values)
            ax.tick_params(axis="x", labelrotation=60 if len(labels) > 6 else 0)
        else:
            ax.text(0.5, 0.5, "none", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _pairs(counts: Counter) -> tuple[list[str], list[int]]:
    common = counts.most_common()
    return [str(k) for k, _ in common], [v for _, v in common]


def run(args: argparse.Namespace) -> int:
    lines: list[str] = []
    for name in args.logs:
        try:
            if name == "-":
                lines += sys.stdin.read().splitlines()
            else:
                with open(name, encoding="utf-8", errors="replace") as fp:
                    lines += fp.read().splitlines()
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror}", file=sys.stderr)
            return 1
    stats = compute(entries(lines))
    print(table(stats))
    if args.chart:
        try:
            chart(stats, args.chart)
        except ImportError:
            print("the chart needs matplotlib: pip install 'kajaani-ivr[stats]'", file=sys.stderr)
            return 1
        print(f"Chart: {args.chart}")
    return 0


def register(commands) -> None:
    stats = commands.add_parser("stats", help="how the line is used, from its call log (stdout of the server)")
    stats.add_argument("logs", nargs="+", metavar="LOG", help="call log files ('-' reads standard input)")
    stats.add_argument("--chart", default="ivr-stats.png", help="PNG chart to write (default: ivr-stats.png); "
                       "'' for none")
    stats.set_defaults(func=run)
