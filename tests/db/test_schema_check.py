"""The quick schema check every start makes (db/migrate.py): a database already at head opens without
importing Alembic, and anything less certain still goes through Alembic."""
from __future__ import annotations

import subprocess
import sys

from sqlalchemy import text

from decomp_desk.db.engine import make_engine
from decomp_desk.db.migrate import ensure_schema, head_revision, schema_is_current, script_heads


def test_the_version_files_read_plainly_give_alembics_head():
    assert script_heads() == {head_revision()}


def test_a_database_at_head_is_current_and_anything_else_is_not(db_url, tmp_path):
    engine = make_engine(db_url)
    try:
        assert schema_is_current(engine)
        assert ensure_schema(engine) == "current"
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
        assert not schema_is_current(engine)  # a revision this program does not know: Alembic decides
    finally:
        engine.dispose()
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        assert not schema_is_current(empty)  # no version table at all
    finally:
        empty.dispose()


def test_opening_a_current_database_does_not_import_alembic(sqlite_url):
    code = ("import sys; from decomp_desk.bootstrap import open_services; "
            f"open_services({sqlite_url!r}).dispose(); print(sorted(m for m in sys.modules if m.startswith('alembic')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
