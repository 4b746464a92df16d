"""What a database driver's error means, read from the facts the driver gives, not from its wording.

SQLite (through sqlcipher3) gives a result code; db/engine.py puts SQLite's extended code on the error
(sqlcipher3 itself reports only the primary one), so a unique violation (SQLITE_CONSTRAINT_UNIQUE) is
told from a broken foreign key, and a lost race (SQLITE_BUSY_SNAPSHOT) from a busy database. PostgreSQL
(psycopg) gives the SQLSTATE and, for a violated constraint, its name (diag.constraint_name).

Two things have no such fact, and are said so where they are read:
- which unique constraint SQLite's error is about: SQLite names only the columns (in its fixed
  "table.column, ..." list after the code said UNIQUE); the model's constraint on those columns gives
  the name PostgreSQL would report (every constraint is named: db/base.py's NAMING);
- why a PostgreSQL connection could not start: libpq reports a failed start-up (a wrong password, a
  missing database, a refused connection) as text only, with no SQLSTATE.
services/context.py's database_errors() turns these facts into DatabaseUnavailable, Conflict or
ValidationError."""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import PrimaryKeyConstraint, Table, UniqueConstraint
from sqlalchemy import exc as sa_exc

from decomp_desk.db import models  # noqa: F401  (every table, on Base.metadata)
from decomp_desk.db.base import Base
from decomp_desk.domain.records import record

# SQLite result codes (https://www.sqlite.org/rescode.html): primary ones, then the extended ones read.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_CORRUPT = 5, 6, 8, 11
SQLITE_CANTOPEN, SQLITE_NOTADB = 14, 26
SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE = 1555, 2067
SQLITE_BUSY_SNAPSHOT = 517  # another connection wrote after this transaction read: a lost race

# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
PG_UNIQUE_VIOLATION = "23505"
PG_STRING_TOO_LONG = "22001"
PG_AUTHENTICATION = ("28P01", "28000")
PG_NO_SUCH_DATABASE = "3D000"
PG_BUSY = ("55P03", "55006", "40P01")  # lock not available, object in use, deadlock
PG_READ_ONLY = "25006"
PG_SERVER_GONE = ("57P01", "57P02", "57P03")  # shut down, crashed, not accepting connections yet

AUTHENTICATION = ("The database server refused the user name or password in the database address; "
                  "check the address (--database or DECOMP_DESK_DATABASE_URL).")
NO_SUCH_DATABASE = ("The database server has no database of that name; check the address "
                    "(--database or DECOMP_DESK_DATABASE_URL).")
BUSY = "The database is busy (another workstation is saving); try again in a moment."
READ_ONLY = "The database file is read-only; ask whoever manages this computer to allow writing to it."
NOT_A_DATABASE = ("The file is not a DecompDesk database, or its beginning is damaged: check that the address names "
                  "the clinic's database file, or restore the newest backup (decomp-desk restore).")
UNKNOWN_HOST = "The database server's name cannot be found; check the address and the network."
DAMAGED = "The database file is damaged. Restore the newest backup (File > Restore, or decomp-desk restore)."
CANNOT_OPEN = "The database file cannot be opened: its folder is missing or not writable."
UNREACHABLE = "The database server cannot be reached; check the network and that the server is running."

SQLITE_SENTENCES = {SQLITE_BUSY: BUSY, SQLITE_LOCKED: BUSY, SQLITE_READONLY: READ_ONLY, SQLITE_NOTADB: NOT_A_DATABASE,
                    SQLITE_CORRUPT: DAMAGED, SQLITE_CANTOPEN: CANNOT_OPEN}


@record
class DriverFacts:
    """What the driver says about its error, whichever driver it was."""

    sqlite_code: int | None = None  # SQLite's result code: the extended one where db/engine.py learnt it
    sqlstate: str | None = None  # PostgreSQL's SQLSTATE; None for a connection that never started
    constraint: str | None = None  # PostgreSQL: the violated constraint's name
    postgresql: bool = False

    @property
    def sqlite_primary(self) -> int | None:
        return None if self.sqlite_code is None else self.sqlite_code & 0xFF


def facts_of(error: BaseException) -> DriverFacts:
    """The facts of a driver error, or of SQLAlchemy's wrapper around one (its `orig`)."""
    orig = getattr(error, "orig", None) or error
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return DriverFacts(sqlite_code=code)
    if type(orig).__module__.split(".")[0] == "psycopg":
        diag = getattr(orig, "diag", None)
        return DriverFacts(sqlstate=getattr(orig, "sqlstate", None),
                           constraint=getattr(diag, "constraint_name", None), postgresql=True)
    return DriverFacts()


def is_lost_race(error: BaseException) -> bool:
    return facts_of(error).sqlite_code == SQLITE_BUSY_SNAPSHOT


