"""GET /audio/<code>/<prompt id>.wav: the recordings Twilio fetches for <Play>.

Only files the language's manifest lists are served, so no path can reach
outside audio/. Not signature-checked: Twilio fetches media without a signature,
and these are the same words anyone hears by calling.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, request, send_file

from ..audio import synth

bp = Blueprint("audio", __name__, url_prefix="/audio")
MAX_AGE_S = 24 * 3600  # URLs carry the file's checksum (?v=), so a new recording gets a new URL


@bp.get("/<lang>/<prompt>.wav")
def play(lang: str, prompt: str):
    library = current_app.extensions["ivr.audio"]
    recording = library.file(lang, prompt)
    if recording is None:
        abort(404)
    path = recording.path
    data = None
    if request.args.get("slow") == "1":
        data, etag = synth.slowed(path, recording.digest), f"{recording.digest}-slow"
    if data is None:
        # Read whole (a prompt is a few hundred kilobytes at most): no file stays open after the answer.
        data, etag = path.read_bytes(), recording.digest
    return send_file(io.BytesIO(data), mimetype="audio/wav", max_age=MAX_AGE_S, etag=etag,
                     last_modified=path.stat().st_mtime)
