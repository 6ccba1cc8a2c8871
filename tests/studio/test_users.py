"""The studio's users file: hashes never passwords, roles, PINs."""

import pytest

from ivr import cli
from ivr.studio import users

PASSWORD = "correct horse battery"


def test_a_user_added_is_found_by_password_never_stored_in_clear(tmp_path):
    """add, save, load: the right password finds the user, a wrong one or an unknown name finds nobody."""
    path = tmp_path / "users.yaml"
    users.Users().add("amina", "translator", ("fa",), PASSWORD).save(path)
    assert PASSWORD not in path.read_text()
    found = users.load(path)
    assert found.check("amina", PASSWORD) == users.User("amina", "translator", ("fa",))
    assert found.check("amina", PASSWORD + "x") is None
    assert found.check("nobody", PASSWORD) is None


@pytest.mark.parametrize(("name", "role", "languages", "password", "message"), [
    ("a b", "translator", ("fa",), PASSWORD, "is not a user name"),
    ("amina", "boss", ("fa",), PASSWORD, "write translator or reviewer"),
    ("amina", "translator", (), PASSWORD, "e.g. fa,kmr"),
    ("amina", "translator", ("fa",), "short", "at least 10 characters"),
])
def test_a_bad_user_is_refused_with_the_reason(name, role, languages, password, message):
    with pytest.raises(users.UsersError, match=message):
        users.Users().add(name, role, languages, password)


def test_pins_are_hashed_unique_and_found():
    """A PIN finds its user; another user cannot take the same PIN; only digits, at least six."""
    found = users.Users().add("amina", "translator", ("fa",), PASSWORD).add("rez", "reviewer", ("fa",), PASSWORD)
    found = found.with_pin("amina", "246813")
    assert found.by_pin("246813").name == "amina"
    assert found.by_pin("246814") is None
    with pytest.raises(users.UsersError, match="another user already has this PIN"):
        found.with_pin("rez", "246813")
    with pytest.raises(users.UsersError, match="digits only, at least 6"):
        found.with_pin("rez", "12345")
    assert "246813" not in str(found.entries)


def test_the_commands_read_the_password_twice_from_stdin(tmp_path, monkeypatch, capsys):
    """ivr studio add-user, set-pin, list-users, remove-user on the file IVR_STUDIO_USERS names."""
    import io

    path = tmp_path / "users.yaml"
    monkeypatch.setenv("IVR_STUDIO_USERS", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n{PASSWORD}\n"))
    assert cli.main(["studio", "add-user", "amina", "--role", "translator", "--languages", "fa,kmr"]) == 0
    assert users.load(path).check("amina", PASSWORD).languages == ("fa", "kmr")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\nsomething else\n"))
    assert cli.main(["studio", "add-user", "rez", "--role", "reviewer", "--languages", "fa"]) == 1
    assert "differ: nothing changed" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("135792\n135792\n"))
    assert cli.main(["studio", "set-pin", "amina"]) == 0
    assert cli.main(["studio", "list-users"]) == 0
    assert capsys.readouterr().out == "amina\ttranslator\tfa,kmr\tPIN set\n"
    assert cli.main(["studio", "remove-user", "amina"]) == 0
    assert list(users.load(path)) == []


def test_without_a_users_file_setting_the_command_says_what_to_set(monkeypatch, capsys):
    monkeypatch.delenv("IVR_STUDIO_USERS", raising=False)
    assert cli.main(["studio", "list-users"]) == 1
    assert "set IVR_STUDIO_USERS" in capsys.readouterr().err
