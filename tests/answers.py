"""The tests' view of an answer: checks that it is TwiML at all, then reads it with ivr.harness.reader.

`parse(response).read` is the reader's Answer (frozen records, `.next(...)`); `.root` stays for the
few tests that look at raw XML (attribute spelling, nesting).
"""

from __future__ import annotations

import dataclasses
import functools
import xml.etree.ElementTree as ET

from ivr.harness import reader


@dataclasses.dataclass(frozen=True)
class Said:
    text: str
    voice: str
    language: str
    breaks: int


@dataclasses.dataclass
class Answer:
    status: int
    content_type: str
    root: ET.Element

    @functools.cached_property
    def read(self) -> reader.Answer:
        return reader.read(self.root)

    @property
    def verbs(self) -> list[str]:
        return [child.tag for child in self.root]

    @property
    def said(self) -> list[Said]:
        return [Said(say.text, say.voice, say.language, len(say.breaks)) for say in self.read.said]

    @property
    def plays(self) -> list[str]:
        """The recordings played, as paths without their query (?v=...)."""
        return [play.text.split("?")[0] for play in self.root.iter("Play")]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.said)

    @property
    def gather(self) -> ET.Element | None:
        return self.root.find("Gather")

    @property
    def redirect(self) -> str | None:
        found = self.read.redirect
        return found.url if found else None

    @property
    def dial(self) -> ET.Element | None:
        return self.root.find("Dial")

    @property
    def hangs_up(self) -> bool:
        return self.read.hangs_up

    @property
    def action(self) -> str | None:
        """Where the keys pressed at this answer's prompt go."""
        gather = self.gather
        return gather.get("action") if gather is not None else None

    def next_urls(self) -> list[str]:
        """Every URL Twilio could request next from this answer."""
        return self.read.next_urls()


def parse(response) -> Answer:
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.data)
    assert root.tag == "Response"
    return Answer(response.status_code, response.content_type, root)
