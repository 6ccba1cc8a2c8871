"""The `ivr` command: run the line locally, check a menu."""

from __future__ import annotations

import argparse
import dataclasses
import os
import pathlib
import sys

from .audio import library as audio
from .staff import audio as audio_cli
from .menu import model as menus
from .staff import graph, script, stats, timing
from .staff import hours as timetable
from .testers import golden
from .testers import call as simulator
from .menu.errors import ConfigError, MenuError
from .settings import Settings, audio_path, menu_path


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
            loaded = menus.load(path)
        except MenuError as exc:
            for problem in exc.problems:
                print(problem)
            print(f"{path}: {len(exc.problems)} problem(s): this menu cannot go live")
            status = 1
            continue
        for warning in loaded.warnings:
            print(warning)
        recorded = audio.problems(loaded, audio.Library(audio_path()))
        for problem in recorded:
            print(problem)
        if any(not p.warning for p in recorded):
            print(f"{loaded.source}: recordings in audio/ are broken: fix them before this menu goes live")
            status = 1
            continue
        # -- time to information (ivr timing): a warning for each path over its budget --
        for warning in timing.over_budget(loaded, audio.Library(audio_path())):
            print(warning)
        # -- end of time to information --
        print(f"{loaded.source}: ok, {len(loaded.nodes)} nodes in {len(loaded.languages)} languages")
    return status


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
    check.set_defaults(func=validate)


# Each command adds its own subparser, with set_defaults(func=...) returning an exit code.
REGISTRARS = [
    register_serve, register_validate, script.register, timetable.register, graph.register,
    simulator.register, golden.register, audio_cli.register, stats.register, timing.register,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ivr", description="The Kajaani immigration information line.")
    commands = parser.add_subparsers(dest="command", required=True)
    for register in REGISTRARS:
        register(commands)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `ivr hours | head`: the reader has all it wanted, which is no error
        # Python would fail again flushing stdout at exit; send what is left nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
