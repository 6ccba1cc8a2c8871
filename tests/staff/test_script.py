"""`ivr script`: the call as text, read back from the TwiML the line really answers.

`ivr script` shows every language callers are offered, recordings with their text, and where each key goes.
"""

import datetime as dt
import wave

import pytest

from ivr import cli
from ivr import phrases as P
from ivr.audio import library as audio
from ivr.menu import model as menus
from ivr.staff import script

from ..answers import parse
from ..conftest import HELSINKI

MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=HELSINKI)
DESK = "== desk (transfer to +358861552760, hours: desk) =="


@pytest.fixture
def lines(menu):
    def make(code, now=MONDAY_10):
        return list(script.Script(menu, now).lines([code]))
    return make


def block(lines, title):
    """The lines of one node's block, title included."""
    start = lines.index(title)
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def quoted(line: str) -> str:
    """The words between the first and last double quote, without the script's pause marks."""
    said = line[line.index('"') + 1:line.rindex('"')]
    return said.replace(" / ", " ").replace(". /", ".")


def heard(client, url, **form) -> str:
    return parse(client.post(url, data=form)).text


def test_each_node_says_what_the_webhook_says(lines, client, menu):
    """The script's words are the line's words: compare with the real answer for every node, in Finnish."""
    text = lines("fi")
    for node in menu.nodes.values():
        if node.kind == "transfer":
            continue
        said = block(text, f"== {node.id} ({node.kind}) ==")[1]
        assert said.startswith('  says: "')
        assert quoted(said) == heard(client, f"/voice/fi/{node.id}")


def test_a_page_in_english(lines):
    assert block(lines("en"), "== office (page) ==")[2:8] == [
        "  waits 8 s for one key:",
        "    *: this again, from the start",
        "    0: top",
        "    1: desk (transfer)",
        "    8: the page again, slowly",
        "    9: the language menu",
    ]


def test_the_start_menu_keys_wrong_keys_and_silence(lines, client, menu):
    top = block(lines("en"), "== top (menu) ==")
    assert top[2:9] == [
        "  waits 6 s for one key:",
        "    *: this again, from the start",
        "    0: the language menu",
        "    1: news",
        "    2: office",
        "    3: forms",
        "    9: the language menu",
    ]
    assert top[9].startswith("    any other key: ")
    assert quoted(top[9]) == heard(client, "/voice/en/top/key", Digits="7")
    goodbye = menu.phrases["en"](P.GOODBYE)
    assert top[10].startswith('  the 3rd wrong key in a row: "The phone number: 0 8 / 6 1 5 5 / 2 7 6 0.')
    assert top[10].endswith(f'hang up and call 1 1 2. {goodbye}", then the call ends')
    assert top[11] == "  no key for 6 s:"
    assert top[12].startswith('    1st time: "') and top[12].endswith('", then back to top (its options only)')
    assert quoted(top[12]) == heard(client, "/voice/en/top?s=1&b=1")
    assert top[13].startswith('    2nd time: "')
    assert top[13].endswith(f'hang up and call 1 1 2. {goodbye}", and the call ends')


def test_the_transfer_open_closed_and_unanswered(lines, client, clock, menu):
    desk = block(lines("en"), DESK)[1:]
    assert len(desk) == 14  # open, after, nobody answers, the closed page with its keys and misses
    opened = heard(client, "/voice/en/office/key", Digits="1")
    assert desk[0] == (f'  when open (as on 2026-11-30 10:00): "{opened}", then dials +358861552760, '
                       "ringing up to 20 s")
    assert desk[1] == f'  after the call: "{menu.phrases["en"](P.GOODBYE)}", then the call ends'
    assert desk[2].startswith('  nobody answers (busy, no answer, failed): "')
    assert desk[2].endswith('", then back to office (its options only)')
    assert quoted(desk[2]) == heard(client, "/voice/en/desk/dialled", DialCallStatus="busy")
    clock.set("2026-11-30T15:00")
    assert desk[3].startswith('  when closed (as on 2026-11-30 15:00), its page: "')
    assert quoted(desk[3]) == heard(client, "/voice/en/desk")
    assert "It opens again on Tuesday 1 December at 8." in desk[3]
    assert desk[4:9] == ["  waits 8 s for one key:", "    *: this again, from the start", "    0: office",
                         "    8: the page again, slowly", "    9: the language menu"], "no key to call"


