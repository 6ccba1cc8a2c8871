"""The studio's users: the YAML file IVR_STUDIO_USERS names, written by `ivr studio add-user`.

    amina:
      role: translator          # records her languages; a reviewer approves them
      languages: [fa]
      password: scrypt:32768:8:1$...   # werkzeug's salted hash, never the password
      pin: pbkdf2:sha256:...           # for recording by phone (`ivr studio set-pin`), or absent

No Flask here (werkzeug's hashing only).
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import tempfile

import yaml
from werkzeug.security import check_password_hash, generate_password_hash

ROLES = ("translator", "reviewer")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
MIN_PASSWORD = 10
MIN_PIN = 6
# A PIN is checked against every user's hash (no name is typed on a phone): a cheaper hash than the
# password's keeps that quick; the PIN's few digits are guarded by the rate limit, not by the hash.
PIN_METHOD = "pbkdf2:sha256:60000"
# Checked when the name is unknown, so a wrong name costs the time a wrong password does.
_DUMMY = generate_password_hash("not anyone's password")


class UsersError(ValueError):
    """The users file, or a change to it, is not usable; the message says which and why."""


@dataclasses.dataclass(frozen=True)
class User:
    name: str
    role: str
    languages: tuple[str, ...]

    def may_record(self, code: str) -> bool:
        return code in self.languages

    def may_review(self, code: str) -> bool:
        return self.role == "reviewer" and code in self.languages


@dataclasses.dataclass(frozen=True)
class _Entry:
    user: User
    password: str
    pin: str | None = None


@dataclasses.dataclass(frozen=True)
class Users:
    entries: tuple[_Entry, ...] = ()
    path: pathlib.Path | None = None

    def __iter__(self):
        return (entry.user for entry in self.entries)

    def get(self, name: str) -> User | None:
        return next((e.user for e in self.entries if e.user.name == name), None)

    def check(self, name: str, password: str) -> User | None:
        """The user whose name and password these are, else None."""
        entry = next((e for e in self.entries if e.user.name == name), None)
        ok = check_password_hash(entry.password if entry else _DUMMY, password)
        return entry.user if entry and ok else None

    def by_pin(self, pin: str) -> User | None:
        """The user whose phone PIN this is, else None."""
        if not pin.isdigit():
            return None
        return next((e.user for e in self.entries if e.pin and check_password_hash(e.pin, pin)), None)

    def add(self, name: str, role: str, languages: tuple[str, ...], password: str) -> Users:
        if not NAME.match(name):
            raise UsersError(f"{name!r} is not a user name: letters, digits, '.', '_' or '-', at most 40")
        if self.get(name):
            raise UsersError(f"{name!r} is already a user: remove-user first to change them")
        if role not in ROLES:
            raise UsersError(f"role {role!r}: write translator or reviewer")
        bad = [code for code in languages if not LANG_CODE.match(code)]
        if bad or not languages:
            raise UsersError(f"languages {','.join(languages)!r}: write the menu's codes separated by commas, e.g. fa,kmr")
        if len(password) < MIN_PASSWORD:
            raise UsersError(f"the password is too short: at least {MIN_PASSWORD} characters")
        entry = _Entry(User(name, role, tuple(languages)), generate_password_hash(password))
        return dataclasses.replace(self, entries=self.entries + (entry,))

    def remove(self, name: str) -> Users:
        if not self.get(name):
            raise UsersError(f"{name!r} is not a user")
        return dataclasses.replace(self, entries=tuple(e for e in self.entries if e.user.name != name))

    def with_pin(self, name: str, pin: str) -> Users:
        if not self.get(name):
            raise UsersError(f"{name!r} is not a user")
        if not pin.isdigit() or len(pin) < MIN_PIN:
            raise UsersError(f"a PIN is digits only, at least {MIN_PIN} of them")
        if any(e.user.name != name and e.pin and check_password_hash(e.pin, pin) for e in self.entries):
            raise UsersError("another user already has this PIN: choose another")
        hashed = generate_password_hash(pin, method=PIN_METHOD)
        return dataclasses.replace(self, entries=tuple(
            dataclasses.replace(e, pin=hashed) if e.user.name == name else e for e in self.entries))

    def save(self, path: str | pathlib.Path | None = None) -> None:
        """Write the file whole (a temporary file, then rename), readable by its owner only."""
        path = pathlib.Path(path or self.path)
        data = {e.user.name: {"role": e.user.role, "languages": list(e.user.languages), "password": e.password,
                              **({"pin": e.pin} if e.pin else {})} for e in self.entries}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("# The recording studio's users: written by `ivr studio add-user`; hashes, never passwords.\n")
            yaml.safe_dump(data, out, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)


def load(path: str | pathlib.Path) -> Users:
    """The users in `path`; a file that does not exist has none. UsersError says what is wrong where."""
    path = pathlib.Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return Users((), path)
    except (OSError, yaml.YAMLError) as exc:
        raise UsersError(f"{path}: cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise UsersError(f"{path}: expected a user name per entry, found {type(data).__name__}")
    entries = []
    for name, entry in data.items():
        where = f"{path}: user {name!r}"
        if not isinstance(entry, dict) or not NAME.match(str(name)):
            raise UsersError(f"{where}: expected role, languages and password")
        role, languages, password = entry.get("role"), entry.get("languages"), entry.get("password")
        if role not in ROLES:
            raise UsersError(f"{where}: role is {role!r}, expected translator or reviewer")
        if not isinstance(languages, list) or not all(isinstance(c, str) and LANG_CODE.match(c) for c in languages):
            raise UsersError(f"{where}: languages is {languages!r}, expected a list of language codes")
        if not isinstance(password, str) or "$" not in password:
            raise UsersError(f"{where}: password is not a hash written by `ivr studio add-user`")
        pin = entry.get("pin")
        entries.append(_Entry(User(str(name), role, tuple(languages)), password, pin if isinstance(pin, str) else None))
    return Users(tuple(entries), path)
