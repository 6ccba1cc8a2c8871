"""Loading a menu: fast on a large one, and a YAML mistake worded the same whichever parser read it."""

import pytest

from bench import bigmenu
from ivr import menu
from ivr.menu.errors import MenuError


@pytest.mark.parametrize("text, error", [
    ('name: "x\nstart: y\n',
     'm.yaml:1:7: YAML syntax: a quote (") opened here is not closed on this line: add the closing "'),
    ("a: [1, 2\n", "m.yaml:2:1: YAML syntax: a list in [ ] is not closed: add the ] where it ends "
                   "(the parser says: expected ',' or ']', but got '<stream end>')"),
])
def test_yaml_mistakes_keep_their_usual_wording(text, error):
    with pytest.raises(MenuError) as caught:
        menu.loads(text, "m.yaml")
    assert str(caught.value) == error


def test_the_generated_large_menu_loads_with_every_node_and_language():
    """The benchmark's generator makes a menu the line accepts: 500 nodes in 8 languages."""
    with bigmenu.catalogs():
        loaded = menu.loads(bigmenu.generate(nodes=500, languages=8))
    assert len(loaded.nodes) == 500 and len(loaded.languages) == 8
    assert loaded.nodes["n1"].parent == "n0" and loaded.nodes["n499"].kind == "page"
    assert sorted(loaded.nodes["n0"].options) == list("12345678")


def test_ten_languages_fit_with_the_second_language_page():
    """Keys 0 and 9 are reserved: languages after the seventh sit behind 8 ("81", "82", "83")."""
    with bigmenu.catalogs():
        loaded = menu.loads(bigmenu.generate(nodes=20, languages=10), "big.yaml")
    assert [lang.key for lang in loaded.languages] == ["1", "2", "3", "4", "5", "6", "7", "81", "82", "83"]


SMALL = """\
name: small
timezone: Europe/Helsinki
start: top
languages:
  - {code: en, key: "1", name: English, voice: Polly.Amy-Neural, reviewed: true}
schedules:
  desk: {weekly: {monday: "08:00-15:00"}}
nodes:
  top:
    type: menu
    say: {en: Top.}
    options: {"1": desk, "2": info}
  desk:
    type: transfer
    label: {en: The desk}
    name: {en: the desk}
    say: {en: For visitors.}
    number: (08) 6155 2760
    schedule: desk
  info:
    type: page
    about: desk
    label: {en: The desk's number}
"""


def test_a_page_about_a_transfer_needs_no_texts_of_its_own():
    loaded = menu.loads(SMALL, "m.yaml")
    assert loaded.nodes["info"].about == "desk"
    assert loaded.nodes["info"].texting(loaded.nodes) is loaded.nodes["desk"]
    assert loaded.nodes["top"].texting(loaded.nodes) is None


@pytest.mark.parametrize("change, error", [
    (("    about: desk\n", "    about: top\n"),
     "m.yaml:22:12: about is 'top', which is not a transfer: name the transfer whose texts and numbers this page "
     "says (the transfers are desk)"),
    (("    about: desk\n", "    about: desk\n    say: {en: Hello.}\n"),
     "m.yaml:23:5: page 'info' is about 'desk' and says its texts and numbers: remove say here (edit it under "
     "'desk'), or remove about"),
    (("    about: desk\n", ""),
     "m.yaml:20:3: page 'info' has nothing to say: add say (what the service is), or about: <a transfer> to say "
     "that transfer's texts and numbers"),
])
def test_a_page_says_its_own_texts_or_a_transfers(change, error):
    with pytest.raises(menu.MenuError) as caught:
        menu.loads(SMALL.replace(*change), "m.yaml")
    assert str(caught.value) == error


def test_facts_to_confirm_are_listed_at_the_line_they_are_about():
    text = SMALL + 'confirm:\n  - {at: schedules.desk.weekly, what: "Monday only: ask the city"}\n'
    loaded = menu.loads(text, "m.yaml")
    assert [str(p) for p in loaded.confirm] == [
        "m.yaml:7:18: warning: to confirm: Monday only: ask the city (then remove confirm[0])"]


def test_a_fact_to_confirm_must_name_a_place_in_the_file():
    text = SMALL + 'confirm:\n  - {at: schedules.dusk, what: the hours}\n'
    with pytest.raises(menu.MenuError) as caught:
        menu.loads(text, "m.yaml")
    assert "confirm[0] names 'schedules.dusk', which is not in this file" in str(caught.value)
