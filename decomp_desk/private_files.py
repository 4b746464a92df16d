"""Files only their owner can read: the database, its keys, backups, exports, logs and temporary files are
health records (or open them), so each is made 0600 in folders made 0700, whatever the umask says."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def owner_only_umask() -> None:
    """Everything this process creates from now on (SQLite's -wal and -shm files, PDFs, CSV exports,
    temporary folders) is for its owner only. Called as the desk and the command line start."""
    os.umask(0o077)


def private_dir(path: Path) -> Path:
    """Make `path` and any missing parents; the folders made here are 0700 (existing ones are left as
    they are: they may be the user's home or a shared disk)."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)
    return path


def restrict(path: Path) -> None:
    """An existing file made 0600 (no error when it has gone)."""
    try:
        os.chmod(path, FILE_MODE)
    except FileNotFoundError:
        pass


def open_private(path: Path, mode: str = "wb"):
    """Open a new or truncated file for writing, 0600 from its first byte on."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), FILE_MODE)
    os.fchmod(fd, FILE_MODE) if hasattr(os, "fchmod") else None
    return os.fdopen(fd, mode)


def write_private(path: Path, data: bytes) -> None:
    with open_private(path) as f:
        f.write(data)


def private_temp_dir(near: Path | None = None, prefix: str = "decomp-desk-") -> tempfile.TemporaryDirectory:
    """A 0700 temporary folder (beside `near` when given: the same disk, so a rename stays a rename)."""
    folder = None
    if near is not None:
        folder = private_dir(Path(near))
    return tempfile.TemporaryDirectory(prefix=prefix, dir=folder)
