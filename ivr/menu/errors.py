"""The one error staff see, and the problems it carries, each with a position in the YAML."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) at `file:line:col`, 1-based as editors count."""

    file: str
    line: int
    col: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}:{self.col}: {kind}{self.message}"


class MenuError(Exception):
    """The menu cannot go live; `problems` says where and what to fix."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(Exception):
    """The line's configuration (environment) is not usable."""
