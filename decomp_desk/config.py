"""Where the data lives: the user's data folder (platformdirs), or a URL the user names."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "DecompDesk"
ENV_URL = "DECOMP_DESK_DATABASE_URL"
_PASSWORD_IN_URL = re.compile(r"(://[^:/@]+):[^@]*@")


def redact_password(url: str, mask: str = "***") -> str:
    """`url` with its password replaced by `mask`; with an empty mask, the password and its colon left out."""
    return _PASSWORD_IN_URL.sub(rf"\1:{mask}@" if mask else r"\1@", url)


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'decomp-desk.sqlite3'}"


def database_url(explicit: str | None = None) -> str:
    """--database wins, then the environment variable, then the embedded file."""
    return explicit or os.environ.get(ENV_URL) or default_database_url()


def backup_dir(url: str | None = None) -> Path:
    """Where the desk's daily backups of `url` go: `backups` in the data folder for the default database,
    a folder of its own inside it for any other, so two databases never share (and prune) each other's."""
    root = data_dir() / "backups"
    if url is None or url == default_database_url():
        return root
    without_password = redact_password(url, "")
    name = re.split(r"[/\\]", without_password.split("?")[0].rstrip("/"))[-1]
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name.removesuffix(".sqlite3").removesuffix(".db"))[:40] or "database"
    return root / f"{name}-{hashlib.sha1(without_password.encode()).hexdigest()[:8]}"