def violated_unique(error: sa_exc.IntegrityError) -> str | None:
    """The name of the unique constraint (or primary key) a write broke; None for any other broken rule
    (a foreign key, NOT NULL, a check: the program's own mistake, nothing a person can fix)."""
    facts = facts_of(error)
    if facts.sqlstate == PG_UNIQUE_VIOLATION:
        return facts.constraint or "a unique constraint"
    if facts.sqlite_code in (SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY):
        return _sqlite_constraint_name(str(error.orig))
    return None


def _sqlite_constraint_name(text: str) -> str:
    """SQLite names the columns, "UNIQUE constraint failed: patients.chart_number" (the code said UNIQUE;
    the list after the colon is the only place it says which): the model's constraint on them has the
    name PostgreSQL reports for the same violation."""
    columns = [c.strip() for c in text.splitlines()[0].partition(": ")[2].split(",") if "." in c]
    tables = {c.split(".", 1)[0] for c in columns}
    if len(tables) != 1:
        return text.splitlines()[0]
    table = Base.metadata.tables.get(tables.pop())
    wanted = tuple(c.split(".", 1)[1] for c in columns)
    if table is not None:
        for name, cols in _unique_column_sets(table):
            if cols == wanted:
                return name
    return ", ".join(columns)


def _unique_column_sets(table: Table) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each unique constraint, primary key and unique index of the table: its name and its columns."""
    for c in table.constraints:
        if isinstance(c, (UniqueConstraint, PrimaryKeyConstraint)) and c.name:
            yield str(c.name), tuple(col.name for col in c.columns)
    for i in table.indexes:
        if i.unique and i.name:
            yield str(i.name), tuple(col.name for col in i.columns)


def describe_data_error(e: sa_exc.DataError) -> str:
    """A value a validator let through that the column cannot hold (PostgreSQL enforces lengths and refuses
    NUL characters; SQLite stores both): the last line of defence behind the validators."""
    if any("\x00" in text for text in _texts(e.params)):  # psycopg refuses it before the server sees it
        return "a text holds a NUL character, which cannot be stored; nothing was saved"
    if facts_of(e).sqlstate == PG_STRING_TOO_LONG:
        limit = _exceeded_length(e.params)
        return (f"a text is longer than the database allows (at most {limit} characters)" if limit
                else "a text is longer than the database allows") + "; nothing was saved"
    return f"a value cannot be stored ({str(e.orig).splitlines()[0]}); nothing was saved"


def _texts(params: object) -> Iterator[str]:
    if isinstance(params, str):
        yield params
    elif isinstance(params, dict):
        for value in params.values():
            yield from _texts(value)
    elif isinstance(params, (list, tuple)):
        for value in params:
            yield from _texts(value)


def _exceeded_length(params: object) -> int | None:
    """The length of the column a bound text is too long for: the statement's parameters are named after
    their columns; None when that is not one length."""
    rows = params if isinstance(params, (list, tuple)) else [params]
    lengths: dict[str, set[int]] = {}
    for table in Base.metadata.tables.values():
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if isinstance(length, int):
                lengths.setdefault(column.name, set()).add(length)
    exceeded = {n for row in rows if isinstance(row, dict) for key, value in row.items() if isinstance(value, str)
                for n in lengths.get(key, ()) if len(value) > n}
    return exceeded.pop() if len(exceeded) == 1 else None


def describe_operational_error(e: BaseException) -> str:
    """The database cannot be used: why, in a sentence a person can act on."""
    facts = facts_of(e)
    if facts.sqlite_primary in SQLITE_SENTENCES:
        return SQLITE_SENTENCES[facts.sqlite_primary]
    state = facts.sqlstate
    if state is not None:
        if state in PG_AUTHENTICATION:
            return AUTHENTICATION
        if state == PG_NO_SUCH_DATABASE:
            return NO_SUCH_DATABASE
        if state in PG_BUSY:
            return BUSY
        if state == PG_READ_ONLY:
            return READ_ONLY
        if state.startswith("08") or state in PG_SERVER_GONE:
            return UNREACHABLE
    elif facts.postgresql:
        if getattr(e, "statement", None) is None:  # SQLAlchemy names the statement of every error but a connect's
            return _failed_start(getattr(e, "orig", None) or e)
        return UNREACHABLE  # a connection lost under a statement (the server closed it): no SQLSTATE either
    return f"The database reported an error: {getattr(e, 'orig', e)}"


def _failed_start(orig: BaseException) -> str:
    """A PostgreSQL connection that never started carries no SQLSTATE: libpq reports the server's refusal
    only as its text, so here alone the words are read. psycopg resolves the host name itself, before
    libpq has a connection (`pgconn`) to report on: an error without one is a name that did not resolve."""
    pgconn = getattr(orig, "pgconn", None)
    if pgconn is None:
        return UNKNOWN_HOST
    text = str(orig).lower()
    if "authentication failed" in text:
        return AUTHENTICATION
    if "database" in text and "does not exist" in text:
        return NO_SUCH_DATABASE
    return UNREACHABLE
