"""`ivr script` shows every language callers are offered, recordings with their text, and where each key goes."""

import datetime as dt
import wave

from ivr import cli
from ivr.audio import library as audio
from ivr.menu import model as menus
from ivr.staff import script

from .conftest import HELSINKI

MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=HELSINKI)
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


def block(lines, title):
    start = lines.index(title)
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


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
