"""The guard against SMS pumping: one message per caller number a day, and a cap for the whole line.

`try_acquire(caller, now)` answers "ok" (send it), "already" (this number had one in the last
24 hours) or "cap" (the line sent its daily cap this Helsinki day), atomically: two instances or
threads asking at once never both get "ok". A number is kept only as a keyed hash (HMAC-SHA256),
for 24 hours. Two stores: a SQLite file (one machine) and Redis (several instances share it).
A store that cannot be reached raises LimitsError: the caller then gets no message (fail closed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import pathlib
import sqlite3
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from ..settings import Settings

Verdict = Literal["ok", "already", "cap"]
HELSINKI = ZoneInfo("Europe/Helsinki")  # the cap counts the line's calendar day
DAY_S = 24 * 60 * 60  # one message per number in 24 hours, from the one sent
STORE_TIMEOUT_S = 1.0  # a busy or unreachable store costs the caller at most this, twice (ask, release)


class LimitsError(Exception):
    """The limits' store could not be reached or read: send nothing."""


class Limits(Protocol):
    def try_acquire(self, caller: str, now: dt.datetime, call: str | None = None) -> Verdict:
        """Also "already" when this call (its CallSid) already asked for this number's message: the
        call's idempotency key is recorded with the caller's, before anything is sent."""

    def release(self, caller: str, call: str | None = None) -> None:
        """Forget the caller's message (surely not sent), so they may ask again; the day's count stays."""

    def ping(self) -> None:
        """Raise LimitsError when the store cannot be reached (the readiness probe)."""

    def close(self) -> None: ...


def hash_key(settings: Settings) -> bytes:
    """IVR_SMS_HASH_KEY, else a key derived from the auth token (never the token itself)."""
    if settings.sms_hash_key:
        return settings.sms_hash_key.encode()
    if settings.auth_token:
        return hashlib.sha256(b"kajaani-ivr sms caller hash\0" + settings.auth_token.encode()).digest()
    raise LimitsError("no key to hash caller numbers with: set IVR_SMS_HASH_KEY or TWILIO_AUTH_TOKEN")


def hashed(key: bytes, caller: str) -> str:
    return hmac.new(key, caller.encode(), hashlib.sha256).hexdigest()


def call_key(key: bytes, caller: str, call: str) -> str:
    """The idempotency key of one call's message to one number (a keyed hash: neither is readable)."""
    return hashed(key, f"{call}\0{caller}")


def day_of(now: dt.datetime) -> str:
    return now.astimezone(HELSINKI).date().isoformat()


def open_limits(settings: Settings) -> Limits:
    """Redis when IVR_REDIS_URL is set, else the SQLite file IVR_SMS_DB."""
    key = hash_key(settings)
    if settings.redis_url:
        return RedisLimits(settings.redis_url, key, settings.sms_daily_cap)
    return SqliteLimits(settings.sms_db, key, settings.sms_daily_cap)


