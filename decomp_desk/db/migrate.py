"""Bring any database to the newest schema. A new database is created from the models and
stamped; an older SQLite file is copied aside before it is upgraded."""
from __future__ import annotations

import ast
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from decomp_desk.db import (
    cipher,
    keystore,
    models,  # noqa: F401  (registers the tables on Base.metadata)
)
from decomp_desk.db.base import Base
from decomp_desk.db.engine import sqlite_path
from decomp_desk.private_files import restrict, write_private

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic (with Mako and Pygments) takes about 0.2 s to import: more than the rest of the desk's start
# on a database that is already at head, which is every start but the first after an upgrade. So it is
# imported only when there is something to do (see schema_is_current).
MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(connection=None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def script_heads() -> set[str] | None:
    """The head revisions of migrations/versions, read from each file's `revision = ...` and
    `down_revision = ...` lines without importing Alembic; None when a file does not read that plainly
    (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else (down or ()))
    return revisions - parents or None


def schema_is_current(engine: Engine) -> bool:
    """True when the database is stamped with the one head revision: one small query, no Alembic.
    False whenever anything is unsure (no version table, several heads, an unreadable file)."""
    heads = script_heads()
    if heads is None or len(heads) != 1:
        return False
    try:
        with engine.connect() as conn:
            stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:
        return False
    return stamped == list(heads)


def ensure_schema(engine: Engine) -> str:
    """Create or upgrade; returns what was done: 'created', 'upgraded' or 'current'."""
    if schema_is_current(engine):
        return "current"
    from alembic import command

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
    copy_sqlite(path, target)
    return target


def copy_sqlite(source: Path, target: Path, *, standalone: bool = True) -> None:
    """Copy one SQLite database into another through the online backup API: consistent while others
    read and write the source, and safe into a target others have open. A standalone copy is switched
    out of WAL mode, so the one file is the whole database. A new target is the same kind of file as the
    source: an encrypted source's copy is encrypted with the same key and salt (the same key, kept for
    this user, and the same recovery passphrase open it), and is 0600 from its first byte."""
    source_salt = cipher.encrypted_salt(source)
    source_key = keystore.key_for(source) if source_salt else None
    src = cipher.connect(source, source_key, mode="rw")
    try:
        if cipher.encrypted_salt(target):
            dst = cipher.connect(target, keystore.key_for(target))
        else:
            if not cipher.file_head(target):
                write_private(target, b"")
            dst = cipher.connect(target, source_key, source_salt)
        try:
            src.backup(dst)
            if standalone:
                dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    restrict(target)


def knows_revision(revision: str) -> bool:
    """Whether this program's migrations include `revision` (else a newer version made the database)."""
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown or malformed revision
        return False
