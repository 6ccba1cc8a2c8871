"""Twilio's fields read the short way are exactly the fields werkzeug would read."""

import io
from urllib.parse import urlencode

import flask
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder

from ivr import forms

text = st.text(st.characters(codec="utf-8"), max_size=12)
pairs = st.lists(st.tuples(text, text), max_size=6)
# Bodies no client should send: bad percent-escapes, bytes that are not UTF-8, stray '&' and '='.
raw = st.lists(st.sampled_from([b"a=1", b"&", b"=", b"%", b"%zz", b"%C3", b"\xff", b"+", b"b=%E2%82%AC"]),
               max_size=8).map(b"".join)


def both(body: bytes, content_type: str = forms.URLENCODED, length: bool = True):
    environ = EnvironBuilder(method="POST", data=body, content_type=content_type).get_environ()
    if not length:
        del environ["CONTENT_LENGTH"]
    return [cls(dict(environ, **{"wsgi.input": io.BytesIO(body)})) for cls in (forms.Request, flask.Request)]


@settings(max_examples=200, deadline=None)
@given(st.one_of(pairs.map(lambda p: urlencode(p).encode()), raw))
def test_the_fields_are_werkzeugs_fields(body):
    ours, theirs = both(body)
    assert list(ours.form.items(multi=True)) == list(theirs.form.items(multi=True))
    assert ours.get_data() == theirs.get_data() == b""


def test_a_field_sent_twice_keeps_both_values_in_order():
    ours, _ = both(b"Digits=3&CallSid=CA1&Digits=1")
    assert ours.form.getlist("Digits") == ["3", "1"] and ours.form["CallSid"] == "CA1"


def test_other_bodies_take_werkzeugs_way():
    ours, theirs = both(b"--x\r\nContent-Disposition: form-data; name=\"Digits\"\r\n\r\n3\r\n--x--\r\n",
                        content_type="multipart/form-data; boundary=x")
    assert ours.form["Digits"] == theirs.form["Digits"] == "3"
    ours, theirs = both(b"Digits=3", length=False)
    assert ours.form == theirs.form
