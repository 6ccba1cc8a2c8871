"""Live reload, against a running line: good changes go live, anything else is refused and logged."""

import json
import logging
import os
import shutil
import threading
import time
import urllib.parse
import urllib.request

import pytest
from werkzeug.serving import make_server

from ivr.settings import BUNDLED_MENU, Settings
from ivr import create_app, menu, phrases
from ivr.menu import live
from ivr.testers import twiml

WELCOME = "Kajaani immigration line."
# The services title's line in the file (the greeting says the same words, less indented).
SAY = f"      en: {WELCOME}\n"


class Running:
    """The line served on 127.0.0.1 from a copy of the bundled menu that the test edits."""

    def __init__(self, path, base):
        self.path, self.base = path, base

    def post(self, url, **form) -> str:
        data = urllib.parse.urlencode(form).encode()
        with urllib.request.urlopen(self.base + url, data=data, timeout=10) as response:
            answer = twiml.read(response.read())
        return " ".join(say.text for say in answer.said), answer

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
    path = tmp_path / "kajaani.yaml"
    shutil.copy(BUNDLED_MENU, path)
    app = create_app(Settings.from_env({}, require_token=False, auth_token=None, menu=path, reload_interval_s=0, reload_settle_s=0), clock=clock)
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
    assert WELCOME in line.said("/voice/en/services")
    line.edit(SAY, "      en: Immigration services of the City of Kajaani.\n")
    assert "Immigration services of the City of Kajaani." in line.said("/voice/en/services")
    after = line.health()["version"]
    assert after["sha256"] != before["sha256"] and after["refused"] is None
    assert after["sha256"] == live.hashlib.sha256(line.path.read_bytes()).hexdigest()


def test_a_bad_change_is_refused_and_the_old_menu_still_served(line, caplog):
    """A dangling option would strand callers: the line keeps the last good menu and logs why."""
    good = line.health()["version"]["sha256"]
    line.edit('"3": associations', '"3": asociations')
    with caplog.at_level(logging.ERROR, logger="ivr.menu.live"):
        text, _ = line.post("/voice/en/other_help")
    assert "Local and national associations, press 3." in text
    health = line.health()["version"]
    assert health["sha256"] == good
    rows = line.path.read_text(encoding="utf-8").splitlines()
    row, node = rows.index('      "3": asociations') + 1, rows.index("  associations:") + 1
    problems = [
        f"{menu.model.shown(line.path)}:{row}:12: key 3 leads to 'asociations', which is not a node: did you mean 'associations'?",
        f"{menu.model.shown(line.path)}:{node}:3: node 'associations' cannot be reached: no menu has an option for it",
    ]
    assert health["refused"]["problems"] == problems
    logged = [r.getMessage() for r in caplog.records if r.name == "ivr.menu.live"]
    assert logged == [f"menu change refused (version {health['refused']['sha256'][:12]}); "
                      f"version {good[:12]} stays live:", *problems]
    # A key pressed on the old menu still leads where callers were told.
    assert "These can help" in line.said("/voice/en/other_help/key", Digits="3")


def test_a_call_in_progress_continues_across_a_change(line):
    """A call in a node that still exists carries on; one whose node vanished starts its language again."""
    text = line.path.read_text(encoding="utf-8")
    line.write(text[:text.index("  associations:\n")].replace('      "3": associations\n', ""))
    assert "Vastaanottokeskus on turvapaikanhakijoille" in line.said("/voice/fi/services/key", Digits="1")
    said, answer = line.post("/voice/fi/associations/key", Digits="1")
    assert said == phrases.load("fi")(phrases.LOST)
    assert answer.redirect.url == "/voice/fi/services"
    assert "järjestöt" not in line.said("/voice/fi/other_help")


BROKEN = [
    ("emptied", lambda path: path.write_text("", encoding="utf-8"), "1:1: the menu file is empty"),
    ("half-written", lambda path: path.write_text(path.read_text(encoding="utf-8")[:3000], encoding="utf-8"),
     "is missing"),
    ("not UTF-8", lambda path: path.write_bytes(path.read_bytes().replace("Suomeksi".encode(), b"Suomeksi\xff")),
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
    assert WELCOME in line.said("/voice/en/services")
    health = line.health()["version"]
    assert health["sha256"] == live_version
    assert expected in health["refused"]["problems"][0]
    if line.path.is_dir():
        line.path.rmdir()
    line.write(good.replace(SAY, "      en: Immigration services, Kajaani.\n"))
    assert "Immigration services, Kajaani." in line.said("/voice/en/services")
    assert line.health()["version"]["refused"] is None


def test_a_file_still_being_written_waits_until_it_settles(tmp_path):
    """A truncated file can parse; one modified a moment ago is not read until it is a second old."""
    path = tmp_path / "kajaani.yaml"
    shutil.copy(BUNDLED_MENU, path)
    now = [os.stat(path).st_mtime_ns / 1e9 + 100]
    watch = live.LiveMenu(path, interval=0, settle=1.0, wall=lambda: now[0])
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(SAY, "      en: Immigration services, Kajaani.\n"), encoding="utf-8")
    now[0] = os.stat(path).st_mtime_ns / 1e9 + 0.5
    assert WELCOME in watch.current().nodes["services"].say["en"]
    now[0] += 1
    assert watch.current().nodes["services"].say["en"] == "Immigration services, Kajaani."


def test_checks_are_throttled(tmp_path):
    """Between two looks at the file, requests are served without touching the disk."""
    path = tmp_path / "kajaani.yaml"
    shutil.copy(BUNDLED_MENU, path)
    ticks = [0.0]
    watch = live.LiveMenu(path, interval=2.0, settle=0, ticks=lambda: ticks[0])
    path.write_text(path.read_text(encoding="utf-8").replace(SAY, "      en: Changed.\n"), encoding="utf-8")
    _bump(path)
    ticks[0] = 1.9
    assert watch.current().nodes["services"].say["en"] == WELCOME
    ticks[0] = 2.0
    assert watch.current().nodes["services"].say["en"] == "Changed."
