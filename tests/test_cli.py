"""`ivr validate`: each mistake staff make, on a small menu written here, gives one whole line.

`ivr validate` tells staff the whole truth: numbers inside texts, indentation, and a verdict on the last line.
"""

import pathlib
import re
import textwrap

import pytest

from ivr import cli, menu
from ivr.menu.errors import MenuError
from ivr.settings import BUNDLED_MENU

GOOD = textwrap.dedent("""\
    name: Test line
    timezone: Europe/Helsinki
    holidays: FI
    start: top
    languages:
      - code: fi
        key: "1"
        name: Suomeksi
        voice: Polly.Suvi-Neural
        reviewed: true
      - code: en
        key: "2"
        name: For English
        voice: Polly.Amy-Neural
        reviewed: true
    schedules:
      duty:
        weekly:
          monday: "08:00-15:00"
          friday: "08:00-12:00"
        closed:
          - 2026-12-28
    nodes:
      top:
        type: menu
        say:
          fi: Tervetuloa.
          en: Welcome.
        options:
          "1": info
          "2": call
      info:
        type: page
        label:
          fi: Tietoa
          en: Information
        say:
          fi: Tässä tietoa.
          en: Here is information.
        contacts:
          - type: phone
            label:
              fi: Numero
              en: The number
            number: (08) 6155 2760
            schedule: duty
      call:
        type: transfer
        label:
          fi: Päivystys
          en: The duty
        name:
          fi: päivystys
          en: the duty
        number: (08) 6155 2760
        schedule: duty
    """)


def problems(text: str) -> list[str]:
    with pytest.raises(MenuError) as caught:
        menu.loads(text, "menus/x.yaml")
    return str(caught.value).splitlines()


def broken(old: str, new: str) -> list[str]:
    assert old in GOOD, old
    return problems(GOOD.replace(old, new, 1))


def test_the_small_menu_is_good():
    """The base of every case below goes live with no problem and no warning."""
    loaded = menu.loads(GOOD, "menus/x.yaml")
    assert loaded.warnings == ()
    assert loaded.nodes["call"].number.e164 == "+358861552760"


