"""The guard against SMS pumping: one message per number in 24 hours, a daily cap, atomic, numbers only hashed.

Each test runs on both stores: the SQLite file and a real redis-server."""

import datetime as dt
import sqlite3
import threading
from zoneinfo import ZoneInfo

import pytest

from ivr.settings import Settings
from ivr.sms.limits import LimitsError, RedisLimits, SqliteLimits, hash_key, hashed

from ..sms_support import free_port, redis_url  # noqa: F401 (a fixture)

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=HELSINKI)
KEY = b"test key"
CALLER, OTHER, THIRD = "+358401234567", "+358501234567", "+358457123456"


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    """Makes Limits on one store: every instance made shares it, like the line's instances."""
    made = []

    def make(cap=200):
        if request.param == "sqlite":
            limits = SqliteLimits(tmp_path / "var" / "sms.sqlite3", KEY, cap)
        else:
            limits = RedisLimits(request.getfixturevalue("redis_url"), KEY, cap)
        made.append(limits)
        return limits

    make.kind = request.param
    yield make
    for limits in made:
        limits.close()


def test_one_message_per_number(store):
    limits = store()
    assert limits.try_acquire(CALLER, NOW) == "ok"
    assert limits.try_acquire(CALLER, NOW + dt.timedelta(hours=1)) == "already"
    assert limits.try_acquire(OTHER, NOW) == "ok"


def test_two_instances_sharing_the_store_refuse_a_second_message(store):
    """Two instances of the line (two Limits on one store): the second asking for the same number is refused."""
    first, second = store(), store()
    assert first.try_acquire(CALLER, NOW) == "ok"
    assert second.try_acquire(CALLER, NOW) == "already"


def test_the_daily_cap_counts_the_whole_line(store):
    first, second = store(cap=2), store(cap=2)
    assert first.try_acquire(CALLER, NOW) == "ok"
    assert second.try_acquire(OTHER, NOW) == "ok"
    assert first.try_acquire(THIRD, NOW) == "cap"
    assert first.try_acquire(CALLER, NOW) == "already"  # a number that had one hears that, not the cap
    assert second.try_acquire(THIRD, NOW + dt.timedelta(days=1)) == "ok"  # a new day


def test_the_cap_counts_the_helsinki_calendar_day(store):
    limits = store(cap=1)
    assert limits.try_acquire(CALLER, dt.datetime(2026, 11, 30, 23, 58, tzinfo=HELSINKI)) == "ok"
    # 21:59 UTC is still 30 November in Helsinki; 22:00 UTC is 1 December there.
    assert limits.try_acquire(OTHER, dt.datetime(2026, 11, 30, 21, 59, tzinfo=dt.UTC)) == "cap"
    assert limits.try_acquire(OTHER, dt.datetime(2026, 11, 30, 22, 0, tzinfo=dt.UTC)) == "ok"


def test_a_zero_cap_sends_nothing(store):
    assert store(cap=0).try_acquire(CALLER, NOW) == "cap"


def test_a_released_number_may_ask_again_but_still_counts(store):
    """A failed send is released: the caller may try again; the attempt still counts toward the cap."""
    limits = store(cap=2)
    assert limits.try_acquire(CALLER, NOW) == "ok"
    limits.release(CALLER)
    assert limits.try_acquire(CALLER, NOW) == "ok"
    assert limits.try_acquire(OTHER, NOW) == "cap"


def test_the_number_is_forgotten_after_24_hours_sqlite(tmp_path):
    """Sliding from the message: 23:59 later still refused, 24 hours later sent again."""
    limits = SqliteLimits(tmp_path / "sms.sqlite3", KEY, 200)
    assert limits.try_acquire(CALLER, NOW) == "ok"
    assert limits.try_acquire(CALLER, NOW + dt.timedelta(hours=23, minutes=59)) == "already"
    assert limits.try_acquire(CALLER, NOW + dt.timedelta(hours=24)) == "ok"


def test_expired_numbers_and_old_days_are_purged_sqlite(tmp_path):
    path = tmp_path / "sms.sqlite3"
    limits = SqliteLimits(path, KEY, 200)
    limits.try_acquire(CALLER, NOW)
    limits.try_acquire(OTHER, NOW + dt.timedelta(days=2))
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT hash FROM callers").fetchall(), db.execute("SELECT day, sent FROM days").fetchall()
        mode = db.execute("PRAGMA journal_mode").fetchone()
    db.close()
    assert rows == ([(hashed(KEY, OTHER),)], [("2026-12-02", 1)])
    assert mode == ("wal",)  # the workers of a machine read while one writes


