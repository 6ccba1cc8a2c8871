"""The yardstick: a bare Flask app answering one constant TwiML document to every webhook URL."""

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
