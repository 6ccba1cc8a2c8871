"""`ivr stats`: what staff learn from the call log, as a table and a chart.

`ivr stats` on real logs: no chart extra, broken lines, refused requests, and fields a forger wrote.
"""

import json
import pathlib
import sys

import pytest

from ivr import cli
from ivr.staff import stats

CALLS = {
    # An English caller who asks for the desk during its hours; the line is busy.
    "CA1": ("2026-11-30T09:15:00.000+02:00", [
        ("/voice", {}), ("/voice/choose", {"Digits": "3"}), ("/voice/en/top/key", {"Digits": "2"}),
        ("/voice/en/office/key", {"Digits": "1"}), ("/voice/en/desk/dialled", {"DialCallStatus": "busy"}),
        ("/voice/status", {"CallStatus": "completed"})]),
    # A Finnish caller who goes quiet at the start menu.
    "CA2": ("2026-11-30T09:40:00.000+02:00", [
        ("/voice", {}), ("/voice/choose", {"Digits": "1"}), ("/voice/fi/top?s=1&b=1", {}),
        ("/voice/fi/top?s=2&b=1", {}), ("/voice/status", {"CallStatus": "completed"})]),
    # A Swedish caller who presses keys that are not in the menu.
    "CA3": ("2026-12-01T14:05:00.000+02:00", [
        ("/voice", {}), ("/voice/choose", {"Digits": "#"}), ("/voice/choose?w=1", {"Digits": "2"}),
        ("/voice/sv/top/key", {"Digits": "7"}), ("/voice/sv/top/key?w=1", {"Digits": "8"}),
        ("/voice/sv/top/key?w=2", {"Digits": "#"})]),
}


def write_log(client, capsys, path):
    lines = ["[2026-11-30 07:00:00 +0000] [1] [INFO] Booting worker with pid: 1"]  # server noise
    ms = 0
    for call, (time, steps) in CALLS.items():
        for url, form in steps:
            client.post(url, data={"CallSid": call, "From": "+358401234567", **form})
            entry = json.loads(capsys.readouterr().out)
            ms += 1
            entry.update(time=time, ms=float(ms))
            lines.append(json.dumps(entry))
    lines.append(json.dumps({"time": "2026-12-01T15:00:00.000+02:00", "call": None, "event": "refused",
                             "status": 403, "ms": 100.0}))
    path.write_text("\n".join(lines) + "\n")


def test_the_table_counts_calls_languages_services_transfers_endings_and_latency(client, clock, capsys, tmp_path):
    log = tmp_path / "calls.log"
    write_log(client, capsys, log)
    assert cli.main(["stats", str(log), "--chart", ""]) == 0
    assert capsys.readouterr().out == """\
3 calls, 18 webhook requests
Calls per day:
  2026-11-30                        2
  2026-12-01                        1
Calls per hour of the day:
  09:00                             2
  14:00                             1
Languages chosen:
  en                                1
  fi                                1
  sv                                1
Services listened to (calls):
  top                               3
  office                            1
Transfers by outcome:
  busy                              1
Calls that ended in:
  silence                           1
  wrong keys                        1
Requests refused:
  refused                           1
Lines skipped (not call log entries):
  not JSON                          1
Webhook latency: median 9.5 ms, 99th percentile 100.0 ms
"""


def test_the_chart_is_a_png(client, capsys, tmp_path):
    log = tmp_path / "calls.log"
    write_log(client, capsys, log)
    chart = tmp_path / "chart.png"
    assert cli.main(["stats", str(log), "--chart", str(chart)]) == 0
    assert f"Chart: {chart}" in capsys.readouterr().out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000


def test_an_unreadable_log_is_one_clear_line(tmp_path, capsys):
    assert cli.main(["stats", str(tmp_path / "missing.log"), "--chart", ""]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'missing.log'}: cannot read: No such file or directory\n"


# -- `ivr stats` on real logs: no chart extra, broken lines, refused requests, and fields a forger wrote ----

OPERATIONS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "operations.md"
INSTALL = ".venv/bin/pip install -e '.[stats]'"


def line(call, time, event, **fields) -> str:
    return json.dumps({"time": time, "call": call, "caller": "+358...67", "lang": None, "node": None, "key": None,
                       "event": event, "outcome": None, "status": 200, "ms": 2.0, **fields})


# One English call that hears the services menu and the reception centre, then hangs up.
CALL = [
    line("CA1", "2026-11-30T09:15:00.000+02:00", "said", node="languages"),
    line("CA1", "2026-11-30T09:15:05.000+02:00", "said", lang="en", node="services", key="3"),
    line("CA1", "2026-11-30T09:15:09.000+02:00", "said", lang="en", node="reception_centre", key="5"),
    line("CA1", "2026-11-30T09:16:00.000+02:00", "hung up", outcome="completed", status=204),
]


