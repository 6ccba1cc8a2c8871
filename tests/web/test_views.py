"""Whatever Twilio (or anyone) sends, the line answers: valid TwiML, a refusal, or "not here", never a 5xx.

Property-based: hypothesis makes up paths, form fields, signatures, bodies, and whole calls,
key by key, with silences and transfer outcomes, at random moments of the year.

Properties a caller hears: a call's first answer asks for a key, and a stray URL leads back into
the menu (to an answer that asks for a key), never to a hang-up. An answer that only hung up, or a
stray path that ended the call, would pass "valid TwiML" checks; these would not.

A fault inside the line reaches the caller as an apology in TwiML, never as an HTTP 500.

Every reachable answer, in every language, open and closed, is valid TwiML that leads on.
"""

import datetime as dt
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from ivr import create_app
from ivr import phrases as P
from ivr.flow import line
from ivr.harness import reader
from ivr.menu import voices
from ivr.settings import Settings

from ..answers import parse
from ..conftest import OPEN, Clock, line_app

TOKEN = "test-token-not-a-secret"
VERBS = {"Say", "Gather", "Redirect", "Dial", "Hangup", "Pause", "Play"}
ENDINGS = {"Redirect", "Hangup", "Dial"}
KEYS = list("0123456789*#")
OUTCOMES = ["completed", "answered", "busy", "no-answer", "failed", "canceled", None]
SILENT_STEPS = 12  # a caller who stops pressing keys is said goodbye to within this many answers
MAX_BODY = 64 * 1024

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
clock = Clock(OPEN)
APP = line_app(clock)
SIGNED = line_app(clock, auth_token=TOKEN, require_token=True)

instants = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31),
                        timezones=st.just(dt.UTC))
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
segments = st.one_of(
    st.sampled_from(["en", "fi", "ar", "xx", "top", "desk", "office", "key", "dialled",
                     "choose", "status", "fallback", "..", "%", "?s=1", "*"]),
    words.filter(bool),
)
fields = st.sampled_from(["Digits", "CallSid", "From", "To", "DialCallStatus", "CallStatus", "SpeechResult"])
values = st.one_of(words, st.sampled_from(KEYS + OUTCOMES[:-1]), st.text(max_size=3000),
                   st.integers(0, 60_000).map(lambda n: "9" * n))
forms = st.lists(st.tuples(st.one_of(fields, words), values), max_size=8)  # duplicated fields too
queries = st.dictionaries(st.sampled_from(["s", "w", "b", "Digits", "x"]), words, max_size=3)


def check_twiml(response, where):
    """Valid TwiML that leads somewhere, every <Say> in a voice that speaks its language."""
    answer = parse(response)
    verbs = answer.verbs
    assert set(verbs) <= VERBS, where
    assert verbs and verbs[-1] in ENDINGS, f"{where}: the call would go silent after {verbs}"
    for said in answer.said:
        assert said.text, f"{where}: an empty <Say>"
        assert voices.VOICES.get(said.voice) == said.language, where
    for url in answer.next_urls():
        assert url.startswith("/voice"), f"{where}: leads off the line to {url}"
    return answer


def url_of(parts, query):
    path = "/voice/" + "/".join(quote(part, safe="") for part in parts)
    return path + ("?" + urlencode(query) if query else "")


# -- Any request under the webhook prefix --------------------------------------------

@FAST
@given(parts=st.lists(segments, max_size=5), query=queries, form=forms,
       method=st.sampled_from(["POST", "GET"]), now=instants)
def test_any_path_under_voice_gets_twiml_never_an_error(parts, query, form, method, now):
    clock.now = now
    url = url_of(parts, query)
    body = urlencode(form)
    if len(body) > MAX_BODY:
        return  # covered by the 413 test
    client = APP.test_client()
    if method == "POST":
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    else:
        response = client.get(url + ("&" if "?" in url else "?") + body)
    if parts == ["status"] and method == "POST":
        assert response.status_code == 204
    else:
        check_twiml(response, f"{method} {url}")


