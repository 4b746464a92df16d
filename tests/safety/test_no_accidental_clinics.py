"""Issue 11, point 4: a missing or empty database file is an error with a sentence for every command, never
a new clinic; `create` (and `demo`, and the desk's first start: tests/ui/test_desk.py) make one on purpose;
`check` changes nothing."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from decomp_desk.db.engine import sqlite_path
from tests.safety.helpers import cli, ok, refused

COMMANDS = [("patients",), ("balances", "--json"), ("audit",), ("check",), ("progress", "1001"),
            ("import", "nothing.csv"), ("backup", "out.backup"), ("encrypt",)]


@pytest.mark.parametrize("empty", [False, True], ids=["missing", "empty"])
def test_every_command_refuses_a_missing_or_empty_file(tmp_path, empty):
    path = tmp_path / "clinic.sqlite3"
    if empty:
        path.write_bytes(b"")
    for args in COMMANDS:
        said = refused(f"sqlite:///{path}", *args)
        assert said.startswith(f"There is no clinic database at {path}"), (args, said)
        assert ("is empty (0 bytes)" if empty else "does not exist") in said
        assert path.exists() == empty and (not empty or path.read_bytes() == b""), args
    assert sorted(p.name for p in tmp_path.iterdir()) == (["clinic.sqlite3"] if empty else [])


def test_create_makes_a_clinic_on_purpose_and_never_over_one(tmp_path):
    path = tmp_path / "new" / "clinic.sqlite3"
    url = f"sqlite:///{path}"
    made = cli(url, "create")  # no terminal, no passphrase file: made, and said that it has no passphrase
    assert made.returncode == 0 and made.stdout.startswith(f"Created a new, empty clinic database at {path}")
    assert "No recovery passphrase was set" in made.stderr
    assert json.loads(ok(url, "patients", "--json")) == []
    before = path.read_bytes()
    said = refused(url, "create")
    assert "There is already a database" in said and path.read_bytes() == before


def test_create_makes_a_clinic_in_an_empty_file(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(b"")
    secret = tmp_path / "pass.txt"
    secret.write_text("a long recovery passphrase\n")
    ok(f"sqlite:///{path}", "create", "--passphrase-file", str(secret))
    assert path.stat().st_size > 0 and "OK" in ok(f"sqlite:///{path}", "check")


def test_demo_may_make_the_demo_clinic_from_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert "Loaded the demo clinic" in ok(url, "demo")
    assert len(json.loads(ok(url, "patients", "--json"))) >= 20


def _state(path: Path) -> dict:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in path.parent.iterdir() if p.name.startswith(path.name)}


def test_check_changes_nothing(sqlite_url):
    path = sqlite_path(sqlite_url)
    before = _state(path)
    assert "OK" in ok(sqlite_url, "check")
    assert _state(path) == before


def test_check_does_not_bring_an_old_schema_up_to_date(sqlite_url):
    from sqlalchemy import text

    from decomp_desk.db.engine import make_engine

    engine = make_engine(sqlite_url)
    with engine.begin() as c:
        c.execute(text("DELETE FROM alembic_version"))
    engine.dispose()
    path = sqlite_path(sqlite_url)
    before = _state(path)
    result = cli(sqlite_url, "check")
    assert result.returncode == 1 and "no DecompDesk schema" in result.stderr
    assert _state(path) == before


def test_create_on_postgresql_refuses_a_database_that_holds_a_clinic(db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    said = refused(db_url, "create")
    assert "already holds a DecompDesk clinic" in said
