"""The Flask app: the live menu, the recordings and the clock, and the blueprints that answer Twilio."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping

from flask import Flask, jsonify
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import PathConverter

from ..audio.library import Library
from ..audio.store import Store
from ..menu import Menu, hours
from ..menu.errors import ConfigError
from ..menu.live import LiveMenu
from ..settings import Settings
from ..studio import web as studio
from . import audio, calllog, fallback, security, simulator, views

MAX_BODY_BYTES = 64 * 1024  # Twilio's requests are a few kilobytes


class AnyPath(PathConverter):
    """Werkzeug's path, but also across newlines (%0A) and slashes in a row."""

    regex = "(?s:.+?)"
    part_isolating = False


def create_app(settings: Settings | None = None, environ: Mapping[str, str] | None = None, *,
               menu: Menu | None = None, clock: Callable[[], dt.datetime] | None = None) -> Flask:
    """Build the line. Loads and checks the menu now, so a bad menu fails before the first call.

    `settings` default to the environment's; `menu` serves that menu instead of watching a file;
    `clock` replaces the line's clock (tests)."""
    settings = settings or Settings.from_env(environ)
    if settings.require_token and not settings.auth_token:
        raise ConfigError("TWILIO_AUTH_TOKEN is not set: the line refuses to serve unsigned requests")
    app = Flask(__name__, static_folder=None)  # the /simulator page serves its own files, only under ivr serve
    # MAX_FORM_PARTS caps a multipart form's fields; security.MAX_FIELDS counts an urlencoded one's.
    app.config.update(IVR=settings, MAX_CONTENT_LENGTH=MAX_BODY_BYTES, MAX_FORM_PARTS=security.MAX_FIELDS)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if menu is None:  # the file is watched: a good change goes live on its own, a bad one is refused
        watch = app.extensions["ivr.live"] = LiveMenu(settings.menu, settings.reload_interval_s,
                                                      settings.reload_settle_s)
        menu = watch.menu
    app.extensions["ivr.menu"] = menu  # the menu at start-up; views.current_menu() is the live one
    kept = Store(settings.audio_dir) if settings.audio_dir else None
    library = app.extensions["ivr.audio"] = Library(settings.audio, settings.reload_interval_s, studio=kept)
    library.offered(menu)  # read the manifests now, not in a caller's first request
    app.extensions["ivr.clock"] = clock or hours.clock(menu.timezone, settings.now)
    if settings.proxy_hops:  # only then: anyone can send X-Forwarded-Host and pick the host a signature is for
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=hops, x_host=hops)
    security.init_app(app)
    # No 404 or redirect under /voice: "/voice/" typed into the console answers like "/voice",
    # and a stray URL (double slashes, a newline) gets the line's own answer.
    app.url_map.strict_slashes = app.url_map.merge_slashes = False
    app.url_map.converters["path"] = AnyPath
    app.register_blueprint(views.bp)
    app.register_blueprint(audio.bp)
    if settings.simulator:
        simulator.init_app(app)
    app.register_blueprint(fallback.bp)
    studio.init_app(app)  # not under the signature check: people, not Twilio, use it
    calllog.init_app(app)

    @app.get("/healthz")
    def healthz():
        current = views.current_menu()
        watch = app.extensions.get("ivr.live")
        offered = library.offered(current)
        return jsonify(status="ok", menu=current.source, languages=[lang.code for lang in current.languages],
                       offered=[lang.code for lang in offered],
                       machine_made=[lang.code for lang in offered if library.status(current, lang).machine_made],
                       version=watch.health() if watch else None)

    return app
