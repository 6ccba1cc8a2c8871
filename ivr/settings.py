"""The line's settings: one frozen record, read from the environment in one place (docs/operations.md, Configuration)."""

from __future__ import annotations

import dataclasses
import os
import pathlib
from collections.abc import Mapping

import phonenumbers

HOME = pathlib.Path(__file__).resolve().parents[1]
BUNDLED_MENU = HOME / "menus" / "kajaani.yaml"
BUNDLED_AUDIO = HOME / "audio"


def menu_path(environ: Mapping[str, str] | None = None) -> pathlib.Path:
    """The menu file: IVR_MENU, else the bundled menu."""
    environ = os.environ if environ is None else environ
    return pathlib.Path(environ.get("IVR_MENU") or BUNDLED_MENU)


def audio_path(environ: Mapping[str, str] | None = None) -> pathlib.Path:
    """The recordings folder: IVR_AUDIO, else the bundled audio/."""
    environ = os.environ if environ is None else environ
    return pathlib.Path(environ.get("IVR_AUDIO") or BUNDLED_AUDIO)


def studio_audio_path(environ: Mapping[str, str] | None = None) -> pathlib.Path | None:
    """The studio's recordings (IVR_AUDIO_DIR), outside the checkout; None: no studio recordings."""
    environ = os.environ if environ is None else environ
    return pathlib.Path(environ["IVR_AUDIO_DIR"]) if environ.get("IVR_AUDIO_DIR") else None


def studio_users_path(environ: Mapping[str, str] | None = None) -> pathlib.Path | None:
    """The studio's users file (IVR_STUDIO_USERS); None: no studio."""
    environ = os.environ if environ is None else environ
    return pathlib.Path(environ["IVR_STUDIO_USERS"]) if environ.get("IVR_STUDIO_USERS") else None


@dataclasses.dataclass(frozen=True)
class Settings:
    auth_token: str | None = None  # TWILIO_AUTH_TOKEN: every webhook request must then be signed
    menu: pathlib.Path = BUNDLED_MENU  # IVR_MENU
    audio: pathlib.Path = BUNDLED_AUDIO  # IVR_AUDIO: the bundled recordings and placeholders
    # The recording studio (docs/translators.md): off unless IVR_STUDIO_USERS names a users file.
    audio_dir: pathlib.Path | None = None  # IVR_AUDIO_DIR: the studio's recordings, a volume every instance reads
    studio_users: pathlib.Path | None = None  # IVR_STUDIO_USERS
    secret_key: str | None = None  # IVR_SECRET_KEY: signs the studio's sessions
    studio_session_s: int = 8 * 3600  # a working day; then log in again
    public_url: str | None = None  # IVR_PUBLIC_URL: the URL Twilio signs, behind a proxy or tunnel
    proxy_hops: int = 0  # IVR_PROXY_HOPS: proxies in front whose X-Forwarded-Proto/Host are trusted
    now: str | None = None  # IVR_NOW: the clock frozen, for testers
    require_token: bool = True  # the public server refuses to start without a token
    simulator: bool = False  # the /simulator page, for testers; `ivr serve` turns it on
    call_log: bool = True  # one JSON line per webhook request on stdout
    reload_interval_s: float = 2.0  # a changed menu file or recording is heard within about this
    reload_settle_s: float = 1.0  # editors and copies write a file in well under a second
    # The number by text message (docs/operations.md, Text messages): off unless all three are set.
    account_sid: str | None = None  # TWILIO_ACCOUNT_SID
    sms_from: str | None = None  # IVR_SMS_FROM: a number, an alphanumeric sender or a Messaging Service SID (MG...)
    sms_daily_cap: int = 200  # IVR_SMS_DAILY_CAP: messages the whole line sends in a Helsinki day
    sms_regions: tuple[str, ...] = ("FI",)  # IVR_SMS_REGIONS: only mobile numbers of these regions get one
    sms_db: pathlib.Path = pathlib.Path("var/sms-limits.sqlite3")  # IVR_SMS_DB: the limits, without Redis
    redis_url: str | None = None  # IVR_REDIS_URL: the limits shared by every instance of the line
    sms_hash_key: str | None = None  # IVR_SMS_HASH_KEY: keys the caller hashes; else derived from the auth token
    # Not from the environment: tests point it at a fake Twilio; an env variable could send the token elsewhere.
    twilio_api: str = "https://api.twilio.com"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        environ = os.environ if environ is None else environ
        read = cls(
            auth_token=environ.get("TWILIO_AUTH_TOKEN") or None,
            menu=menu_path(environ),
            audio=audio_path(environ),
            audio_dir=studio_audio_path(environ),
            studio_users=studio_users_path(environ),
            secret_key=environ.get("IVR_SECRET_KEY") or None,
            public_url=environ.get("IVR_PUBLIC_URL") or None,
            now=environ.get("IVR_NOW") or None,
            proxy_hops=_hops(environ.get("IVR_PROXY_HOPS") or "0"),
            account_sid=environ.get("TWILIO_ACCOUNT_SID") or None,
            sms_from=environ.get("IVR_SMS_FROM") or None,
            sms_daily_cap=_cap(environ.get("IVR_SMS_DAILY_CAP") or "200"),
            sms_regions=_regions(environ.get("IVR_SMS_REGIONS") or "FI"),
            sms_db=pathlib.Path(environ.get("IVR_SMS_DB") or cls.sms_db),
            redis_url=environ.get("IVR_REDIS_URL") or None,
            sms_hash_key=environ.get("IVR_SMS_HASH_KEY") or None,
        )
        return dataclasses.replace(read, **overrides)


def _hops(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"IVR_PROXY_HOPS is {text!r}: write the number of proxies in front of the line, e.g. 1 (0: none)")
    return int(text)


def _cap(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"IVR_SMS_DAILY_CAP is {text!r}: write how many text messages the line may send a day, e.g. 200")
    return int(text)


def _regions(text: str) -> tuple[str, ...]:
    regions = tuple(code.strip().upper() for code in text.split(",") if code.strip())
    unknown = [code for code in regions if code not in phonenumbers.SUPPORTED_REGIONS]
    if unknown or not regions:
        raise ValueError(f"IVR_SMS_REGIONS is {text!r}: write region codes separated by commas, e.g. FI or FI,SE")
    return regions
