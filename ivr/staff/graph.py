"""`ivr graph`: the menu tree as a Mermaid flowchart (plain text; GitHub and many editors draw it)."""

from __future__ import annotations

import argparse

from . import options as shared
from ..menu import model as menus

SHAPES = {"menu": ('("', '")'), "page": ('["', '"]'), "transfer": ('[["', '"]]')}


def _escape(text: str) -> str:
    return text.replace('"', "#quot;")


def _number(number: menus.Number) -> str:
    return " ".join(number.groups)


def mermaid(menu: menus.Menu, code: str) -> str:
    """The flowchart: the language menu, then every node with its key edges, in language `code`."""
    keys = " · ".join(f"{lang.key} {lang.name}" for lang in menu.languages)
    out = ["flowchart TD", f'    languages{{{{"Language menu<br/>{_escape(keys)}"}}}}',
           f"    languages -->|{', '.join(lang.key for lang in menu.languages)}| {menu.start}"]
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
    menu = shared.load(args)
    code = menu and shared.language(menu, args)
    if code is None:
        return 1
    print(mermaid(menu, code), end="")
    return 0


def register(commands) -> None:
    graph = commands.add_parser("graph", help="print the menu tree as a Mermaid flowchart")
    shared.add(graph, "language of the labels, e.g. fi (default: en)")
    graph.set_defaults(func=run)
