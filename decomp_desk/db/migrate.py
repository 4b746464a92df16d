"""Bring any database to the newest schema. A new database is created from the models and
stamped; an older SQLite file is copied aside before it is upgraded."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from decomp_desk.db import models  # noqa: F401  (registers the tables on Base.metadata)
from decomp_desk.db.base import Base
from decomp_desk.db.engine import sqlite_path

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(engine: Engine) -> str:
    """Create or upgrade; returns what was done: 'created', 'upgraded' or 'current'."""
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return "current"
    if current is None and not inspect(engine).has_table("patients"):
        with engine.begin() as conn:
            Base.metadata.create_all(conn)
            from decomp_desk.db.seed import seed_reference_data

            seed_reference_data(conn)
            command.stamp(alembic_config(conn), "head")
        return "created"
    backup_before_upgrade(engine, current)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    return "upgraded"


def backup_before_upgrade(engine: Engine, revision: str | None) -> Path | None:
    """An SQLite file is copied (online backup API, consistent even in WAL mode) beside itself."""
    path = sqlite_path(str(engine.url))
    if path is None or not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-upgrade-{revision or 'unversioned'}-{stamp}{path.suffix}")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return target