CASES = [
    # YAML syntax
    ("tab", '    key: "2"', '\tkey: "2"',
     "menus/x.yaml:12:1: YAML syntax: a tab character: indent with spaces only, never tabs "
     "(the parser says: found character '\\t' that cannot start any token)"),
    ("colon in a text", "en: Welcome.", "en: Welcome: hello.",
     "menus/x.yaml:28:18: YAML syntax: a ': ' inside a text: put the whole text in double quotes "
     "(the parser says: mapping values are not allowed here)"),
    ("indentation", "      en: Welcome.", "     en: Welcome.",
     "menus/x.yaml:28:6: YAML syntax: wrong indentation: this line starts at column 6; start it at column 7, "
     "as line 27 does (keys of the same level line up, indented with spaces)"),
    ("quote never closed", 'key: "2"', 'key: "2',
     'menus/x.yaml:12:10: YAML syntax: a quote (") opened here is not closed on this line: add the closing "'),
    ("bracket never closed", "- 2026-12-28", "[2026-12-28",
     "menus/x.yaml:23:6: YAML syntax: a list in [ ] is not closed: add the ] where it ends "
     "(the parser says: expected ',' or ']', but got ':')"),
    # the schema
    ("misspelled key", "    say:\n      fi: Tervetuloa.", "    sya:\n      fi: Tervetuloa.",
     "menus/x.yaml:26:5: unknown key 'sya' in nodes.top: did you mean 'say'?"),
    ("misspelled type of a node", "    type: page", "    tpye: page",
     "menus/x.yaml:33:5: unknown key 'tpye' in nodes.info: did you mean 'type'?"),
    ("misspelled language field", "voice: Polly.Amy-Neural", "vioce: Polly.Amy-Neural",
     "menus/x.yaml:14:5: unknown key 'vioce' in languages[1]: did you mean 'voice'?"),
    ("missing field", "name: Test line\n", "",
     "menus/x.yaml:1:1: the menu is missing 'name': add it"),
    ("wrong type", "\n    schedule: duty\n", "\n    schedule: duty\n    timeout: twenty\n",
     "menus/x.yaml:57:14: nodes.call.timeout should be a whole number, not a text"),
    ("wrong node type", "type: transfer", "type: transfr",
     "menus/x.yaml:48:11: nodes.call.type is 'transfr': it must be one of menu, page, transfer"),
    ("empty text", "en: Here is information.", 'en: ""',
     "menus/x.yaml:39:11: nodes.info.say.en is empty: write the text, or remove the line"),
    ("timeout out of range", "\n    schedule: duty\n", "\n    schedule: duty\n    timeout: 250\n",
     "menus/x.yaml:57:14: nodes.call.timeout is 250: it must be from 5 to 60"),
    # keys
    ("reserved key 9 as an option", '"2": call', '"9": call',
     "menus/x.yaml:31:7: '9' cannot be a key in nodes.top.options: one key from 1 to 8, in quotes, "
     'e.g. "1" (* repeats, 0 goes back and 9 changes the language on every menu)'),
    ("reserved key 0 for a language", 'key: "2"', 'key: "0"',
     "menus/x.yaml:12:10: languages[1].key is '0', which is not valid here: one key from 1 to 8, in quotes, "
     'e.g. "1", or two for a second language page, e.g. "82" (* repeats, 0 goes back and 9 changes the language '
     "on every menu)"),
    ("key used twice in a menu", '"2": call', '"1": call',
     "menus/x.yaml:31:7: '1' is written twice here: keep one"),
    ("language key used twice", 'key: "2"', 'key: "1"',
     "menus/x.yaml:12:10: key 1 is already used for 'fi': give each language its own key"),
    # texts
    ("missing translation", "      en: Here is information.\n", "",
     "menus/x.yaml:38:7: nodes.info.say has no 'en' text: add it "
     "(every text needs all the line's languages: fi, en)"),
    ("missing translation of a contact", "          en: The number\n", "",
     "menus/x.yaml:43:11: nodes.info.contacts[0].label has no 'en' text: add it "
     "(every text needs all the line's languages: fi, en)"),
    ("text in a language the line does not offer", "      en: Welcome.", "      en: Welcome.\n      sv: Välkommen.",
     "menus/x.yaml:29:7: 'sv' is not one of the line's languages (fi, en)"),
    # the menu tree

    ("start names no node", "start: top", "start: tpo",
     "menus/x.yaml:4:8: start is 'tpo', but there is no node of that name: did you mean 'top'?"),
    # numbers
    ("number without area code", "number: (08) 6155 2760\n    schedule", "number: 6155 2760\n    schedule",
     "menus/x.yaml:55:13: nodes.call.number is '6155 2760', which is not valid here: a phone number in digits "
     "as in the source, with its area code, e.g. (08) 6155 2760 or +358 8 6155 2760"),
    ("number with a digit missing", "number: (08) 6155 2760\n    schedule", "number: +358 8 6155 2760 1\n    schedule",
     "menus/x.yaml:55:13: '+358 8 6155 2760 1' is not a valid phone number: check every digit against the source"),
    ("number in words", "number: (08) 6155 2760\n    schedule", "number: call the office\n    schedule",
     "menus/x.yaml:55:13: nodes.call.number is 'call the office', which is not valid here: a phone number in "
     "digits as in the source, with its area code, e.g. (08) 6155 2760 or +358 8 6155 2760"),
    # hours
    ("hours without minutes", '"08:00-15:00"', '"8-15"',
     "menus/x.yaml:19:15: schedules.duty.weekly.monday is '8-15', which is not valid here: "
     "write HH:MM-HH:MM on the 24-hour clock, 00:00 to 23:59, e.g. 08:00-15:00"),
    ("hours past midnight", '"08:00-15:00"', '"25:00-26:00"',
     "menus/x.yaml:19:15: schedules.duty.weekly.monday is '25:00-26:00', which is not valid here: "
     "write HH:MM-HH:MM on the 24-hour clock, 00:00 to 23:59, e.g. 08:00-15:00"),
    ("start after end", '"08:00-15:00"', '"15:00-08:00"',
     "menus/x.yaml:19:15: '15:00-08:00' opens at or after it closes: the start must come before the end"),
    ("unknown weekday", "monday:", "mondy:",
     "menus/x.yaml:19:7: unknown key 'mondy' in schedules.duty.weekly: did you mean 'monday'?"),
    ("weekday in Finnish", "monday:", "maanantai:",
     "menus/x.yaml:19:7: unknown key 'maanantai' in schedules.duty.weekly: did you mean 'monday'?"),
    ("weekday in Swedish", "monday:", "Måndag:",
     "menus/x.yaml:19:7: unknown key 'Måndag' in schedules.duty.weekly: did you mean 'monday'?"),
    ("something else than a weekday", "monday:", "mon-fri:",
     "menus/x.yaml:19:7: unknown key 'mon-fri' in schedules.duty.weekly: "
     "allowed here: monday, tuesday, wednesday, thursday, friday, saturday, sunday"),
    ("closure written the Finnish way", "- 2026-12-28", "- 28.12.2026",
     "menus/x.yaml:22:9: schedules.duty.closed[0] is '28.12.2026', which is not valid here: "
     "write the date as YYYY-MM-DD, e.g. 2026-12-28"),
    ("closure on a day that does not exist", "- 2026-12-28", "- 2026-02-30",
     "menus/x.yaml:22:9: '2026-02-30' is not a date: write YYYY-MM-DD, e.g. 2026-12-28"),
    ("undefined schedule", "\n    schedule: duty\n", "\n    schedule: dutty\n",
     "menus/x.yaml:56:15: schedule 'dutty' is not defined under schedules"),
    ("unknown time zone", "Europe/Helsinki", "Europe/Helsingfors",
     "menus/x.yaml:2:11: unknown time zone 'Europe/Helsingfors': did you mean 'Europe/Helsinki'?"),
    ("time zone without region", "Europe/Helsinki", "Helsinki",
     "menus/x.yaml:2:11: timezone is 'Helsinki', which is not valid here: an IANA time zone name, "
     "e.g. Europe/Helsinki"),
    # voices
    ("unknown voice", "Polly.Amy-Neural", "Polly.Amy-Nueral",
     "menus/x.yaml:14:12: 'Polly.Amy-Nueral' is not a known text-to-speech voice: use one of Polly.Amy-Neural, "
     "Polly.Emma-Neural, Polly.Brian-Neural, Polly.Joanna-Neural, Polly.Matthew-Neural"),
]


