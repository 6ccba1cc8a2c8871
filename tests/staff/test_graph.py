"""`ivr graph`: the menu tree as a picture (the README's copy is checked in test_bundled.py).

`ivr graph` and the README show the language menu a caller gets: offered languages, the keys really pressed.
"""

import pathlib
import re

import pytest

from ivr import cli
from ivr import menu as menus
from ivr.audio import library as audio
from ivr.settings import BUNDLED_AUDIO, BUNDLED_MENU
from ivr.staff import graph

from ..audio.test_library import SMALL, post, record, small_app


def test_graph_has_every_node_and_every_key(menu):
    text = graph.mermaid(menu, "en")
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert "    languages -->|1, 2, 3, 4, 5, 7, 61, 62| top" in lines
    for node in menu.nodes.values():
        assert any(line.startswith(f"    {node.id}") and f"<b>{node.id}</b>" in line for line in lines), node.id
        for key, target in node.options.items():
            assert f"    {node.id} -->|{key}| {target}" in lines
    desk = next(line for line in lines if line.startswith("    desk[["))
    assert "dials 08 6155 2760 (desk hours)" in desk and desk.endswith('"]]')


def test_graph_in_finnish(capsys):
    """`ivr graph` draws the menu in use (IVR_MENU: here the test line) in the chosen language."""
    assert cli.main(["graph", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert '    news["<b>news</b><br/>Uutiset"]' in out.splitlines()


# -- `ivr graph` and the README show the language menu a caller gets: offered languages, the keys really pressed ----

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"

# English on 1; Dari (recorded only) and Swedish share key 8.
SHARED_8 = SMALL.replace('key: "2", name: به زبان دری', 'key: "81", name: به زبان دری').replace(
    "  - {code: fa", '  - {code: sv, key: "82", name: På svenska, voice: Polly.Elin-Neural}\n  - {code: fa').replace(
    "en: Welcome to the line.,", "en: Welcome to the line., sv: Välkommen.,").replace(
    "en: Information,", "en: Information, sv: Information,").replace(
    "en: Here is some information.,", "en: Here is some information., sv: Här finns information.,")


def language_menu(text):
    """The graph's language menu as (key, name) pairs, and the keys on its edge to the first node."""
    lines = text.splitlines()
    box = next(line for line in lines if line.startswith("    languages{{"))
    listed = box.split("Language menu<br/>", 1)[1].removesuffix('"}}')
    edge = next(line for line in lines if line.startswith("    languages -->|"))
    return [tuple(item.split(" ", 1)) for item in listed.split(" · ")], edge.split("|")[1].split(", ")


def reaches(client, key):
    """The language a caller reaches by pressing `key` in the language menu (two keys: 8, then 1)."""
    answer = post(client, "/voice/choose", Digits=key[0])
    if len(key) > 1:
        answer = post(client, f"/voice/choose?g={key[0]}", Digits=key[1:])
    action = answer.gather.get("action")
    return action.split("/")[2] if action.startswith("/voice/") and action.endswith("/top/key") else None


@pytest.mark.parametrize("recorded, menu_keys", [
    (False, [("1", "For English"), ("8", "På svenska")]),  # Dari left out: Swedish is alone behind 8
    (True, [("1", "For English"), ("82", "På svenska"), ("81", "به زبان دری")]),
])
def test_the_graph_shows_the_keys_that_take_a_caller_to_each_offered_language(tmp_path, clock, recorded, menu_keys):
    """Each key the graph shows, pressed on the line, reaches the language it names; no other language is offered."""
    app, menu = small_app(tmp_path, clock, SHARED_8)
    if recorded:
        for prompt in audio.needed(menu, menu.language("fa")).values():
            record(tmp_path / "fa", prompt)
    offered = app.extensions["ivr.audio"].offered(menu)
    text = graph.mermaid(menu, "en", offered)
    listed, edge = language_menu(text)
    assert listed == menu_keys
    assert edge == [key for key, _ in menu_keys]
    names = {lang.name: lang.code for lang in menu.languages}
    client = app.test_client()
    for key, name in listed:
        assert reaches(client, key) == names[name], f"key {key} should reach {name}"
    assert ("    %% not offered until every prompt is recorded: fa" in text.splitlines()) == (not recorded)


def test_ivr_graph_reads_the_recordings_folder(tmp_path, capsys):
    """`--audio`: a recorded-only language appears once its folder has every prompt."""
    menu_file = tmp_path / "small.yaml"
    menu_file.write_text(SMALL, encoding="utf-8")
    folder = tmp_path / "audio"
    assert cli.main(["graph", "--menu", str(menu_file), "--audio", str(folder)]) == 0
    assert language_menu(capsys.readouterr().out)[0] == [("1", "For English")]
    menu = menus.loads(SMALL, "small.yaml")
    for prompt in audio.needed(menu, menu.language("fa")).values():
        record(folder / "fa", prompt)
    assert cli.main(["graph", "--menu", str(menu_file), "--audio", str(folder)]) == 0
    assert language_menu(capsys.readouterr().out)[0] == [("1", "For English"), ("2", "به زبان دری")]


def readme_key_list():
    """The README's language menu bullet, as (key, name) pairs, and the bullet itself."""
    bullet = next(line for line in README.read_text(encoding="utf-8").splitlines()
                  if line.startswith("- Language menu, the keys a caller gets"))
    listed = bullet.split("): ", 1)[1].split(". ", 1)[0]
    pairs = [re.fullmatch(r"`(\w+)` (.+?)(?: \([^)]*\))?", item) for item in listed.split(", ")]
    assert all(pairs), listed
    return [m.groups() for m in pairs], bullet


def test_readme_key_list_is_what_ivr_graph_offers(capsys):
    """How a call goes: the same keys and names as `ivr graph` for the bundled menu and recordings, and the
    languages it leaves out are named as not offered, with their menu keys."""
    assert cli.main(["graph", "--menu", str(BUNDLED_MENU), "--audio", str(BUNDLED_AUDIO)]) == 0
    text = capsys.readouterr().out
    pairs, bullet = readme_key_list()
    assert pairs == language_menu(text)[0]
    comment = next((line for line in text.splitlines() if line.startswith("    %% not offered")), "")
    left_out = comment.split(": ", 1)[1].split(", ") if comment else []
    menu = menus.load(BUNDLED_MENU)
    assert ("not yet offered" in bullet) == bool(left_out)
    for code in left_out:
        assert f"(`{menu.language(code).key}`)" in bullet, code
