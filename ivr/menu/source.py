"""YAML text -> plain data plus the position of every node, and schema errors as staff read them."""

from __future__ import annotations

import difflib
import json
import pathlib
import re

import jsonschema
import yaml
from babel.dates import get_day_names

from . import hours, indentation
from .errors import MenuError, Problem

SCHEMA_PATH = pathlib.Path(__file__).parent / "schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
# Draft 7: the draft common YAML editor extensions validate with (newer ones only get a warning there).
_VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
_SCALARS = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"

Path = tuple  # a path of keys and indexes into the data, () is the root

# Budgets that keep a hostile file from costing the line its memory or time. Without aliases the
# data is no bigger than the text (at most model.MAX_FILE_BYTES); these bound the nodes built from it.
MAX_NODES = 100_000  # the bundled menu has about 650; 500 services in 10 languages about 39,000
MAX_DEPTH = 20  # the deepest value of a menu is 6 levels down
# The tags a menu's values may carry (the YAML core schema): nothing a loader would run or import.
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep: no menu is; check the indentation and brackets"
_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}

# PyYAML's words for the mistakes people make most, and what to do about them.
_SYNTAX_HINTS = (
    ("'\\t'", "a tab character: indent with spaces only, never tabs"),
    ("mapping values are not allowed", "a ': ' inside a text: put the whole text in double quotes"),
    ("expected <block end>", "this line does not line up with the lines above: "
                             "indent keys of the same level by the same number of spaces, and close every quote"),
    ("could not find expected ':'", "a line without 'key: value': check the ':' and the indentation"),
    ("found unexpected end of stream", "a quote or bracket is opened but never closed"),
    ("expected ',' or ']'", "a list in [ ] is not closed: add the ] where it ends"),
)


def _screen(text: str, filename: str) -> None:
    """MenuError for what no menu needs and a hostile file uses: anchors and aliases (a few hundred
    bytes of them expand to gigabytes), tags beyond the core schema (!!python/...), nesting deeper than
    MAX_DEPTH, more than MAX_NODES values. Streams the parser's events: nothing is built yet."""
    depth = nodes = 0
    events = yaml.parse(text, Loader=yaml.SafeLoader)
    while True:
        try:
            event = next(events)
        except StopIteration:
            return
        except yaml.YAMLError:
            return  # a syntax error: composing the text reports it in the usual words
        if not isinstance(event, yaml.NodeEvent):
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            continue
        mark = event.start_mark
        where = (filename, mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise MenuError([Problem(*where, "YAML anchors (&) and aliases (*) are not allowed in a menu: "
                                             "write the value out where it is used")])
        if event.tag is not None and event.tag not in _TAGS:
            raise MenuError([Problem(*where, f"the tag {event.tag!r} is not allowed in a menu: remove it")])
        nodes += 1
        if nodes > MAX_NODES:
            raise MenuError([Problem(*where, f"the menu has more than {MAX_NODES:,} values: is it the right file?")])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise MenuError([Problem(*where, _TOO_DEEP)])


class Source:
    """The data of one YAML document and where each of its values and keys stands."""

    def __init__(self, text: str, filename: str) -> None:
        self.filename = filename
        self.values: dict[Path, tuple[int, int]] = {}
        self.keys: dict[Path, tuple[int, int]] = {}
        self.duplicates: list[Problem] = []
        try:
            _screen(text, filename)
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            what = exc.problem or exc.context or "not valid YAML"
            quote = _unclosed_quote(text, mark.line)
            if quote:
                raise MenuError([Problem(filename, *quote, 'YAML syntax: a quote (") opened here is not closed '
                                                             'on this line: add the closing "')]) from None
            misindented = indentation.misindented(text, exc)
            if misindented:
                raise MenuError([Problem(filename, *misindented)]) from None
            hint = next((hint for words, hint in _SYNTAX_HINTS if words in what), None)
            if hint:
                what = f"{hint} (the parser says: {what})"
            raise MenuError([Problem(filename, mark.line + 1, mark.column + 1, f"YAML syntax: {what}")]) from None
        except yaml.YAMLError as exc:
            raise MenuError([Problem(filename, 1, 1, f"YAML syntax: {exc}")]) from None
        if node is None:
            raise MenuError([Problem(filename, 1, 1, "the menu file is empty")])
        self.data = self._build(node, ())

    def _build(self, node: yaml.Node, path: Path):
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in result:
                    line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                    self.duplicates.append(
                        Problem(self.filename, line, col, f"{key!r} is written twice here: keep one")
                    )
                self.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self._build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._build(item, path + (index,)) for index, item in enumerate(node.value)]
        if node.tag == _STR:  # most of a menu; the value is the text itself
            return node.value
        if node.tag.endswith((":timestamp", ":null")):
            return None if node.tag.endswith(":null") else node.value
        return _SCALARS.construct_object(node)

    def at(self, path: Path, message: str, warning: bool = False, key: bool = False) -> Problem:
        """A problem at the value (or, with key=True, the key) found at `path`, or its nearest parent."""
        table = self.keys if key and tuple(path) in self.keys else self.values
        path = tuple(path)
        while path not in table and path:
            path = path[:-1]
        line, col = table.get(path, (1, 1))
        return Problem(self.filename, line, col, message, warning)

    def schema_problems(self) -> list[Problem]:
        problems = list(self.duplicates)
        errors = sorted(_VALIDATOR.iter_errors(self.data), key=lambda e: list(map(str, e.absolute_path)))
        # A misspelled key also leaves its right spelling "missing": say the misspelling only.
        guessed = {(tuple(e.absolute_path), _guess(e)) for e in errors if e.validator == "additionalProperties"}
        for error in errors:
            if error.validator == "required" and (tuple(error.absolute_path), _missing(error)) in guessed:
                continue
            problems.append(self._explain(error))
        return sorted(set(problems), key=lambda p: (p.line, p.col, p.message))

    def _explain(self, error: jsonschema.ValidationError) -> Problem:
        path = tuple(error.absolute_path)
        where = dotted(path)
        kind = error.validator
        if kind == "additionalProperties":
            key = _extra(error)
            close = _guess(error)
            allowed = ", ".join(error.schema.get("properties", {}))
            hint = f"did you mean {close!r}?" if close else f"allowed here: {allowed}"
            return self.at(path + (key,), f"unknown key {key!r} in {where}: {hint}", key=True)
        if kind == "required":
            missing = _missing(error)
            typo = difflib.get_close_matches(missing, [str(k) for k in error.instance], n=1)
            if typo:  # a misspelt required key: name the typo, not only what is missing
                return self.at(path + (typo[0],), f"unknown key {typo[0]!r} in {where}: did you mean {missing!r}?", key=True)
            return self.at(path, f"{where} is missing {missing!r}: add it")
        if kind == "type":
            return self.at(path, f"{where} should be {_a(error.validator_value)}, not {_a(_json_type(error.instance))}")
        if kind == "enum":
            options = ", ".join(map(str, error.validator_value))
            return self.at(path, f"{where} is {error.instance!r}: it must be one of {options}")
        if kind == "pattern" and "propertyNames" in error.schema_path:
            # A key of the mapping is wrong: point at that key.
            hint = error.schema.get("description", f"it must match {error.validator_value}")
            return self.at(path + (error.instance,), f"{error.instance!r} cannot be a key in {where}: {hint}", key=True)
        if kind == "pattern":
            hint = error.schema.get("description", f"it must match {error.validator_value}")
            return self.at(path, f"{where} is {error.instance!r}, which is not valid here: {hint}")
        if kind in ("minimum", "maximum"):
            low, high = error.schema.get("minimum"), error.schema.get("maximum")
            return self.at(path, f"{where} is {error.instance}: it must be from {low} to {high}")
        if kind == "minLength":
            return self.at(path, f"{where} is empty: write the text, or remove the line")
        if kind in ("minItems", "minProperties"):
            return self.at(path, f"{where} is empty: it needs at least {error.validator_value}")
        return self.at(path, f"{where}: {error.message}")


