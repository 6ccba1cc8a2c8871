"""Recording by phone: a translator without a computer calls the studio's own Twilio number.

PIN, then the language's key and a prompt's number from the printed sheet (`ivr studio sheet`), then
the recording after the beep; hear it back, keep it or record again. A kept take is fetched from
Twilio with the account's credentials, converted like a browser upload and waits for a reviewer.

These are staff, not callers, and the steps are few and fixed: the TwiML is written here with
VoiceResponse rather than as the callers' plans. The call's state (who, which language and prompt)
travels in the URLs as a token signed with IVR_SECRET_KEY and bound to the CallSid, so any instance
answers any step and a token copied from one call is worthless in another.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import threading
import time
import urllib.request

from flask import Blueprint, Response, current_app, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from twilio.twiml.voice_response import VoiceResponse

from ..audio import convert
from ..web import security
from ..web import views as webhooks
from . import sheet, users

log = logging.getLogger(__name__)
bp = Blueprint("recorder", __name__, url_prefix="/recorder")
bp.before_request(security.check_signature)

VOICE, LANGUAGE = "Polly.Amy-Neural", "en-GB"
MAX_PIN_TRIES = 3  # in one call, then it ends
WINDOW_S = 15 * 60
MAX_FAILURES_PER_CALLER = 5  # wrong PINs from one number in the window
MAX_FAILURES = 30  # from all numbers together: a guessing run from many numbers
TOKEN_AGE_S = 2 * 60 * 60
RECORDING_SID = re.compile(r"^RE[0-9a-f]{32}$")
FETCH_TIMEOUT_S = 8


class Failures:
    """Wrong PINs in the last WINDOW_S, per caller (a hash, never the number) and in all."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock, self._lock, self._seen = clock, threading.Lock(), []  # (when, caller hash)

    def blocked(self, caller: str) -> bool:
        with self._lock:
            self._prune()
            mine = sum(1 for _, who in self._seen if who == caller)
            return mine >= MAX_FAILURES_PER_CALLER or len(self._seen) >= MAX_FAILURES

    def add(self, caller: str) -> int:
        with self._lock:
            self._prune()
            self._seen.append((self._clock(), caller))
            return sum(1 for _, who in self._seen if who == caller)

    def _prune(self) -> None:
        cutoff = self._clock() - WINDOW_S
        self._seen = [seen for seen in self._seen if seen[0] > cutoff]


def init_app(app) -> None:
    app.extensions["ivr.recorder.failures"] = Failures()
    app.register_blueprint(bp)


def caller_hash() -> str:
    """Who is calling, as logs and limits may keep it: a short keyed hash, never the number."""
    key = (current_app.config["IVR"].secret_key or "").encode()
    return hashlib.sha256(key + (request.values.get("From") or "").encode()).hexdigest()[:12]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["IVR"].secret_key, salt="ivr.recorder")


def _state() -> dict | None:
    """The call's state from the URL's token, or None: missing, forged, expired or from another call."""
    try:
        state = _serializer().loads(request.args.get("t", ""), max_age=TOKEN_AGE_S)
    except BadSignature:
        return None
    return state if isinstance(state, dict) and state.get("call") == request.values.get("CallSid") else None


def _url(endpoint: str, **state) -> str:
    state["call"] = request.values.get("CallSid")
    return url_for(endpoint, t=_serializer().dumps(state))


def _say(response: VoiceResponse, text: str, voice: str = VOICE, language: str = LANGUAGE) -> None:
    response.say(text, voice=voice, language=language)