@FAST
@given(path=words.map(lambda w: "/" + quote(w, safe="")).filter(lambda p: not p.startswith(("/voice", "/healthz"))),
       method=st.sampled_from(["POST", "GET", "PUT", "DELETE"]))
def test_outside_the_webhooks_it_is_404_or_405(path, method):
    response = APP.test_client().open(path, method=method)
    assert response.status_code in (404, 405), path


@pytest.mark.parametrize("method, status", [("POST", 405), ("PUT", 405), ("GET", 200)])
def test_healthz_answers_only_get(method, status):
    assert APP.test_client().open("/healthz", method=method).status_code == status


# -- Signatures and sizes ----------------------------------------------------------

@FAST
@given(parts=st.lists(segments, max_size=4), form=st.lists(st.tuples(fields, words), max_size=6),
       signature=st.one_of(st.none(), st.text(st.characters(min_codepoint=32, max_codepoint=255)),
                           st.just("bm90IGEgc2lnbmF0dXJl")))
def test_with_a_token_a_wrong_signature_gets_403_and_the_right_one_gets_through(parts, form, signature):
    client = SIGNED.test_client()
    url = "http://localhost" + url_of(parts, {})
    body = urlencode(form)
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    refused = client.post(url, data=body, content_type="application/x-www-form-urlencoded", headers=headers)
    assert refused.status_code == 403 and b"<Say" not in refused.data

    # Signed as Twilio signs: the URL as sent, then every field's name and value, sorted.
    signature = RequestValidator(TOKEN).compute_signature(url, MultiDict(form))
    signed = client.post(url, data=body, content_type="application/x-www-form-urlencoded",
                         headers={"X-Twilio-Signature": signature})
    if parts == ["status"]:
        assert signed.status_code == 204
    else:
        check_twiml(signed, url)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(segments, max_size=3), extra=st.integers(1, 200_000), signed=st.booleans())
def test_a_body_over_64_kb_gets_413(parts, extra, signed):
    client = (SIGNED if signed else APP).test_client()
    body = "Digits=1&Pad=" + "x" * (MAX_BODY + extra)
    response = client.post(url_of(parts, {}), data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413


# -- Whole calls ---------------------------------------------------------------------

presses = st.one_of(
    st.tuples(st.just("key"), st.sampled_from(KEYS)),
    st.tuples(st.just("silence"), st.none()),
    st.tuples(st.just("outcome"), st.sampled_from(OUTCOMES)),
    st.tuples(st.just("hang up"), st.none()),
)


def next_request(answer, move):
    """What Twilio requests after this answer, given the caller's move: (url, form), or None at the end."""
    kind, value = move
    step = answer.read.next(key=value if kind == "key" else None,
                            outcome=value if kind == "outcome" else "completed")
    return None if step is None else (step.url, step.fields)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moves=st.lists(presses, max_size=30), now=instants)
def test_random_calls_stay_on_valid_twiml_and_end_when_the_caller_goes_quiet(moves, now):
    clock.now = now
    client = APP.test_client()
    form = {"CallSid": "CA0123", "From": "+358401234567"}
    answer = check_twiml(client.post("/voice", data=form), "/voice")
    for move in moves:
        if move[0] == "hang up":
            return
        step = next_request(answer, move)
        if step is None:
            return  # the line said goodbye
        answer = check_twiml(client.post(step[0], data={**form, **step[1]}), step)
    for _ in range(SILENT_STEPS):
        step = next_request(answer, ("silence", None))
        if step is None:
            assert answer.hangs_up, "the call ends with a goodbye, not by itself"
            return
        answer = check_twiml(client.post(step[0], data={**form, **step[1]}), step)
    pytest.fail(f"still talking after {SILENT_STEPS} silent answers: {answer.verbs}")


# -- Properties a caller hears: a call's first answer asks for a key, and a stray URL leads back into ----

