"""Live reload, against a running line: good changes go live, anything else is refused and logged."""

import json
import logging
import os
import shutil
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from werkzeug.serving import make_server

from ivr import menu, phrases
from ivr.menu import live

from ..conftest import LINE, LINE_MENU, line_app

WELCOME = LINE_MENU.nodes["top"].say["en"]


def at(text: str, line: str, word: str) -> str:
    """LINE:COLUMN (1-based, as `ivr validate` prints them) of `word` on the first line that is `line`."""
    number = text.splitlines().index(line)
    return f"{number + 1}:{line.index(word) + 1}"


class Running:
    """The line served on 127.0.0.1 from a copy of the test line that the test edits."""

    def __init__(self, path, base):
        self.path, self.base = path, base

    def post(self, url, **form) -> str:
        data = urllib.parse.urlencode(form).encode()
        with urllib.request.urlopen(self.base + url, data=data, timeout=10) as response:
            root = ET.fromstring(response.read())
        return " ".join(" ".join(" ".join(say.itertext()).split()) for say in root.iter("Say")), root

    def said(self, url, **form) -> str:
        return self.post(url, **form)[0]

    def health(self) -> dict:
        with urllib.request.urlopen(self.base + "/healthz", timeout=10) as response:
            return json.loads(response.read())

    def edit(self, old: str, new: str) -> None:
        text = self.path.read_text(encoding="utf-8")
        assert old in text
        self.write(text.replace(old, new, 1))

    def write(self, text: str) -> None:
        self.path.write_text(text, encoding="utf-8")
        _bump(self.path)


def _bump(path):
    """A new mtime even where timestamps are coarse; a few seconds back, so the file has settled."""
    _bump.count += 1
    moment = time.time_ns() - 5_000_000_000 + _bump.count * 1000
    os.utime(path, ns=(moment, moment))


_bump.count = 0


