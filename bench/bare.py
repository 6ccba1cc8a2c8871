"""The yardsticks: bare Flask apps answering one constant TwiML document to every webhook URL.

`create_app` is the issue's yardstick: it reads nothing of the request. `create_signed_app`
also does the one thing every webhook of the line must do before answering: read the posted
fields and check Twilio's signature, both as the line does them, so the two tell apart what
the signature costs and what the rest of the line costs.
"""

import os

from flask import Flask, Response
from twilio.twiml.voice_response import VoiceResponse

ANSWER = VoiceResponse()
_gather = ANSWER.gather(input="dtmf", num_digits=1, timeout=6, action="/voice/choose", method="POST")
_gather.say("For English, press 3.", voice="Polly.Amy-Neural", language="en-GB")
ANSWER.redirect("/voice?s=1", method="POST")
ANSWER = str(ANSWER)


def create_app() -> Flask:
    app = Flask(__name__)

    @app.route("/voice", methods=["GET", "POST"])
    @app.route("/voice/<path:rest>", methods=["GET", "POST"])
    def answer(rest: str = ""):
        return Response(ANSWER, mimetype="text/xml")

    return app


def create_signed_app() -> Flask:
    from ivr.settings import Settings  # here, so the bare app's workers hold none of the line's code
    from ivr.web import security

    app = create_app()
    app.config["IVR"] = Settings(auth_token=os.environ["TWILIO_AUTH_TOKEN"])
    app.before_request(security.check_signature)
    return app
