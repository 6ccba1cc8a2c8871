"""A generated large menu (hundreds of nodes, many languages) to time loading and checking."""

from __future__ import annotations

import contextlib
import pathlib
import tempfile

import yaml

from ivr import phrases

# (code, voice, Babel locale, catalog it borrows): the six catalogs the line has, then regional variants.
LANGUAGES = [
    ("fi", "Polly.Suvi-Neural", "fi", "fi"), ("sv", "Polly.Elin-Neural", "sv", "sv"),
    ("en", "Polly.Amy-Neural", "en_GB", "en"), ("ar", "Polly.Zeina", "ar", "ar"),
    ("uk", "Google.uk-UA-Standard-A", "uk", "uk"), ("ru", "Polly.Tatyana", "ru", "ru"),
    ("en-US", "Polly.Joanna-Neural", "en_US", "en"), ("ar-AE", "Polly.Hala-Neural", "ar_AE", "ar"),
    ("sv-FI", "Google.sv-SE-Standard-A", "sv_FI", "sv"), ("ru-UA", "Polly.Maxim", "ru_UA", "ru"),
]
FAN_OUT = 8  # options per menu: keys 1-8 (0 and 9 are reserved)


def generate(nodes: int = 500, languages: int = 8) -> str:
    """A menu of `nodes` nodes (menus of 8 options down to pages) in `languages` languages, as YAML."""
    langs = LANGUAGES[:languages]
    codes = [code for code, *_ in langs]

    def text(what: str) -> dict[str, str]:
        return {code: f"{what} ({code}). " * 3 for code in codes}

    items: dict[str, dict] = {}
    ids = ["n0"] + [f"n{i}" for i in range(1, nodes)]
    # Breadth first: node i's options are the next FAN_OUT ids not yet placed.
    for index, node_id in enumerate(ids):
        children = ids[1 + index * FAN_OUT: 1 + (index + 1) * FAN_OUT]
        item: dict = {"label": text(f"Service {node_id}"), "say": text(f"About {node_id}")}
        if children:
            item.update(type="menu", options={str(k): c for k, c in enumerate(children, 1)})
        else:
            item.update(type="page", contacts=[{
                "type": "phone", "label": text("Phone"), "number": "(08) 6155 2760", "schedule": "duty"}])
        items[node_id] = item
    return yaml.safe_dump({
        "name": "Generated menu", "timezone": "Europe/Helsinki", "holidays": "FI", "start": "n0",
        "languages": [{"code": code, "key": language_key(k), "name": code, "voice": voice, "locale": locale}
                      for k, (code, voice, locale, _) in enumerate(langs, 1)],
        "schedules": {"duty": {"weekly": {day: "08:00-15:00" for day in
                                          ("monday", "tuesday", "wednesday", "thursday", "friday")}}},
        "nodes": items,
    }, allow_unicode=True, sort_keys=False)


def language_key(position: int) -> str:
    """Keys 1-7, then the second language page behind 8 ("81", "82", ...), as the real menu does."""
    return str(position) if position < 8 else f"8{position - 7}"


@contextlib.contextmanager
def catalogs():
    """Phrase catalogs for every generated language: the variants borrow their base language's."""
    saved = phrases.LOCALE_DIR
    with tempfile.TemporaryDirectory() as tmp:
        for code, _, _, borrowed in LANGUAGES:
            (pathlib.Path(tmp) / code).symlink_to(saved / borrowed)
        phrases.LOCALE_DIR = pathlib.Path(tmp)
        try:
            yield
        finally:
            phrases.LOCALE_DIR = saved