@pytest.fixture
def line(tmp_path, clock):
    path = tmp_path / "line.yaml"
    shutil.copy(LINE, path)
    app = line_app(clock, served=None, menu=path, reload_settle_s=0)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Running(path, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join()


def test_a_good_change_goes_live_without_a_restart(line):
    """Staff save a corrected text: the next caller hears it, and /healthz names the new version."""
    before = line.health()["version"]
    assert WELCOME in line.said("/voice/en/top")
    line.edit(WELCOME, "The test line, changed.")
    assert "The test line, changed." in line.said("/voice/en/top")
    after = line.health()["version"]
    assert after["sha256"] != before["sha256"] and after["refused"] is None
    assert after["sha256"] == live.hashlib.sha256(line.path.read_bytes()).hexdigest()


def test_a_bad_change_is_refused_and_the_old_menu_still_served(line, caplog):
    """A dangling option would strand callers: the line keeps the last good menu and logs why."""
    good = line.health()["version"]["sha256"]
    text = line.path.read_text(encoding="utf-8")
    line.edit('"3": forms', '"3": fomrs')
    with caplog.at_level(logging.ERROR, logger="ivr.menu.live"):
        said, root = line.post("/voice/en/top")
    assert WELCOME in said and "Forms, press 3." in said
    health = line.health()["version"]
    assert health["sha256"] == good
    shown = menu.model.shown(line.path)
    option = at(text, '      "3": forms', "forms")
    problems = [
        f"{shown}:{option}: key 3 leads to 'fomrs', which is not a node: did you mean 'forms'?",
        f"{shown}:{at(text, '  forms:', 'forms')}: node 'forms' cannot be reached: no menu has an option for it",
    ]
    assert health["refused"]["problems"] == problems
    logged = [r.getMessage() for r in caplog.records if r.name == "ivr.menu.live"]
    assert logged == [f"menu change refused (version {health['refused']['sha256'][:12]}); "
                      f"version {good[:12]} stays live:", *problems]
    # A key pressed on the old menu still leads where callers were told.
    assert LINE_MENU.nodes["forms"].say["en"] in line.said("/voice/en/top/key", Digits="3")


def test_a_call_in_progress_continues_across_a_change(line):
    """A call in a node that still exists carries on; one whose node vanished starts its language again."""
    text = line.path.read_text(encoding="utf-8")
    forms = LINE_MENU.nodes["forms"].label["fi"]
    assert forms in line.said("/voice/fi/top")
    line.write(text[:text.index("  forms:\n")].replace('      "3": forms\n', ""))
    assert LINE_MENU.nodes["office"].say["fi"] in line.said("/voice/fi/top/key", Digits="2")
    said, root = line.post("/voice/fi/forms/key", Digits="1")
    assert said == phrases.load("fi")(phrases.LOST)
    assert root.find("Redirect").text == "/voice/fi/top"
    assert forms not in line.said("/voice/fi/top"), "the removed option is no longer offered"


def half(text: str) -> str:
    """A copy stopped where the nodes begin: it parses, but has no nodes."""
    return text[:text.index("\nnodes:") + 1]


BROKEN = [
    ("emptied", lambda path: path.write_text("", encoding="utf-8"), "1:1: the menu file is empty"),
    ("half-written", lambda path: path.write_text(half(path.read_text(encoding="utf-8")), encoding="utf-8"),
     "is missing"),
    ("not UTF-8", lambda path: path.write_bytes(path.read_bytes().replace(b"Suomeksi", b"Suomeksi\xff")),
     "1:1: cannot read the menu file: not UTF-8 text (invalid start byte at byte"),
    ("unreadable", lambda path: (path.unlink(), path.mkdir()), "1:1: cannot read the menu file: [Errno 21]"),
    ("deleted", lambda path: path.unlink(), ": the menu file is gone: put it back"),
]


@pytest.mark.parametrize("damage, expected", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_damaged_file_is_refused_until_it_is_good_again(line, damage, expected):
    good = line.path.read_text(encoding="utf-8")
    live_version = line.health()["version"]["sha256"]
    damage(line.path)
    if line.path.is_file():
        _bump(line.path)
    assert WELCOME in line.said("/voice/en/top")
    health = line.health()["version"]
    assert health["sha256"] == live_version
    assert expected in health["refused"]["problems"][0]
    if line.path.is_dir():
        line.path.rmdir()
    line.write(good.replace(WELCOME, "The test line, again."))
    assert "The test line, again." in line.said("/voice/en/top")
    assert line.health()["version"]["refused"] is None


def test_a_file_still_being_written_waits_until_it_settles(tmp_path):
    """A truncated file can parse; one modified a moment ago is not read until it is a second old."""
    path = tmp_path / "line.yaml"
    shutil.copy(LINE, path)
    now = [os.stat(path).st_mtime_ns / 1e9 + 100]
    watch = live.LiveMenu(path, interval=0, settle=1.0, wall=lambda: now[0])
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(WELCOME, "The test line, again."), encoding="utf-8")
    now[0] = os.stat(path).st_mtime_ns / 1e9 + 0.5
    assert WELCOME == watch.current().nodes["top"].say["en"]
    now[0] += 1
    assert watch.current().nodes["top"].say["en"] == "The test line, again."


def test_checks_are_throttled(tmp_path):
    """Between two looks at the file, requests are served without touching the disk."""
    path = tmp_path / "line.yaml"
    shutil.copy(LINE, path)
    ticks = [0.0]
    watch = live.LiveMenu(path, interval=2.0, settle=0, ticks=lambda: ticks[0])
    path.write_text(path.read_text(encoding="utf-8").replace(WELCOME, "Changed."), encoding="utf-8")
    _bump(path)
    ticks[0] = 1.9
    assert watch.current().nodes["top"].say["en"] == WELCOME
    ticks[0] = 2.0
    assert watch.current().nodes["top"].say["en"] == "Changed."
