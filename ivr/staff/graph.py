"""`ivr graph`: the menu tree as a Mermaid flowchart (plain text; GitHub and many editors draw it).

The language menu shows what a caller gets: the offered languages only (voiced, or recorded-only
with every prompt recorded), each with the key a caller presses.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ..audio.library import Library
from ..flow.line import caller_keys
from ..menu.model import Language, Menu, Number
from ..settings import audio_path
from . import options

SHAPES = {"menu": ('("', '")'), "page": ('["', '"]'), "transfer": ('[["', '"]]')}


def _escape(text: str) -> str:
    return text.replace('"', "#quot;")


def _number(number: Number) -> str:
    return " ".join(number.groups)


def mermaid(menu: Menu, code: str, offered: Sequence[Language] | None = None) -> str:
    """The flowchart: the language menu, then every node with its key edges, in language `code`.

    `offered`: the languages a caller can choose (default: all of the menu's)."""
    offered = menu.languages if offered is None else offered
    keys = caller_keys(offered)
    listed = " · ".join(f"{keys[lang.code]} {lang.name}" for lang in offered)
    out = ["flowchart TD", f'    languages{{{{"Language menu<br/>{_escape(listed)}"}}}}',
           f"    languages -->|{', '.join(keys.values())}| {menu.start}"]
    left_out = [lang.code for lang in menu.languages if lang not in offered]
    if left_out:  # a comment: Mermaid does not draw it
        out.insert(1, f"    %% not offered until every prompt is recorded: {', '.join(left_out)}")
    for node in menu.nodes.values():
        title = node.label.get(code) or node.say.get(code, "")
        lines = [f"<b>{node.id}</b>", _escape(title)]
        lines += [f"{_escape(c.label.get(code, c.kind))}: {_number(c.number)}" for c in node.contacts]
        if node.kind == "transfer":
            lines.insert(2, f"dials {_number(node.number)} ({node.schedule} hours)")
        left, right = SHAPES[node.kind]
        out.append(f"    {node.id}{left}{'<br/>'.join(lines)}{right}")
        out += [f"    {node.id} -->|{key}| {target}" for key, target in sorted(node.options.items())]
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    menu = options.load(args)
    code = menu and options.language(menu, args)
    if code is None:
        return 1
    offered = Library(args.audio or audio_path()).offered(menu)
    print(mermaid(menu, code, offered), end="")
    return 0


def register(commands) -> None:
    graph = commands.add_parser("graph", help="print the menu tree as a Mermaid flowchart")
    options.add(graph, "language of the labels, e.g. fi (default: en)")
    graph.add_argument("--audio", help="recordings folder, which decides the languages offered "
                                       "(default: IVR_AUDIO or audio/)")
    graph.set_defaults(func=run)
