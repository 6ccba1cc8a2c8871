"""`ivr graph`: the menu tree as a picture (the README's copy is checked in test_bundled.py)."""

from ivr import cli
from ivr.staff import graph


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
