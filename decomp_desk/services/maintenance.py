"""Backup, restore and check of the clinic's database, the embedded SQLite file or a PostgreSQL server.

A backup is consistent while the desk is in use (SQLite's online backup API; pg_dump's snapshot) and may
be encrypted with a passphrase. A restore verifies the file before anything is replaced, keeps the
replaced database aside, and brings the restored one up to this program's schema. Each backup and
restore is recorded in the audit trail."""
from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from decomp_desk.db import models as m
from decomp_desk.db.engine import is_sqlite, make_engine, sqlite_path
from decomp_desk.db.migrate import copy_sqlite, current_revision, ensure_schema, head_revision, knows_revision
from decomp_desk.services.backup_files import (
    BackupError, decrypt, dump_tables, encrypt, is_encrypted, kind_of, run_pg_tool,
)
from decomp_desk.services.context import Actor, ServiceContext, command_line_actor, describe_operational_error

APP_TABLES = ("patients", "screenings", "courses", "treatment_sessions", "payments", "audit_events",
              "alembic_version")
KIND_NAMES = {"sqlite": "an SQLite", "postgresql": "a PostgreSQL"}
AUTOMATIC = re.compile(r"^decomp-desk-(\d{4}-\d{2}-\d{2})\.backup$")
UNCHANGED = " Nothing was changed."


@dataclass(frozen=True)
class BackupReport:
    file: Path
    size: int
    encrypted: bool


@dataclass(frozen=True)
class RestoreReport:
    file: Path
    replaced_copy: Path | None  # the database as it was before the restore
    schema: str  # 'current', or 'upgraded' for a backup made by an older version


@dataclass(frozen=True)
class CheckReport:
    database: str
    problems: tuple[str, ...]
    facts: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _existing_sqlite(url: str) -> Path:
    path = sqlite_path(url)
    if path is None or not path.is_file():
        raise BackupError(f"There is no database file at {path or url}.")
    return path


