"""`ivr script`: the call as text, read back from the TwiML the line really answers."""

import datetime as dt

import pytest

from ivr import cli
from ivr.staff import script
from ivr import phrases as P

from .conftest import HELSINKI
from .twiml import parse

MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=HELSINKI)


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


def test_each_node_says_what_the_webhook_says(lines, client, menu):
    """The script's words are the line's words: compare with the real answer for every node, in Finnish."""
    text = lines("fi")
    for node in menu.nodes.values():
        if node.kind == "transfer":
            continue
        said = block(text, f"== {node.id} ({node.kind}) ==")[1]
        answer = parse(client.post(f"/voice/fi/{node.id}"))
        assert said.replace(" / ", " ").replace(". /", ".") == f'  says: "{answer.text}"'


def test_a_page_in_english(lines):
    assert block(lines("en"), "== reception_centre (page) ==")[2:8] == [
        "  waits 8 s for one key:",
        "    *: this again, from the start",
        "    0: services",
        "    1: duty (transfer)",
        "    8: the page again, slowly",
        "    9: the language menu",
    ]


def test_the_services_menu_keys_and_silence(lines, menu):
    services = block(lines("en"), "== services (menu) ==")
    options = ("Reception centre duty phone, press 1. / In a life-threatening emergency, call 1 1 2. / The city's "
               "immigration services for refugees, press 2. / The Finnish Immigration Service, Migri, press 3. / "
               "Other help and information, press 4. / Star repeats, 0 goes back, 9 changes the language.")
    assert services[3:11] == [
        "    *: this again, from the start",
        "    0: the language menu",
        "    1: reception_centre",
        "    2: immigration_services",
        "    3: migri",
        "    4: other_help",
        "    9: the language menu",
        f'    any other key: "That key is not in the menu. {options}"',
    ]
    assert services[11] == '  the 3rd wrong key in a row: "Thank you for calling. Goodbye.", then the call ends'
    assert services[12] == "  no key for 6 s:"
    assert services[13] == (f'    1st time: "Please choose by pressing a key on your phone. {options}", '
                            "then back to services (its options only)")
    assert services[14].endswith('changes the language.", then no key again: "Thank you for calling. Goodbye.", '
                                 "and the call ends")


def test_the_transfer_open_closed_and_unanswered(lines):
    assert block(lines("en"), "== duty (transfer to +358861552760, hours: duty) ==")[1:] == [
        "  when open (as on 2026-11-30 10:00): \"Connecting you to the reception centre's duty phone. "
        'Please wait. In a life-threatening emergency, call 1 1 2.", then dials +358861552760, ringing up to 25 s',
        '  after the call: "Thank you for calling. Goodbye.", then the call ends',
        '  nobody answers (busy, no answer, failed): "Sorry, nobody could answer the call. The duty phone '
        "number: 0 8 / 6 1 5 5 / 2 7 6 0. / Again: 0 8 / 6 1 5 5 / 2 7 6 0. / The reception "
        "centre's fax number: 0 8 / 6 1 5 5 / 2 7 6 2. / Again: 0 8 / 6 1 5 5 / 2 7 6 2. / Open Monday to "
        "Friday, from 8 to 15. Closed on public holidays. / In a life-threatening emergency, call 1 1 2. "
        'Returning to the menu.", then back to reception_centre (its options only)',
        "  when closed (as on 2026-11-30 15:00): \"The reception centre's duty phone is closed now. It opens "
        'again on Tuesday 1 December at 8. / In a life-threatening emergency, call 1 1 2.", then back to '
        "reception_centre (its options only)",
    ]


def test_on_christmas_eve_the_script_shows_the_next_opening(lines):
    """Closed for the holidays: 'when open' is the next working morning, 'when closed' is now."""
    duty = block(lines("en", dt.datetime(2026, 12, 24, 10, 0, tzinfo=HELSINKI)), "== duty (transfer to +358861552760, hours: duty) ==")
    assert duty[1].startswith("  when open (as on 2026-12-28 08:00): ")
    assert duty[4].startswith("  when closed (as on 2026-12-24 10:00): \"The reception centre's duty phone is "
                              "closed now. It opens again on Monday 28 December at 8.")


def test_finnish_script_is_in_finnish(lines, menu):
    text = "\n".join(lines("fi"))
    assert "#### Suomeksi (fi, voice Polly.Suvi-Neural) ####" in text
    assert menu.phrases["fi"](P.GOODBYE) in text
    assert "press" not in text.split("#### Suomeksi")[1]


def test_the_language_menu_in_every_voice(lines):
    text = lines("en")
    assert text[3:10] == [
        "== The language menu (each language in its own voice) ==",
        "  says: Suomeksi, paina 1.",
        "  says: På svenska, tryck 2.",
        "  says: For English, press 3.",
        "  says: للعربية، اضغط 4.",
        "  says: Українською, натисніть 5.",
        "  says: На русском, нажмите 6.",
    ]


def test_command_prints_every_language_or_one(capsys, monkeypatch):
    monkeypatch.setenv("IVR_NOW", "2026-11-30T10:00")
    assert cli.main(["script"]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("####")] == [
        "#### Suomeksi (fi, voice Polly.Suvi-Neural) ####",
        "#### På svenska (sv, voice Polly.Elin-Neural) ####",
        "#### For English (en, voice Polly.Amy-Neural) ####",
        "#### للعربية (ar, voice Polly.Zeina) ####",
        "#### Українською (uk, voice Google.uk-UA-Standard-A) ####",
        "#### На русском (ru, voice Polly.Tatyana) ####",
        "#### به زبان دری (fa, recordings only) ####",
        "#### Bi Kurdiya Kurmancî (kmr, recordings only) ####",
    ]
    assert cli.main(["script", "--lang", "sv"]) == 0
    assert "####" in capsys.readouterr().out


def test_command_refuses_an_unknown_language(capsys):
    assert cli.main(["script", "--lang", "de"]) == 1
    assert capsys.readouterr().err == "ivr script: the menu has no language 'de': choose one of fi, sv, en, ar, uk, ru, fa, so, kmr, ckb\n"
