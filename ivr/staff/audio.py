"""`ivr audio status` and `ivr audio synth --lang fa`: what is recorded, and placeholders for the rest."""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys

from ..audio import store
from ..audio.library import Library, needed, problems, write_entry
from ..audio.synth import ToolMissing, convert, espeak_voice, synthesise
from ..menu.model import Menu
from ..settings import audio_path, studio_audio_path
from ..studio import worklist
from . import options

BAR_WIDTH = 30
EMPTY = "/nonexistent"  # a studio store with nothing in it, when IVR_AUDIO_DIR is not set


def _with_menu(command):
    """Run `command(args, menu, library)` on the menu and recordings in use; a bad menu is exit 1."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        loaded = options.load(args)
        if loaded is None:
            return 1
        return command(args, loaded, Library(args.audio or audio_path(), studio=store.at(studio_audio_path())))

    return run


@_with_menu
def status(args: argparse.Namespace, loaded: Menu, library: Library) -> int:
    for lang in loaded.languages:
        if args.lang and lang.code != args.lang:
            continue
        found = library.status(loaded, lang)
        how = f"voice {lang.voice}" if lang.voice else (
            "recordings only: NOT offered until complete" if not found.complete else
            "recordings only: offered, MACHINE-MADE placeholders" if found.machine_made else "recordings only: offered")
        print(f"{lang.code}: {len(found.recorded)} recorded, {len(found.missing)} missing, "
              f"{len(found.stale)} stale ({how})")
        # The studio's states (docs/translators.md): waiting for review counts apart from approved.
        states = worklist.counts(worklist.items(loaded, lang, library, library.studio or store.Store(EMPTY)))
        print("  by state: " + ", ".join(f"{number} {state}" for state, number in states.items()))
        for kind, ids in (("missing", found.missing if args.lang else ()), ("stale", found.stale)):
            for prompt_id in ids:
                print(f"  {kind}: {prompt_id}")
    errors = [p for p in problems(loaded, library) if not p.warning]
    for problem in errors:
        print(problem)
    return 1 if errors else 0


@_with_menu
def synth(args: argparse.Namespace, loaded: Menu, library: Library) -> int:
    """Fill the missing prompts of one language with espeak-ng placeholders; human recordings stay."""
    lang = loaded.language(args.lang)
    if lang is None:
        print(f"{args.lang!r} is not a language of {loaded.source}", file=sys.stderr)
        return 1
    try:
        voice = espeak_voice(lang.code)
    except ToolMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    found = library.status(loaded, lang)
    have = library.recordings(lang.code)
    todo, kept = [], []
    for prompt_id in found.missing + found.stale:
        old = have.get(prompt_id)
        human = old is not None and not old.synthetic and old.digest
        (kept if human else todo).append(prompt_id)
    for prompt_id in kept:
        print(f"{lang.code}/{prompt_id}: a person's recording is stale; kept: record it again", file=sys.stderr)
    if voice is None:
        print(f"espeak-ng has no voice for {lang.code!r}: its {len(todo)} unrecorded prompt(s) stay missing "
              "until someone records them", file=sys.stderr)
        return 1
    prompts = needed(loaded, lang)
    folder = library.folder(lang.code)
    folder.mkdir(parents=True, exist_ok=True)
    for done, prompt_id in enumerate(todo, 1):
        prompt = prompts[prompt_id]
        target = folder / f"{prompt_id}.wav"
        if target.exists() and prompt_id not in have:
            print(f"\n{target} exists but is not in the manifest: left alone", file=sys.stderr)
            continue
        synthesise(prompt.pieces, voice, target)
        write_entry(folder, prompt)
        _progress(lang.code, done, len(todo))
    print(f"{lang.code}: {len(todo)} placeholder(s) made with espeak-ng voice {voice!r}", file=sys.stderr)
    return 0


@_with_menu
def add(args: argparse.Namespace, loaded: Menu, library: Library) -> int:
    """A person's recording of one prompt: converted to the phone format and entered in the manifest."""
    lang = loaded.language(args.lang)
    prompt = needed(loaded, lang).get(args.prompt) if lang else None
    if prompt is None:
        print(f"{args.lang}/{args.prompt} is not a prompt of {loaded.source}: see `ivr audio status --lang "
              f"{args.lang}`", file=sys.stderr)
        return 1
    folder = library.folder(lang.code)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        convert(args.file, folder / f"{prompt.id}.wav")
    except (ToolMissing, subprocess.CalledProcessError) as exc:
        print(f"{args.file} could not be converted: {exc}", file=sys.stderr)
        return 1
    write_entry(folder, prompt, recorded_by=args.by)
    print(f"audio/{lang.code}/{prompt.id}.wav: recorded by {args.by}, from the text: {prompt.text}")
    return 0


def _progress(code: str, done: int, total: int) -> None:
    filled = BAR_WIDTH * done // total
    end = "\n" if done == total else ""
    print(f"\r{code} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", end=end, file=sys.stderr,
          flush=True)


def register(commands) -> None:
    group = commands.add_parser("audio", help="recorded prompts: what is recorded, placeholders for the rest")
    actions = group.add_subparsers(dest="action", required=True)
    for name, func, text in (("status", status, "per language: recorded, missing and stale prompts"),
                             ("synth", synth, "fill missing prompts with espeak-ng placeholders"),
                             ("add", add, "add a person's recording of one prompt (any audio file sox reads)")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--lang", required=name != "status", help="language code, e.g. fa")
        action.add_argument("--menu", help="menu file (default: IVR_MENU or menus/kajaani.yaml)")
        action.add_argument("--audio", help="recordings folder (default: IVR_AUDIO or audio/)")
        action.set_defaults(func=func)
        if name == "add":
            action.add_argument("prompt", help="prompt id, e.g. migri.say")
            action.add_argument("file", help="the recording, e.g. take.wav")
            action.add_argument("--by", required=True, help="who recorded it")
