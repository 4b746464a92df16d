"""Where the database keys are kept for the workstation's user, and the passphrases given on the way.

One small file per database, 0600 in a 0700 folder of the user's configuration folder
(~/.config/DecompDesk/keys on Linux; DECOMP_DESK_KEY_DIR moves it), named after the database's salt (the
first 16 bytes of the encrypted file): a copy of the file, or the file moved to another folder, opens for
the same user, and nothing of the key lies beside the database. A file rather than the operating system's
keyring: the same on every system, readable without a desktop session (a scheduled backup), and fast
enough for the desk's start. Another user, or another machine, opens the file with the recovery
passphrase (offer_passphrase)."""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_config_path

from decomp_desk.db import cipher
from decomp_desk.private_files import private_dir, write_private

KEY_DIR_ENV = "DECOMP_DESK_KEY_DIR"

_opened: dict[bytes, bytes] = {}  # salt -> key proved to open it, in this process
_passphrases: list[str] = []  # recovery (or backup) passphrases given to this process


def key_dir() -> Path:
    return Path(os.environ.get(KEY_DIR_ENV) or user_config_path("DecompDesk", appauthor=False) / "keys")


def _key_file(salt: bytes) -> Path:
    return key_dir() / f"{salt.hex()}.key"


def remember(salt: bytes, key: bytes, database: Path | None = None) -> Path:
    """Keep `key` for this user (0600), and for this process."""
    folder = private_dir(key_dir())
    record = {"key": key.hex(), "database": str(Path(database).resolve()) if database else "",
              "saved": datetime.now(UTC).isoformat(timespec="seconds")}
    path = _key_file(salt)
    tmp = folder / f".{path.name}.new"
    write_private(tmp, json.dumps(record).encode())
    os.replace(tmp, path)
    _opened[salt] = key
    return path


def recall(salt: bytes) -> bytes | None:
    try:
        record = json.loads(_key_file(salt).read_text(encoding="utf-8"))
        return bytes.fromhex(record["key"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def offer_passphrase(passphrase: str | None) -> None:
    """A passphrase given to this process (--passphrase-file, a dialog): tried on any encrypted file whose
    key this user does not hold."""
    if passphrase and passphrase not in _passphrases:
        _passphrases.append(passphrase)


def forget_process_keys() -> None:
    """Tests: as a new process would start."""
    _opened.clear()
    _passphrases.clear()


def key_for(path: Path) -> bytes:
    """The key that opens the encrypted file at `path`: the one kept for this user, else one derived from
    a passphrase given to this process. A plain sentence when there is none."""
    salt = cipher.encrypted_salt(path)
    if salt is None:
        raise cipher.DatabaseKeyError(f"{path} is not an encrypted database.")
    if salt in _opened:
        return _opened[salt]
    stored = recall(salt)
    if stored is not None and cipher.key_opens(path, stored):
        _opened[salt] = stored
        return stored
    for passphrase in _passphrases:
        key = cipher.derive_key(passphrase, salt)
        if cipher.key_opens(path, key):
            _opened[salt] = key
            return key
    if _passphrases:
        raise cipher.DatabaseKeyError(
            f"The recovery passphrase given does not open the database {path} (or the file is not a DecompDesk "
            "database). Check the passphrase file.")
    if stored is not None:
        raise cipher.DatabaseKeyError(
            f"The key kept for this user does not open the database {path} (the file was replaced or is damaged); "
            "give its recovery passphrase with --passphrase-file FILE, or restore the newest backup.")
    raise cipher.DatabaseKeyError(
        f"The database {path} is encrypted and this user holds no key for it (or it is not a DecompDesk database "
        "at all); give its recovery passphrase with --passphrase-file FILE (the desk asks for it).")
