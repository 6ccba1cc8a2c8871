"""Twilio-like webhook requests across the menu's real paths, signed as Twilio signs them."""

from __future__ import annotations

from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from ivr import urls
from ivr.audio.library import Library
from ivr.menu import BACK_KEY, LANGUAGE_KEY, REPEAT_KEY, Menu
from ivr.settings import BUNDLED_AUDIO

WRONG_KEY = "#"  # never a menu option


def twilio_form(call: int, **extra: str) -> dict[str, str]:
    """The fields Twilio posts with every voice webhook (made-up account, call and numbers)."""
    return {
        "AccountSid": "AC" + "0" * 32, "ApiVersion": "2010-04-01", "CallSid": f"CA{call:032x}",
        "CallStatus": "in-progress", "Direction": "inbound", "From": "+358401234567",
        "To": "+358861550000", "Caller": "+358401234567", "Called": "+358861550000",
        "FromCountry": "FI", "ToCountry": "FI", **extra,
    }


def paths(menu: Menu) -> list[tuple[str, dict[str, str]]]:
    """(path, extra form fields): the language menu, every node in every language a caller can choose
    (a language waiting for its recordings is not offered, so no call reaches its pages), every key."""
    offered = Library(BUNDLED_AUDIO).offered(menu)
    url = urls.url
    out: list[tuple[str, dict[str, str]]] = [(url(urls.voice()), {}), (url(urls.voice(urls.Step(silent=1))), {})]
    out += [(url(urls.choose()), {"Digits": lang.key}) for lang in offered]
    for lang in offered:
        for node in menu.nodes.values():
            if node.kind == "transfer":
                out += [(url(urls.dialled(lang.code, node.id)), {"DialCallStatus": s}) for s in ("busy", "completed")]
                continue
            out += [(url(urls.node(lang.code, node.id)), {}),
                    (url(urls.node(lang.code, node.id, urls.Step(silent=1, brief=True))), {})]
            keys = [*node.options, REPEAT_KEY, BACK_KEY, LANGUAGE_KEY, WRONG_KEY]
            out += [(url(urls.key(lang.code, node.id)), {"Digits": key}) for key in keys]
    return out


def signed_lines(menu: Menu, base_url: str, token: str,
                 more: tuple[tuple[str, dict[str, str]], ...] = ()) -> list[str]:
    """One line per request for bench/signed.lua: path, signature, body, tab-separated; `more` are
    (path, fields) requests added after the menu's paths."""
    validator = RequestValidator(token)
    lines = []
    for call, (path, extra) in enumerate([*paths(menu), *more]):
        form = twilio_form(call, **extra)
        signature = validator.compute_signature(base_url + path, form)
        lines.append(f"{path}\t{signature}\t{urlencode(form)}")
    return lines
