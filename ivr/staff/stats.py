"""`ivr stats LOG...`: how the line is used, from the call log lines (see ivr/web/calllog.py).

A table in the terminal and, on request (--chart PATH), a chart (PNG) staff can
open. The chart needs matplotlib, an optional extra (INSTALL_CHART); the table
does not.
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

from ..flow import events

INSTALL_CHART = ".venv/bin/pip install -e '.[stats]'"  # as docs/operations.md says
# Requests the line refused (bad signature, too large, not a webhook): no caller was answered.
REFUSED_EVENTS = events.REFUSALS
# The fields a line is made of and what each may hold; a line that breaks this is skipped and counted.
_TEXT, _OPTIONAL_TEXT = (str,), (str, type(None))
FIELDS = {"time": _TEXT, "event": _OPTIONAL_TEXT, "call": _OPTIONAL_TEXT, "lang": _OPTIONAL_TEXT,
          "node": _OPTIONAL_TEXT, "outcome": _OPTIONAL_TEXT, "status": (int, type(None)),
          "ms": (int, float, type(None))}
REQUIRED = ("time", "event")
SKIPPED_NOT_JSON = "not JSON"
SKIPPED_FIELD = "a field missing or wrong"
SKIPPED_TIME = "time not ISO 8601"

ENDINGS = {(events.GOODBYE, events.SILENCE): "silence", (events.SILENCE, events.FINAL_PROMPT): "silence",
           (events.GOODBYE, events.WRONG_KEYS): "wrong keys"}


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
    skipped: Counter = dataclasses.field(default_factory=Counter)
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


def parse(line: str) -> dict | str:
    """One call log line as an entry (its `time` parsed), or why it is not one."""
    try:
        entry = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
        return SKIPPED_NOT_JSON
    if not isinstance(entry, dict) or any(name not in entry for name in REQUIRED) or entry["event"] is None:
        return SKIPPED_FIELD
    if any(not isinstance(entry.get(name), kinds) for name, kinds in FIELDS.items() if name in entry):
        return SKIPPED_FIELD
    if isinstance(entry.get("status"), bool) or isinstance(entry.get("ms"), bool):
        return SKIPPED_FIELD
    try:
        entry["time"] = dt.datetime.fromisoformat(entry["time"])
    except ValueError:
        return SKIPPED_TIME
    return entry


def entries(lines: Iterable[str], skipped: Counter | None = None) -> Iterable[dict]:
    """The call log's entries; every other line (server messages, broken lines) is counted in `skipped`."""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        entry = parse(line)
        if isinstance(entry, str):
            if skipped is not None:
                skipped[entry] += 1
            continue
        yield entry


def refused(entry: dict) -> bool:
    """A request the line did not answer as a call (bad signature, too large, ...): never a call."""
    return entry["event"] in REFUSED_EVENTS or (entry.get("status") or 200) >= 400


def compute(log: Iterable[dict], skipped: Counter | None = None) -> Stats:
    stats = Stats(skipped=skipped if skipped is not None else Counter())
    calls: dict[str, list[dict]] = collections.defaultdict(list)
    for entry in log:
        stats.requests += 1
        if entry.get("ms") is not None:
            stats.latencies.append(float(entry["ms"]))
        if refused(entry):
            stats.refused[entry["event"]] += 1
        elif entry.get("call"):
            calls[entry["call"]].append(entry)
    for steps in calls.values():
        first = steps[0]["time"]
        stats.per_day[first.date()] += 1
        stats.per_hour[first.hour] += 1
        chosen = next((s["lang"] for s in steps if s.get("lang") and s["event"] != events.LOST), None)
        stats.languages[chosen or "none chosen"] += 1
        heard = {s["node"] for s in steps if s["event"] == events.SAID and s.get("lang") and s.get("node")}
        stats.services.update(heard)
        for step in steps:
            if step["event"] == events.TRANSFER:
                stats.transfers[step.get("outcome") or events.NONE] += 1
            elif step["event"] == events.CLOSED:
                stats.transfers["closed (outside hours)"] += 1
        spoken = [s for s in steps if s["event"] != events.HUNG_UP]
        if spoken:
            ending = ENDINGS.get((spoken[-1]["event"], spoken[-1].get("outcome")))
            if ending:
                stats.endings[ending] += 1
    return stats


def table(stats: Stats) -> str:
    def section(title: str, counts: Counter, order=None) -> list[str]:
        rows = [f"{title}:"]
        items = sorted(counts.items(), key=order) if order else counts.most_common()
        rows += [f"  {shown(key):<28} {value:>6}" for key, value in items] or ["  (none)"]
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
    lines += section("Lines skipped (not call log entries)", stats.skipped)
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
    for ax, (title, labels, values) in zip(axes.flat, panels, strict=False):
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
    return [shown(k) for k, _ in common], [v for _, v in common]


def shown(value) -> str:
    """A log field as safe to print: control characters (a terminal's escape codes, bidi overrides) escaped."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def chart_hint(asked: bool) -> str:
    """The one line that says how to get the chart ("" when there is nothing to say)."""
    try:
        import matplotlib  # noqa: F401  (only whether it is there)
    except ImportError:
        return f"The chart needs matplotlib: install it once with {INSTALL_CHART}, then add --chart stats.png"
    return "" if asked else "For a chart of the same, add --chart stats.png"


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
            print(f"{shown(name)}: cannot read: {exc.strerror}", file=sys.stderr)
            return 1
    skipped: Counter = Counter()
    stats = compute(entries(lines, skipped), skipped)
    print(table(stats))
    hint = chart_hint(bool(args.chart))
    if hint:
        print(hint, file=sys.stderr)
        return 1 if args.chart else 0  # a chart asked for and not written is a failure; the table alone is not
    if args.chart:
        try:
            chart(stats, args.chart)
        except ImportError as exc:  # matplotlib is there but a part of it is not
            print(f"The chart needs matplotlib ({exc}): install it with {INSTALL_CHART}", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"{shown(args.chart)}: cannot write the chart: {exc.strerror}", file=sys.stderr)
            return 1
        print(f"Chart: {args.chart}")
    return 0


def register(commands) -> None:
    stats = commands.add_parser("stats", help="how the line is used, from its call log (stdout of the server)")
    stats.add_argument("logs", nargs="+", metavar="LOG", help="call log files ('-' reads standard input)")
    stats.add_argument("--chart", metavar="PATH", help="also write the same as a PNG chart there "
                       f"(needs matplotlib: {INSTALL_CHART})")
    stats.set_defaults(func=run)
