"""One JSON line per webhook request, from which staff can tell what each caller did."""

import datetime as dt
import json
import os
import time

import pytest

from ivr.web import calllog

from ..conftest import LINE, line_app

CALLER = "+358401234567"


def lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def call(client, url, **form):
    return client.post(url, data={"CallSid": "CA42", "From": CALLER, **form})


def test_each_request_writes_one_line_with_who_where_what_and_how_fast(client, capsys):
    """Time, call id, masked caller, language, node, key, event and latency, as JSON on stdout."""
    call(client, "/voice/choose", Digits="3")
    [entry] = lines(capsys)
    assert entry.keys() == {"time", "call", "caller", "lang", "node", "key", "event", "outcome", "status", "ms"}
    assert (entry["call"], entry["lang"], entry["node"], entry["key"], entry["event"]) == (
        "CA42", "en", "top", "3", "said")
    assert entry["status"] == 200 and isinstance(entry["ms"], float) and entry["ms"] >= 0
    when = dt.datetime.fromisoformat(entry["time"])
    assert when.utcoffset() in (dt.timedelta(hours=2), dt.timedelta(hours=3)), "Helsinki time, for staff"


def test_the_callers_number_is_never_written_whole(client, capsys):
    call(client, "/voice")
    out = capsys.readouterr().out
    assert CALLER not in out and "401234567" not in out and "1234" not in out
    assert json.loads(out)["caller"] == "+358...67"


@pytest.mark.parametrize("number, shown", [
    ("+358401234567", "+358...67"),
    ("+46701234589", "+46...89"),
    ("+358000000001", "+358...01"),  # two digits even when they start with a zero
    ("anonymous", "hidden"),
    ("client:alice", "hidden"),
    ("0401234567", "hidden"),  # no country code: cannot be trimmed safely
    ("", None),
    (None, None),
])
def test_masked(number, shown):
    assert calllog.masked(number) == shown


@pytest.mark.parametrize("url, form, expected", [
    ("/voice", {}, (None, "languages", None, "said", None)),
    ("/voice?s=1", {}, (None, "languages", None, "silence", None)),
    ("/voice/choose", {"Digits": "#"}, (None, "languages", "#", "wrong key", None)),
    ("/voice/en/top/key", {"Digits": "2"}, ("en", "office", "2", "said", None)),
    ("/voice/en/top/key", {"Digits": "*"}, ("en", "top", "*", "said", None)),
    ("/voice/en/news/key", {"Digits": "0"}, ("en", "top", "0", "said", None)),
    ("/voice/en/top/key", {"Digits": "8"}, ("en", "top", "8", "wrong key", None)),
    ("/voice/en/top/key?w=2", {"Digits": "8"}, ("en", "top", "8", "goodbye", "wrong keys")),
    ("/voice/en/top?s=1&b=1", {}, ("en", "top", None, "silence", None)),
    ("/voice/en/top?s=2&b=1", {}, ("en", "top", None, "silence", "final prompt")),
    ("/voice/en/top?s=3&b=1", {}, ("en", "top", None, "goodbye", "silence")),
    ("/voice/en/office/key", {"Digits": "1"}, ("en", "desk", "1", "dialled", None)),
    ("/voice/en/desk/dialled", {"DialCallStatus": "busy"}, ("en", "desk", None, "transfer", "busy")),
    ("/voice/fi/desk/dialled", {"DialCallStatus": "completed"}, ("fi", "desk", None, "transfer", "completed")),
    ("/voice/status", {"CallStatus": "completed"}, (None, None, None, "hung up", "completed")),
    ("/voice/xx/nowhere", {}, (None, None, None, "lost", None)),  # a place the line does not know is not logged as one
    ("/voice/fallback", {}, (None, None, None, "fallback", None)),
])
def test_events(client, capsys, url, form, expected):
    """Each kind of step is named: said, silence, wrong key, dialled, transfer outcome, goodbye, hung up."""
    call(client, url, **form)
    [entry] = lines(capsys)
    assert tuple(entry.get(name) for name in ("lang", "node", "key", "event", "outcome")) == expected


def test_a_transfer_asked_outside_hours_is_logged_as_closed(client, clock, capsys):
    clock.set("2026-12-24T10:00")
    call(client, "/voice/en/office/key", Digits="1")
    [entry] = lines(capsys)
    assert (entry["lang"], entry["event"]) == ("en", "closed")


def test_refused_and_oversized_requests_are_logged_and_other_paths_are_not(clock, capsys):
    app = line_app(clock, auth_token="test-token", require_token=True)
    client = app.test_client()
    assert client.post("/voice", data={"CallSid": "CA1"}).status_code == 403
    assert client.post("/voice", data={"CallSid": "CA1", "x": "y" * 70_000}).status_code == 413
    assert client.get("/healthz").status_code == 200
    refused, large = lines(capsys)
    assert (refused["event"], refused["status"]) == ("refused", 403)
    assert (large["event"], large["status"]) == ("too large", 413)
    assert "call" not in refused and "caller" not in refused, "nothing a refused request says is written as a call"


def test_huge_or_odd_fields_stay_short_and_a_closed_stdout_costs_no_answer(client, capsys, monkeypatch):
    call(client, "/voice/status", CallSid="CA" + "x" * 5000, From="+358" + "4" * 5000, CallStatus="é" * 500)
    [entry] = lines(capsys)
    assert entry["call"] == "CA" + "x" * 62 and entry["caller"] == "hidden" and entry["outcome"] == "é" * 64

    class Closed:
        def write(self, text):
            raise ValueError("I/O operation on closed file")

    monkeypatch.setattr("sys.stdout", Closed())
    assert call(client, "/voice/choose", Digits="3").status_code == 200


def test_the_time_follows_a_live_change_of_the_menus_time_zone(tmp_path, clock, capsys):
    """Staff count calls by local hour: a menu moved to another time zone is logged in it at once."""
    path = tmp_path / "line.yaml"
    path.write_text(LINE.read_text(encoding="utf-8"), encoding="utf-8")
    app = line_app(clock, served=None, menu=path, reload_settle_s=0)
    client = app.test_client()
    call(client, "/voice")
    path.write_text(path.read_text(encoding="utf-8").replace("timezone: Europe/Helsinki", "timezone: UTC"),
                    encoding="utf-8")
    settled = time.time() - 5
    os.utime(path, (settled, settled))
    call(client, "/voice")
    before, after = (dt.datetime.fromisoformat(entry["time"]).utcoffset() for entry in lines(capsys))
    assert before in (dt.timedelta(hours=2), dt.timedelta(hours=3)) and after == dt.timedelta(0)
