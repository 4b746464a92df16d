"""Engines for the embedded SQLite file and for a shared PostgreSQL server."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from decomp_desk.db import cipher, keystore
from decomp_desk.private_files import private_dir

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


def make_engine(url: str, *, create_dirs: bool = True, readonly: bool = False,
                new_key: tuple[bytes, bytes] | None = None) -> Engine:
    """`readonly`: the file is opened read-only (never written, never created: `check`). `new_key` (key,
    salt): a file made by this engine is encrypted with it (db/create.py); an existing encrypted file
    is opened with the key kept for this user or derived from a passphrase given (db/keystore.py)."""
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None and create_dirs and not readonly:
            private_dir(path.parent)
        engine = create_engine(url, creator=_sqlcipher_creator(url, path, readonly, new_key),
                               module=cipher.dbapi)
        event.listen(engine, "connect", _sqlite_readonly_pragmas if readonly else _sqlite_pragmas)
        event.listen(engine, "handle_error", _extended_sqlite_code)
        # pysqlite's legacy transaction handling skips BEGIN before reads and DDL; take it
        # over so that one unit of work is one real transaction (consistent reads, atomic DDL).
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # TLS where the server offers it: libpq's own default, said here so that no environment turns it off
    # unnoticed; a URL's own sslmode (require, verify-full) wins.
    tls = {} if "sslmode" in make_url(url).query else {"sslmode": os.environ.get("PGSSLMODE") or "prefer"}
    return create_engine(url, pool_pre_ping=True, connect_args=tls)


def load_driver(url: str) -> None:
    """Import the database's driver and SQLAlchemy's dialect for it now. The desk calls this before it
    imports Qt: PySide6 reads the source of every module imported after it (looking for its own name),
    which made psycopg's import a tenth of the desk's start on PostgreSQL."""
    try:
        u = make_url(url)
        dialect = u.get_dialect()
        # The embedded file's driver is sqlcipher3 (make_engine hands it over), never the dialect's own sqlite3.
        if u.get_backend_name() == "sqlite":
            cipher.load()
        else:
            dialect.import_dbapi()
    except Exception:  # a wrong address or a missing driver: said when the database is opened
        return


def _sqlcipher_creator(url: str, path: Path | None, readonly: bool, new_key: tuple[bytes, bytes] | None):
    u = make_url(url)
    uri = u.query.get("uri") == "true"

    def connect():
        if path is None:  # in memory
            return cipher.connect(":memory:", check_same_thread=False) if not uri else \
                cipher.dbapi.connect(u.database, uri=True, check_same_thread=False)
        mode = "ro" if readonly or u.query.get("mode") == "ro" else "rwc"
        salt = cipher.encrypted_salt(path)
        if salt is not None:
            return cipher.connect(path, keystore.key_for(path), mode=mode, check_same_thread=False)
        if new_key is not None and not cipher.file_head(path):
            return cipher.connect(path, new_key[0], new_key[1], mode=mode, check_same_thread=False)
        return cipher.connect(path, mode=mode, check_same_thread=False)
    return connect


def _extended_sqlite_code(context) -> None:
    """sqlcipher3 gives only SQLite's primary code: the error carries the extended one instead, as Python's
    sqlite3 would give it, so services/driver_errors.py tells SQLITE_BUSY_SNAPSHOT (a lost race) from a
    busy database, and a unique violation (SQLITE_CONSTRAINT_UNIQUE) from a broken foreign key."""
    error = context.original_exception
    primary = getattr(error, "sqlite_errorcode", None)
    if not isinstance(primary, int) or context.connection is None:
        return
    try:
        raw = context.connection.connection.dbapi_connection
    except Exception:  # the connection is gone already: nothing more to learn
        return
    code = cipher.extended_errcode(raw)
    if code is not None and code & 0xFF == primary:  # the handle's last error is this one
        error.sqlite_errorcode = code


def _sqlite_readonly_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


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
