"""The Kajaani immigration information line: a Twilio voice webhook serving a YAML menu."""

from .menu.errors import ConfigError, MenuError
from .web.app import create_app

__all__ = ["create_app", "ConfigError", "MenuError"]
