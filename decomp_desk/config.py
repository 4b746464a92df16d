"""Where the data lives: the user's data folder (platformdirs), or a URL the user names."""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "DecompDesk"
ENV_URL = "DECOMP_DESK_DATABASE_URL"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'decomp-desk.sqlite3'}"


def database_url(explicit: str | None = None) -> str:
    """--database wins, then the environment variable, then the embedded file."""
    return explicit or os.environ.get(ENV_URL) or default_database_url()


def backup_dir() -> Path:
    return data_dir() / "backups"
