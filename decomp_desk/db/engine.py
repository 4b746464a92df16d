"""Engines for the embedded SQLite file and for a shared PostgreSQL server."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


# Set on a connection (execution option) whose transaction will write: SQLite begins it with BEGIN
# IMMEDIATE, taking the write lock at once (waiting up to the busy timeout for another writer) rather than
# at its first write, where a transaction that has already read cannot wait and fails "busy".
WRITE_OPTION = "decomp_desk_writes"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL; None for in-memory databases and other backends."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    database = u.database
    if u.query.get("uri") == "true" and database.startswith("file:"):
        # 'sqlite:///file:/path/clinic.sqlite3?mode=ro&uri=true' (e.g. a read-only open)
        database = database[len("file:"):].removeprefix("//localhost").removeprefix("//")
        if not database or database == ":memory:" or u.query.get("mode") == "memory":
            return None
    return Path(database)


def make_engine(url: str, *, create_dirs: bool = True) -> Engine:
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None and create_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's legacy transaction handling skips BEGIN before reads and DDL; take it
        # over so that one unit of work is one real transaction (consistent reads, atomic DDL).
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" listener issues BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    # WAL lets the desk read while another process writes; FULL makes every commit durable,
    # so a session reported saved survives a killed process or a power cut.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()
