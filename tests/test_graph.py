"""`ivr graph` and the staff section of the README: the picture and the examples are the real thing."""

import pathlib

from ivr.settings import BUNDLED_MENU
from ivr import cli, menu
from ivr.staff import graph
from ivr.menu.errors import MenuError

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def test_graph_has_every_node_and_every_key(menu):
    text = graph.mermaid(menu, "en")
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert "    languages -->|1, 2, 3, 4, 5, 6, 7, 81, 82, 83| services" in lines
    for node in menu.nodes.values():
        assert any(line.startswith(f"    {node.id}") and f"<b>{node.id}</b>" in line for line in lines), node.id
        for key, target in node.options.items():
            assert f"    {node.id} -->|{key}| {target}" in lines
    duty = next(line for line in lines if line.startswith("    duty[["))
    assert "dials 08 6155 2760 (duty hours)" in duty and duty.endswith('"]]')


def test_graph_in_finnish(capsys):
    assert cli.main(["graph", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert '    migri["<b>migri</b><br/>Maahanmuuttovirasto Migri"]' in out.splitlines()


def test_readme_shows_the_current_graph(capsys):
    """The picture in the README is what `ivr graph` prints for the bundled menu."""
    assert cli.main(["graph"]) == 0
    block = README.read_text(encoding="utf-8").split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block == capsys.readouterr().out


def test_readme_validator_examples_are_real():
    """The two example lines in the staff section are what `ivr validate` says for those mistakes."""
    readme = README.read_text(encoding="utf-8")
    text = BUNDLED_MENU.read_text(encoding="utf-8")
    for old, new in [('"3": associations', '"3": asociations'), ('monday: "08:00-15:00"', 'monday: "8-15"')]:
        try:
            menu.loads(text.replace(old, new, 1), "menus/kajaani.yaml")
        except MenuError as exc:
            assert f"    {exc.problems[0]}\n" in readme
        else:
            raise AssertionError(f"{new} was accepted")
