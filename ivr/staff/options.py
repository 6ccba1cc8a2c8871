"""What the staff commands (script, hours, graph) share: which menu file, which language."""

from __future__ import annotations

import argparse
import sys

from ..menu import model
from ..menu.errors import MenuError
from ..settings import menu_path


def add(parser: argparse.ArgumentParser, lang_help: str) -> None:
    parser.add_argument("--lang", help=lang_help)
    parser.add_argument("--menu", help="menu file (default: IVR_MENU or menus/kajaani.yaml)")


def load(args: argparse.Namespace) -> model.Menu | None:
    """The menu the line would serve; None (its problems printed) when it cannot go live."""
    try:
        return model.load(args.menu or menu_path())
    except MenuError as exc:
        print(exc, file=sys.stderr)
        return None


def language(menu: model.Menu, args: argparse.Namespace, default: str | None = "en") -> str | None:
    """The --lang code (else `default` when offered, else the first language); None, said why, if not offered."""
    codes = [lang.code for lang in menu.languages]
    code = args.lang or (default if default in codes else codes[0])
    if code not in codes:
        print(f"ivr {args.command}: the menu has no language {code!r}: choose one of {', '.join(codes)}",
              file=sys.stderr)
        return None
    return code