def run(tmp_path, capsys, log_lines, *args) -> tuple[int, str, str]:
    log = tmp_path / "server.log"
    log.write_text("\n".join(log_lines) + "\n", encoding="utf-8")
    status = cli.main(["stats", str(log), *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def no_matplotlib(monkeypatch):
    """As on a machine without the [stats] extra: importing matplotlib fails."""
    for name in [n for n in sys.modules if n == "matplotlib" or n.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)


def test_without_matplotlib_the_table_is_printed_and_one_line_says_how_to_get_the_chart(
        tmp_path, capsys, monkeypatch, no_matplotlib):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(tmp_path, capsys, CALL)
    assert status == 0
    assert out.startswith("1 calls, 4 webhook requests\n") and "  reception_centre                  1\n" in out
    assert err == f"The chart needs matplotlib: install it once with {INSTALL}, then add --chart stats.png\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["server.log"]


def test_without_matplotlib_a_chart_asked_for_fails_after_the_table(tmp_path, capsys, monkeypatch, no_matplotlib):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(tmp_path, capsys, CALL, "--chart", "stats.png")
    assert status == 1 and out.startswith("1 calls, 4 webhook requests\n")
    assert err.count("\n") == 1 and INSTALL in err
    assert not (tmp_path / "stats.png").exists()


def test_the_install_command_is_the_readmes():
    assert stats.INSTALL_CHART == INSTALL
    assert f"    {INSTALL}     # once, for the chart" in OPERATIONS.read_text(encoding="utf-8")


def test_no_chart_is_written_unless_asked(tmp_path, capsys, monkeypatch):
    """With matplotlib installed, the current folder stays as it was; --chart writes exactly there."""
    monkeypatch.chdir(tmp_path)
    status, out, err = run(tmp_path, capsys, CALL)
    assert status == 0 and err == "For a chart of the same, add --chart stats.png\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["server.log"]
    status, out, err = run(tmp_path, capsys, CALL, "--chart", str(tmp_path / "out" / "x.png"))
    assert status == 1 and err.endswith("out/x.png: cannot write the chart: No such file or directory\n")


def test_broken_lines_are_skipped_and_counted(tmp_path, capsys):
    broken = [
        "[2026-11-30 07:00:00 +0000] [1] [INFO] Booting worker with pid: 1",  # the server's own message
        CALL[0][:40],  # cut short when the disk filled
        json.dumps(["not", "an", "entry"]),
        json.dumps({"call": "CA2", "event": "said"}),  # no time
        json.dumps({"time": "2026-11-30T10:00:00", "call": "CA2"}),  # no event
        line("CA2", "2026-11-30T10:00:00", ["said"]),  # an event that is not a text
        line("CA2", "2026-11-30T10:00:00", "said", ms="fast"),
        line("CA2", "2026-11-30T10:00:00", "said", status=True),
        line("CA2", "30.11.2026 10:00", "said"),
        line("CA2", "yesterday", "said"),
        "[" * 100_000,  # garbage nested deeper than the JSON reader goes
    ]
    status, out, _ = run(tmp_path, capsys, [*broken[:4], *CALL, *broken[4:], ""])
    assert status == 0
    assert out.startswith("1 calls, 4 webhook requests\n")
    assert out.split("Lines skipped (not call log entries):\n")[1].split("Webhook")[0] == (
        "  a field missing or wrong          6\n"
        "  not JSON                          3\n"
        "  time not ISO 8601                 2\n")


def test_refused_requests_are_never_calls(tmp_path, capsys):
    """A forged request carries a call id of its choosing; the line refused it, so nobody called."""
    log = CALL + [
        line("CAforged", "2026-11-30T11:00:00.000+02:00", "refused", lang="en", node="duty", status=403),
        line("CAforged", "2026-11-30T11:00:01.000+02:00", "refused", lang="en", node="duty", status=403),
        line("CAbig", "2026-12-01T11:00:00.000+02:00", "too large", status=413),
        line("CA1", "2026-11-30T09:16:01.000+02:00", "refused", lang="fi", status=403),
    ]
    status, out, _ = run(tmp_path, capsys, log)
    assert status == 0
    assert out.startswith("1 calls, 8 webhook requests\nCalls per day:\n  2026-11-30                        1\n"
                          "Calls per hour of the day:\n  09:00                             1\n"
                          "Languages chosen:\n  en                                1\n")
    assert "Requests refused:\n  refused                           3\n  too large                         1\n" in out


def test_control_characters_in_fields_are_printed_escaped(tmp_path, capsys):
    """A terminal never receives an escape sequence or a bidi override from the log."""
    log = [
        line("CA9", "2026-11-30T09:15:00.000+02:00", "said", lang="\x1b[2J\x1b]0;owned\x07", node="services"),
        line("CA9", "2026-11-30T09:15:04.000+02:00", "transfer", lang="en", node="duty",
             outcome="busy\u202egnp.exe\r\n"),
    ]
    status, out, _ = run(tmp_path, capsys, log)
    assert status == 0
    assert not any(c in out for c in "\x1b\x07\r\u202e")
    assert "  \\x1b[2J\\x1b]0;owned\\x07           1\n" in out
    assert "  busy\\u202egnp.exe\\r\\n" in out
