"""Reading TwiML answers the way Twilio would: what is said, in which voice, what happens next."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

VERBS_AFTER_GATHER = {"Redirect", "Hangup", "Say"}


@dataclasses.dataclass
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

    @property
    def verbs(self) -> list[str]:
        return [child.tag for child in self.root]

    @property
    def said(self) -> list[Said]:
        return [
            Said(" ".join(" ".join(say.itertext()).split()), say.get("voice"), say.get("language"),
                 len(say.findall("break")))
            for say in self.root.iter("Say")
        ]

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
        node = self.root.find("Redirect")
        return node.text if node is not None else None

    @property
    def dial(self) -> ET.Element | None:
        return self.root.find("Dial")

    @property
    def hangs_up(self) -> bool:
        return self.root.find("Hangup") is not None

    @property
    def action(self) -> str | None:
        """Where the keys pressed at this answer's prompt go."""
        gather = self.gather
        return gather.get("action") if gather is not None else None

    def next_urls(self) -> list[str]:
        """Every URL Twilio could request next from this answer."""
        urls = [el.get("action") for el in self.root.iter() if el.get("action")]
        urls += [el.text for el in self.root.iter("Redirect")]
        return urls


def parse(response) -> Answer:
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.data)
    assert root.tag == "Response"
    return Answer(response.status_code, response.content_type, root)