class SqliteLimits:
    """The limits in a SQLite file, shared by the workers of one machine (WAL, BEGIN IMMEDIATE)."""

    def __init__(self, path: pathlib.Path, key: bytes, cap: int) -> None:
        self.path, self.key, self.cap = pathlib.Path(path), key, cap

    @contextlib.contextmanager
    def _transaction(self):
        """One connection for one write transaction: threads and gevent workers never share one."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.closing(sqlite3.connect(self.path, timeout=STORE_TIMEOUT_S, isolation_level=None)) as db:
                try:
                    db.execute("PRAGMA journal_mode=WAL")  # kept in the file: readers never wait for a writer
                except sqlite3.OperationalError:
                    pass  # another connection is switching the new file to WAL right now
                db.execute("BEGIN IMMEDIATE")  # the write lock now, before reading: no two "ok"s
                try:
                    # In the transaction: made outside, two new connections race to make them and one fails.
                    db.execute("CREATE TABLE IF NOT EXISTS callers (hash TEXT PRIMARY KEY, expires REAL NOT NULL)")
                    db.execute("CREATE TABLE IF NOT EXISTS days (day TEXT PRIMARY KEY, sent INTEGER NOT NULL)")
                    db.execute("CREATE TABLE IF NOT EXISTS sends (hash TEXT PRIMARY KEY, expires REAL NOT NULL)")
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            raise LimitsError(f"the text message limits in {self.path} cannot be used: {exc}") from None

    def try_acquire(self, caller: str, now: dt.datetime, call: str | None = None) -> Verdict:
        moment, day, digest = now.timestamp(), day_of(now), hashed(self.key, caller)
        with self._transaction() as db:
            db.execute("DELETE FROM callers WHERE expires <= ?", (moment,))
            db.execute("DELETE FROM sends WHERE expires <= ?", (moment,))
            db.execute("DELETE FROM days WHERE day < ?", (day,))
            if call and db.execute("SELECT 1 FROM sends WHERE hash = ?", (call_key(self.key, caller, call),)).fetchone():
                return "already"
            if db.execute("SELECT 1 FROM callers WHERE hash = ?", (digest,)).fetchone():
                return "already"
            row = db.execute("SELECT sent FROM days WHERE day = ?", (day,)).fetchone()
            if (row[0] if row else 0) >= self.cap:
                return "cap"
            db.execute("INSERT INTO callers (hash, expires) VALUES (?, ?)", (digest, moment + DAY_S))
            if call:
                db.execute("INSERT INTO sends (hash, expires) VALUES (?, ?)",
                           (call_key(self.key, caller, call), moment + DAY_S))
            db.execute("INSERT INTO days (day, sent) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET sent = sent + 1",
                       (day,))
            return "ok"

    def release(self, caller: str, call: str | None = None) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM callers WHERE hash = ?", (hashed(self.key, caller),))
            if call:
                db.execute("DELETE FROM sends WHERE hash = ?", (call_key(self.key, caller, call),))

    def ping(self) -> None:
        with self._transaction() as db:
            db.execute("SELECT 1")

    def close(self) -> None:
        pass  # a connection lives for one transaction


# KEYS: the caller's key, the day's counter, the call's idempotency key (or the caller's again).
# ARGV: the cap, the caller's TTL, the counter's TTL.
# One script, so the checks, the count and the keys change together or not at all.
_ACQUIRE = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 'already' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'already' end
local sent = redis.call('INCR', KEYS[2])
if sent == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
if sent > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[2])
  return 'cap'
end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[2])
redis.call('SET', KEYS[3], '1', 'EX', ARGV[2])
return 'ok'
"""
PREFIX = "ivr:sms:"


class RedisLimits:
    """The limits in Redis, shared by every instance of the line that points at it."""

    def __init__(self, url: str, key: bytes, cap: int) -> None:
        import redis  # only a line with IVR_REDIS_URL needs the client
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self.key, self.cap = key, cap
        self._errors = (redis.RedisError, OSError)
        try:
            # No retries: redis-py's default backs off for seconds, and Twilio waits 15 s for the whole answer.
            self.client = redis.Redis.from_url(url, socket_timeout=STORE_TIMEOUT_S,
                                               socket_connect_timeout=STORE_TIMEOUT_S, retry=Retry(NoBackoff(), 0))
        except (ValueError, *self._errors) as exc:
            raise LimitsError(f"IVR_REDIS_URL cannot be used: {type(exc).__name__}") from None
        self._acquire = self.client.register_script(_ACQUIRE)

    def caller_key(self, caller: str) -> str:
        return f"{PREFIX}caller:{hashed(self.key, caller)}"

    def send_key(self, caller: str, call: str | None) -> str:
        return f"{PREFIX}send:{call_key(self.key, caller, call)}" if call else self.caller_key(caller)

    def try_acquire(self, caller: str, now: dt.datetime, call: str | None = None) -> Verdict:
        try:
            verdict = self._acquire(keys=[self.caller_key(caller), f"{PREFIX}day:{day_of(now)}",
                                          self.send_key(caller, call)],
                                    args=[self.cap, DAY_S, 2 * DAY_S])
        except self._errors as exc:
            raise LimitsError(f"the text message limits in Redis cannot be used: {type(exc).__name__}: {exc}") from None
        return verdict.decode() if isinstance(verdict, bytes) else verdict

    def release(self, caller: str, call: str | None = None) -> None:
        try:
            self.client.delete(self.caller_key(caller), self.send_key(caller, call))
        except self._errors as exc:
            raise LimitsError(f"the text message limits in Redis cannot be used: {type(exc).__name__}: {exc}") from None

    def ping(self) -> None:
        try:
            self.client.ping()
        except self._errors as exc:
            raise LimitsError(f"the text message limits in Redis cannot be used: {type(exc).__name__}") from None

    def close(self) -> None:
        self.client.close()
