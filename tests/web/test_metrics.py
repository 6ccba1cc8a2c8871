"""/metrics: what an operator's Prometheus reads, who may read it, and that the counts are the calls'."""

import os
import pathlib
import shutil
import urllib.request
from urllib.parse import urlencode

import pytest
from prometheus_client.parser import text_string_to_metric_families
from twilio.request_validator import RequestValidator

from bench.run import TOKEN, Server
from bench.traffic import twilio_form

from ..conftest import LINE, line_app

METRICS_TOKEN = "metrics-test-token-not-a-secret"
AUTH = {"Authorization": f"Bearer {METRICS_TOKEN}"}
CALLER, CALL_SID = "+358401234567", "CA" + "7" * 32


def samples(text: str) -> dict[tuple, float]:
    """{(sample name, (label, value)...): value} of a scrape."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


@pytest.fixture
def app(clock, recordings):
    return line_app(clock, recordings, metrics_token=METRICS_TOKEN)


def scrape(client) -> dict[tuple, float]:
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return samples(response.get_data(as_text=True))


def test_no_metrics_without_the_setting(clock):
    """Without IVR_METRICS_TOKEN /metrics is not there at all."""
    client = line_app(clock).test_client()
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers=AUTH).status_code == 404


@pytest.mark.parametrize("header, status", [
    (None, 401), ("Bearer wrong", 401), (f"Basic {METRICS_TOKEN}", 401), (f"Bearer {METRICS_TOKEN}x", 401),
    ("Bearer " + "x" * 20_000, 431),
])
def test_a_missing_wrong_or_huge_token_gets_a_clear_status_and_no_metrics(app, header, status):
    response = app.test_client().get("/metrics", headers={"Authorization": header} if header else {})
    assert response.status_code == status
    assert b"ivr_" not in response.data and METRICS_TOKEN.encode() not in response.data


def test_calls_by_language_transfers_and_the_greeting_are_counted(app):
    client = app.test_client()
    form = {"CallSid": CALL_SID, "From": CALLER}
    for _ in range(3):
        client.post("/voice", data=form)
    client.post("/voice/choose", data={**form, "Digits": "3"})  # English
    client.post("/voice/choose", data={**form, "Digits": "1"})  # Finnish
    client.post("/voice/choose", data={**form, "Digits": "3"})
    client.post("/voice/choose", data={**form, "Digits": "7"})  # not a language: no call counted
    client.post("/voice/en/desk/dialled", data={**form, "DialCallStatus": "busy"})
    client.post("/voice/en/desk/dialled", data={**form, "DialCallStatus": "completed"})
    client.post("/voice/en/desk/dialled", data=form)  # no status: a failure to the operator
    got = scrape(client)
    assert got[("ivr_calls_started_total", ())] == 3
    assert got[("ivr_calls_total", (("language", "en"),))] == 2
    assert got[("ivr_calls_total", (("language", "fi"),))] == 1
    assert got[("ivr_transfers_total", (("outcome", "busy"),))] == 1
    assert got[("ivr_transfers_total", (("outcome", "completed"),))] == 1
    assert got[("ivr_transfers_total", (("outcome", "failed"),))] == 1
    assert got[("ivr_transfers_total", (("outcome", "no-answer"),))] == 0


def test_request_seconds_by_route_kind_and_no_number_or_callsid_in_any_label(app):
    client = app.test_client()
    client.post("/voice", data={"CallSid": CALL_SID, "From": CALLER})
    client.get("/healthz")
    text = client.get("/metrics", headers=AUTH).get_data(as_text=True)
    got = samples(text)
    assert got[("ivr_request_seconds_count", (("route", "webhook"),))] == 1
    assert got[("ivr_request_seconds_count", (("route", "health"),))] == 1
    assert CALL_SID not in text and "401234567" not in text and "+358" not in text


@pytest.mark.parametrize("outcome, result", [("sent", "sent"), ("already", "refused_limit"), ("cap", "refused_limit"),
                                             ("not_allowed", "refused_number"), ("failed", "error")])
def test_each_text_message_outcome_counts_under_its_result(app, outcome, result):
    from ivr.flow import events

    metrics = app.extensions["ivr.metrics"]
    metrics.count(events.Event(events.TEXTED, "en", "desk", "2", outcome), None)
    with app.test_request_context():
        got = samples(metrics.scrape().decode())
    assert got[("ivr_sms_total", (("result", result),))] == 1
    assert sum(v for (name, _), v in got.items() if name == "ivr_sms_total") == 1


def test_notices_active_is_the_live_menus_notices_today(clock, recordings):
    client = line_app(clock, recordings, metrics_token=METRICS_TOKEN).test_client()
    assert scrape(client)[("ivr_notices_active", ())] == 0
    clock.set("2026-12-15T10:00")  # within the test line's notice
    assert scrape(client)[("ivr_notices_active", ())] == 1


def test_menu_reloads_are_counted_loaded_and_refused(tmp_path, clock):
    menu = tmp_path / "menu.yaml"
    shutil.copy(LINE, menu)
    app = line_app(clock, served=None, menu=menu, metrics_token=METRICS_TOKEN, reload_settle_s=0)
    client = app.test_client()
    text = menu.read_text(encoding="utf-8")
    for content, stamp in ((text.replace("name:", "name: x", 1) + "\n", 1), ("nodes: [", 2), (text, 3)):
        menu.write_text(content, encoding="utf-8")
        os.utime(menu, (1_700_000_000 + stamp, 1_700_000_000 + stamp))
        client.post("/voice")
    got = scrape(client)
    assert got[("ivr_menu_reloads_total", (("result", "refused"),))] == 1
    assert got[("ivr_menu_reloads_total", (("result", "loaded"),))] == 2


def test_seventeen_calls_on_a_three_worker_server_read_as_seventeen(tmp_path):
    """prometheus_client's multiprocess mode under the Procfile's gunicorn: any worker's scrape adds up all."""
    folder = tmp_path / "metrics"
    server = Server("three workers", None, tmp_path / "server.log", {
        "WEB_CONCURRENCY": "3", "IVR_MENU": str(LINE), "IVR_METRICS_TOKEN": METRICS_TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(folder)})
    try:
        base = f"http://127.0.0.1:{server.port}"
        for n in range(17):
            form = twilio_form(n, Digits="3")
            signature = RequestValidator(TOKEN).compute_signature(base + "/voice/choose", form)
            request = urllib.request.Request(base + "/voice/choose", data=urlencode(form).encode(),
                                             headers={"X-Twilio-Signature": signature, "Connection": "close"})
            urllib.request.urlopen(request, timeout=10).read()
        counted = []
        for _ in range(6):  # several scrapes, landing on different workers: each sees the sum
            with urllib.request.urlopen(urllib.request.Request(base + "/metrics", headers=AUTH), timeout=10) as r:
                counted.append(samples(r.read().decode())[("ivr_calls_total", (("language", "en"),))])
        pids = {path.name.rsplit("_", 1)[-1] for path in folder.glob("counter_*.db")}
    finally:
        server.stop()
    assert counted == [17] * 6
    assert len(pids) >= 2, "the calls were answered by more than one worker"
    assert pathlib.Path(folder).is_dir()