@pytest.mark.parametrize("old, new, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_mistake_gives_one_line_saying_where_and_what_to_do(old, new, expected):
    assert broken(old, new) == [expected]


def test_an_unreachable_node_is_named():
    """A node no menu leads to would never be heard."""
    text = GOOD.replace('      "2": call\n', "")
    assert problems(text) == ["menus/x.yaml:46:3: node 'call' cannot be reached: no menu has an option for it"]


def test_a_dangling_option_is_named_with_the_node_it_probably_meant():
    """The misspelt target leads nowhere, and the node it meant is now out of reach: both are said."""
    assert broken('"2": call', '"2": cal') == [
        "menus/x.yaml:31:12: key 2 leads to 'cal', which is not a node: did you mean 'call'?",
        "menus/x.yaml:47:3: node 'call' cannot be reached: no menu has an option for it",
    ]


def test_several_problems_come_in_file_order():
    text = GOOD.replace('"1": info', '"1": infoo').replace("      en: Welcome.\n", "")
    assert problems(text) == [
        "menus/x.yaml:27:7: nodes.top.say has no 'en' text: add it (every text needs all the line's languages: fi, en)",
        "menus/x.yaml:29:12: key 1 leads to 'infoo', which is not a node: did you mean 'info'?",
        "menus/x.yaml:31:3: node 'info' cannot be reached: no menu has an option for it",
    ]


def test_empty_file_says_so():
    assert problems("# only a comment\n") == ["menus/x.yaml:1:1: the menu file is empty"]


def test_drafts_and_long_prompts_are_warnings_not_errors():
    """What may be intended is said, and the menu still goes live."""
    long_text = " ".join(["word"] * 60)
    text = GOOD.replace("reviewed: true\n  - code: en", "reviewed: false\n  - code: en").replace(
        "en: Here is information.", f"en: {long_text}")
    loaded = menu.loads(text, "menus/x.yaml")
    assert [str(w) for w in loaded.warnings] == [
        "menus/x.yaml:6:11: warning: the 'fi' texts are a draft: a native speaker has not reviewed them yet",
        "menus/x.yaml:39:11: warning: the 'en' text of nodes.info.say takes about 24 seconds to say (60 words): "
        "callers on a poor line lose track after 20 seconds; shorten it or split it into two pages",
    ]


def test_a_prompt_just_under_twenty_seconds_is_fine():
    text = GOOD.replace("en: Here is information.", "en: " + " ".join(["word"] * 50))
    assert menu.loads(text, "menus/x.yaml").warnings == ()


# -- the command -----------------------------------------------------------------

def test_validate_with_no_file_checks_the_menu_in_use(capsys):
    """No argument: IVR_MENU (here the test line, set for every test), else the bundled menu."""
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "tests/fixtures/line.yaml: can go live: 5 nodes in 8 languages (" in out[-1]
    assert all(": warning: " in line for line in out[:-1])


def test_validate_exits_1_and_prints_each_problem(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "x.yaml").write_text(GOOD.replace('"1": info', '"1": infoo'), encoding="utf-8")
    (tmp_path / "menus" / "good.yaml").write_text(GOOD, encoding="utf-8")
    assert cli.main(["validate", "menus/good.yaml", "menus/x.yaml"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "menus/good.yaml: can go live: 3 nodes in 2 languages",
        "menus/x.yaml:30:12: key 1 leads to 'infoo', which is not a node: did you mean 'info'?",
        "menus/x.yaml:32:3: node 'info' cannot be reached: no menu has an option for it",
        "menus/x.yaml: cannot go live: 2 problems",
    ]


def test_validate_a_missing_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate", "nowhere.yaml"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("nowhere.yaml:1:1: cannot read the menu file: ")


# -- `ivr validate` tells staff the whole truth: numbers inside texts, indentation, and a verdict on the last line ----

STAFF = pathlib.Path(__file__).resolve().parent.parent / "docs" / "staff.md"
FIX = "put it under contacts, so the line reads it digit by digit"



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
    readme = STAFF.read_text(encoding="utf-8")
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