def test_on_christmas_eve_the_script_shows_the_next_opening(lines):
    """Closed for the holidays: 'when open' is the next working morning, 'when closed' is now."""
    desk = block(lines("en", dt.datetime(2026, 12, 24, 10, 0, tzinfo=HELSINKI)), DESK)
    assert desk[1].startswith("  when open (as on 2026-12-28 08:00): ")
    assert desk[4].startswith('  when closed (as on 2026-12-24 10:00), its page: "The desk is closed now. '
                              "It opens again on Monday 28 December at 8.")


def test_finnish_script_is_in_finnish(lines, menu):
    text = "\n".join(lines("fi"))
    assert "#### Suomeksi (fi, voice Polly.Suvi-Neural) ####" in text
    assert menu.phrases["fi"](P.GOODBYE) in text
    assert "press" not in text.split("#### Suomeksi")[1]


def test_the_language_menu_in_every_voice(lines, menu):
    text = lines("en")
    voiced = [lang for lang in menu.languages if lang.voice]
    greeting = [f"  says: {menu.greeting[code]}" for code in menu.greeting]
    assert text[3:4 + len(greeting) + len(voiced)] == ["== The language menu (each language in its own voice) =="] \
        + greeting + [f"  says: {menu.phrases[lang.code](P.PRESS, label=lang.name, key=lang.key)}" for lang in voiced]
    assert text[4 + len(greeting)] == "  says: Suomeksi, paina 1."


def test_command_prints_every_language_or_one(capsys, monkeypatch, menu):
    """Every language a voice speaks, the one in IVR_MENU (here the test line); or the one asked for."""
    monkeypatch.setenv("IVR_NOW", "2026-11-30T10:00")
    assert cli.main(["script"]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("####")] == [
        "#### Suomeksi (fi, voice Polly.Suvi-Neural) ####",
        "#### På svenska (sv, voice Polly.Elin-Neural) ####",
        "#### In English (en, voice Polly.Amy-Neural) ####",
        "#### بالعربية (ar, voice Polly.Zeina) ####",
        "#### Українською (uk, voice Google.uk-UA-Standard-A) ####",
    ]
    assert cli.main(["script", "--lang", "sv"]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if line.startswith("####")] == [
        "#### På svenska (sv, voice Polly.Elin-Neural) ####"]


def test_command_refuses_an_unknown_language(capsys):
    assert cli.main(["script", "--lang", "de"]) == 1
    assert capsys.readouterr().err == ("ivr script: the menu has no language 'de': "
                                       "choose one of fi, sv, en, ar, uk, fa, so, kmr\n")


# -- `ivr script` shows every language callers are offered, recordings with their text, and where each key goes ----

MONDAY_18 = dt.datetime(2026, 11, 30, 18, 0, tzinfo=HELSINKI)

MENU = """\
name: small
timezone: Europe/Helsinki
start: top
languages:
  - {code: en, key: "1", name: For English, voice: Polly.Amy-Neural, locale: en_GB}
  - {code: fa, key: "2", name: به زبان دری, locale: fa_AF, placeholders: allowed}
  - {code: so, key: "3", name: Af-Soomaali}
schedules:
  duty:
    weekly: {monday: "08:00-15:00"}
nodes:
  top:
    type: menu
    say: {en: Welcome., fa: خوش آمدید., so: Soo dhawoow.}
    options: {"1": centre}
  centre:
    type: page
    label: {en: The centre, fa: مرکز, so: Xarunta}
    say: {en: The centre helps., fa: مرکز کمک می کند., so: Xaruntu way caawisaa.}
    options: {"1": duty}
  duty:
    type: transfer
    label: {en: To speak to the duty now, fa: برای صحبت با نوکریوال, so: Si aad ula hadasho}
    name: {en: the duty, fa: نوکریوال, so: adeegga}
    number: (08) 6155 2760
    schedule: duty
"""


