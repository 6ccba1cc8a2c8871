"""gunicorn settings for the line (read automatically from the working directory)."""

import atexit
import gc
import os
import pathlib
import shutil
import sys
import tempfile

from gevent import monkey

# Patched here, before the app is loaded (preload_app) and before the fork: patched later, in each worker,
# the locks logging made at import stay real ones and every worker exit printed a traceback.
monkey.patch_all()

# Refuse to start a public server that would answer unsigned requests: one clear line, exit 1.
if not os.environ.get("TWILIO_AUTH_TOKEN"):
    sys.exit("ivr: TWILIO_AUTH_TOKEN is not set; the public server refuses to start without it "
             "(set it to the Twilio account's auth token, or run `ivr serve` locally)")

# /metrics adds up every worker's counts from files in one folder (prometheus_client's multiprocess mode).
# Set before the app (and prometheus_client) is loaded; emptied now, in the master, so a restart never
# adds the last run's counts. Unset: a folder of this master's own, removed at exit.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _metrics_dir = pathlib.Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    _metrics_dir.mkdir(parents=True, exist_ok=True)
    for _old in _metrics_dir.glob("*.db"):  # only the client's files, whatever else the folder holds
        _old.unlink()
else:
    _metrics_dir = pathlib.Path(tempfile.mkdtemp(prefix="ivr-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics_dir)
    _master = os.getpid()
    atexit.register(lambda: os.getpid() == _master and shutil.rmtree(_metrics_dir, ignore_errors=True))

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A sync worker gives itself to one socket until its request is in: 50 idle connections, or three
# clients sending headers a byte a second, left real calls waiting past Twilio's 15 s. In a gevent
# worker a connection waiting on its client is a parked greenlet, not a busy worker.
worker_class = "gevent"
worker_connections = 500  # per worker; beyond, new connections wait in the listen queue
# The gevent worker reads each request's head under this deadline (and closes an idle kept-alive
# connection after it): a request line and headers not in within 5 s are dropped. Twilio's arrive at once.
keepalive = 5
timeout = 15  # Twilio gives up on a webhook after 15 seconds
graceful_timeout = 10  # let answers in flight finish on restart
preload_app = True  # load and check the menu once, before forking: a bad menu stops the start


def pre_fork(server, worker):
    """The menu, catalogs and holiday tables loaded before the fork never become garbage: frozen, the
    workers' collector skips them (no pauses scanning them under load) and their pages stay shared."""
    gc.freeze()


def child_exit(server, worker):
    """A worker gone (restarted, killed): its live gauges leave the sum; its counters stay counted."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
