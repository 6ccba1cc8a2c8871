"""How an answer is written down in a transcript: one line per thing heard, long texts wrapped."""

from __future__ import annotations

import re
import textwrap

from ..harness.reader import Break, Say

WIDTH = 100
# Keep digit groups ("0 8") and pauses ("[0.6 s]") whole on one line.
UNBROKEN = re.compile(r"(?<=\d) (?=\d)|(?<=\d) (?=s\])")


def spoken(say: Say) -> str:
    """A <Say>'s text with its SSML breaks shown as [0.6 s]."""
    pieces = [f" [{piece.seconds:g} s] " if isinstance(piece, Break) else piece for piece in say.parts]
    return " ".join("".join(pieces).split())


def wrapped(line: str) -> str:
    glued = UNBROKEN.sub("\xa0", line)
    text = textwrap.fill(glued, WIDTH, subsequent_indent="    ", break_long_words=False, break_on_hyphens=False)
    return text.replace("\xa0", " ")
