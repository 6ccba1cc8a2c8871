"""The numbered sheet a translator reads from (`ivr studio sheet --lang fa`), and its numbering.

The numbers are what a translator keys in by phone, so the recorder (`phone.py`) numbers the
prompts with `numbered` too: one numbering, in `ivr.audio.library.needed`'s order (the order a
call reaches them). The sheet's `code` changes whenever a number would point at another prompt or
text; the phone says it, so an old printout is noticed before anything is recorded from it.
No Flask here (Jinja, which Flask brings, escapes the page).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import pathlib
import sys

import jinja2
from babel import Locale

from .. import phrases
from ..audio.library import needed
from ..menu import Language, Menu
from ..speech.prompts import Prompt

MEANING = "en"  # the language printed beside each text: the office's working language
RIGHT_TO_LEFT = {"ar", "fa", "ckb", "ps", "ur", "he"}


@dataclasses.dataclass(frozen=True)
class Entry:
    number: int
    prompt: Prompt
    meaning: str  # the same prompt in English ("" when there is none, or the sheet is English)


@dataclasses.dataclass(frozen=True)
class Sheet:
    lang: Language
    entries: tuple[Entry, ...]

    @property
    def code(self) -> str:
        """Four digits that change when a number would mean another prompt or another text."""
        listed = "\n".join(f"{e.number}\t{e.prompt.id}\t{e.prompt.text}" for e in self.entries)
        return f"{int(hashlib.sha256(listed.encode()).hexdigest(), 16) % 10000:04d}"

    def entry(self, number: str | int) -> Entry | None:
        """The entry a keyed-in number names; None for anything else (0, too big, not digits)."""
        text = str(number).strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 4:
            return None
        index = int(text) - 1
        return self.entries[index] if 0 <= index < len(self.entries) else None


def numbered(menu: Menu, lang: Language) -> Sheet:
    """Every prompt the line plays in `lang`, numbered from 1, with its English meaning."""
    english = menu.language(MEANING)
    meanings = needed(menu, english) if english is not None and english.code != lang.code else {}
    if meanings:  # English's own "In English, press 3" is not what "Dari, press 7" means
        say = menu.phrases[english.code]
        meanings = {**meanings, **{
            prompt_id: Prompt(prompt_id, (say(phrases.PRESS, label=english_name(lang), key=key),))
            for prompt_id, key in (("language.name", lang.key[:1]), ("language.more", lang.key[1:]))}}
    entries = tuple(Entry(number, prompt, meanings[prompt.id].text if prompt.id in meanings else "")
                    for number, prompt in enumerate(needed(menu, lang).values(), start=1))
    return Sheet(lang, entries)


def english_name(lang: Language) -> str:
    """'Dari' for fa with locale fa_AF; the code itself when CLDR has no English name."""
    names = Locale("en").languages
    return names.get(lang.locale) or names.get(lang.code) or lang.code


_PAGE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ name }} ({{ lang.code }}): prompts to record, sheet {{ sheet.code }}</title>
<style>
  body { font-family: sans-serif; margin: 1.5cm; color: #000; }
  h1 { font-size: 1.6em; margin: 0 0 .3em; }
  .how { border: 2px solid #000; padding: .6em 1em; margin-bottom: 1.2em; font-size: 1.1em; }
  .how ol { margin: .3em 0; padding-left: 1.4em; }
  .code { font-size: 1.3em; font-weight: bold; letter-spacing: .1em; }
  section { display: grid; grid-template-columns: 3.5em 1fr; gap: 0 .8em; padding: .7em 0;
            border-top: 1px solid #888; break-inside: avoid; page-break-inside: avoid; }
  .number { font-size: 2em; font-weight: bold; text-align: right; }
  .text { font-size: 1.7em; line-height: 1.5; }
  .meaning { color: #333; margin-top: .3em; }
  .id { color: #666; font-size: .8em; font-family: monospace; }
  @media print { body { margin: 0; } .how { break-after: avoid; } }
</style>
</head>
<body>
<h1>{{ name }} ({{ lang.code }}): {{ sheet.entries | length }} prompts to record</h1>
<div class="how">
  <p>Sheet code <span class="code">{{ sheet.code }}</span>. The phone says this code after you choose the language:
  if it says another one, the texts have changed, so ask the office for a new sheet before you record.</p>
  <p>To record by phone: call the studio's number (the office gives it to you): ______________________</p>
  <ol>
    <li>Key in your PIN, then <b>#</b>.</li>
    <li>If you record more than one language: key in the language key <b>{{ lang.key }}</b>, then <b>#</b>.</li>
    <li>Key in the number of the text, then <b>#</b>. The phone says the text's name and plays what callers hear now.</li>
    <li>After the beep, read the text in a calm voice, then press <b>#</b>.</li>
    <li>You hear your recording. Press <b>1</b> to keep it, <b>2</b> to record it again, <b>3</b> for another text.</li>
  </ol>
  <p>A kept recording is checked by a reviewer before callers hear it.</p>
</div>
{% for entry in sheet.entries %}
<section id="p{{ entry.number }}">
  <div class="number">{{ entry.number }}</div>
  <div>
    <div class="text" lang="{{ lang.code }}" dir="{{ direction }}">{{ entry.prompt.text }}</div>
    {% if entry.meaning %}<div class="meaning" lang="en">{{ entry.meaning }}</div>{% endif %}
    <div class="id">{{ entry.prompt.id }}</div>
  </div>
</section>
{% endfor %}
</body>
</html>
""")


def page(sheet: Sheet) -> str:
    """The sheet as a printable HTML page."""
    lang = sheet.lang
    return _PAGE.render(sheet=sheet, lang=lang, name=english_name(lang),
                        direction="rtl" if lang.code in RIGHT_TO_LEFT else "auto")


def command(args: argparse.Namespace) -> int:
    """`ivr studio sheet --lang fa [--out FILE]`: the page on stdout, or written to FILE."""
    from ..staff import options  # the staff commands' menu loading, for the command line only

    loaded = options.load(args)
    if loaded is None:
        return 1
    lang = loaded.language(args.lang)
    if lang is None:
        codes = ", ".join(each.code for each in loaded.languages)
        print(f"ivr studio sheet: the menu has no language {args.lang!r}: choose one of {codes}", file=sys.stderr)
        return 1
    sheet = numbered(loaded, lang)
    text = page(sheet)
    if args.out:
        pathlib.Path(args.out).write_text(text, encoding="utf-8")
        print(f"{args.out}: {len(sheet.entries)} prompts in {lang.code}, sheet code {sheet.code}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def arguments(action: argparse.ArgumentParser) -> None:
    action.add_argument("--lang", required=True, help="the language's code in the menu, e.g. fa")
    action.add_argument("--out", metavar="FILE", help="write the page to FILE (default: standard output)")
    action.add_argument("--menu", help="menu file (default: IVR_MENU or menus/kajaani.yaml)")
