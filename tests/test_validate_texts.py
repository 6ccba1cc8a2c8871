"""`ivr validate` tells staff the whole truth: numbers inside texts, indentation, and a verdict on the last line."""

import pathlib
import re

import pytest

from ivr import cli, menu
from ivr.menu.errors import MenuError
from ivr.settings import BUNDLED_MENU

from .test_validate import GOOD

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
FIX = "put it under contacts, so the line reads it digit by digit"


def problems(text: str) -> list[str]:
    with pytest.raises(MenuError) as caught:
        menu.loads(text, "menus/x.yaml")
    return str(caught.value).splitlines()


def with_text(words: str, old: str = "en: Here is information.") -> str:
    assert old in GOOD
    return GOOD.replace(old, f"en: {words}", 1)


@pytest.mark.parametrize("written", [
    "08 6155 2760", "(08) 6155 2760", "+358 8 6155 2760", "0861552760", "040 123 4567", "6155 2760", "61552", "040 123 456",
    "٠٨ ٦١٥٥ ٢٧٦٠",  # Arabic-Indic digits
])
def test_a_phone_number_inside_a_text_is_refused_where_it_is(written):
    """The line would read it inside the sentence, as large numbers; under contacts it reads it digit by digit."""
    assert problems(with_text(f"Call {written} on weekdays.")) == [
        f"menus/x.yaml:39:11: the 'en' text of nodes.info.say has a phone number in it ({written!r}): {FIX}"]


def test_a_number_in_a_contact_label_or_a_transfer_name_is_refused_too():
    text = GOOD.replace("en: The number", "en: The number 08 6155 2760").replace(
        "en: the duty", "en: the duty at 0861552760")
    assert problems(text) == [
        f"menus/x.yaml:44:15: the 'en' text of nodes.info.contacts[0].label has a phone number in it "
        f"('08 6155 2760'): {FIX}",
        f"menus/x.yaml:54:11: the 'en' text of nodes.call.name has a phone number in it ('0861552760'): {FIX}",
    ]


@pytest.mark.parametrize("words", [
    "In a life-threatening emergency, call 112.", "Open from 08:00 to 15:00.", "Since 2026, on weekdays 1-5.",
    "Closed on 2026-12-28.", "More than 10 000 people a year.",
])
def test_the_emergency_number_times_and_years_are_fine(words):
    assert menu.loads(with_text(words), "menus/x.yaml").nodes["info"].say["en"] == words


