"""The `ivr` command: run the line locally, check a menu."""

from __future__ import annotations

import argparse
import dataclasses
import os
import pathlib
import sys

from .audio import store
from .audio.library import Library, problems
from .harness.local import quiet
from .menu import model
from .menu.errors import ConfigError, MenuError
from .settings import Settings, audio_path, menu_path, studio_audio_path
from .staff import audio, graph, hours, script, stats, timing
from .studio import command as studio
from .testers import call, golden


def serve(args: argparse.Namespace) -> int:
    from . import create_app

    settings = Settings.from_env(require_token=False, simulator=not args.no_simulator)
    if args.menu:
        settings = dataclasses.replace(settings, menu=pathlib.Path(args.menu))
    if args.at:
        settings = dataclasses.replace(settings, now=args.at)
    try:
        app = create_app(settings)
    except (MenuError, ConfigError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    if not app.config["IVR"].auth_token:
        print("warning: TWILIO_AUTH_TOKEN is not set, so requests are not signature-checked. "
              "Fine on this machine; never expose this server to the internet.", file=sys.stderr)
    print(f"The line answers at http://{args.host}:{args.port}/voice (menu: {app.extensions['ivr.menu'].source})",
          file=sys.stderr)
    if app.config["IVR"].simulator:
        print(f"Call it from the browser: http://{args.host}:{args.port}/simulator", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False)
    return 0


def validate(args: argparse.Namespace) -> int:
    files = args.files or [str(menu_path())]
    status = 0
    for path in files:
        try:
            loaded = model.load(path)
        except MenuError as exc:
            for problem in exc.problems:
                print(problem)
            print(f"{path}: cannot go live: {_count(len(exc.problems), 'problem')}")
            status = 1
            continue
        library = Library(args.audio or audio_path(), studio=store.at(studio_audio_path()))
        recorded = problems(loaded, library)
        broken = [p for p in recorded if not p.warning]
        warnings = sorted(list(loaded.warnings) + [p for p in recorded if p.warning], key=lambda w: (w.line, w.col))
        for line in (map(str, warnings) if args.verbose else _summary(warnings)):
            print(line)
        for problem in broken:
            print(problem)
        if broken:
            print(f"{loaded.source}: cannot go live: {_count(len(broken), 'problem')} with the recordings in audio/")
            status = 1
            continue
        # Time to information (ivr timing): one warning per language over its budget.
        slow = timing.over_budget(loaded, library)
        for line in slow if args.verbose else slow[:1]:
            print(line + ("" if args.verbose or len(slow) == 1 else f" (and {len(slow) - 1} more like it)"))
        counted = len(warnings) + len(slow)
        noted = ""
        if counted:
            noted = f" ({_count(counted, 'warning')}{'' if args.verbose else ', --verbose lists them'})"
        print(f"{loaded.source}: can go live: {len(loaded.nodes)} nodes in {len(loaded.languages)} languages{noted}")
    return status


# Warnings of one kind say the same thing in many places: one line each, the first place and a count.
_WARNING_KINDS = ("texts are a draft", "has no voice", "seconds to say", "has no recording of", "a stale recording")


def _summary(warnings) -> list[str]:
    kinds: dict[str, list] = {}
    for warning in warnings:
        kind = next((words for words in _WARNING_KINDS if words in warning.message), warning.message)
        kinds.setdefault(kind, []).append(warning)
    return [str(same[0]) + (f" (and {len(same) - 1} more like it)" if len(same) > 1 else "")
            for same in kinds.values()]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def register_serve(commands) -> None:
    run = commands.add_parser("serve", help="run the line locally on the bundled menu")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--menu", help="menu file (default: IVR_MENU or menus/kajaani.yaml)")
    run.add_argument("--at", help="freeze the clock, e.g. 2026-12-24T10:00 (Helsinki time)")
    run.add_argument("--no-simulator", action="store_true", help="leave out the /simulator page")
    run.set_defaults(func=serve)


def register_validate(commands) -> None:
    check = commands.add_parser("validate", help="check menu files; exit 1 if one cannot go live")
    check.add_argument("files", nargs="*", help="menu files (default: the menu in use)")
    check.add_argument("--audio", help="the recordings folder (default: IVR_AUDIO or audio/)")
    check.add_argument("--verbose", "-v", action="store_true",
                       help="list every warning (default: one line per kind, with a count)")
    check.set_defaults(func=validate)


# Each command adds its own subparser, with set_defaults(func=...) returning an exit code.
REGISTRARS = [
    register_serve, register_validate, script.register, hours.register, graph.register,
    call.register, golden.register, audio.register, stats.register, timing.register, studio.register,
]


def parser() -> argparse.ArgumentParser:
    ivr = argparse.ArgumentParser(prog="ivr", description="The Kajaani immigration information line.")
    commands = ivr.add_subparsers(dest="command", required=True)
    for register in REGISTRARS:
        register(commands)
    return ivr


# Their output is what callers hear: the line's own server log (prompts said by the voice, unsigned
# requests) would only get in the way, for the command's run and no longer.
QUIET = {"call", "golden", "script", "timing"}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command in QUIET:
            with quiet():
                return args.func(args)
        return args.func(args)
    except BrokenPipeError:  # `ivr hours | head`: the reader has all it wanted, which is no error
        # Python would fail again flushing stdout at exit; send what is left nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
