"""/simulator: a phone in the browser that calls the line's own /voice webhooks, for testers.

The page (ivr/web/static/) reads each TwiML answer itself: <Say> goes to the transcript and to the browser's
speech synthesis in its language, <Play> is played, <Gather> waits for the keypad, <Redirect> and actions
are followed. No Twilio account is involved. Registered only when the config's SIMULATOR is true
(`ivr serve` turns it on); the public server never has it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, jsonify

bp = Blueprint("webphone", __name__, static_folder="static", static_url_path="/simulator/static")


@bp.get("/simulator")
def page():
    return bp.send_static_file("index.html")


@bp.get("/simulator/recording/<lang>/<prompt>")
def recording(lang: str, prompt: str):
    """What /audio/<lang>/<prompt>.wav says, from its manifest: the page shows it as it shows a <Say>'s text."""
    library = current_app.extensions.get("ivr.audio")
    found = library.file(lang, prompt) if library is not None else None  # only what the audio route serves
    if found is None:
        abort(404)
    return jsonify(lang=lang, prompt=prompt, text=found.text, recorded_by=found.recorded_by,
                   synthetic=found.synthetic)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
