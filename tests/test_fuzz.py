"""Whatever Twilio (or anyone) sends, the line answers: valid TwiML, a refusal, or "not here", never a 5xx.

Property-based: hypothesis makes up paths, form fields, signatures, bodies, and whole calls,
key by key, with silences and transfer outcomes, at random moments of the year.
"""

import datetime as dt
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from ivr.menu import voices

from .conftest import OPEN, Clock, line_app
from .twiml import parse

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
