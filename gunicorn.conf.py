"""gunicorn settings for the line (read automatically from the working directory)."""

import gc
import os
import sys

# Refuse to start a public server that would answer unsigned requests: one clear line, exit 1.
if not os.environ.get("TWILIO_AUTH_TOKEN"):
    sys.exit("ivr: TWILIO_AUTH_TOKEN is not set; the public server refuses to start without it "
             "(set it to the Twilio account's auth token, or run `ivr serve` locally)")

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 15  # Twilio gives up on a webhook after 15 seconds
graceful_timeout = 10  # let answers in flight finish on restart
preload_app = True  # load and check the menu once, before forking: a bad menu stops the start


def pre_fork(server, worker):
    """The menu, catalogs and holiday tables loaded before the fork never become garbage: frozen, the
    workers' collector skips them (no pauses scanning them under load) and their pages stay shared."""
    gc.freeze()
