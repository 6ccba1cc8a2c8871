"""Fault drills on the reference deployment (deploy/nginx/ivr.conf in front of two gunicorn instances):
an instance killed mid-call, Redis gone, the Twilio API hanging or dribbling or not resolving, and a
send that timed out after Twilio took it. Each asserts what callers hear; docs/operations.md has the figures."""

import concurrent.futures
import os
import pathlib
import shutil
import signal
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import pytest

from bench.run import Server
from bench.traffic import twilio_form
from ivr import phrases

from ..conftest import LINE, LINE_MENU
from ..sms_support import SID, free_port, twilio, twilio_server  # noqa: F401 (fixtures)
from .test_nginx import deployed

AUDIBLE = {"Say", "Play", "Gather", "Redirect", "Dial", "Hangup"}
CLOSED = "2026-11-30T16:00"  # a Monday evening: the desk's page offers the text message
EN = LINE_MENU.phrases["en"]
SENT, ALREADY, FAILED = EN(phrases.SMS_SENT), EN(phrases.SMS_ALREADY), EN(phrases.SMS_FAILED)
WEBHOOK_BUDGET_S = 10  # "well within" Twilio's 15 s


def valid_twiml(body: bytes) -> ET.Element:
    root = ET.fromstring(body)
    assert root.tag == "Response" and any(child.tag in AUDIBLE for child in root), body
    return root


def said(root: ET.Element) -> str:
    return " ".join(" ".join(say.itertext()).strip() for say in root.iter("Say"))


def instance_pids(server: Server) -> list[int]:
    children = pathlib.Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text().split()
    return [server.proc.pid, *map(int, children)]


def test_kill_9_of_one_instance_during_50_calls_loses_none(tmp_path):
    """50 callers walk the menu at once; one instance (master and workers) is killed with SIGKILL midway.
    Every request gets valid TwiML (nginx resends to the other), and every call reaches its end."""
    with deployed(tmp_path) as deployment:
        answers: list[tuple[int, float]] = []
        failures: list[str] = []
        started = threading.Event()

        def caller(n: int) -> None:
            steps = [("/voice", {}), ("/voice/choose", {"Digits": "3"}), ("/voice/en/top/key", {"Digits": "2"}),
                     ("/voice/en/info/key", {"Digits": "*"}), ("/voice/en/info/key", {"Digits": "0"}),
                     ("/voice/en/top/key", {"Digits": "9"})]
            for i, (path, extra) in enumerate(steps):
                if i == 2:
                    started.set()
                began = time.monotonic()
                try:
                    status, _, body = deployment.call(path, twilio_form(9000 + n, **extra))
                    assert status == 200, status
                    valid_twiml(body)
                except Exception as exc:  # counted, not raised: the figure is how many
                    failures.append(f"call {n} {path}: {exc!r}")
                    return
                answers.append((n, time.monotonic() - began))
                time.sleep(0.2)

        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            calls = [pool.submit(caller, n) for n in range(50)]
            started.wait(30)
            victim = deployment.instances[0]
            for pid in instance_pids(victim):
                os.kill(pid, signal.SIGKILL)
            for call in calls:
                call.result(timeout=60)
        victim.out.close()
    errors = (tmp_path / "error.log").read_text()
    resent = errors.count("while connecting to upstream") + errors.count("while reading response header")
    slowest = max(seconds for _, seconds in answers)
    print(f"kill -9 drill: {len(answers)} answers, {len(failures)} lost, {resent} requests nginx resent "
          f"to the other instance, slowest {slowest * 1000:.0f} ms")
    assert failures == []
    assert len(answers) == 50 * 6
    assert slowest < WEBHOOK_BUDGET_S


class Redis:
    """A redis-server that keeps its data across a stop (append-only file), on one port."""

    def __init__(self, folder: pathlib.Path) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            if os.environ.get("CI") == "true":
                pytest.fail("needs Debian's redis-server (.ci/run installs it)")
            pytest.skip("needs Debian's redis-server (.ci/run installs it)")
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None
        self.start()

    def start(self) -> None:
        import redis

        self.proc = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.folder)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with redis.Redis.from_url(self.url) as client:
            for _ in range(100):
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    time.sleep(0.05)
        pytest.fail("redis-server did not start within 5 s")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def mobile(n: int) -> str:
    return f"+3584012{n:05d}"


@pytest.fixture
def sms_line(tmp_path, twilio):  # noqa: F811
    """The deployment with text messages on, limits in a redis-server, Twilio a fake; the clock on the closed desk."""
    folder = tmp_path / "redis"
    folder.mkdir()
    store = Redis(folder)
    environ = {"TWILIO_ACCOUNT_SID": SID, "IVR_SMS_FROM": "+358457395000", "IVR_REDIS_URL": store.url,
               "IVR_SMS_DAILY_CAP": "8", "DRILL_TWILIO_API": twilio.url, "DRILL_NOW": CLOSED}
    try:
        with deployed(tmp_path, environ, app="tests.deploy.drill_app:create()") as deployment:
            yield deployment, store, twilio
    finally:
        if store.proc.poll() is None:
            store.stop()


