"""`.pre-commit-hooks.yaml`: a repository holding a menu runs `ivr validate` and `ivr golden` on commit."""

import pathlib
import re
import shlex

import pytest
import yaml

from ivr import cli

ROOT = pathlib.Path(__file__).resolve().parent.parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BY_ID = {hook["id"]: hook for hook in HOOKS}
# What the pre-commit tool requires of each hook, and the languages it can install this package with.
REQUIRED = {"id", "name", "entry", "language"}
KNOWN = REQUIRED | {"files", "exclude", "types", "types_or", "exclude_types", "pass_filenames", "description",
                    "always_run", "args", "require_serial", "stages", "additional_dependencies", "verbose",
                    "minimum_pre_commit_version", "fail_fast", "log_file", "alias", "language_version"}


def test_the_hooks_are_validate_and_golden():
    assert list(BY_ID) == ["ivr-validate", "ivr-golden"]
    for hook in HOOKS:
        assert REQUIRED <= set(hook) <= KNOWN, hook
        assert hook["language"] == "python"  # pre-commit installs this package: the `ivr` command comes with it


@pytest.mark.parametrize("hook_id, files", [
    ("ivr-validate", ["menus/kajaani.yaml"]), ("ivr-golden", []),
])
def test_each_entry_is_an_ivr_command_that_parses(hook_id, files):
    """The entry, with the file names pre-commit appends, is a command line `ivr` accepts."""
    hook = BY_ID[hook_id]
    argv = shlex.split(hook["entry"])
    assert argv[0] == "ivr"
    assert hook.get("pass_filenames", True) == bool(files)
    args = cli.parser().parse_args(argv[1:] + files)
    assert args.command == hook_id.removeprefix("ivr-")
    assert args.audio == "audio"  # the repository's recordings, not the installed package's (it has none)
    if hook_id == "ivr-validate":
        assert args.files == files
    else:
        assert (args.menu, args.dir) == ("menus/kajaani.yaml", "tests/golden")


@pytest.mark.parametrize("path, validate, golden", [
    ("menus/kajaani.yaml", True, True),
    ("menus/other.yml", True, True),
    ("menus/old/kajaani.yaml", False, False),
    ("menus/kajaani.yaml.bak", False, False),
    ("audio/fa/migri.say.wav", False, True),
    ("tests/golden/fi-every-page.txt", False, True),
    ("ivr/cli.py", False, False),
    ("README.md", False, False),
])
def test_which_changes_run_which_hook(path, validate, golden):
    """pre-commit matches `files` with re.search against each path from the repository root."""
    assert bool(re.search(BY_ID["ivr-validate"]["files"], path)) == validate
    assert bool(re.search(BY_ID["ivr-golden"]["files"], path)) == golden


def test_the_hook_commands_pass_on_this_repository(monkeypatch, capsys):
    """Run from the repository root, as pre-commit does, the entries accept the bundled menu."""
    monkeypatch.chdir(ROOT)
    assert cli.main(shlex.split(BY_ID["ivr-validate"]["entry"])[1:] + ["menus/kajaani.yaml"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("menus/kajaani.yaml: can go live: ")
    assert cli.main(shlex.split(BY_ID["ivr-golden"]["entry"])[1:]) == 0
    assert capsys.readouterr().out.endswith("every transcript is as recorded\n")


def test_the_readme_shows_the_two_lines_to_add():
    readme = (ROOT / "docs" / "staff.md").read_text(encoding="utf-8")
    block = readme.split("    repos:\n", 1)[1].split("\n\n", 1)[0]
    assert [line.strip() for line in block.splitlines() if "- id:" in line] == [f"- id: {i}" for i in BY_ID]
