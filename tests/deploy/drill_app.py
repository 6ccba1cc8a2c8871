"""The line as gunicorn serves it in the fault drills, with what no environment variable may set in production:
Twilio's API at a fake on loopback (DRILL_TWILIO_API), and the clock frozen (DRILL_NOW, as IVR_NOW)."""

import os

from ivr import create_app
from ivr.settings import Settings


def create():
    return create_app(Settings.from_env(twilio_api=os.environ["DRILL_TWILIO_API"], now=os.environ.get("DRILL_NOW")))