def test_validate_refuses_the_menu_and_says_so_last(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "x.yaml").write_text(with_text("Call (08) 6155 2760."), encoding="utf-8")
    assert cli.main(["validate", "--audio", str(tmp_path), "menus/x.yaml"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"menus/x.yaml:39:11: the 'en' text of nodes.info.say has a phone number in it ('(08) 6155 2760'): {FIX}",
        "menus/x.yaml: cannot go live: 1 problem",
    ]


# -- indentation -----------------------------------------------------------------

WITH_ARABIC = GOOD.replace("      en: Welcome.\n", "      en: Welcome.\n      ar: مرحبا.\n")

INDENTATION = [
    # a key two spaces right of its neighbours: the parser took it as more of the text above
    ("two spaces right", "      ar: مرحبا.", "        ar: مرحبا.",
     "menus/x.yaml:29:9: YAML syntax: wrong indentation: this line starts at column 9; start it at column 7, "
     "as line 28 does (keys of the same level line up, indented with spaces)"),
    ("one space left", "      ar: مرحبا.", "     ar: مرحبا.",
     "menus/x.yaml:29:6: YAML syntax: wrong indentation: this line starts at column 6; start it at column 7, "
     "as line 28 does (keys of the same level line up, indented with spaces)"),
    # two spaces left: the parser accepts it as a key of the node and stumbles on the next line
    ("two spaces left", "      en: Welcome.", "    en: Welcome.",
     "menus/x.yaml:28:5: YAML syntax: wrong indentation: this line starts at column 5; start it at column 7, "
     "as line 27 does (keys of the same level line up, indented with spaces)"),
    ("a field of a list item", "    name: For English", "      name: For English",
     "menus/x.yaml:13:7: YAML syntax: wrong indentation: this line starts at column 7; start it at column 5, "
     "as line 12 does (keys of the same level line up, indented with spaces)"),
    ("a list item", "  - code: en", "   - code: en",
     "menus/x.yaml:11:4: YAML syntax: wrong indentation: this line starts at column 4; start it at column 3, "
     "as line 6 does (keys of the same level line up, indented with spaces)"),
]


@pytest.mark.parametrize("old, new, expected", [c[1:] for c in INDENTATION], ids=[c[0] for c in INDENTATION])
def test_an_indentation_mistake_is_named_with_the_column_to_start_at(old, new, expected):
    assert old in WITH_ARABIC
    text = WITH_ARABIC.replace(old, new, 1)
    with pytest.raises(MenuError) as caught:
        menu.loads(text, "menus/x.yaml")
    assert [str(p) for p in caught.value.problems] == [expected]


LONG = GOOD.replace("en: Here is information.", "en: >-\n        Here is\n        more\n        information.")
TEXT_LINE = "(the lines of a text all start in one column)"


@pytest.mark.parametrize("old, new, expected", [
    # a line of a long text one or two spaces left of the others
    ("        more\n", "       more\n", f"menus/x.yaml:41:8: YAML syntax: wrong indentation: this line of a text starts "
                                       f"at column 8; start it at column 9, as line 40 does {TEXT_LINE}"),
    ("        more\n", "      more\n", f"menus/x.yaml:41:7: YAML syntax: wrong indentation: this line of a text starts "
                                      f"at column 7; start it at column 9, as line 40 does {TEXT_LINE}"),
    # its first line went right: the parser stumbles on the second, but the first is the one to move
    ("        Here is\n", "         Here is\n", f"menus/x.yaml:40:10: YAML syntax: wrong indentation: this line of a "
                                               f"text starts at column 10; start it at column 9, as line 41 does {TEXT_LINE}"),
    # the first key of a block went left: the parser stumbles on the second, but the first is the one to move
    ("      fi: Tervetuloa.\n", "     fi: Tervetuloa.\n",
     "menus/x.yaml:27:6: YAML syntax: wrong indentation: this line starts at column 6; start it at column 7, "
     "as line 28 does (keys of the same level line up, indented with spaces)"),
])
def test_the_line_out_of_line_is_named_even_when_the_parser_stumbles_later(old, new, expected):
    assert old in LONG
    assert problems(LONG.replace(old, new, 1)) == [expected]


def test_a_colon_inside_a_text_is_still_called_a_colon():
    """Words with a ': ' on the line of their key, or on a line of their own, are a text, not a key."""
    assert problems(with_text("Here: information.")) == [
        "menus/x.yaml:39:15: YAML syntax: a ': ' inside a text: put the whole text in double quotes "
        "(the parser says: mapping values are not allowed here)"]
    assert problems(with_text("Here is\n        more information: here.")) == [
        "menus/x.yaml:40:25: YAML syntax: a ': ' inside a text: put the whole text in double quotes "
        "(the parser says: mapping values are not allowed here)"]


def test_a_key_indented_into_a_long_text_is_named():
    """`en:` under an `fi: >-` text, indented like the text, is read as more Finnish: the line says so."""
    text = GOOD.replace("      fi: Tervetuloa.\n      en: Welcome.",
                        "      fi: >-\n        Tervetuloa\n        linjalle.\n        en: Welcome.")
    assert problems(text) == [
        "menus/x.yaml:27:11: nodes.top.say has no 'en' text: its line 'en:' is indented further than 'fi:' "
        "above it, so it became part of the 'fi' text: start 'en:' in the same column as 'fi:'"]


# -- the report ------------------------------------------------------------------

DRAFTS = (GOOD.replace("reviewed: true", "reviewed: false")
          .replace("en: Here is information.", "en: " + " ".join(["word"] * 60))
          .replace("en: Welcome.", "en: " + " ".join(["hello"] * 55)))


def validate(tmp_path, capsys, *args) -> tuple[int, list[str]]:
    path = tmp_path / "menus" / "x.yaml"
    status = cli.main(["validate", "--audio", str(tmp_path / "audio"), *args, str(path)])
    return status, capsys.readouterr().out.splitlines()


@pytest.fixture
def drafts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "x.yaml").write_text(DRAFTS, encoding="utf-8")


