"""`/metrics` for Prometheus, counted from what the web layer already knows: the event each answer was decided on.

On only when IVR_METRICS_TOKEN is set (without it /metrics is 404 and nothing is counted), and read only
with `Authorization: Bearer <that token>`. Under gunicorn, PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py makes
and empties it before the fork) holds each worker's counts, so a scrape of any worker adds up all of them.
Labels name a language, an outcome or a kind of route: never a number or a CallSid.
"""

from __future__ import annotations

import hmac
import os
import time

from flask import Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from ..flow import events
from .views import current_menu

MAX_AUTHORIZATION = 512  # a bearer token is tens of characters; a longer header is refused unread
TRANSFER_OUTCOMES = {"completed": "completed", "answered": "completed", "busy": "busy", "no-answer": "no-answer",
                     "canceled": "canceled"}  # anything else (failed, none, garbage): failed
SMS_RESULTS = {"sent": "sent", "already": "refused_limit", "cap": "refused_limit", "not_allowed": "refused_number"}
ROUTES = (("/voice/status", "status"), ("/voice/fallback", "fallback"), ("/voice", "webhook"), ("/audio/", "audio"),
          ("/healthz", "health"), ("/readyz", "health"), ("/metrics", "metrics"))
# The webhook answers in milliseconds; 0.2 s is the alert's line, 15 s Twilio's.
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0)


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


class Metrics:
    """The line's metrics, in a registry of the app's own (tests build many apps in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        own = None if multiprocess() else self.registry  # multiprocess: the files are the registry
        self.calls = Counter("ivr_calls", "Calls, by the language the caller chose", ["language"], registry=own)
        self.calls_started = Counter("ivr_calls_started", "Calls answered with the greeting", registry=own)
        self.transfers = Counter("ivr_transfers", "Transfers to the duty phone, by how they ended", ["outcome"],
                                 registry=own)
        self.sms = Counter("ivr_sms", "Text messages asked for, by result", ["result"], registry=own)
        self.reloads = Counter("ivr_menu_reloads", "Changed menu files looked at by a worker: loaded or refused",
                               ["result"], registry=own)
        self.seconds = Histogram("ivr_request_seconds", "Time to answer a request, by kind of route", ["route"],
                                 buckets=BUCKETS, registry=own)
        for outcome in ("completed", "busy", "no-answer", "failed", "canceled"):  # zeros, so rate() sees a start
            self.transfers.labels(outcome)
        for result in ("sent", "refused_limit", "refused_number", "error"):
            self.sms.labels(result)
        for result in ("loaded", "refused"):
            self.reloads.labels(result)

    def scrape(self) -> bytes:
        if not multiprocess():
            return generate_latest(self.registry)
        from prometheus_client import multiprocess as mp

        registry = CollectorRegistry()
        mp.MultiProcessCollector(registry)
        registry.register(_Notices())
        return generate_latest(registry)

    def count(self, event: events.Event | None, endpoint: str | None) -> None:
        """One answered webhook's event, as the call log writes it."""
        if event is None:
            return
        if event.kind == events.SAID and event.node == "languages" and endpoint == "voice" and not event.key:
            self.calls_started.inc()
        elif endpoint == "choose" and event.lang and event.kind in (events.SAID, events.DIALLED, events.CLOSED):
            self.calls.labels(event.lang).inc()
        if event.kind == events.TRANSFER:
            self.transfers.labels(TRANSFER_OUTCOMES.get(event.outcome or "", "failed")).inc()
        elif event.kind == events.TEXTED:
            self.sms.labels(SMS_RESULTS.get(event.outcome or "", "error")).inc()

    def reloaded(self, result: str) -> None:
        self.reloads.labels(result).inc()


class _Notices:
    """ivr_notices_active, read from the live menu at scrape time (a gauge no worker has to keep)."""

    def describe(self):
        return []

    def collect(self):
        gauge = GaugeMetricFamily("ivr_notices_active", "Notices said to callers today")
        try:
            menu = current_menu()
            today = current_app.extensions["ivr.clock"]().astimezone(menu.timezone).date()  # the line's day
            gauge.add_metric([], len(menu.notices_on(today)))
        except Exception:  # no menu, no app context: the other metrics still go out
            pass
        yield gauge


def route_kind(path: str) -> str:
    return next((kind for prefix, kind in ROUTES if path.startswith(prefix)), "other")


def _endpoint(path: str) -> str | None:
    """'voice' for the call's first request, 'choose' for a language chosen; the URL names it (ivr.urls)."""
    stripped = path.rstrip("/")
    if stripped == "/voice":
        return "voice"
    if stripped == "/voice/choose":
        return "choose"
    return None


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _record(response: Response) -> Response:
    metrics: Metrics = current_app.extensions["ivr.metrics"]
    try:
        started = g.get("metrics_started")
        if started is not None:
            metrics.seconds.labels(route_kind(request.path)).observe(time.perf_counter() - started)
        if response.status_code < 400 and request.path.startswith("/voice"):
            metrics.count(g.get("event"), _endpoint(request.path))
    except Exception:  # counting must never cost the caller an answer
        current_app.logger.exception("could not count a request in the metrics")
    return response


def authorized(token: str) -> tuple[bool, int]:
    """(let in, status to refuse with): 431 for an oversized header, 401 for a missing or wrong token."""
    header = request.headers.get("Authorization", "")
    if len(header) > MAX_AUTHORIZATION:
        return False, 431
    scheme, _, given = header.partition(" ")
    ok = scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    return ok, 401


def init_app(app: Flask) -> None:
    token = app.config["IVR"].metrics_token
    if not token:
        return  # /metrics is 404 (no route), and nothing is counted
    metrics = app.extensions["ivr.metrics"] = Metrics()
    watch = app.extensions.get("ivr.live")
    if watch is not None:
        watch.on_reload = metrics.reloaded
    if not multiprocess():
        metrics.registry.register(_Notices())
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_record)

    @app.get("/metrics")
    def scrape():
        ok, status = authorized(token)
        if not ok:
            text = "header too large\n" if status == 431 else "a bearer token is needed\n"
            return Response(text, status, mimetype="text/plain",
                            headers={"WWW-Authenticate": "Bearer"} if status == 401 else {})
        return Response(metrics.scrape(), mimetype=CONTENT_TYPE_LATEST)
