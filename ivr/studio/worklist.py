"""A language's work list: every prompt the line plays, its state, and what callers hear now. No Flask here."""

from __future__ import annotations

import dataclasses

from ..audio.library import Library, checksum, needed
from ..audio.store import Store, Takes, Version
from ..menu import Language, Menu

# Shown in this order: what callers miss first.
STATES = ("stale", "missing", "machine-made", "waiting", "approved")
MEANING = "en"  # the English text is shown beside the one to read


@dataclasses.dataclass(frozen=True)
class Item:
    id: str
    text: str  # to read
    meaning: str  # in English
    state: str
    playing: str | None  # the digest of what callers hear now (the /audio URL's v=), None: the voice or nothing
    versions: tuple[Version, ...]  # newest first
    live: str | None


def items(menu: Menu, lang: Language, library: Library, store: Store) -> list[Item]:
    english = menu.language(MEANING)
    meanings = needed(menu, english) if english else {}
    have, takes = library.recordings(lang.code), store.takes(lang.code)
    found = []
    for prompt_id, prompt in needed(menu, lang).items():
        recording = have.get(prompt_id)
        these = takes.get(prompt_id, Takes(()))
        fresh = recording is not None and recording.digest and recording.sha256 == checksum(prompt.text)
        waiting = any(v.state == "waiting" and v.sha256 == checksum(prompt.text) for v in these.versions)
        if waiting:
            state = "waiting"
        elif recording is None or not recording.digest:
            state = "missing"
        elif not fresh:
            state = "stale"
        else:
            state = "machine-made" if recording.synthetic else "approved"
        heard = library.fresh(lang, prompt)
        meaning = meanings[prompt_id].text if prompt_id in meanings else ""
        if prompt_id.startswith("language."):  # English's own option would be another language's words
            meaning = f"The language menu's option for {lang.name}: its name and the key to press ({lang.key})."
        found.append(Item(prompt_id, prompt.text, meaning,
                          state, heard.digest if heard else None, tuple(reversed(these.versions)), these.live))
    found.sort(key=lambda item: STATES.index(item.state))
    return found


def counts(found: list[Item]) -> dict[str, int]:
    return {state: sum(1 for item in found if item.state == state) for state in STATES}
