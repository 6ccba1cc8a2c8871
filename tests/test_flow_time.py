"""The flow is built for the caller's time: the line names itself first, the keys that work everywhere
come only after a miss, and machine-made recordings are played only where the menu allows them."""

import pytest

from ivr import phrases as P
from ivr.audio import library as audio

from .conftest import LINE_MENU, line_app, record, record_language
from .twiml import parse


def post(client, url, **form):
    return parse(client.post(url, data=form))


def test_the_greeting_is_said_once_at_the_start_and_a_key_can_cut_it_short(client, menu):
    first = post(client, "/voice")
    assert [s.text for s in first.said[:2]] == [menu.greeting["fi"], menu.greeting["en"]]
    assert first.gather.find("Say") is not None, "inside the Gather: a caller who knows their key need not wait"
    again = post(client, "/voice?s=1")
    assert not {menu.greeting["fi"], menu.greeting["en"]} & {s.text for s in again.said}, "not on a re-prompt"


@pytest.mark.parametrize("code", ["fi", "en", "ar"])
def test_the_keys_that_work_everywhere_come_only_after_a_miss(client, menu, code):
    navigation = menu.phrases[code](P.NAVIGATION)
    lang = menu.language(code)
    heard = post(client, "/voice/choose", Digits=lang.key)
    assert navigation not in heard.text
    silent = post(client, f"/voice/{code}/{menu.start}?s=1&b=1")
    assert menu.phrases[code](P.NO_KEY) in silent.text and navigation in silent.text
    wrong = post(client, f"/voice/{code}/{menu.start}/key", Digits="7")
    assert menu.phrases[code](P.NOT_IN_MENU) in wrong.text and navigation in wrong.text


def test_a_page_says_its_slow_key_last(client, menu):
    page = post(client, "/voice/en/office")
    assert page.said[-1].text == menu.phrases["en"](P.SLOW)


def test_machine_made_recordings_play_only_where_the_menu_allows_them(clock, recordings):
    """Dari recorded by espeak-ng: without `placeholders: allowed` it is not offered at all."""
    lang = LINE_MENU.language("fa")
    for prompt in audio.needed(LINE_MENU, lang).values():
        record(recordings / "fa", prompt)
        audio.write_entry(recordings / "fa", prompt, recorded_by=None)  # synthetic: true
    client = line_app(clock, recordings).test_client()
    assert not any("/audio/fa/" in url for url in post(client, "/voice").plays)
    health = client.get("/healthz").get_json()
    assert "fa" not in health["offered"] and health["machine_made"] == []


def test_a_language_allowed_placeholders_is_offered_and_healthz_says_it_is_machine_made(clock, recordings):
    import dataclasses

    allowed = dataclasses.replace(LINE_MENU, languages=tuple(
        dataclasses.replace(lang, placeholders=True) if lang.code == "fa" else lang for lang in LINE_MENU.languages))
    for prompt in audio.needed(allowed, allowed.language("fa")).values():
        record(recordings / "fa", prompt)
        audio.write_entry(recordings / "fa", prompt, recorded_by=None)
    client = line_app(clock, recordings, served=allowed).test_client()
    assert any(url.startswith("/audio/fa/language.name.wav") for url in post(client, "/voice").plays)
    health = client.get("/healthz").get_json()
    assert "fa" in health["offered"] and health["machine_made"] == ["fa"]


def test_a_persons_recordings_are_offered_and_not_called_machine_made(clock, recordings):
    record_language(recordings, "fa")
    health = line_app(clock, recordings).test_client().get("/healthz").get_json()
    assert "fa" in health["offered"] and health["machine_made"] == []
