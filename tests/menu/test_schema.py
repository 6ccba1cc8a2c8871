"""The JSON Schema editors use: it takes a good menu and rejects each kind of mistake on its own."""

import json

import jsonschema
import pytest

from ivr import menu
from ivr.menu.source import SCHEMA, SCHEMA_PATH, Source

from ..conftest import LINE
from ..test_cli import GOOD

VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def errors(text: str) -> list[tuple[str, str]]:
    """(path, failing keyword) of each schema error, as an editor would underline them."""
    data = Source(text, "x.yaml").data  # dates stay text, as editors (YAML 1.2) read them
    return sorted(("/".join(map(str, e.absolute_path)), e.validator) for e in VALIDATOR.iter_errors(data))


def test_schema_is_a_valid_draft_07_schema_as_editors_read_it():
    jsonschema.Draft7Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_the_test_line_matches():
    assert errors(LINE.read_text(encoding="utf-8")) == []


def test_small_menu_matches():
    assert errors(GOOD) == []


MISTAKES = [
    ("misspelled key", "    say:\n      fi: Tervetuloa.", "    sya:\n      fi: Tervetuloa.",
     [("nodes/top", "additionalProperties"), ("nodes/top", "required")]),
    ("missing field", "name: Test line\n", "", [("", "required")]),
    ("wrong type", "\n    schedule: duty\n", "\n    schedule: duty\n    timeout: twenty\n",
     [("nodes/call/timeout", "type")]),
    ("unknown node type", "type: transfer", "type: transfr", [("nodes/call/type", "enum")]),
    ("empty text", "en: Here is information.", 'en: ""', [("nodes/info/say/en", "minLength")]),
    ("timeout out of range", "\n    schedule: duty\n", "\n    schedule: duty\n    timeout: 250\n",
     [("nodes/call/timeout", "maximum")]),
    ("reserved key 9 as an option", '"2": call', '"9": call', [("nodes/top/options", "pattern")]),
    ("reserved key 0 as an option", '"2": call', '"0": call', [("nodes/top/options", "pattern")]),
    ("two-digit key", '"2": call', '"10": call', [("nodes/top/options", "pattern")]),
    ("reserved key for a language", 'key: "2"', 'key: "9"', [("languages/1/key", "pattern")]),
    ("language key as a bare number", 'key: "2"', "key: 0", [("languages/1/key", "minimum")]),
    ("hours without minutes", '"08:00-15:00"', '"8-15"', [("schedules/duty/weekly/monday", "pattern")]),
    ("hours past midnight", '"08:00-15:00"', '"25:00-26:00"', [("schedules/duty/weekly/monday", "pattern")]),
    ("unknown weekday", "monday:", "mondy:", [("schedules/duty/weekly", "additionalProperties")]),
    ("closure in another format", "- 2026-12-28", '- "28.12.2026"', [("schedules/duty/closed/0", "pattern")]),
    ("closure in month 13", "- 2026-12-28", '- "2026-13-01"', [("schedules/duty/closed/0", "pattern")]),
    ("number in words", "number: (08) 6155 2760\n    schedule", "number: ask the office\n    schedule",
     [("nodes/call/number", "pattern")]),
    ("number without area code", "number: (08) 6155 2760\n    schedule", "number: 6155 2760\n    schedule",
     [("nodes/call/number", "pattern")]),
    ("time zone that is a city", "Europe/Helsinki", "Helsinki", [("timezone", "pattern")]),
    ("node name with capitals", "  info:\n", "  Info:\n", [("nodes", "pattern")]),
    ("menu without options", '    options:\n      "1": info\n      "2": call\n', "    options: {}\n",
     [("nodes/top/options", "minProperties")]),
]


@pytest.mark.parametrize("old, new, expected", [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_schema_rejects_each_mistake(old, new, expected):
    assert old in GOOD
    assert errors(GOOD.replace(old, new, 1)) == expected


def test_what_only_the_validator_knows():
    """Rules that need the whole menu (languages offered, node names, real dates) are `ivr validate`'s:
    the schema lets them through, the validator does not."""
    for old, new in [("      en: Here is information.\n", ""), ('"1": info', '"1": infoo'),
                     ("- 2026-12-28", '- "2026-02-30"'), ('"08:00-15:00"', '"15:00-08:00"')]:
        text = GOOD.replace(old, new, 1)
        assert errors(text) == []
        with pytest.raises(menu.MenuError):
            menu.loads(text, "menus/x.yaml")
