"""The studio's pages: the work list of a language, the upload of a recording, a reviewer's verdict."""

from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, send_file, url_for

from ..audio import convert
from ..audio.library import needed
from ..audio.store import StoreError
from ..web import views as webhooks
from . import auth, worklist

bp = Blueprint("studio", __name__, url_prefix="/studio", template_folder="templates",
               static_folder="static", static_url_path="/static")
bp.before_request(auth.check_csrf)
UPLOAD_BYTES = convert.MAX_BYTES + 1024 * 1024  # the 5 MB a recording may be, and the form around it


def _language(code: str, review: bool = False):
    """The menu's language, if the logged-in user works on it (as a reviewer, with `review`); else 403."""
    lang = webhooks.current_menu().language(code)
    allowed = g.user.may_review(code) if review else g.user.may_record(code)
    if lang is None or not allowed:
        abort(403, f"{g.user.name} does not {'review' if review else 'record'} {code!r}.")
    return lang


def _store():
    return current_app.extensions["ivr.studio.store"]


@bp.get("/")
@auth.required
def home():
    if len(g.user.languages) == 1:
        return redirect(url_for("studio.language", code=g.user.languages[0]))
    return render_template("studio/home.html", user=g.user)


@bp.get("/<code>")
@auth.required
def language(code: str):
    lang = _language(code)
    library = current_app.extensions["ivr.audio"]
    found = worklist.items(webhooks.current_menu(), lang, library, _store())
    return render_template("studio/language.html", user=g.user, lang=lang, items=found,
                           counts=worklist.counts(found), reviewer=g.user.may_review(code))


@bp.post("/<code>/<prompt_id>/upload")
@auth.required
def upload(code: str, prompt_id: str):
    """A recording of one prompt: converted, kept as a new version waiting for review; or refused, nothing kept."""
    lang = _language(code)
    prompt = needed(webhooks.current_menu(), lang).get(prompt_id)
    if prompt is None:
        abort(404)
    sent = request.files.get("audio")
    if sent is None:
        return jsonify(ok=False, message="No recording was sent: record, then press Send."), 400
    data = sent.stream.read(convert.MAX_BYTES + 1)
    try:
        wav = convert.convert(data, convert.max_seconds(prompt.text))
    except convert.Refused as exc:
        return jsonify(ok=False, message=str(exc)), 422
    version = _store().submit(code, prompt, wav, g.user.name, "browser")
    return jsonify(ok=True, version=version, message="Sent: it waits for a reviewer. Callers hear it once approved.")


@bp.post("/<code>/<prompt_id>/<version>/review")
@auth.required
def review(code: str, prompt_id: str, version: str):
    _language(code, review=True)
    decision = request.form.get("decision")
    if decision not in ("approve", "reject"):
        abort(400, "Choose approve or reject.")
    try:
        _store().review(code, prompt_id, version, g.user.name, decision == "approve",
                        request.form.get("comment", "")[:500])
    except StoreError:
        abort(404)
    return redirect(url_for("studio.language", code=code) + f"#{prompt_id}")


@bp.get("/<code>/<prompt_id>/<version>.wav")
@auth.required
def take(code: str, prompt_id: str, version: str):
    """One version, for the translator and the reviewer to listen to (callers get /audio/...)."""
    _language(code)
    try:
        path = _store().path(code, prompt_id, version)
    except StoreError:
        abort(404)
    if not path.is_file():
        abort(404)
    return send_file(io.BytesIO(path.read_bytes()), mimetype="audio/wav", max_age=0)


@bp.errorhandler(400)
@bp.errorhandler(401)
@bp.errorhandler(403)
def refused(error):
    if request.accept_mimetypes.best == "application/json" or request.path.endswith("/upload"):
        return jsonify(ok=False, message=error.description), error.code
    return render_template("studio/refused.html", message=error.description), error.code
