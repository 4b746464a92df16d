"""`decomp-desk check`: the database's integrity (SQLite: integrity_check and foreign_key_check), its
encryption, its schema at this program's head, what it holds and its audit trail's hash chain. Changes
nothing, not even an old schema: the file is opened read-only, never made or written."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy.engine import Engine, make_url

from decomp_desk.db import cipher
from decomp_desk.db import models as m
from decomp_desk.db.engine import is_sqlite, make_engine
from decomp_desk.db.migrate import current_revision, head_revision, knows_revision
from decomp_desk.domain.records import record
from decomp_desk.services.backups.backup_files import BackupError
from decomp_desk.services.backups.backup_restore import existing_sqlite, sqlite_key
from decomp_desk.services.driver_errors import describe_operational_error


@record
class CheckReport:
    database: str
    problems: tuple[str, ...]
    facts: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(url: str) -> CheckReport:
    """Integrity (SQLite: integrity_check and foreign_key_check) and the schema at this program's head.
    Changes nothing, not even an old schema: the file is opened read-only, never made or written."""
    shown = make_url(url).render_as_string(hide_password=True)
    problems: list[str] = []
    facts: list[str] = []
    if is_sqlite(url):
        try:
            path = existing_sqlite(url)
            _check_sqlite_file(path, problems, facts)
        except (BackupError, cipher.DatabaseKeyError) as e:
            problems.append(str(e))
        if problems:
            return CheckReport(shown, tuple(problems), tuple(facts))
    engine = make_engine(url, create_dirs=False, readonly=True)
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
                _check_course_tallies(engine, problems, facts)
    except sa_exc.SQLAlchemyError as e:
        problems.append(describe_operational_error(e))
    finally:
        engine.dispose()
    return CheckReport(shown, tuple(problems), tuple(facts))


def _check_course_tallies(engine: Engine, problems: list[str], facts: list[str]) -> None:
    """The session count and last day each course keeps (db/course_tallies.py) against its sessions."""
    from decomp_desk.db.course_tallies import untallied

    with engine.connect() as conn:
        wrong = untallied(conn)
    if wrong:
        problems.append(f"{wrong} treatment course{'s' * (wrong != 1)} keep{'s' * (wrong == 1)} a session count or "
                        "last session day that the recorded sessions do not bear out; the patient list shows "
                        "those figures.")
    else:
        facts.append("courses: each one's session count and last day agree with its sessions")


def _check_audit_chain(engine: Engine, problems: list[str], facts: list[str]) -> None:
    """The audit trail's hash chain from its first event (db/audit_chain.py); reads only."""
    from decomp_desk.db import audit_chain

    with engine.connect() as conn:
        chain = audit_chain.verify(conn)
    if chain.ok:
        facts.append(f"audit trail: hash chain intact over {chain.events} event{'s' * (chain.events != 1)}")
    else:
        problems.append(f"The audit trail was tampered with: {chain.problem}")


def _check_sqlite_file(path: Path, problems: list[str], facts: list[str]) -> None:
    key = sqlite_key(path)
    try:
        con = cipher.connect(path, key, mode="ro")
        try:
            verdict = [row[0] for row in con.execute("PRAGMA integrity_check")]
            orphans = con.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            con.close()
    except cipher.DatabaseError as e:
        problems.append(f"The database file {path} is damaged or not a database ({e}). Restore the newest backup.")
        return
    if verdict != ["ok"]:
        problems.append(f"The database file {path} is damaged (integrity check: {'; '.join(verdict[:3])}). "
                        "Restore the newest backup.")
    else:
        facts.append("integrity: ok")
    facts.append("encryption: SQLCipher (AES-256), the key kept for this user" if key is not None else
                 "encryption: none (decomp-desk encrypt converts the file)")
    if orphans:
        tables = sorted({row[0] for row in orphans})
        problems.append(f"{len(orphans)} records refer to records that do not exist (in {', '.join(tables)}).")
    else:
        facts.append("foreign keys: ok")
