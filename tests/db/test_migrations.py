"""The shipped migrations and the models must describe the same schema, on both databases."""
import sqlite3

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from decomp_desk.db.base import Base
from decomp_desk.db.engine import make_engine
from decomp_desk.db.migrate import alembic_config, backup_before_upgrade, current_revision, ensure_schema, head_revision


def test_upgrading_an_empty_database_to_head_matches_the_models(empty_db_url):
    engine = make_engine(empty_db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_new_database_is_created_stamped_and_seeded(empty_db_url):
    engine = make_engine(empty_db_url)
    assert ensure_schema(engine) == "created"
    assert ensure_schema(engine) == "current"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT default_planned_sessions FROM clinic_settings WHERE id = 1")).scalar() == 30
        codes = {r[0] for r in conn.execute(text("SELECT code FROM icd_codes"))}
    assert {"M51.16", "M54.2"} <= codes
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_created_and_migrated_databases_hold_the_same_reference_data(tmp_path):
    a, b = make_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}"), make_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    ensure_schema(a)
    with b.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    query = "SELECT code, description, region FROM icd_codes ORDER BY code"
    with a.connect() as ca, b.connect() as cb:
        assert ca.execute(text(query)).all() == cb.execute(text(query)).all()


def test_sqlite_file_is_copied_aside_before_an_upgrade(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE clinic_settings SET name = 'Before upgrade' WHERE id = 1"))
    copy = backup_before_upgrade(engine, "0000")
    assert copy is not None and copy.exists() and copy != path
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT name FROM clinic_settings").fetchone()[0] == "Before upgrade"


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
