"""Issue 11, point 2: the files the program writes (the database and its -wal/-shm, its key, backups,
printed pages, the backups folder) are its owner's only, 0600 files in 0700 folders, whatever the umask."""
from __future__ import annotations

import json
from datetime import date

from tests.safety.helpers import mode, ok


def test_files_are_the_owners_only_under_umask_000(tmp_path):
    keys = tmp_path / "keys"
    env = {"DECOMP_DESK_KEY_DIR": str(keys), "XDG_DATA_HOME": str(tmp_path / "data")}
    folder = tmp_path / "clinic"
    path = folder / "clinic.sqlite3"
    url = f"sqlite:///{path}"
    ok(url, "demo", env=env, umask=0)
    assert mode(folder) == 0o700 and mode(path) == 0o600
    assert mode(keys) == 0o700 and [mode(p) for p in keys.iterdir()] == [0o600]

    chart = json.loads(ok(url, "patients", "--json", env=env, umask=0))[0]["chart_number"]
    backups = tmp_path / "backups" / "daily"
    ok(url, "backup", str(backups / "b.backup"), env=env, umask=0)
    assert mode(backups) == 0o700 and mode(backups.parent) == 0o700 and mode(backups / "b.backup") == 0o600
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery staple\n")
    ok(url, "backup", str(backups / "e.backup"), "--passphrase-file", str(secret), env=env, umask=0)
    assert mode(backups / "e.backup") == 0o600

    pages = tmp_path / "pages"
    pages.mkdir()
    ok(url, "statement", chart, "--output", str(pages / "statement.pdf"), env=env, umask=0)
    assert mode(pages / "statement.pdf") == 0o600

    restored = ok(url, "restore", str(backups / "b.backup"), env=env, umask=0)
    kept = next(folder.glob("clinic.replaced-*.sqlite3"))
    assert "kept at" in restored and mode(kept) == 0o600
    for p in folder.iterdir():  # the database, its -wal and -shm while open, what was kept aside
        assert mode(p) == 0o600, p.name


def test_the_desks_daily_backup_folder_and_files(sqlite_url, tmp_path):
    import os

    from decomp_desk.services.backups import daily_backups

    old = os.umask(0)
    try:
        folder = tmp_path / "data" / "backups" / "clinic"
        made = daily_backups.automatic_backup(sqlite_url, folder, 3, today=date(2026, 3, 2))
        daily_backups.daily_verification(sqlite_url, folder, today=date(2026, 3, 2))
    finally:
        os.umask(old)
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700 and mode(made) == 0o600
    assert all(mode(p) == 0o600 for p in folder.iterdir())
