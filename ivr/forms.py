"""Twilio's posted fields, read without werkzeug's general form machinery.

Every webhook request carries a few hundred bytes of urlencoded fields, and the
signature check needs them all. Werkzeug reads them through a stream wrapper and
a parser object built for multipart uploads, which cost more than the parsing
itself. A body with a length, within the limit and urlencoded is read here with
the same parsing (`parse_qsl` and werkzeug's error handler for bad escapes);
anything else (multipart, no length, too large) takes werkzeug's way, 413 included.
"""

from __future__ import annotations

from io import BytesIO
from urllib.parse import parse_qsl

import flask
import werkzeug.urls  # noqa: F401  registers the "werkzeug.url_quote" error handler used below

URLENCODED = "application/x-www-form-urlencoded"


class Request(flask.Request):
    def _load_form_data(self) -> None:
        length = self.content_length
        limit = self.max_content_length
        if "form" in self.__dict__ or length is None or (limit is not None and length > limit) \
                or self.mimetype != URLENCODED or getattr(self, "_cached_data", None) is not None:
            return super()._load_form_data()
        body = self.environ["wsgi.input"].read(length) if length else b""
        try:
            items = parse_qsl(body.decode(), keep_blank_values=True, errors="werkzeug.url_quote")
        except ValueError:  # not UTF-8: werkzeug reads no fields either
            items = []
        # As werkzeug leaves them: the form, no files, and a stream with nothing left to read.
        self.__dict__.update(stream=BytesIO(), form=self.parameter_storage_class(items),
                             files=self.parameter_storage_class())