def test_the_number_expires_after_24_hours_redis(redis_url):  # noqa: F811
    import redis

    limits = RedisLimits(redis_url, KEY, 200)
    try:
        assert limits.try_acquire(CALLER, NOW) == "ok"
        with redis.Redis.from_url(redis_url) as client:
            assert 86390 <= client.ttl(limits.caller_key(CALLER)) <= 86400
            day = client.ttl("ivr:sms:day:2026-11-30")
            assert 86400 < day <= 2 * 86400  # outlives its Helsinki day, whenever it began
            client.delete(limits.caller_key(CALLER))  # what expiry does, 24 hours on
        assert limits.try_acquire(CALLER, NOW) == "ok"
    finally:
        limits.close()


def race(make, callers):
    """Every caller asks at the same moment, each through its own instance; the verdicts."""
    start, verdicts = threading.Barrier(len(callers)), []
    instances = [make() for _ in callers]

    def ask(limits, caller):
        start.wait()
        verdicts.append(limits.try_acquire(caller, NOW))

    threads = [threading.Thread(target=ask, args=pair) for pair in zip(instances, callers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(verdicts)


def test_racing_for_one_number_exactly_one_gets_it(store):
    """On a new store too: eight connections making the SQLite file at once all get an answer."""
    assert race(store, [CALLER] * 8) == ["already"] * 7 + ["ok"]


def test_racing_for_the_last_message_of_the_day_exactly_one_gets_it(store):
    first = store(cap=3)
    assert first.try_acquire("+358401111111", NOW) == "ok"
    assert first.try_acquire("+358401111112", NOW) == "ok"
    callers = [f"+3584012345{i:02d}" for i in range(8)]
    assert race(lambda: store(cap=3), callers) == ["cap"] * 7 + ["ok"]


NUMBER_FORMS = ("358401234567", "0401234567", "401234567", "40 123 4567", "040-123")


def test_no_number_is_stored_sqlite(tmp_path):
    """Only keyed hashes: the file (and its write-ahead log) holds no form of the number."""
    folder = tmp_path / "var"
    limits = SqliteLimits(folder / "sms.sqlite3", KEY, 200)
    limits.try_acquire(CALLER, NOW)
    limits.release(CALLER)
    limits.try_acquire(CALLER, NOW)
    stored = b"".join(path.read_bytes() for path in folder.iterdir())
    assert hashed(KEY, CALLER).encode() in stored  # the test reads the right files
    for form in NUMBER_FORMS:
        assert form.encode() not in stored


def test_no_number_is_stored_redis(redis_url):  # noqa: F811
    import redis

    limits = RedisLimits(redis_url, KEY, 200)
    try:
        limits.try_acquire(CALLER, NOW)
    finally:
        limits.close()
    with redis.Redis.from_url(redis_url) as client:
        stored = b" ".join(key + b"=" + client.dump(key) for key in client.scan_iter())
    assert hashed(KEY, CALLER).encode() in stored
    for form in NUMBER_FORMS:
        assert form.encode() not in stored


def test_the_hash_is_keyed():
    """Without the key the 10**8 Finnish mobile numbers cannot be hashed one by one to find the caller's."""
    import hashlib

    assert hashed(KEY, CALLER) != hashed(b"another key", CALLER)
    assert hashed(KEY, CALLER) != hashlib.sha256(CALLER.encode()).hexdigest()


def test_the_key_is_its_setting_or_comes_from_the_auth_token():
    assert hash_key(Settings(sms_hash_key="k", auth_token="t")) == b"k"
    derived = hash_key(Settings(auth_token="t"))
    assert derived not in (b"t", b"") and derived == hash_key(Settings(auth_token="t"))
    assert derived != hash_key(Settings(auth_token="u"))
    with pytest.raises(LimitsError, match="set IVR_SMS_HASH_KEY or TWILIO_AUTH_TOKEN"):
        hash_key(Settings())


def test_an_unreachable_redis_raises_limits_error():
    limits = RedisLimits(f"redis://127.0.0.1:{free_port()}/0", KEY, 200)
    try:
        with pytest.raises(LimitsError, match="ConnectionError"):
            limits.try_acquire(CALLER, NOW)
    finally:
        limits.close()


def test_a_sqlite_file_that_cannot_be_made_raises_limits_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(LimitsError, match="cannot be used"):
        SqliteLimits(tmp_path / "file" / "sms.sqlite3", KEY, 200).try_acquire(CALLER, NOW)


def test_a_bad_redis_url_raises_limits_error():
    with pytest.raises(LimitsError, match="IVR_REDIS_URL cannot be used"):
        RedisLimits("http://example.org", KEY, 200)
