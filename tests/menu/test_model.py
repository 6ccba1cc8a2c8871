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
