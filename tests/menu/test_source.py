"""A hostile menu file cannot hurt the line: refused with a file:line:col line, quickly, in little memory,
while calls keep the last good menu; `ivr validate` refuses the same files with the same line."""

import os
import re
import resource
import shutil
import time

import pytest

from ivr import cli, create_app
from ivr.menu import model, source
from ivr.settings import Settings

from ..answers import parse
from ..conftest import LINE

WELCOME = "The test line."  # the test line's first menu, in English
START = "/voice/en/top"
# Nine lines of nine aliases each: 342 bytes that a loader expands to 9^9 strings (about 1.7 GB).
BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
PROBLEM = re.compile(r"^[^:\n]+:\d+:\d+: \S")  # file:line:col: message


def _symlink(path, target):
    path.unlink()
    path.symlink_to(target)


def _fifo(path):
    fifo = path.with_name("pipe")
    os.mkfifo(fifo)
    _symlink(path, fifo)


def _large(path):
    with path.open("wb") as file:
        file.truncate(50_000_000)  # sparse: 50 MB that costs the disk nothing


def _text(text):
    return lambda path: path.write_text(text, encoding="utf-8")


def _menu_with(old, new):
    return lambda path: path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


HOSTILE = [
    ("alias bomb", _text(BOMB), "1:4: YAML anchors (&) and aliases (*) are not allowed"),
    ("one alias", _menu_with("timezone:", "x: &t 1\ny: *t\ntimezone:"), "anchors (&) and aliases (*) are not allowed"),
    ("FIFO", _fifo, "1:1: the menu is not a regular file but a pipe or a device"),
    ("/dev/zero", lambda path: _symlink(path, "/dev/zero"), "1:1: the menu is not a regular file but a pipe or a device"),
    ("50 MB", _large, "1:1: the menu file is 50,000,000 bytes, over the 1,048,576 a menu may have"),
    ("python tag", _menu_with("timezone: ", "timezone: !!python/name:os.system "),
     "the tag 'tag:yaml.org,2002:python/name:os.system' is not allowed in a menu"),
    ("binary tag", _menu_with("timezone: ", "timezone: !!binary "), "the tag 'tag:yaml.org,2002:binary' is not allowed"),
    ("100,000-deep list", _text("[" * 100_000 + "]" * 100_000), "1:21: nested more than 20 levels deep"),
    ("deep block list", _text("a:\n" + "".join(" " * i + "- \n" for i in range(1, 40))),
     "21:21: nested more than 20 levels deep"),
    ("too many values", _text("- x\n" * (source.MAX_NODES + 1)), "the menu has more than 100,000 values"),
]


@pytest.fixture
def menu_path(tmp_path):
    path = tmp_path / "kajaani.yaml"
    shutil.copy(LINE, path)
    return path


def _bump(path):
    """A new mtime the live menu sees at once (the settle time is 0 in these tests)."""
    if path.is_file() and not path.is_symlink():
        moment = time.time_ns() - 5_000_000_000
        os.utime(path, ns=(moment, moment))


@pytest.fixture
def line(menu_path, clock):
    return create_app(Settings(require_token=False, menu=menu_path, reload_interval_s=0, reload_settle_s=0),
                      clock=clock)


@pytest.mark.parametrize("damage, expected", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_and_calls_keep_the_last_good_menu(line, menu_path, damage, expected):
    client = line.test_client()
    live_version = client.get("/healthz").json["version"]["sha256"]
    damage(menu_path)
    _bump(menu_path)
    answer = parse(client.post(START))
    assert WELCOME in answer.text
    health = client.get("/healthz")
    assert health.status_code == 200
    version = health.json["version"]
    assert version["sha256"] == live_version
    (problem,) = version["refused"]["problems"]
    assert PROBLEM.match(problem) and expected in problem, problem
    assert parse(client.post(START)).text == answer.text  # and the next call too


@pytest.mark.parametrize("damage, expected", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_ivr_validate_refuses_a_hostile_file_with_one_clear_line(menu_path, capsys, damage, expected):
    damage(menu_path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert cli.main(["validate", str(menu_path)]) == 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200_000  # KB: no blow-up
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and PROBLEM.match(out[0]) and expected in out[0], out
    assert out[1] == f"{menu_path}: cannot go live: 1 problem"


def test_an_unexpected_error_while_checking_is_a_refusal_not_a_traceback(line, menu_path, monkeypatch, caplog):
    """A bug in the checks (here: a KeyError) refuses the file with one line; the worker answers on."""
    def broken(self):
        raise KeyError("nodes")

    monkeypatch.setattr(model._Builder, "build", broken)
    client = line.test_client()
    _menu_with(WELCOME, "Changed.")(menu_path)
    _bump(menu_path)
    assert WELCOME in parse(client.post(START)).text
    (problem,) = client.get("/healthz").json["version"]["refused"]["problems"]
    assert problem.endswith("kajaani.yaml:1:1: the menu could not be checked (KeyError: 'nodes'): fix the file")
    assert not any(record.exc_info for record in caplog.records)


def test_an_error_outside_the_checks_is_a_refusal_too(line, menu_path, monkeypatch):
    """Even reading the file failing in an unforeseen way leaves the last good menu live."""
    def broken(path):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(model, "read", broken)
    client = line.test_client()
    _menu_with(WELCOME, "Changed.")(menu_path)
    _bump(menu_path)
    assert WELCOME in parse(client.post(START)).text
    (problem,) = client.get("/healthz").json["version"]["refused"]["problems"]
    assert problem.endswith("kajaani.yaml:1:1: the menu file could not be checked (RuntimeError): fix it")


def test_a_good_menu_goes_live_again_after_a_hostile_one(line, menu_path):
    client = line.test_client()
    good = menu_path.read_text(encoding="utf-8")
    _text(BOMB)(menu_path)
    _bump(menu_path)
    client.post("/voice")
    assert client.get("/healthz").json["version"]["refused"] is not None
    menu_path.write_text(good.replace(WELCOME, "The test line, again."), encoding="utf-8")
    _bump(menu_path)
    assert "The test line, again." in parse(client.post(START)).text
    assert client.get("/healthz").json["version"]["refused"] is None


def test_a_menu_of_the_largest_size_allowed_still_loads(tmp_path):
    """The budgets leave room: a menu padded with comments to just under 1 MB goes live."""
    path = tmp_path / "big.yaml"
    text = LINE.read_text(encoding="utf-8")
    padding = model.MAX_FILE_BYTES - len(text.encode()) - 1
    path.write_text(text + "#" * padding + "\n", encoding="utf-8")
    assert path.stat().st_size == model.MAX_FILE_BYTES
    assert model.load(path).nodes
    path.write_text(text + "#" * (padding + 1) + "\n", encoding="utf-8")
    with pytest.raises(model.MenuError, match="1,048,577 bytes, over the 1,048,576 a menu may have"):
        model.load(path)
