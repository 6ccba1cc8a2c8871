"""How a TwiML answer is written down in a transcript: one line per thing heard, long texts wrapped."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET

WIDTH = 100
# Keep digit groups ("0 8") and pauses ("[0.6 s]") whole on one line.
UNBROKEN = re.compile(r"(?<=\d) (?=\d)|(?<=\d) (?=s\])")


def spoken(say: ET.Element) -> str:
    """A <Say>'s text with its SSML breaks shown as [0.6 s]."""
    pieces: list[str] = [say.text or ""]
    for inner in say.iter():
        if inner is say:
            continue
        if inner.tag == "break":
            pieces.append(f" [{seconds(inner.get('time', ''))}] ")
        else:
            pieces.append(inner.text or "")
        pieces.append(inner.tail or "")
    return " ".join("".join(pieces).split())


def seconds(time: str) -> str:
    if time.endswith("ms") and time[:-2].isdigit():
        return f"{int(time[:-2]) / 1000:g} s"
    return time or "pause"


def dialled(dial: ET.Element) -> str:
    nouns = [f"{n.tag} {(n.text or '').strip()}".strip() for n in dial]
    return ", ".join(nouns) or (dial.text or "").strip()


def wrapped(line: str) -> str:
    glued = UNBROKEN.sub("\xa0", line)
    text = textwrap.fill(glued, WIDTH, subsequent_indent="    ", break_long_words=False, break_on_hyphens=False)
    return text.replace("\xa0", " ")
