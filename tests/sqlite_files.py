"""Tests that read or change an SQLite database file behind the program's back: the files are encrypted
(SQLCipher), so they are opened with the key kept for this user (the test run's key folder), as the
program opens them."""
from __future__ import annotations

from pathlib import Path

from decomp_desk.db import cipher, keystore


def connect_file(path: Path | str, **kwargs):
    """A sqlcipher3 DB-API connection to the database file at `path`, encrypted or plain."""
    path = Path(path)
    key = keystore.key_for(path) if cipher.encrypted_salt(path) else None
    return cipher.connect(path, key, mode="rw", **kwargs)
