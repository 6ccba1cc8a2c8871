"""The call URLs: one module writes and reads them, and what it writes it reads back the same."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivr import urls
from ivr.urls import Place, Step


@pytest.mark.parametrize("url, expected", [
    ("/voice", urls.voice()),
    ("/voice/", urls.voice()),
    ("/voice?s=1&w=2&g=8", urls.voice(Step(1, 2, group="8"))),
    ("/voice/choose?g=8", urls.choose(Step(group="8"))),
    ("/voice/fi/services", urls.node("fi", "services")),
    ("https://line.example.org/voice/fi/associations?b=1", urls.node("fi", "associations", Step(brief=True))),
    ("/voice/sv/duty/key?w=1", urls.key("sv", "duty", Step(wrong=1))),
    ("/voice/sv/duty/dialled", urls.dialled("sv", "duty")),
    ("/audio/kmr/phrase.slow.wav?v=1&slow=1", urls.recording("kmr", "phrase.slow", "1", slow=True)),
    ("/voice/a/b/c/d", Place("")),
    ("/voice/en", Place("")),
    ("/elsewhere", Place("")),
    ("", Place("")),
])
def test_a_url_names_its_place(url, expected):
    assert urls.parse(url) == expected


@pytest.mark.parametrize("query, step", [
    ("s=2&w=1&b=1&g=8", Step(2, 1, True, group="8")),
    ("s=99", Step(urls.MAX_SILENCES)),  # capped: more misses than a call can have mean the last
    ("s=x&w=-1&b=zz&g=88", Step()),  # malformed counts as none
    ("s=99999999999999999999", Step()),
    ("g=%2A", Step()),  # a group is one digit
])
def test_counters_are_read_safely(query, step):
    assert urls.parse(f"/voice/en/top?{query}").step == step


@pytest.mark.parametrize("place, url", [
    (urls.voice(), "/voice"),
    (urls.voice(Step(1, 0, group="8")), "/voice?s=1&g=8"),
    (urls.node("en", "top", Step(2, 1, brief=True)), "/voice/en/top?s=2&w=1&b=1"),
    (urls.key("en", "top"), "/voice/en/top/key"),
    (urls.dialled("fi", "duty"), "/voice/fi/duty/dialled"),
    (urls.recording("fa", "duty.contacts.0", "abc"), "/audio/fa/duty.contacts.0.wav?v=abc"),
    (urls.recording("fa", "duty.contacts.0", "abc", slow=True), "/audio/fa/duty.contacts.0.wav?v=abc&slow=1"),
])
def test_zero_counters_are_left_out(place, url):
    assert urls.url(place) == url


@given(st.sampled_from([urls.voice, urls.choose]), st.integers(0, urls.MAX_SILENCES), st.integers(0, urls.MAX_WRONG),
       st.sampled_from(["", "8", "1"]))
def test_what_is_written_reads_back_the_same(make, silent, wrong, group):
    place = make(Step(silent, wrong, group=group))
    assert urls.parse(urls.url(place)) == place


@given(st.text(max_size=200))
def test_any_text_parses_without_failing(text):
    assert isinstance(urls.parse(text), Place)


def test_the_signed_url_is_the_public_base_with_the_path_and_query_as_sent():
    assert urls.as_signed("https://ivr.example.org/", "http://localhost/voice/en/top/key?w=1") == \
        "https://ivr.example.org/voice/en/top/key?w=1"
