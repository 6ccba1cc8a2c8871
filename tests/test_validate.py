"""`ivr validate`: each mistake staff make, on a small menu written here, gives one whole line."""

import textwrap

import pytest

from ivr.settings import BUNDLED_MENU
from ivr import cli, menu
from ivr.menu.errors import MenuError

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
     "menus/x.yaml:28:6: YAML syntax: this line does not line up with the lines above: indent keys of the "
     "same level by the same number of spaces, and close every quote "
     "(the parser says: expected <block end>, but found '<block mapping start>')"),
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

def test_validate_exits_0_on_the_bundled_menu(capsys):
    assert cli.main(["validate", str(BUNDLED_MENU)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "menus/kajaani.yaml: ok, 9 nodes in 10 languages"
    assert all(": warning: " in line for line in out[:-1])


def test_validate_exits_1_and_prints_each_problem(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "x.yaml").write_text(GOOD.replace('"1": info', '"1": infoo'), encoding="utf-8")
    (tmp_path / "menus" / "good.yaml").write_text(GOOD, encoding="utf-8")
    assert cli.main(["validate", "menus/good.yaml", "menus/x.yaml"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "menus/good.yaml: ok, 3 nodes in 2 languages",
        "menus/x.yaml:30:12: key 1 leads to 'infoo', which is not a node: did you mean 'info'?",
        "menus/x.yaml:32:3: node 'info' cannot be reached: no menu has an option for it",
        "menus/x.yaml: 2 problem(s): this menu cannot go live",
    ]


def test_validate_a_missing_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate", "nowhere.yaml"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("nowhere.yaml:1:1: cannot read the menu file: ")