stray_clock = Clock(OPEN)
STRAY_APP = create_app(Settings.from_env({}, require_token=False, auth_token=None), clock=stray_clock)
MENU = STRAY_APP.extensions["ivr.menu"]
CODES = [lang.code for lang in MENU.languages]
OFFERED = [lang.code for lang in STRAY_APP.extensions["ivr.audio"].offered(MENU)]  # recorded-only ones wait for audio
NODES = list(MENU.nodes)
MAX_HOPS = 3  # redirects a stray URL may take before it asks for a key

stray_instants = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31),
                        timezones=st.just(dt.UTC))
stray_words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20)
# Segments that look like the line's own, and anything else.
stray_segments = st.one_of(st.sampled_from(CODES + NODES + ["key", "dialled", "choose", "xx", "..", "%", "*"]), stray_words)
stray_forms = st.dictionaries(st.sampled_from(["Digits", "CallSid", "From", "DialCallStatus"]),
                        st.one_of(st.sampled_from(list("0123456789*#")), stray_words), max_size=3)


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
@given(parts=st.lists(stray_segments, max_size=4).filter(lambda p: not is_real(p)), form=stray_forms, now=stray_instants)
def test_a_stray_path_leads_back_into_the_menu(parts, form, now):
    stray_clock.now = now
    client = STRAY_APP.test_client()
    path = "/voice/" + "/".join(quote(part, safe="") for part in parts)
    first = parse(client.post(path, data=form))
    assert not first.hangs_up, f"{path}: a stray URL ended the call"
    assert first.redirect is not None, f"{path}: a stray URL must lead somewhere"
    assert first.redirect == "/voice" or first.redirect.rsplit("/", 1)[0] in {f"/voice/{c}" for c in CODES}
    landed = follow(client, first)
    assert landed is not None, f"{path}: never asked for a key again"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=stray_forms, now=stray_instants)
def test_the_first_answer_asks_for_a_language(form, now):
    stray_clock.now = now
    answer = parse(STRAY_APP.test_client().post("/voice", data=form))
    assert answer.verbs[0] == "Gather" and answer.gather.get("action") == "/voice/choose"
    assert len(answer.gather.findall("Say")) + len(answer.gather.findall("Play")) >= 2
    assert not answer.hangs_up


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(code=st.sampled_from(OFFERED), node=st.sampled_from(NODES), now=stray_instants)
def test_every_menu_and_page_asks_for_a_key_on_the_first_visit(code, node, now):
    """A transfer dials or says when the duty opens; every other node asks for a key."""
    stray_clock.now = now
    answer = parse(STRAY_APP.test_client().post(f"/voice/{code}/{node}"))
    if MENU.nodes[node].kind == "transfer":
        assert answer.dial is not None or answer.redirect or answer.gather is not None
    else:
        assert asks_for_a_key(answer)
        assert answer.gather.get("action") == f"/voice/{code}/{node}/key"


# -- A fault inside the line reaches the caller as an apology in TwiML, never as an HTTP 500 ----

