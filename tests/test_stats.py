"""`ivr stats`: what staff learn from the call log, as a table and a chart."""

import json

from ivr import cli

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
