"""The menu model: the YAML menu loaded, checked and frozen, its opening hours and voices. No Flask."""

from .errors import ConfigError, MenuError, Problem
from .model import (
                    BACK_KEY,
                    LANGUAGE_KEY,
                    REPEAT_KEY,
                    SLOW_KEY,
                    Contact,
                    Language,
                    Menu,
                    Node,
                    Notice,
                    Number,
                    load,
                    loads,
)

__all__ = ["BACK_KEY", "LANGUAGE_KEY", "REPEAT_KEY", "SLOW_KEY", "Contact", "ConfigError",
           "Language", "Menu", "MenuError", "Node", "Notice", "Number", "Problem", "load", "loads"]