def _extra(error: jsonschema.ValidationError) -> str:
    known = error.schema.get("properties", {})
    return next((k for k in error.instance if k not in known), "?")


def _guess(error: jsonschema.ValidationError) -> str | None:
    known = list(error.schema.get("properties", {}))
    key = _extra(error)
    close = difflib.get_close_matches(key, known, n=1)
    translated = _WEEKDAYS.get(key.lower())
    return close[0] if close else translated if translated in known else None


# Weekdays as staff may write them in Finnish or Swedish, for a did-you-mean.
_WEEKDAYS = {name.lower(): hours.WEEKDAYS[index] for code in ("fi", "sv") for context in ("format", "stand-alone")
             for index, name in get_day_names("wide", context, code).items()}


def _missing(error: jsonschema.ValidationError) -> str:
    return error.message.split("'")[1]


# A value that starts with a double quote and has no other on its line: `key: "08:00-15:00`.
_OPEN_QUOTE = re.compile(r'^\s*(?:- +)?(?:[^\s#"][^:#"]*: +)?"(?=[^"]*$)')


def _unclosed_quote(text: str, last: int) -> tuple[int, int] | None:
    """The first line up to `last` (0-based) whose value opens a double quote it never closes: (line, col).

    The parser reports an unclosed quote far below it, where the text it swallowed ends.
    """
    for number, line in enumerate(text.splitlines()[:last + 1]):
        opened = _OPEN_QUOTE.match(line)
        if opened:
            return number + 1, opened.end()
    return None


def dotted(path: Path) -> str:
    if not path:
        return "the menu"
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _json_type(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def _a(kind) -> str:
    names = {"object": "a mapping (key: value lines)", "array": "a list (lines starting with -)",
             "string": "a text", "boolean": "true or false", "integer": "a whole number",
             "number": "a number", "null": "empty"}
    if isinstance(kind, list):
        return " or ".join(names.get(k, k) for k in kind)
    return names.get(kind, kind)
