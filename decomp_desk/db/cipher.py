"""The embedded database encrypted at rest: SQLCipher (AES-256, an HMAC on every page) through sqlcipher3.

A file is keyed with a raw 256-bit key (no key derivation on open, so opening stays as fast as plain
SQLite) and an explicit salt, which SQLCipher writes in the clear as the file's first 16 bytes. The key is
either random (kept for the workstation's user, db/keystore.py) or derived from the clinic's recovery
passphrase and that salt, so the passphrase opens the file anywhere from the file alone."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decomp_desk.domain.errors import DomainError

if TYPE_CHECKING:
    import sqlcipher3.dbapi2 as dbapi


def load() -> Any:
    """sqlcipher3's DB-API module, imported at the first use: a desk on a PostgreSQL server never needs it."""
    import sqlcipher3.dbapi2

    return sqlcipher3.dbapi2


def __getattr__(name: str) -> Any:
    # cipher.dbapi, and cipher.DatabaseError: what a file that is damaged, or that the key does not open, raises
    if name == "dbapi":
        return load()
    if name == "DatabaseError":
        return load().DatabaseError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

SQLITE_HEADER = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
# scrypt at N = 2^17 (128 MiB, about 0.7 s here): run only when a passphrase is typed, never on a daily open.
KDF = {"name": "scrypt", "n": 2 ** 17, "r": 8, "p": 1}


class DatabaseKeyError(DomainError):
    """The database is encrypted and no key this user holds (or passphrase given) opens it."""


def derive_key(passphrase: str, salt: bytes, kdf: dict | None = None) -> bytes:
    kdf = kdf or KDF
    n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * r * n + (1 << 20), dklen=KEY_BYTES)


def random_key() -> bytes:
    return os.urandom(KEY_BYTES)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def file_head(path: Path) -> bytes:
    """The file's first 16 bytes; b'' for a missing or empty file."""
    try:
        with open(path, "rb") as f:
            return f.read(SALT_BYTES)
    except FileNotFoundError:
        return b""


def is_plain_sqlite(head: bytes) -> bool:
    return head.startswith(SQLITE_HEADER)


def encrypted_salt(path: Path) -> bytes | None:
    """The SQLCipher salt of an encrypted file; None for a plain SQLite file or a missing or empty one."""
    head = file_head(path)
    if len(head) < SALT_BYTES or is_plain_sqlite(head):
        return None
    return head


# Applied after the key on every connection, so every file this program makes or opens has it (it is not
# stored in the file). HMAC-SHA256, which the processor computes in hardware, checks a page faster than
# SQLCipher's default HMAC-SHA512: the desk's start reads most of the sessions table to list the patients.
# (16 KiB pages decrypt faster still, but made the desk's memory creep up as patients were opened.)
TUNING: tuple[str, ...] = ("PRAGMA cipher_hmac_algorithm = HMAC_SHA256",)


def tune_attached(con, schema: str) -> None:
    """The same settings for an encrypted database attached as `schema` (before anything is written)."""
    for pragma in TUNING:
        con.execute(pragma.replace("PRAGMA ", f"PRAGMA {schema}.", 1))


def key_pragma(key: bytes, salt: bytes | None = None) -> str:
    return f"PRAGMA key = \"x'{key.hex()}{salt.hex() if salt else ''}'\""


def connect(database: str | Path, key: bytes | None = None, salt: bytes | None = None, *,
            mode: str = "rwc", timeout: float = 10.0, **kwargs) -> dbapi.Connection:
    """A DB-API connection: `mode` 'ro' (never writes, never creates), 'rw' (never creates) or 'rwc'.
    A key (with the salt for a new file) is given before anything is read. Read-only, a WAL database
    that nobody has open (no -wal file) is opened as immutable: otherwise SQLite would leave a -wal and
    a -shm file beside it, and `check` must change nothing."""
    dbapi = load()
    database = str(database)
    if database == ":memory:":
        con = dbapi.connect(database, timeout=timeout, **kwargs)
    else:
        # URI form so that 'ro' and 'rw' hold at the C level: SQLite itself refuses to create the file.
        uri = "file:" + database.replace("?", "%3f").replace("#", "%23") + f"?mode={mode}"
        if mode == "ro" and not os.path.exists(f"{database}-wal"):
            uri += "&immutable=1"
        con = dbapi.connect(uri, uri=True, timeout=timeout, **kwargs)
    try:
        con.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our sentence, not a log line on stderr
        if key is not None:
            con.execute(key_pragma(key, salt))
            for pragma in TUNING:
                con.execute(pragma)
    except BaseException:
        con.close()
        raise
    return con


def key_opens(path: Path, key: bytes) -> bool:
    """Whether `key` decrypts the file (page 1's HMAC checks out). A file that cannot be opened at all (a
    read-only folder, a lock) is not the key's fault: True, and the real open says what is wrong."""
    dbapi = load()
    try:
        con = connect(path, key, mode="ro")
    except dbapi.Error:
        return True
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except dbapi.DatabaseError as e:
        return getattr(e, "sqlite_errorcode", None) != NOT_A_DATABASE
    finally:
        con.close()


NOT_A_DATABASE = 26  # SQLITE_NOTADB: what SQLCipher says when the key does not decrypt page 1


# sqlcipher3 reports only an error's primary code (SQLITE_BUSY, 5) where Python's own sqlite3 reports the
# extended one; services/driver_errors.py tells a lost race (SQLITE_BUSY_SNAPSHOT, 517: another workstation
# wrote after this transaction read) from a busy database by it. The extended code is asked of SQLite
# itself, through the library sqlcipher3 carries: its connection object holds the sqlite3 handle right
# after the object header, as every version of the pysqlite module has.
_library = None


def extended_errcode(dbapi_conn) -> int | None:
    global _library
    if not isinstance(dbapi_conn, load().Connection):
        return None
    try:
        if _library is None:
            import ctypes

            import sqlcipher3._sqlite3 as native

            lib = ctypes.CDLL(native.__file__)
            lib.sqlite3_extended_errcode.argtypes = [ctypes.c_void_p]
            lib.sqlite3_extended_errcode.restype = ctypes.c_int
            _library = (lib, ctypes)
        lib, ctypes = _library
        handle = ctypes.c_void_p.from_address(id(dbapi_conn) + object.__basicsize__).value
        return lib.sqlite3_extended_errcode(handle) if handle else None
    except (OSError, AttributeError, ImportError):
        return None
