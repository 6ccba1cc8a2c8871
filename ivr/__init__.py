"""The Kajaani immigration information line: a Twilio voice webhook serving a YAML menu."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from flask import Flask, jsonify
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import PathConverter

from . import audio, audio_views, calllog, fallback, forms, hours, live, menu, security, views, webphone
from .errors import ConfigError, MenuError

__all__ = ["create_app", "ConfigError", "MenuError"]

MAX_BODY_BYTES = 64 * 1024  # Twilio's requests are a few kilobytes


class AnyPath(PathConverter):
    """Werkzeug's path, but also across newlines (%0A) and slashes in a row."""

    regex = "(?s:.+?)"
    part_isolating = False


def settings(environ: Mapping[str, str] | None = None) -> dict:
    """The line's settings from the environment (see README, Configuration)."""
    environ = os.environ if environ is None else environ
    return {
        "AUTH_TOKEN": environ.get("TWILIO_AUTH_TOKEN") or None,
        "MENU": environ.get("IVR_MENU") or str(menu.DEFAULT_MENU),
        "PUBLIC_URL": environ.get("IVR_PUBLIC_URL") or None,
        "NOW": environ.get("IVR_NOW") or None,
        "AUDIO": environ.get("IVR_AUDIO") or str(audio.AUDIO_DIR),
        "REQUIRE_TOKEN": True,
        "SIMULATOR": False,  # the /simulator page, for testers; `ivr serve` turns it on
        "CALL_LOG": True,  # one JSON line per webhook request on stdout; off for the line run in-process
    }


def create_app(test_config: Mapping | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """Build the line. Loads and checks the menu now, so a bad menu fails before the first call."""
    app = Flask(__name__)
    app.request_class = forms.Request
    app.config.update(settings(environ))
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    if test_config:
        app.config.update(test_config)
    if app.config["REQUIRE_TOKEN"] and not app.config["AUTH_TOKEN"]:
        raise ConfigError("TWILIO_AUTH_TOKEN is not set: the line refuses to serve unsigned requests")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    # How soon a changed menu file or recording is heard: files are looked at no more often than this.
    recheck = app.config.get("RELOAD_INTERVAL", live.CHECK_INTERVAL_S)
    loaded = app.config.get("MENU_OBJECT")
    if loaded is None:
        # The file is watched: a good change goes live on its own, a bad one is refused (see live.py).
        watch = live.LiveMenu(app.config["MENU"], recheck, app.config.get("RELOAD_SETTLE", live.SETTLE_S))
        app.extensions["ivr.live"] = watch
        loaded = watch.menu
    app.extensions["ivr.menu"] = loaded  # the menu at start-up; views.current_menu() is the live one
    library = app.extensions["ivr.audio"] = audio.Library(app.config["AUDIO"], recheck)
    library.offered(loaded)  # read the manifests now, not in a caller's first request
    app.extensions["ivr.clock"] = app.config.get("CLOCK") or hours.clock(
        loaded.timezone, {"IVR_NOW": app.config["NOW"] or ""}
    )
    # One proxy (or tunnel) in front: honour its X-Forwarded-Proto/Host for the signed URL.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)
    security.init_app(app)
    # No 404 or redirect under /voice: "/voice/" typed into the console answers like "/voice",
    # and a stray URL (double slashes, a newline) gets the line's own answer.
    app.url_map.strict_slashes = app.url_map.merge_slashes = False
    app.url_map.converters["path"] = AnyPath
    app.register_blueprint(views.bp)
    app.register_blueprint(audio_views.bp)
    if app.config["SIMULATOR"]:
        webphone.init_app(app)
    app.register_blueprint(fallback.bp)
    calllog.init_app(app)

    @app.get("/healthz")
    def healthz():
        current = views.current_menu()
        watch = app.extensions.get("ivr.live")
        return jsonify(status="ok", menu=current.source, languages=[lang.code for lang in current.languages],
                       version=watch.health() if watch else None)

    return app