def test_a_failing_node_is_an_apology_in_every_language_then_a_fresh_start(client, menu, dari, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(line.Line, "key", broken)
    answer = parse(client.post("/voice/en/top/key", data={"Digits": "1"}))
    voiced = [lang.code for lang in menu.languages if lang.voice]
    assert [s.text for s in answer.said] == [menu.phrases[code](P.LOST) for code in voiced]
    assert answer.plays == ["/audio/fa/phrase.lost.wav"], "and in Dari, recorded, the one other language offered"
    assert answer.redirect == "/voice"


def test_a_failing_first_answer_says_goodbye_instead_of_looping(client, monkeypatch):
    monkeypatch.setattr(line.Line, "languages", lambda *a, **k: 1 / 0)
    answer = parse(client.post("/voice"))
    assert answer.hangs_up and answer.redirect is None


def test_when_even_the_apology_fails_the_static_fallback_answers(client, monkeypatch):
    monkeypatch.setattr(line.Line, "key", lambda *a, **k: 1 / 0)
    monkeypatch.setattr(line.Line, "apology", lambda *a, **k: 1 / 0)
    answer = parse(client.post("/voice/fi/top/key", data={"Digits": "1"}))
    assert "6 1 5 5" in answer.text and "1 1 2" in answer.text
    assert answer.hangs_up


# -- Every reachable answer, in every language, open and closed, is valid TwiML that leads on ----

IN_GATHER = {"Say", "Play", "Pause"}


def walk(client):
    """Press every key and stay silent at every prompt, breadth first; return the answers by request."""
    seen, answers = set(), {}
    queue = [("/voice", None)]
    while queue:
        url, digits = queue.pop(0)
        if (url, digits) in seen:
            continue
        seen.add((url, digits))
        answer = parse(client.post(url, data={"Digits": digits} if digits is not None else {}))
        answers[(url, digits)] = answer
        read = answer.read
        if read.gather is not None:
            action = read.gather.action
            # Every key at a fresh prompt; after a miss, one more miss of each kind is enough.
            queue += [(action, key) for key in (KEYS if "?" not in action else ["#"])]
        for play in (heard for heard in read.heard_all() if isinstance(heard, reader.Play)):
            audio = client.get(play.url)
            audio.close()
            assert audio.status_code == 200 and audio.mimetype == "audio/wav", play.url
        if read.redirect is not None:
            queue.append((read.redirect.url, None))
        if read.dial is not None:
            action = read.dial.action
            queue += [(action, None)]
            for outcome in ("completed", "busy", "no-answer", "failed"):
                answers[(action, outcome)] = parse(client.post(action, data={"DialCallStatus": outcome}))
        assert len(seen) < 5000, "the walk does not end: a loop that grows the URL?"
    return answers


@pytest.mark.parametrize("now", ["2026-11-30T10:00", "2026-11-30T18:00", "2026-12-24T10:00"])
def test_no_answer_is_a_dead_end_or_invalid(menu, clock, recordings, dari, now):
    """Every voiced language and Dari (recorded in full); Somali and Kurmanji are not recorded."""
    clock.set(now)
    # Recordings are looked at once per interval, as in service: the walk makes thousands of requests.
    answers = walk(line_app(clock, recordings, reload_interval_s=60).test_client())
    reached = {url.split("?")[0] for url, _ in answers}
    offered = [lang for lang in menu.languages if lang.voice or lang.code == "fa"]
    assert not any(url.startswith(("/voice/so/", "/voice/kmr/")) for url in reached), "not offered"
    for lang in offered:
        for node in menu.nodes:
            if menu.nodes[node].kind == "transfer" and not lang.voice:
                assert any(a.dial is not None or f"/audio/{lang.code}/{node}.closed.wav" in (p.text.split("?")[0] for p in
                           a.root.iter("Play")) for (url, _), a in answers.items()
                           if url.startswith(f"/voice/{lang.code}/")), (lang, node)
            elif menu.nodes[node].kind == "transfer":
                closed = menu.phrases[lang.code](P.CLOSED_NOW, name=menu.nodes[node].name[lang.code])[1:]
                assert any(a.dial is not None or closed in a.text for a in answers.values() if a.said
                           and a.said[0].voice == lang.voice), (lang, node)
            else:
                assert f"/voice/{lang.code}/{node}/key" in reached, (lang.code, node)
    for (url, digits), answer in answers.items():
        verbs = answer.verbs
        assert verbs, f"empty answer to {url} {digits}"
        assert verbs[-1] in ENDINGS, f"{url} {digits}: the call would go silent after {verbs}"
        for gather in answer.root.iter("Gather"):
            assert {child.tag for child in gather} <= IN_GATHER
        for said in answer.said:
            assert said.text, f"{url}: an empty <Say>"
            assert said.voice in voices.VOICES and voices.VOICES[said.voice] == said.language
    dialled = {a.dial.text for a in answers.values() if a.dial is not None}
    assert dialled <= {menu.nodes["desk"].number.e164}
    assert bool(dialled) == (now == "2026-11-30T10:00"), "the desk is dialled only during its hours"
