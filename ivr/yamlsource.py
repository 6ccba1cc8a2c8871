"""YAML text -> plain data plus the position of every node, and schema errors as staff read them."""

from __future__ import annotations

import difflib
import json
import pathlib

import jsonschema
import yaml

from .errors import MenuError, Problem

SCHEMA_PATH = pathlib.Path(__file__).parent / "menu.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
_SCALARS = yaml.constructor.SafeConstructor()

Path = tuple  # a path of keys and indexes into the data, () is the root


class Source:
    """The data of one YAML document and where each of its values and keys stands."""

    def __init__(self, text: str, filename: str) -> None:
        self.filename = filename
        self.values: dict[Path, tuple[int, int]] = {}
        self.keys: dict[Path, tuple[int, int]] = {}
        self.duplicates: list[Problem] = []
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            what = exc.problem or exc.context or "not valid YAML"
            if "\t" in what or "tab" in what:
                what += " (use spaces to indent, not tabs)"
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
        for error in sorted(_VALIDATOR.iter_errors(self.data), key=lambda e: list(map(str, e.absolute_path))):
            problems.append(self._explain(error))
        return sorted(set(problems), key=lambda p: (p.line, p.col, p.message))

    def _explain(self, error: jsonschema.ValidationError) -> Problem:
        path = tuple(error.absolute_path)
        where = _dotted(path)
        kind = error.validator
        if kind == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            key = extra[0] if extra else "?"
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed here: {', '.join(allowed)}"
            return self.at(path + (key,), f"unknown key {key!r} in {where}: {hint}", key=True)
        if kind == "required":
            missing = error.message.split("'")[1]
            return self.at(path, f"{where} is missing {missing!r}: add it")
        if kind == "type":
            return self.at(path, f"{where} should be {_a(error.validator_value)}, not {_a(_json_type(error.instance))}")
        if kind == "enum":
            options = ", ".join(map(str, error.validator_value))
            return self.at(path, f"{where} is {error.instance!r}: it must be one of {options}")
        if kind == "pattern":
            hint = error.schema.get("description", f"it must match {error.validator_value}")
            return self.at(path, f"{where} is {error.instance!r}, which is not valid here: {hint}")
        if kind == "propertyNames":
            return self.at(path, f"{where}: {error.message}")
        return self.at(path, f"{where}: {error.message}")


def _dotted(path: Path) -> str:
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
