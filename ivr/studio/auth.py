"""Who is logged in to the studio: the login form, signed sessions that expire, CSRF tokens, a login rate limit.

Sessions are Flask's signed cookie (IVR_SECRET_KEY), holding the user's name, when they logged in and
their CSRF token; the users file is read again on every request, so a removed user is out at once.
The rate limit is kept in memory, per instance: a password is at least 10 characters behind scrypt,
so the limit only has to make guessing slow, and two instances allowing twice the attempts still do.
"""

from __future__ import annotations

import collections
import functools
import hmac
import secrets
import time

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for

from . import users

bp = Blueprint("studio_auth", __name__, url_prefix="/studio", template_folder="templates")
TRIES = 5  # wrong passwords a user name may have in WINDOW_S
TRIES_PER_ADDRESS = 20  # and an address (an office shares one)
WINDOW_S = 15 * 60


class Limiter:
    """Failures per key in a sliding window, in memory."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, collections.deque] = {}

    def blocked(self, key: str, most: int) -> bool:
        kept = self._failures.get(key)
        if not kept:
            return False
        while kept and self._clock() - kept[0] > WINDOW_S:
            kept.popleft()
        return len(kept) >= most

    def failed(self, key: str) -> None:
        if len(self._failures) > 10_000:  # a flood of names: forget them rather than grow
            self._failures.clear()
        self._failures.setdefault(key, collections.deque()).append(self._clock())


def current_users() -> users.Users:
    return users.load(current_app.config["IVR"].studio_users)


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Every POST to the studio carries the session's token (a form field, or the X-CSRF-Token header)."""
    if request.method != "POST":
        return
    sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token") or ""
    if not hmac.compare_digest(sent, session.get("csrf", "")) or not sent:
        abort(400, "The form has expired or was not sent by the studio's page: reload the page and try again.")


def _now() -> float:
    return current_app.extensions["ivr.studio.clock"]()


def logged_in() -> users.User | None:
    name, since = session.get("user"), session.get("since", 0)
    if not name or _now() - since > current_app.config["IVR"].studio_session_s:
        return None
    return current_users().get(name)


def required(view):
    """The view only for a logged-in user (g.user); anyone else goes to the login form."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        user = logged_in()
        if user is None:
            session.pop("user", None)
            if request.method == "POST":
                abort(401, "You are not logged in (or your session has expired): log in again.")
            return redirect(url_for("studio_auth.login", next=request.path))
        g.user = user
        return view(*args, **kwargs)

    return wrapped


bp.before_request(check_csrf)


@bp.route("/login", methods=["GET", "POST"])
def login():
    message = None
    if request.method == "POST":
        name, password = request.form.get("username", "")[:40], request.form.get("password", "")[:200]
        address = request.remote_addr or "?"
        limiter = current_app.extensions["ivr.studio.limiter"]
        if limiter.blocked(f"user:{name}", TRIES) or limiter.blocked(f"addr:{address}", TRIES_PER_ADDRESS):
            message, status = "Too many wrong passwords: wait a quarter of an hour, then try again.", 429
        else:
            user = current_users().check(name, password)
            if user is not None:
                session.clear()
                session.update(user=user.name, since=_now(), csrf=secrets.token_urlsafe(32))
                session.permanent = True
                target = request.args.get("next", "")
                return redirect(target if target.startswith("/studio/") and "//" not in target
                                else url_for("studio.home"))
            limiter.failed(f"user:{name}")
            limiter.failed(f"addr:{address}")
            message, status = "Wrong user name or password.", 401
        return render_template("studio/login.html", message=message), status
    return render_template("studio/login.html", message=message)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("studio_auth.login"))


def init_app(app) -> None:
    app.extensions["ivr.studio.limiter"] = Limiter()
    app.extensions.setdefault("ivr.studio.clock", time.time)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.register_blueprint(bp)
