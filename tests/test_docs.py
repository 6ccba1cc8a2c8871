"""The README and docs/: one page for each user, and every file or folder a page names exists."""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A repository path in backquotes or a link: a top-level folder of the project, then the rest.
TOP = r"(?:ivr|tests|menus|audio|bench|deploy|docs|\.ci)"
NAMED = re.compile(rf"(?:`|\]\((?:\.\./)?)({TOP}/[\w./<>@-]*|(?:README\.md|Procfile|pyproject\.toml|gunicorn\.conf\.py))")


def named(text: str) -> set[str]:
    """Paths a page names, up to any placeholder (<code>) and without a #section or trailing dot."""
    found = set()
    for match in NAMED.finditer(text):
        path = match.group(1).split("<", 1)[0].split("#", 1)[0].rstrip(".")
        found.add(path)
    return found


def test_each_user_has_a_page():
    assert {page.name for page in PAGES} >= {"README.md", "staff.md", "testers.md", "operations.md"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_path_a_page_names_exists(page):
    missing = sorted(p for p in named(page.read_text(encoding="utf-8")) if not (ROOT / p).exists())
    assert missing == [], f"{page.name} names paths that do not exist"


def test_the_path_finder_finds_paths():
    """A test of the test: it sees paths in backquotes and links, stops at placeholders."""
    text = "see `ivr/urls.py`, [ops](docs/operations.md#security) and `audio/<code>/x.wav`, `ivr/gone.py`."
    assert named(text) == {"ivr/urls.py", "docs/operations.md", "audio/", "ivr/gone.py"}
