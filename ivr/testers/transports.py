"""How the call simulator reaches the line: the app in this process, or a deployed line over HTTP(S)."""

from __future__ import annotations

import dataclasses
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import urlencode, urljoin, urlsplit

from flask import Flask

from .. import urls

TIMEOUT_S = 15  # Twilio gives up on a webhook after 15 seconds


@dataclasses.dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    error: str | None = None  # the connection failed: no HTTP answer at all


class Transport(Protocol):
    def request(self, method: str, url: str, form: dict[str, str], headers: dict[str, str]) -> Reply: ...

    def absolute(self, url: str) -> str: ...

    def signed_url(self, url: str) -> str:
        """The URL Twilio would sign for this request."""


class Remote:
    """A deployed line, e.g. https://ivr.example.org/voice, with the standard library's HTTP client."""

    def __init__(self, base: str) -> None:
        self.base = base

    def absolute(self, url: str) -> str:
        return urljoin(self.base, url)

    def signed_url(self, url: str) -> str:
        return self.absolute(url)

    def request(self, method: str, url: str, form: dict[str, str], headers: dict[str, str]) -> Reply:
        data = urlencode(form).encode() if method == "POST" else None
        req = urllib.request.Request(self.absolute(url), data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as answer:
                return Reply(answer.status, answer.headers.get("Content-Type", ""), answer.read())
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, exc.headers.get("Content-Type", ""), exc.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return Reply(0, "", b"", error=str(getattr(exc, "reason", exc)))


class InProcess:
    """The app itself, through Flask's test client: no server, no network. Other hosts go over HTTP."""

    BASE = "http://localhost/"

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()
        self.public = app.config["IVR"].public_url

    def absolute(self, url: str) -> str:
        return urljoin(self.BASE, url)

    def signed_url(self, url: str) -> str:
        """As security.signed_url sees it: the public base URL when one is configured."""
        full = self.absolute(url)
        return urls.as_signed(self.public, full) if self.public else full

    def request(self, method: str, url: str, form: dict[str, str], headers: dict[str, str]) -> Reply:
        full = self.absolute(url)
        if urlsplit(full).netloc != urlsplit(self.BASE).netloc:
            return Remote(full).request(method, full, form, headers)
        answer = self.client.open(full, method=method, data=form or None, headers=headers)
        return Reply(answer.status_code, answer.content_type or "", answer.get_data())
