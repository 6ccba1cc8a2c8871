"""The bundled menu and recordings: content office staff edit, checked only for what must hold after any edit.

Every other test runs on the test line in tests/fixtures. A staff edit (a closure day, a reworded text,
options in another order) changes the golden transcripts (`ivr golden --record`) and nothing here.
"""

import pathlib
import re
import shutil
import subprocess

import pytest

from ivr import cli, menu
from ivr.menu.errors import MenuError
from ivr.menu.source import SCHEMA_PATH
from ivr.settings import BUNDLED_AUDIO, BUNDLED_MENU
from ivr.staff import graph

from .menu.test_schema import errors

ROOT = pathlib.Path(__file__).resolve().parent.parent
STAFF = ROOT / "docs" / "staff.md"  # the staff page shows the real thing
CHECK_FACTS = shutil.which("check-facts")  # the office's checker of numbers against the source text


@pytest.fixture(scope="module")
def bundled():
    return menu.load(BUNDLED_MENU)


def test_the_bundled_menu_and_recordings_can_go_live(bundled, capsys, monkeypatch):
    """`ivr validate` as staff run it: exit 0, nothing but warnings, and the summary line."""
    monkeypatch.setenv("IVR_AUDIO", str(BUNDLED_AUDIO))
    assert cli.main(["validate", str(BUNDLED_MENU)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith(
        f"menus/kajaani.yaml: can go live: {len(bundled.nodes)} nodes in {len(bundled.languages)} languages")
    assert all(": warning: " in line for line in out[:-1])


@pytest.mark.skipif(CHECK_FACTS is None, reason="needs check-facts on PATH (the office machines have it)")
def test_every_number_in_the_bundled_menu_is_in_the_source():
    """A wrong number on a public line sends people to a stranger: each must be in the source text."""
    done = subprocess.run([CHECK_FACTS, "menus"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_bundled_menu_points_editors_at_the_schema_and_matches_it():
    text = BUNDLED_MENU.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../ivr/menu/schema.json"
    assert (BUNDLED_MENU.parent / first.split("=", 1)[1]).resolve() == SCHEMA_PATH.resolve()
    assert errors(text) == []


# -- The README's staff section shows the real thing ---------------------------------

def drawn(diagram: str):
    """The nodes (id and shape, in order) and the links (from, to) of an `ivr graph` picture.

    Labels and key numbers are left out: staff reword a label or reorder options without a developer,
    and the picture stays right about what leads where."""
    nodes = re.findall(r"^    (\w+)(\(|\[\[|\[|\{\{)", diagram, re.M)
    links = sorted(re.findall(r"^    (\w+) -->\|[\d, ]+\| (\w+)$", diagram, re.M))
    return nodes, links


def test_readme_shows_the_current_graph(bundled):
    """The picture in the README is `ivr graph` of the bundled menu: the same nodes, links and shapes."""
    block = STAFF.read_text(encoding="utf-8").split("```mermaid\n", 1)[1].split("```", 1)[0]
    now = graph.mermaid(bundled, "en")
    assert block.splitlines()[0] == now.splitlines()[0] == "flowchart TD"
    assert drawn(block) == drawn(now), "refresh the README's picture: ivr graph"
    assert len(drawn(now)[0]) == len(bundled.nodes) + 1, "every node, and the language menu"


def test_readme_validator_examples_are_real(bundled):
    """The two example lines in the staff section are what `ivr validate` says for those mistakes
    (their line and column move with every edit of the file above them: those are not compared)."""
    readme = STAFF.read_text(encoding="utf-8")
    text = BUNDLED_MENU.read_text(encoding="utf-8")
    key = next(k for node in bundled.nodes.values() for k, target in node.options.items() if target == "associations")
    monday = re.search(r'monday: "\d\d:\d\d-\d\d:\d\d"', text).group()
    for old, new in [(f'"{key}": associations', f'"{key}": asociations'), (monday, 'monday: "8-15"')]:
        with pytest.raises(MenuError) as caught:
            menu.loads(text.replace(old, new, 1), "menus/kajaani.yaml")
        said = unplaced(str(caught.value.problems[0]))
        assert said in [unplaced(line) for line in readme.splitlines()]


def unplaced(line: str) -> str:
    """A validator line without its position and key number."""
    line = re.sub(r"menus/kajaani\.yaml:\d+:\d+: ", "menus/kajaani.yaml:L:C: ", line.strip())
    return re.sub(r"^(menus/kajaani\.yaml:L:C: key )\d", r"\1N", line)


def test_every_language_hears_the_duty_number_and_fax_within_three_keys_while_it_is_open(bundled):
    """Monday 10:00, the duty open (key 1 connects at once): in every offered language, its number and its
    fax are still heard, in the caller's language, within three keys of the language menu, no call made."""
    import datetime as dt

    from ivr.audio.library import Library
    from ivr.flow.line import caller_keys
    from ivr.settings import Settings
    from ivr.web.app import create_app

    from .answers import parse
    from .conftest import spoken

    monday = dt.datetime(2026, 12, 7, 10, 0, tzinfo=bundled.timezone)
    app = create_app(Settings(require_token=False, call_log=False, audio=BUNDLED_AUDIO), menu=bundled,
                     clock=lambda: monday)
    client = app.test_client()
    offered = Library(BUNDLED_AUDIO).offered(bundled)
    duty = bundled.first_transfer()
    fax = next(i for i, c in enumerate(duty.contacts) if c.kind == "fax")
    phone = next(i for i, c in enumerate(duty.contacts) if c.number == duty.number)
    assert len(offered) == 8
    for lang, first in caller_keys(offered).items():
        code = lang
        lang = bundled.language(code)
        frontier, found = [("/voice/choose", first)], None
        for _ in range(3):  # each round is one more key
            following = []
            for url, keys in frontier:
                answer = parse(client.post(url, data={"Digits": keys[-1]}))
                if answer.dial is None:
                    if lang.voice:
                        said = " ".join(s.text for s in answer.said if s.voice == lang.voice)
                        heard = spoken(duty.number) in said and spoken(duty.contacts[fax].number) in said
                    else:
                        heard = {f"/audio/{code}/{duty.id}.contacts.{phone}.wav",
                                 f"/audio/{code}/{duty.id}.contacts.{fax}.wav"} <= set(answer.plays)
                    if heard:
                        found = keys
                        break
                    if answer.action:
                        following += [(answer.action, keys + key) for key in "12345678"]
            if found:
                break
            frontier = following
        assert found, f"{code}: the duty number and fax are not heard within three keys at an open time"
        assert len(found) <= 3