def recorded(tmp_path, menu, code, synthetic=()):
    """Every prompt of `code` recorded (those in `synthetic` machine-made), as short WAVs."""
    folder = tmp_path / code
    folder.mkdir()
    for prompt in audio.needed(menu, menu.language(code)).values():
        with wave.open(str(folder / f"{prompt.id}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(8000)
            out.writeframes(b"\x00\x00" * 800)
        audio.write_entry(folder, prompt, None if prompt.id in synthetic else "Test Reader")


def setup(tmp_path):
    menu = menus.loads(MENU, "small.yaml")
    recorded(tmp_path, menu, "fa", synthetic={"top.say"})
    return menu


def test_a_recorded_language_is_shown_with_the_text_of_each_recording(tmp_path):
    menu = setup(tmp_path)
    lines = list(script.Script(menu, MONDAY_10, tmp_path).lines(["fa"]))
    assert "  says: [recorded: به زبان دری، دکمه 2 را فشار دهید.]" in block(lines, lines[3])
    assert "#### به زبان دری (fa, recordings only) ####" in lines
    top = block(lines, "== top (menu) ==")
    assert top[1].startswith('  says: "[recorded, machine-made: خوش آمدید.] [recorded: ')
    assert '[recorded: مرکز، دکمه 1 را فشار دهید.]' in top[1]


def test_a_language_not_fully_recorded_is_not_in_the_language_menu(tmp_path):
    """Somali has no voice and no recordings: callers are not offered it, so neither is the script."""
    lines = list(script.Script(setup(tmp_path), MONDAY_10, tmp_path).lines(["en"]))
    menu_block = block(lines, "== The language menu (each language in its own voice) ==")
    assert menu_block[1:3] == ["  says: For English, press 1.",
                               "  says: [recorded: به زبان دری، دکمه 2 را فشار دهید.]"]
    assert not any("Soomaali" in line for line in menu_block)
    assert "    2: به زبان دری (fa), then top" in menu_block


def test_every_key_names_its_real_target_open_or_closed(tmp_path):
    menu = setup(tmp_path)
    opened = block(list(script.Script(menu, MONDAY_10, tmp_path).lines(["en"])), "== centre (page) ==")
    closed = block(list(script.Script(menu, MONDAY_18, tmp_path).lines(["en"])), "== centre (page) ==")
    assert opened[2:8] == [
        "  waits 8 s for one key:",
        "    *: this again, from the start",
        "    0: top",
        "    1: duty (transfer)",
        "    8: the page again, slowly",
        "    9: the language menu",
    ]
    assert closed[5] == "    1: duty (transfer, closed now: its page)"


def test_the_command_takes_an_offered_recorded_language_and_refuses_one_that_is_not(tmp_path, capsys,
                                                                                     monkeypatch):
    menu = setup(tmp_path)
    path = tmp_path / "small.yaml"
    path.write_text(MENU, encoding="utf-8")
    monkeypatch.setenv("IVR_AUDIO", str(tmp_path))
    monkeypatch.setenv("IVR_NOW", "2026-11-30T10:00")
    assert cli.main(["script", "--menu", str(path), "--lang", "fa"]) == 0
    assert "[recorded, machine-made: خوش آمدید.]" in capsys.readouterr().out
    assert cli.main(["script", "--menu", str(path)]) == 0
    headers = [line for line in capsys.readouterr().out.splitlines() if line.startswith("####")]
    assert headers == ["#### For English (en, voice Polly.Amy-Neural) ####",
                       "#### به زبان دری (fa, recordings only) ####"]
    assert cli.main(["script", "--menu", str(path), "--lang", "so"]) == 1
    assert "'so' is not offered to callers" in capsys.readouterr().err
    assert not menu.language("so").voice
