"""The Grafana dashboard and the Prometheus alert rules in deploy/ name only metrics the line serves."""

import json
import pathlib
import re

import yaml
from prometheus_client.parser import text_string_to_metric_families

from ..conftest import line_app

ROOT = pathlib.Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "ivr-dashboard.json"
ALERTS = ROOT / "deploy" / "prometheus" / "ivr-alerts.yml"
NAMED = re.compile(r"\bivr_[a-z_]+\b")


def served() -> set[str]:
    """Every sample name the line's /metrics has after a call (histogram buckets appear with a request)."""
    client = line_app(metrics_token="t").test_client()
    client.post("/voice")
    client.post("/voice/choose", data={"Digits": "3"})  # a language chosen: ivr_calls_total{language}
    text = client.get("/metrics", headers={"Authorization": "Bearer t"}).get_data(as_text=True)
    return {sample.name for family in text_string_to_metric_families(text) for sample in family.samples}


def dashboard_exprs() -> list[str]:
    return [target["expr"] for panel in json.loads(DASHBOARD.read_text())["panels"] for target in panel["targets"]]


def alert_exprs() -> list[str]:
    return [rule["expr"] for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]


def test_every_metric_the_dashboard_and_alerts_name_is_served():
    names = {name for expr in dashboard_exprs() + alert_exprs() for name in NAMED.findall(expr)}
    assert names, "the files name the line's metrics"
    assert sorted(names - served()) == []


def test_the_alerts_cover_what_an_operator_must_hear_about():
    exprs = " ".join(alert_exprs())
    for needed in ('outcome="failed"', 'result="error"', 'result="refused"', "0.99", "> 0.2"):
        assert needed in exprs
