"""The clinic's database as a whole, for the command line and the desk (which may not touch db/): make a
new clinic on purpose, encrypt a plain one, and give this process the recovery passphrase of a file
whose key this user does not hold."""
from __future__ import annotations

from pathlib import Path

from decomp_desk.db import cipher, keystore
from decomp_desk.db.create import ClinicExists, create_sqlite, encrypt_sqlite, missing_or_empty, no_database_sentence
from decomp_desk.db.engine import is_sqlite, make_engine, sqlite_path
from decomp_desk.db.migrate import current_revision, ensure_schema
from decomp_desk.services.context import database_errors

RECOMMENDED_PASSPHRASE_LENGTH = 12

__all__ = ["ClinicExists", "create_clinic", "encrypt_database", "needs_creating", "needs_passphrase",
           "offer_passphrase", "no_database_sentence", "database_file", "is_encrypted",
           "RECOMMENDED_PASSPHRASE_LENGTH"]


def offer_passphrase(passphrase: str | None) -> None:
    keystore.offer_passphrase(passphrase)


def database_file(url: str) -> Path | None:
    return sqlite_path(url) if is_sqlite(url) else None


def needs_creating(url: str) -> bool:
    """An SQLite address whose file is missing or empty: only a deliberate create makes a clinic there."""
    path = database_file(url)
    return path is not None and missing_or_empty(path)


def is_encrypted(url: str) -> bool:
    path = database_file(url)
    return path is not None and cipher.encrypted_salt(path) is not None


def needs_passphrase(url: str) -> bool:
    """An encrypted file that no key kept for this user (nor a passphrase given) opens."""
    if not is_encrypted(url):
        return False
    try:
        keystore.key_for(database_file(url))
        return False
    except cipher.DatabaseKeyError:
        return True


def create_clinic(url: str, passphrase: str | None) -> str:
    """A new, empty clinic at `url`; returns a sentence saying what was made. SQLite: a new encrypted
    file (refused where a database is). PostgreSQL: the schema in an empty server database (refused
    where a clinic is already)."""
    path = database_file(url)
    if path is not None:
        create_sqlite(url, passphrase)
        how = ("its recovery passphrase also opens it anywhere" if passphrase else
               "no recovery passphrase was set: only this user on this computer can open it")
        return f"Created a new, empty clinic database at {path}, encrypted (its key is kept for this user; {how})."
    with database_errors():
        engine = make_engine(url)
        try:
            if current_revision(engine) is not None:
                raise ClinicExists("That database already holds a DecompDesk clinic; nothing was changed.")
            ensure_schema(engine)
        finally:
            engine.dispose()
    return "Created a new, empty clinic in the PostgreSQL database (encryption at rest is the server's disk's)."


def encrypt_database(url: str, passphrase: str | None) -> str:
    path = database_file(url)
    if path is None:
        raise ClinicExists("Only the embedded SQLite database is encrypted by DecompDesk; a PostgreSQL server keeps "
                           "its data encrypted at rest on its own disk.")
    encrypt_sqlite(url, passphrase)
    how = "its recovery passphrase also opens it anywhere" if passphrase else "no recovery passphrase was set"
    return (f"Encrypted the database {path} (its key is kept for this user; {how}). The plain original was "
            "removed once the encrypted copy had verified.")


def try_passphrase(url: str, passphrase: str, *, keep: bool = False) -> bool:
    """Whether `passphrase` opens the encrypted database at `url`; when it does, this process uses it,
    and with `keep` this user keeps the key from now on (the desk, on a new workstation)."""
    path = database_file(url)
    salt = cipher.encrypted_salt(path) if path is not None else None
    if salt is None or not passphrase:
        return False
    key = cipher.derive_key(passphrase, salt)
    if not cipher.key_opens(path, key):
        return False
    offer_passphrase(passphrase)
    if keep:
        keystore.remember(salt, key, path)
    return True
