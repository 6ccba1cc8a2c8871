"""What a notice says: one recordable prompt, `notice.<id>`, said after the language is chosen."""

from __future__ import annotations

from ..menu import Language, Menu, Notice
from .prompts import SENTENCE_PAUSE_MS, Pause, Speech, prompt, say


def notice(menu: Menu, lang: Language, notice: Notice) -> Speech:
    """The notice's text in `lang`, then a pause before what comes next (the services menu)."""
    return say(prompt(f"notice.{notice.id}", notice.say.get(lang.code)), Pause(SENTENCE_PAUSE_MS))
