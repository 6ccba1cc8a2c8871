"""The probes: `/healthz` (liveness: this process answers) and `/readyz` (it can serve calls now).

Neither names a path, a host or a setting. /healthz says which menu version is live (its sha256, when
it was loaded, a newer one refused and why), which is what rolling a menu change needs, and which
languages callers are offered (what anyone hears by calling). /readyz answers 200 or 503 with a short
reason: the menu loaded, the text message store reachable when text messages are on, the recordings'
folder readable. During a menu reload both answer from the last good menu, without waiting for it.
"""

from __future__ import annotations

import os

from flask import Flask, current_app, jsonify

from .. import sms
from ..sms.limits import LimitsError, open_limits
from .views import current_menu


def healthz():
    menu = current_menu()
    library = current_app.extensions["ivr.audio"]
    watch = current_app.extensions.get("ivr.live")
    offered = library.offered(menu)
    return jsonify(status="ok", offered=[lang.code for lang in offered],
                   machine_made=[lang.code for lang in offered if library.status(menu, lang).machine_made],
                   version=watch.health() if watch else None)


def not_ready() -> str | None:
    """Why the line cannot serve calls now, in a few words; None when it can."""
    settings = current_app.config["IVR"]
    try:
        current_menu()
    except Exception:
        return "no menu loaded"
    folder = settings.audio
    if not (folder.is_dir() and os.access(folder, os.R_OK | os.X_OK)):
        return "the recordings folder cannot be read"
    if sms.enabled(settings):
        try:
            limits = open_limits(settings)
            try:
                limits.ping()
            finally:
                limits.close()
        except LimitsError:
            return "the text message store cannot be reached"
    return None


def readyz():
    reason = not_ready()
    if reason is not None:
        return jsonify(status="not ready", reason=reason), 503
    return jsonify(status="ready")


def init_app(app: Flask) -> None:
    app.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])
    app.add_url_rule("/readyz", "readyz", readyz, methods=["GET"])
