"""A new clinic database, made on purpose only (`decomp-desk create`, `demo`, the desk's first start), and
the conversion of an existing plain SQLite file to an encrypted one (`decomp-desk encrypt`).

Every other way in (db/engine.py through bootstrap.open_engine) refuses a missing or empty file: a
mistyped path or a file emptied by a failing disk must never quietly become a new, empty clinic."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from decomp_desk.db import cipher, keystore
from decomp_desk.db.engine import is_sqlite, make_engine, sqlite_path
from decomp_desk.db.migrate import ensure_schema
from decomp_desk.domain.errors import DomainError
from decomp_desk.private_files import private_dir, restrict, write_private


class ClinicExists(DomainError):
    pass


def missing_or_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except (FileNotFoundError, NotADirectoryError):
        return True


def missing_sqlite_file(url: str) -> Path | None:
    """The path of an SQLite address whose file is missing or empty; None otherwise (and for PostgreSQL)."""
    path = sqlite_path(url) if is_sqlite(url) else None
    return path if path is not None and missing_or_empty(path) else None


def no_database_sentence(path: Path) -> str:
    what = "is empty (0 bytes)" if path.exists() else "does not exist"
    return (f"There is no clinic database at {path}: the file {what}. Check the address (--database or "
            "DECOMP_DESK_DATABASE_URL), restore a backup (decomp-desk restore FILE), or make a new clinic on "
            "purpose with decomp-desk create.")


def create_sqlite(url: str, passphrase: str | None, *, encrypted: bool = True) -> Path:
    """A new, empty, migrated clinic file at the URL's path (refused when a database is there already).
    Encrypted with a key derived from the recovery passphrase (or a random one without it), kept for
    this user. Made under a temporary name and renamed when complete: a kill leaves no half clinic."""
    path = sqlite_path(url)
    if path is None:
        raise ClinicExists("A new clinic needs a database file (sqlite:///path/to/file.sqlite3).")
    if not missing_or_empty(path):
        raise ClinicExists(f"There is already a database at {path}; nothing was changed. A new clinic needs a "
                           "new file (or restore a backup into this one with decomp-desk restore).")
    private_dir(path.parent)
    partial = path.with_name(f".{path.name}.creating")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
        leftover.unlink(missing_ok=True)
    write_private(partial, b"")
    new_key = None
    if encrypted:
        salt = cipher.new_salt()
        key = cipher.derive_key(passphrase, salt) if passphrase else cipher.random_key()
        new_key = (key, salt)
    engine = make_engine(f"sqlite:///{partial}", new_key=new_key)
    try:
        ensure_schema(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    if new_key is not None:
        keystore.remember(new_key[1], new_key[0], path)
    os.replace(partial, path)
    restrict(path)
    return path


def encrypt_sqlite(url: str, passphrase: str | None) -> Path:
    """Convert the plain SQLite file at the URL into an encrypted one in its place. The encrypted copy is
    written beside it and checked (integrity, and every table's row count the same) before it takes the
    original's place; until then the original is untouched. Returns where the original was kept while
    converting (deleted once the encrypted database opened: a plain copy left behind would defeat it)."""
    path = sqlite_path(url)
    if path is None or missing_or_empty(path):
        raise ClinicExists(no_database_sentence(path) if path else "Only an SQLite database file can be encrypted.")
    if not cipher.is_plain_sqlite(cipher.file_head(path)):
        raise ClinicExists(f"The database {path} is already encrypted; nothing was changed.")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f".{path.name}.encrypting")
    target.unlink(missing_ok=True)
    salt = cipher.new_salt()
    key = cipher.derive_key(passphrase, salt) if passphrase else cipher.random_key()
    write_private(target, b"")
    src = cipher.connect(path, mode="rw")
    try:
        src.isolation_level = None
        src.execute("PRAGMA busy_timeout=10000")
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file alone is the whole database from here on
        src.execute(f"ATTACH DATABASE '{_sql_text(target)}' AS encrypted KEY \"x'{key.hex()}{salt.hex()}'\"")
        cipher.tune_attached(src, "encrypted")
        src.execute("BEGIN IMMEDIATE")  # nobody writes while the copy is made
        tables = [r[0] for r in src.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        counts = {t: src.execute(f'SELECT count(*) FROM main."{t}"').fetchone()[0] for t in tables}
        src.execute("SELECT sqlcipher_export('encrypted')")
        version = src.execute("PRAGMA main.user_version").fetchone()[0]
        src.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        src.execute("COMMIT")
        src.execute("DETACH DATABASE encrypted")
    finally:
        src.close()
    check = cipher.connect(target, key, mode="rw")
    try:
        verdict = [r[0] for r in check.execute("PRAGMA integrity_check")]
        copied = {t: check.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in counts}
        check.execute("PRAGMA journal_mode=WAL")
    finally:
        check.close()
    if verdict != ["ok"] or copied != counts:
        target.unlink(missing_ok=True)
        raise ClinicExists(f"The encrypted copy of {path} did not verify ({'; '.join(verdict[:2])}); the "
                           "original is unchanged.")
    keystore.remember(salt, key, path)
    aside = path.with_name(f"{path.stem}.plain-{stamp}{path.suffix}")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(target, path)
    restrict(path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            patients = conn.execute(text("SELECT count(*) FROM patients")).scalar()
    finally:
        engine.dispose()
    if patients != counts.get("patients", patients):
        os.replace(path, target)
        os.replace(aside, path)
        raise ClinicExists(f"The encrypted database did not open as expected; the original {path} is back.")
    aside.unlink()
    return aside


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