def backup(url: str, file: str | Path, passphrase: str | None = None, *, actor: Actor | None = None) -> BackupReport:
    """Write a consistent copy of the database to `file` (replaced whole only once complete)."""
    file = Path(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(f".{file.name}.partial")
    try:
        if is_sqlite(url):
            copy_sqlite(_existing_sqlite(url), partial)
        else:
            run_pg_tool("pg_dump", url, "--format=custom", f"--file={partial}")
        if passphrase is not None:
            partial.write_bytes(encrypt(partial.read_bytes(), passphrase))
        os.replace(partial, file)
    except OSError as e:
        raise BackupError(f"The backup could not be written to {file}: {e.strerror or e}.") from None
    finally:
        partial.unlink(missing_ok=True)
    report = BackupReport(file, file.stat().st_size, passphrase is not None)
    _audit(url, actor, "backup", f"to {file} ({report.size} bytes{', encrypted' * report.encrypted})")
    return report


def restore(url: str, file: str | Path, passphrase: str | None = None, *, actor: Actor | None = None,
            aside_folder: Path | None = None) -> RestoreReport:
    """Replace the database with a backup, once the backup has proved sound. The replaced database is
    kept: an SQLite file beside itself, a PostgreSQL database as a dump in `aside_folder` (by default
    the backup's folder)."""
    file = Path(file)
    try:
        data = file.read_bytes()
    except OSError as e:
        raise BackupError(f"The backup {file} cannot be read: {e.strerror or e}.{UNCHANGED}") from None
    if is_encrypted(data):
        data = decrypt(data, passphrase)
    kind, wanted = kind_of(data[:16]), "sqlite" if is_sqlite(url) else "postgresql"
    if kind is None:
        raise BackupError(f"{file.name} is not a DecompDesk backup.{UNCHANGED}")
    if kind != wanted:
        raise BackupError(f"{file.name} is a backup of {KIND_NAMES[kind]} database; it cannot be restored into "
                          f"{KIND_NAMES[wanted]} database.{UNCHANGED}")
    with tempfile.TemporaryDirectory(prefix="decomp-desk-restore-") as folder:
        candidate = Path(folder) / "candidate"
        candidate.write_bytes(data)
        if kind == "sqlite":
            _verify_sqlite(candidate, file.name)
            replaced = _replace_sqlite(url, candidate)
        else:
            _verify_dump(candidate, file.name)
            replaced = _replace_postgresql(url, candidate, aside_folder or file.parent)
    engine = make_engine(url)
    try:
        schema = ensure_schema(engine)
    finally:
        engine.dispose()
    _audit(url, actor, "restore", f"from {file}" + (f"; the database before is kept at {replaced}" if replaced else ""))
    return RestoreReport(file, replaced, schema)


def _verify_sqlite(candidate: Path, name: str) -> None:
    try:
        con = sqlite3.connect(candidate)
        try:
            verdict = [row[0] for row in con.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (con.execute("SELECT version_num FROM alembic_version").fetchone() or [None])[0] \
                if "alembic_version" in tables else None
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{name} is damaged ({e}).{UNCHANGED}") from None
    if verdict != ["ok"]:
        raise BackupError(f"{name} is damaged (integrity check: {'; '.join(verdict[:3])}).{UNCHANGED}")
    missing = [t for t in APP_TABLES if t not in tables]
    if missing:
        raise BackupError(f"{name} is an SQLite database but not a DecompDesk one (it has no {', '.join(missing)})."
                          f"{UNCHANGED}")
    if revision is None or not knows_revision(revision):
        raise BackupError(f"{name} was made by a newer version of DecompDesk (schema {revision}); install that "
                          f"version to restore it.{UNCHANGED}")


def _verify_dump(candidate: Path, name: str) -> None:
    missing = [t for t in APP_TABLES if t not in dump_tables(candidate)]
    if missing:
        raise BackupError(f"{name} is a PostgreSQL backup but not of a DecompDesk database (it has no "
                          f"{', '.join(missing)}).{UNCHANGED}")


def _replace_sqlite(url: str, candidate: Path) -> Path | None:
    target = sqlite_path(url)
    if target is None:
        raise BackupError(f"{url} is not a database file; a backup can only be restored into a file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = None
    if target.exists():
        aside = target.with_name(f"{target.stem}.replaced-{_stamp()}.sqlite3")
        copy_sqlite(target, aside)
    # Through the backup API, not a file rename: a desk with the file open sees the restored database
    # on its next read, and the live file's WAL is never left pointing at pages that are gone.
    copy_sqlite(candidate, target, standalone=False)
    return aside


def _replace_postgresql(url: str, candidate: Path, aside_folder: Path) -> Path:
    aside_folder.mkdir(parents=True, exist_ok=True)
    aside = aside_folder / f"{make_url(url).database}.replaced-{_stamp()}.dump"
    run_pg_tool("pg_dump", url, "--format=custom", f"--file={aside}")
    run_pg_tool("pg_restore", url, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                "--exit-on-error", str(candidate))
    return aside


def _audit(url: str, actor: Actor | None, action: str, detail: str) -> None:
    engine = make_engine(url)
    try:
        ctx = ServiceContext(sessionmaker(engine), actor or command_line_actor(), url=url)
        with ctx.unit_of_work() as s:
            ctx.audit(s, action, "database", None, "", detail)
    finally:
        engine.dispose()


def check(url: str) -> CheckReport:
    """Integrity (SQLite: integrity_check and foreign_key_check) and the schema at this program's head.
    Changes nothing, not even an old schema."""
    shown = make_url(url).render_as_string(hide_password=True)
    problems: list[str] = []
    facts: list[str] = []
    if is_sqlite(url):
        try:
            _check_sqlite_file(_existing_sqlite(url), problems, facts)
        except BackupError as e:
            problems.append(str(e))
        if problems:
            return CheckReport(shown, tuple(problems), tuple(facts))
    engine = make_engine(url, create_dirs=False)
    try:
        current, head = current_revision(engine), head_revision()
        if current == head:
            facts.append(f"schema: revision {current}, the newest")
        elif current is None:
            problems.append("The database has no DecompDesk schema (no migration revision is recorded).")
        elif not knows_revision(current):
            problems.append(f"The schema is at revision {current}, which a newer version of DecompDesk made.")
        else:
            problems.append(f"The schema is at revision {current}, not the newest ({head}); opening the desk "
                            "or running any other command brings it up to date.")
        if current is not None:
            with engine.connect() as conn:
                counts = [conn.scalar(select(func.count()).select_from(t)) for t in (
                    m.Patient, m.TreatmentSession, m.AuditEvent)]
            facts.append("patients: {}, sessions: {}, audit events: {}".format(*counts))
            if current == head:  # an older schema has no chain yet: it is made when the schema is upgraded
                _check_audit_chain(engine, problems, facts)
    except sa_exc.SQLAlchemyError as e:
        problems.append(describe_operational_error(e))
    finally:
        engine.dispose()
    return CheckReport(shown, tuple(problems), tuple(facts))


def _check_audit_chain(engine, problems: list[str], facts: list[str]) -> None:
    """The audit trail's hash chain from its first event (db/audit_chain.py); reads only."""
    from decomp_desk.db import audit_chain

    with engine.connect() as conn:
        chain = audit_chain.verify(conn)
    if chain.ok:
        facts.append(f"audit trail: hash chain intact over {chain.events} event{'s' * (chain.events != 1)}")
    else:
        problems.append(f"The audit trail was tampered with: {chain.problem}")


def _check_sqlite_file(path: Path, problems: list[str], facts: list[str]) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = [row[0] for row in con.execute("PRAGMA integrity_check")]
            orphans = con.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        problems.append(f"The database file {path} is damaged or not a database ({e}). Restore the newest backup.")
        return
    if verdict != ["ok"]:
        problems.append(f"The database file {path} is damaged (integrity check: {'; '.join(verdict[:3])}). "
                        "Restore the newest backup.")
    else:
        facts.append("integrity: ok")
    if orphans:
        tables = sorted({row[0] for row in orphans})
        problems.append(f"{len(orphans)} records refer to records that do not exist (in {', '.join(tables)}).")
    else:
        facts.append("foreign keys: ok")


def automatic_backup(url: str, folder: str | Path, retention: int, passphrase: str | None = None, *,
                     today: date | None = None, actor: Actor | None = None) -> Path | None:
    """At most one backup a day into `folder` (decomp-desk-YYYY-MM-DD.backup), keeping the newest
    `retention`; None when today's already exists. The desk calls this as it starts."""
    folder = Path(folder)
    day = (today or date.today()).isoformat()
    target = folder / f"decomp-desk-{day}.backup"
    if target.exists():
        return None
    backup(url, target, passphrase, actor=actor)
    kept = sorted((p for p in folder.iterdir() if AUTOMATIC.match(p.name)), key=lambda p: p.name)
    for old in kept[:-max(1, retention)]:
        old.unlink(missing_ok=True)
    return target

