"""The studio in the line's Flask app: only when IVR_STUDIO_USERS names a users file, and never without a secret key."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from ..audio.store import Store
from ..menu.errors import ConfigError
from . import auth, recorder, views

log = logging.getLogger(__name__)


class StudioSessions(SecureCookieSessionInterface):
    """Sessions under /studio only: a webhook request opens none, and costs nothing more with the studio on."""

    def open_session(self, app, request):
        return super().open_session(app, request) if request.path.startswith("/studio") else None

    def save_session(self, app, session, response):
        if not self.is_null_session(session):
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    settings = app.config["IVR"]
    if settings.studio_users is None:
        return  # no studio: no /studio routes at all
    if not settings.studio_users.is_file():
        log.warning("IVR_STUDIO_USERS is %s, which does not exist: the studio is off (ivr studio add-user "
                    "writes it)", settings.studio_users)
        return
    if not settings.secret_key or len(settings.secret_key) < 32:
        raise ConfigError("IVR_SECRET_KEY is not set (or shorter than 32 characters): the recording studio signs "
                          "its sessions with it. Make one with: python3 -c 'import secrets; print(secrets.token_hex(32))'")
    if settings.audio_dir is None:
        raise ConfigError("IVR_AUDIO_DIR is not set: the recording studio keeps its recordings there, outside "
                          "the code checkout (a volume every instance of the line reads)")
    https = (settings.public_url or "").startswith("https://") or settings.proxy_hops > 0
    app.secret_key = settings.secret_key
    app.session_interface = StudioSessions()
    app.config.update(SESSION_COOKIE_NAME="ivr_studio", SESSION_COOKIE_SECURE=https, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_PATH="/studio",
                      PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=settings.studio_session_s))
    app.config.setdefault("IVR_BODY_LIMITS", {})["studio.upload"] = views.UPLOAD_BYTES
    app.extensions["ivr.studio.store"] = Store(settings.audio_dir)
    auth.init_app(app)
    app.register_blueprint(views.bp)
    recorder.init_app(app)  # by phone: Twilio's webhooks, signature-checked like the line's
