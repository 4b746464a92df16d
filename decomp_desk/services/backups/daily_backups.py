"""The automatic daily backups: at most one a day into the backup folder, rotated without ever deleting
the newest one that verifies, and the newest restored into a scratch database once a day."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from decomp_desk.private_files import write_private
from decomp_desk.services.backups.backup_files import BackupError
from decomp_desk.services.backups.backup_restore import (
    VerificationReport,
    backup,
    verify_backup_file,
    verify_restorable,
)
from decomp_desk.services.context import Actor

AUTOMATIC = re.compile(r"^decomp-desk-(\d{4}-\d{2}-\d{2})\.backup$")


def automatic_backup(url: str, folder: str | Path, retention: int, passphrase: str | None = None, *,
                     today: date | None = None, actor: Actor | None = None) -> Path | None:
    """At most one backup a day into `folder` (decomp-desk-YYYY-MM-DD.backup), keeping the newest
    `retention`, and never deleting the newest one that verifies (checksum) whatever its age; None when
    today's already exists. The desk calls this as it starts."""
    folder = Path(folder)
    day = (today or date.today()).isoformat()
    target = folder / f"decomp-desk-{day}.backup"
    if target.exists():
        return None
    backup(url, target, passphrase, actor=actor)
    prune(folder, retention)
    return target


def automatic_backups(folder: Path) -> list[Path]:
    """The automatic backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if AUTOMATIC.match(p.name)), key=lambda p: p.name, reverse=True)


def _sound(file: Path) -> bool:
    try:
        verify_backup_file(file)
        return True
    except BackupError:
        return False


def prune(folder: Path, retention: int) -> list[Path]:
    """Delete the automatic backups beyond the newest `retention`, except the newest that verifies; and
    what a killed backup left behind (an hour old: never one being written now)."""
    _remove_leftovers(folder)
    newest_first = automatic_backups(folder)
    keep = set(newest_first[:max(1, retention)])
    good = next((p for p in newest_first if _sound(p)), None)
    if good is not None:
        keep.add(good)
    deleted = [p for p in newest_first if p not in keep]
    for old in deleted:
        old.unlink(missing_ok=True)
    return deleted


def _remove_leftovers(folder: Path, age_s: float = 3600) -> None:
    import shutil
    import time

    for p in folder.glob(".*"):
        if not (p.name.endswith(".partial") or p.name.startswith(".decomp-desk-backup-")):
            continue
        try:
            if time.time() - p.stat().st_mtime > age_s:
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        except OSError:
            pass


VERIFIED_MARK = ".last-verified"


def daily_verification(url: str, folder: str | Path, passphrase: str | None = None, *,
                       today: date | None = None) -> VerificationReport | None:
    """Once a day: restore the newest automatic backup into a scratch database and check it (checksum,
    decryption, integrity, schema, and what it holds). None when done already today or there is no
    backup; BackupError when the backup does not restore."""
    folder = Path(folder)
    day = (today or date.today()).isoformat()
    mark = folder / VERIFIED_MARK
    try:
        if mark.read_text(encoding="utf-8").strip() == day:
            return None
    except OSError:
        pass
    newest = next(iter(automatic_backups(folder)), None)
    if newest is None:
        return None
    report = verify_restorable(newest, passphrase)
    write_private(mark, day.encode())
    return report