def _xml(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


def _ask(text: str, action: str, *, digits: int | None = None) -> Response:
    """Say `text` while waiting for keys ended by #; no keys at all end the call (never a loop)."""
    response = VoiceResponse()
    gather = response.gather(action=action, method="POST", finish_on_key="#", timeout=10,
                             **({"num_digits": digits} if digits else {}))
    gather.say(text, voice=VOICE, language=LANGUAGE)
    _say(response, "Nothing was entered. Goodbye.")
    response.hangup()
    return _xml(response)


def _end(text: str) -> Response:
    response = VoiceResponse()
    _say(response, text)
    response.hangup()
    return _xml(response)


def _tries() -> int:
    """Wrong PINs so far in this call (a number in the URL; anything else counts as none)."""
    text = request.args.get("tries", "0")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 3 else 0


def _users() -> users.Users:
    return users.load(current_app.config["IVR"].studio_users)


def _user(state: dict) -> users.User | None:
    return _users().get(state.get("user", ""))


# The steps ---------------------------------------------------------------------------

@bp.post("")
def start():
    """The recording line's greeting: who it is for, then the PIN."""
    tries = _tries()
    response = VoiceResponse()
    gather = response.gather(action=url_for(".pin", tries=tries), method="POST", finish_on_key="#", timeout=10)
    if not tries:
        gather.say("Tallennuslinja käännösten lukijoille.", voice="Polly.Suvi-Neural", language="fi-FI")
        gather.say("The recording line, for translators of the information line.", voice=VOICE, language=LANGUAGE)
    gather.say("Enter your PIN, then the hash key.", voice=VOICE, language=LANGUAGE)
    _say(response, "No PIN was entered. Goodbye.")
    response.hangup()
    return _xml(response)


@bp.post("/pin")
def pin():
    failures: Failures = current_app.extensions["ivr.recorder.failures"]
    who = caller_hash()
    tries = _tries()
    if failures.blocked(who):
        log.warning("recorder: PIN entry refused for caller %s: too many wrong PINs", who)
        return _end("Too many wrong PINs. Try again later, or ask the office for help. Goodbye.")
    user = _users().by_pin((request.values.get("Digits") or "")[:12])
    if user is None:
        count = failures.add(who)
        log.warning("recorder: wrong PIN from caller %s (%d in %d minutes)", who, count, WINDOW_S // 60)
        if tries + 1 >= MAX_PIN_TRIES:
            return _end("That PIN is not right. Goodbye.")
        response = VoiceResponse()
        _say(response, "That PIN is not right.")
        response.redirect(url_for(".start", tries=tries + 1), method="POST")
        return _xml(response)
    log.info("recorder: %s called in", user.name)
    if len(user.languages) == 1:
        return _number(user, user.languages[0])
    return _ask("Enter the language's key from your sheet, then the hash key.", _url(".language", user=user.name))


@bp.post("/language")
def language():
    state = _state()
    user = _user(state) if state else None
    if user is None:
        return _end("This call has expired. Call again. Goodbye.")
    menu = webhooks.current_menu()
    keyed = (request.values.get("Digits") or "")[:4]
    lang = next((lang for lang in menu.languages if lang.key == keyed), None)
    if lang is None or not user.may_record(lang.code):
        return _ask(f"You do not record a language with the key {' '.join(keyed) or 'none'}. Enter the "
                    "language's key from your sheet, then the hash key.", _url(".language", user=user.name))
    return _number(user, lang.code)


def _number(user: users.User, code: str, said: str = "") -> Response:
    lang = webhooks.current_menu().language(code)
    listed = sheet.numbered(webhooks.current_menu(), lang)
    return _ask(f"{said}{sheet.english_name(lang)}, sheet code {' '.join(listed.code)}. Enter the prompt's "
                "number from your sheet, then the hash key.", _url(".prompt", user=user.name, lang=code))


def _entry(state: dict, number: str):
    lang = webhooks.current_menu().language(state.get("lang", ""))
    return sheet.numbered(webhooks.current_menu(), lang).entry(number) if lang else None


@bp.post("/prompt")
def prompt():
    state = _state()
    user = _user(state) if state else None
    if user is None or not user.may_record(state.get("lang", "")):
        return _end("This call has expired. Call again. Goodbye.")
    keyed = (request.values.get("Digits") or state.get("number") or "")[:4]
    entry = _entry(state, keyed)
    if entry is None:
        return _number(user, state["lang"], f"No prompt has the number {' '.join(keyed) or 'none'}. ")
    response = VoiceResponse()
    _say(response, f"Prompt {entry.number}. Record after the beep. Press the hash key when you have finished.")
    response.record(action=_url(".take", user=user.name, lang=state["lang"], number=entry.number), method="POST",
                    finish_on_key="#", max_length=int(convert.max_seconds(entry.prompt.text)), timeout=5,
                    play_beep=True, trim="trim-silence")
    _say(response, "Nothing was recorded. Goodbye.")  # Twilio goes on here only when nothing was heard
    response.hangup()
    return _xml(response)


@bp.post("/take")
def take():
    """The take Twilio recorded: heard back, then keep it (1), record again (2) or another prompt (3)."""
    state = _state()
    user = _user(state) if state else None
    sid = request.values.get("RecordingSid") or ""
    if user is None or not RECORDING_SID.match(sid):
        return _end("This call has expired. Call again. Goodbye.")
    response = VoiceResponse()
    gather = response.gather(action=_url(".choice", **{**state, "sid": sid}), method="POST", num_digits=1,
                             timeout=10)
    gather.say("Your recording:", voice=VOICE, language=LANGUAGE)
    gather.play(_recording_url(sid))
    gather.say("To keep it, press 1. To record again, press 2. For another prompt, press 3.",
               voice=VOICE, language=LANGUAGE)
    _say(response, "Nothing was pressed: the recording is not kept. Goodbye.")
    response.hangup()
    return _xml(response)


@bp.post("/choice")
def choice():
    state = _state()
    user = _user(state) if state else None
    if user is None:
        return _end("This call has expired. Call again. Goodbye.")
    key = request.values.get("Digits") or ""
    again = {k: v for k, v in state.items() if k not in ("sid", "call")}
    if key == "2":
        response = VoiceResponse()
        response.redirect(_url(".prompt", **again), method="POST")
        return _xml(response)
    if key == "3":
        return _number(user, state["lang"])
    if key != "1":
        return _ask("To keep your recording, press 1. To record again, press 2. For another prompt, press 3.",
                    _url(".choice", **state), digits=1)
    entry = _entry(state, str(state.get("number", "")))
    if entry is None:  # the menu changed during the call
        return _number(user, state["lang"], "The sheet has changed since this call began. ")
    try:
        data = _fetch(state["sid"])
        wav = convert.convert(data, convert.max_seconds(entry.prompt.text))
    except convert.Refused as refused:
        return _ask(f"This recording cannot be kept. {refused} To record again, press 2. For another prompt, "
                    "press 3.", _url(".choice", **state), digits=1)
    except (OSError, ValueError, convert.ToolMissing) as exc:
        log.warning("recorder: %s's take %s could not be fetched or read: %s", user.name, state["sid"],
                    type(exc).__name__)
        return _ask("Sorry, the recording could not be fetched. To record again, press 2. For another "
                    "prompt, press 3.", _url(".choice", **state), digits=1)
    store = current_app.extensions["ivr.studio.store"]
    version = store.submit(state["lang"], entry.prompt, wav, user.name, "phone")
    log.info("recorder: %s recorded %s/%s by phone (version %s)", user.name, state["lang"], entry.prompt.id, version)
    return _number(user, state["lang"], f"Prompt {entry.number} is kept. It waits for a reviewer. ")


def _recording_url(sid: str) -> str:
    """Built from the account and the recording's id, never taken from the request: no other host is fetched."""
    settings = current_app.config["IVR"]
    return f"{settings.twilio_api}/2010-04-01/Accounts/{settings.account_sid}/Recordings/{sid}.wav"


def _fetch(sid: str) -> bytes:
    settings = current_app.config["IVR"]
    if not (settings.account_sid and settings.auth_token):
        raise ValueError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are needed to fetch recordings")
    login = base64.b64encode(f"{settings.account_sid}:{settings.auth_token}".encode()).decode()
    ask = urllib.request.Request(_recording_url(sid), headers={"Authorization": f"Basic {login}"})
    with urllib.request.urlopen(ask, timeout=FETCH_TIMEOUT_S) as answer:  # noqa: S310 (our own https base)
        data = answer.read(convert.MAX_BYTES + 1)
    if len(data) > convert.MAX_BYTES:
        raise convert.Refused(f"The recording is over {convert.MAX_BYTES // 1024 // 1024} MB.")
    return data

