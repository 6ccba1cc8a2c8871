"""Golden transcripts: scripted calls and, beside each, the plain text of what the caller hears.

`tests/golden/scenarios.yaml` names each call (time, keys, how a transfer ends); `tests/golden/<name>.txt`
is its transcript. After a change to the menu or the code, `ivr golden` shows every difference, and
`ivr golden --record` writes the new transcripts once the change is intended. `--coverage` tells which
menu nodes, in which languages, the calls reached and which they never did.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import pathlib
import sys
from collections.abc import Iterable

import yaml

from .. import urls
from ..harness import reader
from ..menu import model
from ..settings import BUNDLED_MENU
from .call import OUTCOMES, Request, hear, local_line
from .transports import InProcess

DEFAULT_DIR = pathlib.Path("tests/golden")
SCENARIOS = "scenarios.yaml"
FIELDS = {"note", "at", "press", "dial-outcome", "from"}


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str
    at: str
    press: str
    dial_outcome: str = "completed"
    caller: str = "+358000000001"
    note: str = ""


class ScenarioError(ValueError):
    """scenarios.yaml says something the simulator cannot do."""


def scenarios(folder: pathlib.Path = DEFAULT_DIR) -> list[Scenario]:
    path = folder / SCENARIOS
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for name, fields in data.items():
        fields = fields or {}
        unknown = set(fields) - FIELDS
        if unknown or "at" not in fields or "press" not in fields:
            raise ScenarioError(f"{path}: {name}: needs at and press; may have {', '.join(sorted(FIELDS))}; "
                                f"found {', '.join(sorted(fields)) or 'nothing'}")
        outcome = str(fields.get("dial-outcome", "completed"))
        if outcome not in OUTCOMES:
            raise ScenarioError(f"{path}: {name}: dial-outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
        found.append(Scenario(str(name), str(fields["at"]), str(fields["press"]), outcome,
                              str(fields.get("from", Scenario.caller)), str(fields.get("note", "")).strip()))
    return found


def play(scenario: Scenario, menu: model.Menu, audio: str | None = None) -> tuple[str, list[Request]]:
    """The scenario's transcript and the requests the call made (recordings from `audio`, else the bundled)."""
    app = local_line(scenario.at, environ={"IVR_AUDIO": audio} if audio else {}, menu=menu)
    header = [f"# {scenario.name}: {scenario.note}" if scenario.note else f"# {scenario.name}",
              f"# at {app.extensions['ivr.clock']():%A %Y-%m-%d %H:%M %Z}, keys: {scenario.press}, "
              f"transfer: {scenario.dial_outcome}"]
    lines, result = hear(InProcess(app), scenario.press, dial_outcome=scenario.dial_outcome, caller=scenario.caller)
    return "\n".join(header + lines) + "\n", result.requests


def differences(folder: pathlib.Path, menu: model.Menu,
                audio: str | None = None) -> tuple[dict[str, str], list[list[Request]]]:
    """Scenario name -> unified diff (recorded vs now) for each that changed, and every call's requests."""
    changed: dict[str, str] = {}
    calls = []
    for scenario in scenarios(folder):
        now, requests = play(scenario, menu, audio)
        calls.append(requests)
        path = folder / f"{scenario.name}.txt"
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        if before != now:
            diff = difflib.unified_diff(before.splitlines(), now.splitlines(), f"{path} (recorded)", f"{path} (now)",
                                        lineterm="")
            changed[scenario.name] = "\n".join(diff)
    return changed, calls


def record(folder: pathlib.Path, menu: model.Menu, audio: str | None = None) -> tuple[list[str], list[list[Request]]]:
    """Write every transcript anew; remove those with no scenario. Returns what changed, and the calls."""
    wanted = scenarios(folder)
    touched, calls = [], []
    for scenario in wanted:
        path = folder / f"{scenario.name}.txt"
        text, requests = play(scenario, menu, audio)
        calls.append(requests)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            touched.append(str(path))
    for stale in sorted(set(folder.glob("*.txt")) - {folder / f"{s.name}.txt" for s in wanted}):
        stale.unlink()
        touched.append(f"{stale} (removed: no scenario)")
    return touched, calls


# Coverage -------------------------------------------------------------------

def reached(menu: model.Menu, requests: Iterable[Request]) -> set[tuple[str, str]]:
    """(language code, node id) for every node a call got to, read from the answers it got.

    The line names where the call is and goes next in each answer's Gather action, Redirect and Dial
    action (/voice/<lang>/<node>...), so a language counts however it was chosen (one key, a group key,
    a second list), even when the caller hangs up at once. A transfer asked for outside its hours answers
    with a Redirect back to its page, so it counts only when it dials.
    """
    places: set[tuple[str, str]] = set()
    for request in requests:
        if request.answer is None:
            continue
        for url in reader.read(request.answer).next_urls():
            where = urls.parse(url)
            if where.node and menu.language(where.lang) and where.node in menu.nodes:
                places.add((where.lang, where.node))
    return places


def coverage(menu: model.Menu, places: set[tuple[str, str]], calls: int) -> str:
    codes = [lang.code for lang in menu.languages]
    width = max(len(node) for node in menu.nodes) + 2
    total = len(codes) * len(menu.nodes)
    plural = "" if calls == 1 else "s"
    lines = [f"Coverage: {len(places)} of {total} menu places (node x language) reached by {calls} call{plural}",
             (" " * width + "".join(f"{code:4}" for code in codes)).rstrip()]
    missing = []
    for node in menu.nodes:
        lines.append(f"{node:{width}}" + "".join(f"{'x' if (c, node) in places else '.':4}" for c in codes).rstrip())
        never = [code for code in codes if (code, node) not in places]
        if never:
            missing.append(f"  {node}: {', '.join(never)}")
    lines += ["Never reached:", *missing] if missing else ["Every node was reached in every language."]
    return "\n".join(lines)


# The `ivr golden` command -----------------------------------------------------

def run(args: argparse.Namespace) -> int:
    folder = pathlib.Path(args.dir)
    try:
        menu = model.load(args.menu or BUNDLED_MENU)
        if args.record:
            touched, calls = record(folder, menu, args.audio)
            print("\n".join(touched) or "every transcript is as recorded")
            changed: dict[str, str] = {}
        else:
            changed, calls = differences(folder, menu, args.audio)
    except (OSError, ScenarioError, model.MenuError, yaml.YAMLError) as exc:
        print(exc, file=sys.stderr)
        return 1
    for diff in changed.values():
        print(diff)
    if args.coverage:
        print(coverage(menu, set().union(*(reached(menu, c) for c in calls)), len(calls)))
    if changed:
        print(f"{len(changed)} transcript(s) differ: {', '.join(changed)}. "
              "If the change is intended, record them again: ivr golden --record")
        return 1
    if not args.record:
        print(f"{len(calls)} scenario(s): every transcript is as recorded")
    return 0


def register(commands) -> None:
    golden = commands.add_parser(
        "golden", help="replay the golden scenarios and show what callers would hear differently",
        description="Replay each scenario of DIR/scenarios.yaml and compare with its recorded transcript.")
    golden.add_argument("--record", action="store_true", help="write the transcripts anew (after an intended change)")
    golden.add_argument("--coverage", action="store_true",
                        help="also print which menu nodes, in which languages, the calls reached")
    golden.add_argument("--dir", default=str(DEFAULT_DIR), help="the scenarios' folder (default: tests/golden)")
    golden.add_argument("--menu", help="menu file (default: the bundled menus/kajaani.yaml)")
    golden.add_argument("--audio", help="the recordings folder (default: the bundled audio/)")
    golden.set_defaults(func=run)
