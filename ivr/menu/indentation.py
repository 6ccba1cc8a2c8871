"""Indentation mistakes in a menu's YAML: which line is out of line, and the column it belongs in.

PyYAML reports where parsing failed, which is often a line after the one that
went wrong, in words ("expected <block end>") staff cannot act on. This reads
the neighbouring lines' indentation to name the line to move and where to.
"""

from __future__ import annotations

import json
import pathlib
import re

import yaml

# A line that starts with a key: indentation, list dashes, then one word and ':'.
_KEY_LINE = re.compile(r"^( *)((?:- +)*)[^\s:#'\"\[\]{}-][^\s:#]*:(?: |$)")


def misindented(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """(line, col, message) when the parser's complaint is a line indented unlike its neighbours.

    PyYAML says "expected <block end>" at a line that starts left or right of the
    lines of its level, "mapping values are not allowed" when a key line is
    indented further than the text above it (it reads the key as more of that text),
    and "could not find expected ':'" when a line of a long text went left to where
    keys start (it reads the words as a key).
    """
    lines = text.splitlines()
    mark, what = exc.problem_mark, exc.problem or ""
    if "could not find expected ':'" in what and exc.context_mark is not None:
        return _text_out_of_line(lines, exc.context_mark.line)
    if not mark or mark.line >= len(lines) or not ("expected <block end>" in what
                                                   or "mapping values are not allowed" in what):
        return None
    line = lines[mark.line]
    started = _KEY_LINE.match(line) or re.match(r"^( *)((?:- +)*)[^\s-]", line)
    if not started:
        return None
    dash = bool(started.group(2))
    if not dash and not _KEY_LINE.match(line):
        text_line = _text_out_of_line(lines, mark.line)
        if text_line:
            return text_line
    actual = len(started.group(1)) if dash else started.end(2)
    if "expected <block end>" in what:
        if mark.column not in (len(started.group(1)), started.end(2)):
            return None  # something after the start of the line, e.g. words after a closing quote
    elif "mapping values are not allowed" in what:
        key = _KEY_LINE.match(line)
        if not key or mark.column != key.end() - (2 if key.group().endswith(" ") else 1):
            return None  # a ': ' inside a text
    texts = _block_texts(lines[:mark.line])
    above = [(number, _indent(lines[number], dash)) for number in range(mark.line - 1, -1, -1)
             if lines[number].strip() and not lines[number].lstrip().startswith("#") and number not in texts]
    if not above:
        return None
    line_number = mark.line
    if dash:  # a list item lines up with the items before it: the nearest in column
        items = [(number, indent) for number, indent in above if re.match(r" *- ", lines[number])]
        if not items:
            return None
        reference, expected = min(items, key=lambda item: (abs(item[1] - actual), item[1]))
        if expected == actual:
            return None
    elif actual > above[0][1] and len(above) > 1 and above[1][1] == actual and not _known_key(lines[above[0][0]]):
        # The line above is the one out of line (6, 4, 6 spaces: `en:` among the node's keys): the
        # parser took it as a key one level up and stumbles only here. Point at it.
        (line_number, actual), (reference, expected) = above[0], above[1]
    elif (actual > above[0][1] and len(above) > 1 and above[1][1] == above[0][1]
          and lines[above[1][0]].rstrip().endswith(":")):
        # `say:` then `fi: >-` under it in the same column: the parser made `say` empty and `fi` its
        # neighbour, and stumbles only at the next language. Point at the first child.
        (line_number, actual), (reference, expected) = above[0], (mark.line, actual)
    elif (actual > above[0][1] and len(above) > 1 and above[1][1] + 2 == actual < above[0][1] + 2
          and lines[above[1][0]].rstrip().endswith(":")):
        # The first line under `label:` went left (or right) and this one starts where children start.
        (line_number, actual), (reference, expected) = above[0], (mark.line, actual)
    elif actual > above[0][1]:  # further right than the line above: it belongs with that line
        reference, expected = above[0]
    else:  # further left: it belongs with the nearest enclosing level right of it
        level, reference, expected = above[0][1] + 1, None, None
        for number, indent in above:
            if indent < level:
                level = indent
                if indent > actual:
                    reference, expected = number, indent
        if expected is None or expected == actual:
            return None
        at = above.index((reference, expected))
        parent = next((i for i in range(at + 1, len(above)) if above[i][1] < expected), None)
        alone = parent is not None and all(indent != expected for _, indent in above[at + 1:parent])
        if alone and above[parent][1] + 2 == actual:
            # The block's only line went right, and this one starts where children start: point at that line.
            line_number, actual, reference, expected = reference, expected, mark.line, actual
    return (line_number + 1, actual + 1,
            f"YAML syntax: wrong indentation: this line starts at column {actual + 1}; start it at column "
            f"{expected + 1}, as line {reference + 1} does (keys of the same level line up, indented with spaces)")


def _text_out_of_line(lines: list[str], number: int) -> tuple[int, int, str] | None:
    """A line of a `>-` text that does not start where the text's other lines do."""
    if number >= len(lines) or _KEY_LINE.match(lines[number]):
        return None
    texts = _block_texts(lines[:number])
    block = []  # the text's lines above this one, nearest first
    for above in range(number - 1, -1, -1):
        if above not in texts:
            break
        if lines[above].strip():
            block.append(above)
    if not block:
        return None
    actual, nearest = _indent(lines[number], False), _indent(lines[block[0]], False)
    opener = _indent(lines[block[-1] - 1], False) if block[-1] else 0
    if len(block) == 1 and nearest > actual == opener + 2:
        # The text's first line went right, and this one is where texts start here: point at the first.
        number, actual, reference, expected = block[0], nearest, number, actual
    elif nearest != actual:
        reference, expected = block[0], nearest
    else:
        return None
    return (number + 1, actual + 1,
            f"YAML syntax: wrong indentation: this line of a text starts at column {actual + 1}; start it at "
            f"column {expected + 1}, as line {reference + 1} does (the lines of a text all start in one column)")


def _known_key(line: str) -> bool:
    """Whether the line's key is one the schema names somewhere (`schedule:`), not a language code."""
    key = _KEY_LINE.match(line)
    return bool(key) and key.group().strip(" -:") in _SCHEMA_KEYS


def _property_names(schema) -> set[str]:
    if isinstance(schema, list):
        return set().union(*map(_property_names, schema))
    if not isinstance(schema, dict):
        return set()
    names = set(schema.get("properties", {})) if isinstance(schema.get("properties"), dict) else set()
    return names.union(*map(_property_names, schema.values()))


SCHEMA_PATH = pathlib.Path(__file__).parent / "schema.json"
_SCHEMA_KEYS = _property_names(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
_BLOCK_TEXT = re.compile(r":\s+[>|][-+]?\d*\s*(?:#.*)?$")


def _block_texts(lines: list[str]) -> set[int]:
    """Numbers of the lines that are the text of a `>-` or `|` block, whose indentation says nothing of keys."""
    inside: set[int] = set()
    opener = None  # indentation of the key that opened the block being read
    for number, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if opener is not None and (not line.strip() or indent > opener):
            inside.add(number)
            continue
        opener = _indent(line, False) if _BLOCK_TEXT.search(line) else None
    return inside


def _indent(line: str, dash: bool) -> int:
    """Where a line's content starts: at its dash when comparing list items, else after the dashes."""
    started = re.match(r"^( *)((?:- +)*)", line)
    return len(started.group(1)) if dash else started.end(2)
