"""Properties a caller hears: a call's first answer asks for a key, and a stray URL leads back into
the menu (to an answer that asks for a key), never to a hang-up. An answer that only hung up, or a
stray path that ended the call, would pass "valid TwiML" checks; these would not."""

import datetime as dt
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivr import create_app
from ivr.settings import Settings

from .conftest import OPEN, Clock
from .twiml import parse

clock = Clock(OPEN)
APP = create_app(Settings.from_env({}, require_token=False, auth_token=None), clock=clock)
MENU = APP.extensions["ivr.menu"]
CODES = [lang.code for lang in MENU.languages]
OFFERED = [lang.code for lang in APP.extensions["ivr.audio"].offered(MENU)]  # recorded-only ones wait for audio
NODES = list(MENU.nodes)
MAX_HOPS = 3  # redirects a stray URL may take before it asks for a key

instants = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31),
                        timezones=st.just(dt.UTC))
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20)
# Segments that look like the line's own, and anything else.
segments = st.one_of(st.sampled_from(CODES + NODES + ["key", "dialled", "choose", "xx", "..", "%", "*"]), words)
forms = st.dictionaries(st.sampled_from(["Digits", "CallSid", "From", "DialCallStatus"]),
                        st.one_of(st.sampled_from(list("0123456789*#")), words), max_size=3)


def is_real(parts):
    """Whether the path names a place the line built itself (a language it has and a node it has)."""
    if parts in ([], ["choose"], ["status"], ["fallback"]):
        return True
    return len(parts) in (2, 3) and parts[0] in CODES and parts[1] in NODES and parts[2:] in ([], ["key"], ["dialled"])


def asks_for_a_key(answer) -> bool:
    gather = answer.gather
    return gather is not None and gather.get("action", "").startswith("/voice/") and not answer.hangs_up


def follow(client, answer):
    """Follow <Redirect>s, as Twilio does, until an answer asks for a key; that answer, or None."""
    for _ in range(MAX_HOPS):
        if asks_for_a_key(answer):
            return answer
        if answer.hangs_up or answer.redirect is None:
            return None
        answer = parse(client.post(answer.redirect))
    return answer if asks_for_a_key(answer) else None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(segments, max_size=4).filter(lambda p: not is_real(p)), form=forms, now=instants)
def test_a_stray_path_leads_back_into_the_menu(parts, form, now):
    clock.now = now
    client = APP.test_client()
    path = "/voice/" + "/".join(quote(part, safe="") for part in parts)
    first = parse(client.post(path, data=form))
    assert not first.hangs_up, f"{path}: a stray URL ended the call"
    assert first.redirect is not None, f"{path}: a stray URL must lead somewhere"
    assert first.redirect == "/voice" or first.redirect.rsplit("/", 1)[0] in {f"/voice/{c}" for c in CODES}
    landed = follow(client, first)
    assert landed is not None, f"{path}: never asked for a key again"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=forms, now=instants)
def test_the_first_answer_asks_for_a_language(form, now):
    clock.now = now
    answer = parse(APP.test_client().post("/voice", data=form))
    assert answer.verbs[0] == "Gather" and answer.gather.get("action") == "/voice/choose"
    assert len(answer.gather.findall("Say")) + len(answer.gather.findall("Play")) >= 2
    assert not answer.hangs_up


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(code=st.sampled_from(OFFERED), node=st.sampled_from(NODES), now=instants)
def test_every_menu_and_page_asks_for_a_key_on_the_first_visit(code, node, now):
    """A transfer dials or says when the duty opens; every other node asks for a key."""
    clock.now = now
    answer = parse(APP.test_client().post(f"/voice/{code}/{node}"))
    if MENU.nodes[node].kind == "transfer":
        assert answer.dial is not None or answer.redirect or answer.gather is not None
    else:
        assert asks_for_a_key(answer)
        assert answer.gather.get("action") == f"/voice/{code}/{node}/key"