def ask_sms(deployment, n: int, call: int | None = None) -> tuple[int, float, str]:
    began = time.monotonic()
    status, _, body = deployment.call("/voice/en/desk/key", twilio_form(call if call is not None else n, Digits="2",
                                                                        From=mobile(n)))
    elapsed = time.monotonic() - began
    assert status == 200, status
    root = valid_twiml(body)
    assert root.find("Gather") is not None, "the call goes on: the page's keys"
    return status, elapsed, said(root)


def test_redis_stopped_while_callers_ask_for_the_text_message(sms_line):
    """Redis goes away: the caller hears it could not be sent and the call goes on, no 5xx. Redis back
    (its data kept): nobody gets a second message and the day's cap of 8 is never passed."""
    deployment, store, fake = sms_line
    before = [ask_sms(deployment, n) for n in range(4)]
    assert all(text.startswith(SENT) for _, _, text in before)
    store.stop()
    down = [ask_sms(deployment, n) for n in range(4, 10)]
    assert all(text.startswith(FAILED) for _, _, text in down)
    store.start()
    again = [ask_sms(deployment, n) for n in range(0, 14)]
    texts = [text for _, _, text in again]
    assert all(text.startswith(ALREADY) for text in texts[:4]), "no second message to the ones sent before"
    assert len(fake.posted) == 8, "the day's cap, no more"
    assert sum(text.startswith(SENT) for text in texts) == 4
    slowest = max(elapsed for _, elapsed, _ in before + down + again)
    print(f"redis drill: {len(down)} asked while down, all told; {len(fake.posted)} sent of cap 8; "
          f"slowest answer {slowest * 1000:.0f} ms")
    assert slowest < WEBHOOK_BUDGET_S


@pytest.mark.parametrize("mode", ["hang", "dribble"])
def test_a_hanging_or_dribbling_twilio_api_still_gets_the_caller_an_answer_in_time(sms_line, mode):
    deployment, _, fake = sms_line
    fake.mode = mode
    _, elapsed, text = ask_sms(deployment, 50)
    print(f"twilio {mode} drill: answered in {elapsed * 1000:.0f} ms")
    assert text.startswith(FAILED)
    assert elapsed < WEBHOOK_BUDGET_S


def test_a_send_that_timed_out_after_twilio_took_it_is_not_sent_again(sms_line):
    """Twilio takes the message and never answers: the caller hears it failed; pressing 2 again (or nginx
    resending the request) says it was already sent, and Twilio gets nothing more."""
    deployment, _, fake = sms_line
    fake.mode = "accept-hang"
    assert ask_sms(deployment, 60, call=600)[2].startswith(FAILED)
    fake.released.set()
    fake.mode = "accept"
    for _ in range(3):  # round robin: both instances
        assert ask_sms(deployment, 60, call=600)[2].startswith(ALREADY)
    assert len(fake.posted) == 1


def test_a_twilio_api_name_that_does_not_resolve_answers_in_time(tmp_path, twilio):  # noqa: F811
    """The gunicorn instance itself, Twilio's API at a name that resolves nowhere."""
    import urllib.parse
    import urllib.request

    from twilio.request_validator import RequestValidator

    from bench.run import TOKEN

    server = Server("unresolvable", "tests.deploy.drill_app:create()", tmp_path / "server.log", {
        "IVR_MENU": str(LINE), "TWILIO_ACCOUNT_SID": SID, "IVR_SMS_FROM": "+358457395000",
        "IVR_SMS_DB": str(tmp_path / "sms.sqlite3"), "DRILL_TWILIO_API": "https://api.twilio.invalid",
        "DRILL_NOW": CLOSED})
    try:
        url = f"http://127.0.0.1:{server.port}/voice/en/desk/key"
        form = twilio_form(70, Digits="2", From=mobile(70))
        signature = RequestValidator(TOKEN).compute_signature(url, form)
        began = time.monotonic()
        request = urllib.request.Request(url, urllib.parse.urlencode(form).encode(), {"X-Twilio-Signature": signature})
        body = urllib.request.urlopen(request, timeout=20).read()
        elapsed = time.monotonic() - began
    finally:
        server.stop()
    print(f"unresolvable drill: answered in {elapsed * 1000:.0f} ms")
    assert said(valid_twiml(body)).startswith(FAILED)
    assert elapsed < WEBHOOK_BUDGET_S
