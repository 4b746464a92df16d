"""The SMTP password, encrypted in the database with a key that never lives there: the key is kept in
the operating system's keyring where one works, else in a file only this user can read (in the data
folder). Another workstation of a PostgreSQL clinic without the key is told to enter the password again."""
from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from decomp_desk.config import data_dir
from decomp_desk.domain.errors import DomainError

KEYRING_SERVICE = "DecompDesk"
KEYRING_NAME = "smtp-password-key"


class SecretUnavailable(DomainError):
    """The stored password cannot be decrypted here."""


def _keyring():
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
            return None
        return keyring
    except Exception:  # no keyring module, or no usable backend (a headless box)
        return None


def _key_file() -> Path:
    return data_dir() / "smtp-password.key"


def _key(create: bool) -> bytes | None:
    kr = _keyring()
    if kr is not None:
        try:
            stored = kr.get_password(KEYRING_SERVICE, KEYRING_NAME)
            if stored:
                return stored.encode()
            if create:
                key = Fernet.generate_key()
                kr.set_password(KEYRING_SERVICE, KEYRING_NAME, key.decode())
                return key
        except Exception:
            pass  # a locked or broken keyring: the file below
    path = _key_file()
    if path.exists():
        return path.read_bytes().strip()
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # readable by its owner only
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


def seal(password: str) -> str:
    """The password encrypted for the database ('' for no password)."""
    if not password:
        return ""
    return Fernet(_key(create=True)).encrypt(password.encode()).decode()


def unseal(token: str) -> str:
    if not token:
        return ""
    key = _key(create=False)
    try:
        if key is None:
            raise InvalidToken
        return Fernet(key).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        raise SecretUnavailable("The SMTP password was saved on another workstation (or its key was lost); "
                                "enter it again in Book > Appointment settings….") from None