def test_warnings_come_one_line_per_kind_and_the_verdict_last(tmp_path, capsys, drafts):
    assert validate(tmp_path, capsys) == (0, [
        "menus/x.yaml:6:11: warning: the 'fi' texts are a draft: a native speaker has not reviewed them yet "
        "(and 1 more like it)",
        "menus/x.yaml:28:11: warning: the 'en' text of nodes.top.say takes about 22 seconds to say (55 words): "
        "callers on a poor line lose track after 20 seconds; shorten it or split it into two pages (and 1 more like it)",
        "menus/x.yaml:48:1: warning: 'en' is slow to the information callers need: call offered (top, key 2) "
        "after 37 s for a presser (budget 30 s) (see `ivr timing --lang en`)",
        "menus/x.yaml: can go live: 3 nodes in 2 languages (5 warnings, --verbose lists them)",
    ])


def test_verbose_lists_every_warning(tmp_path, capsys, drafts):
    status, out = validate(tmp_path, capsys, "--verbose")
    assert status == 0 and len(out) == 6
    assert [line.split(": warning: ")[0] for line in out[:5]] == [
        "menus/x.yaml:6:11", "menus/x.yaml:11:11", "menus/x.yaml:28:11", "menus/x.yaml:39:11", "menus/x.yaml:48:1"]
    assert out[5] == "menus/x.yaml: can go live: 3 nodes in 2 languages (5 warnings)"


def test_a_menu_without_warnings_says_only_that_it_can_go_live(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "x.yaml").write_text(GOOD, encoding="utf-8")
    assert validate(tmp_path, capsys) == (0, ["menus/x.yaml: can go live: 3 nodes in 2 languages"])


def test_the_bundled_menu_ends_in_the_can_go_live_line(capsys):
    assert cli.main(["validate", str(BUNDLED_MENU)]) == 0
    out = capsys.readouterr().out.splitlines()
    bundled = menu.load(BUNDLED_MENU)
    assert re.fullmatch(rf"menus/kajaani\.yaml: can go live: {len(bundled.nodes)} nodes in {len(bundled.languages)} "
                        r"languages \(\d+ warnings, --verbose lists them\)", out[-1])
    kinds = [line.split(": warning: ")[1].split(" (and ")[0] for line in out[:-1]]
    assert len(out) < 10 and len(kinds) == len(set(kinds)), out


def _at_any_place(line: str) -> str:
    """A validator line with its positions blanked: staff edits move the menu's lines, not the messages."""
    return re.sub(r"\b(line|column) \d+", r"\1 N", re.sub(r":\d+:\d+:", ":L:C:", line))


def test_readme_examples_are_what_validate_prints(capsys):
    """Each example of the staff section is a real line: the mistakes made on the bundled menu, and its report."""
    readme = README.read_text(encoding="utf-8")
    lines = BUNDLED_MENU.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "duty:")
    label = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("en: "))
    arabic = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("ar: "))
    number = lines[:label] + [lines[label].rstrip("\n") + ", call 08 6155 2760\n"] + lines[label + 1:]
    indented = lines[:arabic] + ["  " + lines[arabic]] + lines[arabic + 1:]
    examples = {_at_any_place(line) for line in readme.splitlines() if line.startswith("    menus/kajaani.yaml:")}
    for mistake in (number, indented):
        with pytest.raises(MenuError) as caught:
            menu.loads("".join(mistake), "menus/kajaani.yaml")
        assert _at_any_place(f"    {caught.value.problems[0]}") in examples
    assert "    menus/kajaani.yaml: cannot go live: 1 problem\n" in readme
    assert cli.main(["validate", str(BUNDLED_MENU)]) == 0
    out = capsys.readouterr().out.splitlines()
    shown = readme.split("On the menu as it is:\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert out[-1].startswith("menus/kajaani.yaml: can go live: ") and shown[-1].startswith(
        "    menus/kajaani.yaml: can go live: ")
