"""`ivr studio add-user | list-users | remove-user | set-pin`: the studio's users file (IVR_STUDIO_USERS);
`ivr studio sheet`: the numbered page to record from (sheet.py)."""

from __future__ import annotations

import argparse
import getpass
import sys

from ..settings import studio_users_path
from . import sheet, users


def _path(args: argparse.Namespace):
    path = args.users or studio_users_path()
    if path is None:
        print(f"ivr studio {args.action}: set IVR_STUDIO_USERS to the users file (or give --users FILE)",
              file=sys.stderr)
    return path


def _secret(prompt: str) -> str | None:
    """One line from the terminal without echo, or from stdin when it is not a terminal (scripts, tests)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    return line.rstrip("\r\n") if line else None


def _twice(what: str) -> str | None:
    first, second = _secret(f"{what}: "), _secret(f"{what} again: ")
    if first is None or second is None:
        print(f"ivr studio: no {what.lower()} given (type it twice)", file=sys.stderr)
        return None
    if first != second:
        print(f"ivr studio: the two {what.lower()}s differ: nothing changed", file=sys.stderr)
        return None
    return first


def _change(args: argparse.Namespace, change) -> int:
    path = _path(args)
    if path is None:
        return 1
    try:
        found = users.load(path)
        changed = change(found)
        if changed is None:
            return 1
        changed.save(path)
    except users.UsersError as exc:
        print(f"ivr studio {args.action}: {exc}", file=sys.stderr)
        return 1
    return 0


def add_user(args: argparse.Namespace) -> int:
    def change(found: users.Users):
        languages = tuple(code.strip() for code in args.languages.split(",") if code.strip())
        password = _twice("Password")
        return None if password is None else found.add(args.name, args.role, languages, password)

    status = _change(args, change)
    if not status:
        print(f"{args.name}: {args.role} of {args.languages}", file=sys.stderr)
    return status


def remove_user(args: argparse.Namespace) -> int:
    return _change(args, lambda found: found.remove(args.name))


def set_pin(args: argparse.Namespace) -> int:
    def change(found: users.Users):
        if found.get(args.name) is None:
            raise users.UsersError(f"{args.name!r} is not a user")
        pin = _twice("PIN")
        return None if pin is None else found.with_pin(args.name, pin)

    return _change(args, change)


def list_users(args: argparse.Namespace) -> int:
    path = _path(args)
    if path is None:
        return 1
    try:
        found = users.load(path)
    except users.UsersError as exc:
        print(f"ivr studio list-users: {exc}", file=sys.stderr)
        return 1
    for entry in found.entries:
        user = entry.user
        print(f"{user.name}\t{user.role}\t{','.join(user.languages)}\t{'PIN set' if entry.pin else 'no PIN'}")
    return 0


def _add_user_args(action) -> None:
    action.add_argument("name")
    action.add_argument("--role", required=True, choices=users.ROLES)
    action.add_argument("--languages", required=True, help="language codes, e.g. fa,kmr")


# (name, function, help, extra arguments): `ivr studio sheet` and later commands are added here.
SUBCOMMANDS = [
    ("add-user", add_user, "add a translator or reviewer (the password is read twice from stdin)", _add_user_args),
    ("list-users", list_users, "the users, their roles and languages", None),
    ("remove-user", remove_user, "remove a user", lambda action: action.add_argument("name")),
    ("set-pin", set_pin, "set a user's PIN for recording by phone (read twice from stdin)",
     lambda action: action.add_argument("name")),
    ("sheet", sheet.command, "a numbered page of the texts to record in a language, for recording by phone",
     sheet.arguments),
]


def register(commands) -> None:
    group = commands.add_parser("studio", help="the recording studio's users (IVR_STUDIO_USERS)")
    actions = group.add_subparsers(dest="action", required=True)
    for name, func, text, extra in SUBCOMMANDS:
        action = actions.add_parser(name, help=text)
        action.add_argument("--users", help="the users file (default: IVR_STUDIO_USERS)")
        if extra:
            extra(action)
        action.set_defaults(func=func)
