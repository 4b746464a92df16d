"""Issue 11, point 3: a backup carries a SHA-256 checksum of its content, checked when written and before
any restore; a damaged database is refused before a backup; rotation keeps the newest backup that
verifies; an encrypted backup never passes through a plain file (not even when killed); a restore leaves
no unencrypted copy; the backup key comes from scrypt at N >= 2^17; once a day the newest backup is
restored into a scratch database and checked; a restore is recorded in the restored database."""
from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from decomp_desk.bootstrap import open_services
from decomp_desk.db import models as m
from decomp_desk.db.engine import is_sqlite, sqlite_path
from decomp_desk.domain.validation import PatientInput
from decomp_desk.services.backups import backup_restore, daily_backups, database_check
from decomp_desk.services.backups.backup_container import MAGIC, verify
from decomp_desk.services.backups.backup_files import BackupError
from tests.conftest import CLINICIAN
from tests.safety.helpers import ROOT, SECRET_NAME, flip_bit, plaintext_found

FIRST, LAST = SECRET_NAME.split()
PASS = "correct horse battery staple"


def _add(url: str, chart: str, first: str = FIRST, last: str = LAST) -> None:
    sv = open_services(url, CLINICIAN)
    try:
        sv.patients.create(PatientInput(chart, first, last))
    finally:
        sv.dispose()


def _charts(url: str) -> list[str]:
    sv = open_services(url, CLINICIAN)
    try:
        return sorted(r.chart_number for r in sv.patients.list(include_archived=True))
    finally:
        sv.dispose()


def _actions(url: str) -> list[str]:
    sv = open_services(url, CLINICIAN)
    try:
        with sv.ctx.unit_of_work() as s:
            return list(s.scalars(select(m.AuditEvent.action).order_by(m.AuditEvent.id)))
    finally:
        sv.dispose()


@pytest.mark.parametrize("passphrase", [None, PASS], ids=["plain", "passphrase"])
def test_one_flipped_bit_is_refused_before_anything_is_touched(db_url, tmp_path, passphrase):
    _add(db_url, "7001")
    made = backup_restore.backup(db_url, tmp_path / "b.backup", passphrase).file
    assert made.read_bytes().startswith(MAGIC) and verify(made).sha256
    _add(db_url, "7002", "Later", "Patient")
    for at in (0.3, 0.5, 0.9):  # the payload's pages, anywhere
        damaged = tmp_path / f"damaged-{at}.backup"
        damaged.write_bytes(made.read_bytes())
        flip_bit(damaged, at)
        with pytest.raises(BackupError, match="does not match its SHA-256 checksum") as err:
            backup_restore.restore(db_url, damaged, passphrase)
        assert "Nothing was changed" in str(err.value)
    assert _charts(db_url) == ["7001", "7002"] and not list(tmp_path.glob("*replaced*"))
    backup_restore.restore(db_url, made, passphrase)  # the sound one restores
    assert _charts(db_url) == ["7001"]


def test_a_cut_backup_is_refused(sqlite_url, tmp_path):
    made = backup_restore.backup(sqlite_url, tmp_path / "b.backup").file
    cut = tmp_path / "cut.backup"
    cut.write_bytes(made.read_bytes()[:-500])
    with pytest.raises(BackupError, match="damaged"):
        backup_restore.restore(sqlite_url, cut)


def test_a_damaged_database_is_not_backed_up(sqlite_url, tmp_path):
    _add(sqlite_url, "7001")
    folder = tmp_path / "backups"
    good = daily_backups.automatic_backup(sqlite_url, folder, 1, today=date(2026, 3, 2))
    path = sqlite_path(sqlite_url)
    data = bytearray(path.read_bytes())
    for i in range(4096 + 100, len(data), 4096):  # one byte in each page after the first
        data[i] ^= 0x55
    path.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="fails its integrity check") as err:
        backup_restore.backup(sqlite_url, tmp_path / "today.backup")
    assert "no backup was written" in str(err.value) and not (tmp_path / "today.backup").exists()
    with pytest.raises(BackupError, match="fails its integrity check"):
        daily_backups.automatic_backup(sqlite_url, folder, 1, today=date(2026, 3, 3))
    assert [p.name for p in folder.glob("*.backup")] == [good.name]  # the good one stays
    assert not list(folder.glob(".*partial")) and not list(tmp_path.glob(".*partial"))


def test_rotation_never_deletes_the_newest_backup_that_verifies(sqlite_url, tmp_path):
    folder = tmp_path / "backups"
    days = [daily_backups.automatic_backup(sqlite_url, folder, 10, today=date(2026, 3, d)) for d in (2, 3, 4, 5)]
    for damaged in days[1:]:
        flip_bit(damaged)
    deleted = daily_backups.prune(folder, 2)
    assert sorted(p.name for p in folder.glob("*.backup")) == [
        "decomp-desk-2026-03-02.backup", "decomp-desk-2026-03-04.backup", "decomp-desk-2026-03-05.backup"]
    assert [p.name for p in deleted] == ["decomp-desk-2026-03-03.backup"]


def test_an_encrypted_backup_is_encrypted_with_a_strong_key(db_url, tmp_path):
    _add(db_url, "7001")
    made = backup_restore.backup(db_url, tmp_path / "b.backup", PASS)
    assert made.encrypted
    header = json.loads(made.file.read_bytes().split(b"\n")[1])
    assert header["protection"] == "passphrase" and header["kdf"]["name"] == "scrypt"
    assert header["kdf"]["n"] >= 2 ** 17
    assert plaintext_found(tmp_path) == []
    with pytest.raises(BackupError, match="passphrase does not open"):
        backup_restore.restore(db_url, made.file, "a wrong passphrase entirely")
    with pytest.raises(BackupError, match="is encrypted; give its passphrase"):
        backup_restore.restore(db_url, made.file, None)


def test_a_restore_leaves_no_unencrypted_copy_and_is_recorded_in_the_restored_database(db_url, tmp_path):
    _add(db_url, "7001")
    backups = tmp_path / "backups"
    made = backup_restore.backup(db_url, backups / "b.backup", PASS).file
    _add(db_url, "7002", "Later", "Patient")
    report = backup_restore.restore(db_url, made, PASS)
    assert _charts(db_url) == ["7001"]
    assert report.replaced_copy is not None and report.replaced_copy.exists()
    if is_sqlite(db_url):  # kept as the file it was: encrypted under the database's own key
        assert report.replaced_copy.parent == sqlite_path(db_url).parent
        assert _charts(f"sqlite:///{report.replaced_copy}") == ["7001", "7002"]
    else:  # kept as a backup, encrypted with the passphrase the restore came with
        assert report.replaced_copy.parent == backups
        assert json.loads(report.replaced_copy.read_bytes().split(b"\n")[1])["protection"] == "passphrase"
    assert plaintext_found(tmp_path) == []
    actions = _actions(db_url)
    # the restored trail: the first patient's creation (the second is gone with the restore), then the restore
    assert actions.count("create") == 1 and actions[-1] == "restore"


def test_the_daily_verification_restores_the_newest_backup_into_a_scratch_database(db_url, tmp_path):
    _add(db_url, "7001")
    folder = tmp_path / "backups"
    daily_backups.automatic_backup(db_url, folder, 3, PASS, today=date(2026, 3, 2))
    newest = daily_backups.automatic_backup(db_url, folder, 3, PASS, today=date(2026, 3, 3))
    report = daily_backups.daily_verification(db_url, folder, PASS, today=date(2026, 3, 3))
    assert report.file == newest and "restored into a scratch database and checked" in report.sentence()
    if is_sqlite(db_url):
        assert (report.patients, report.sessions) == (1, 0)
    assert daily_backups.daily_verification(db_url, folder, PASS, today=date(2026, 3, 3)) is None  # once a day
    flip_bit(newest)
    with pytest.raises(BackupError, match="checksum"):
        daily_backups.daily_verification(db_url, folder, PASS, today=date(2026, 3, 4))


# --- killed in the middle -------------------------------------------------------------------------------

KILLED = """
import sys
from decomp_desk.services.backups import backup_restore, daily_backups, database_check
url, what, file = sys.argv[1:4]
print("READY", flush=True)
if what == "backup":
    backup_restore.backup(url, file, "correct horse battery staple")
else:
    backup_restore.restore(url, file, "correct horse battery staple")
print("DONE", flush=True)
"""


def _run_and_kill(url: str, what: str, file: Path, rng: random.Random) -> str:
    child = subprocess.Popen([sys.executable, "-c", KILLED, url, what, str(file)], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdout.readline() == "READY\n"
        time.sleep(rng.uniform(0.0, 1.2))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert "Traceback" not in err, err
    return out


@pytest.mark.slow
def test_killed_backups_and_restores_leave_no_plain_file_and_an_intact_database(sqlite_url, tmp_path):
    sv = open_services(sqlite_url, CLINICIAN)
    try:
        for i in range(300):
            sv.patients.create(PatientInput(f"K{i}", FIRST, f"{LAST} {i}", phone=f"555-{i:04d}"))
    finally:
        sv.dispose()
    folder = tmp_path / "backups"
    sound = backup_restore.backup(sqlite_url, folder / "sound.backup", PASS).file
    rng = random.Random(20260302)
    finished = {"backup": 0, "restore": 0}
    for run in range(6):
        for what in ("backup", "restore"):
            file = folder / f"killed-{run}.backup" if what == "backup" else sound
            finished[what] += "DONE" in _run_and_kill(sqlite_url, what, file, rng)
            assert plaintext_found(tmp_path) == [], (what, run)
            report = database_check.check(sqlite_url)
            assert report.ok, report.problems
            assert len(_charts(sqlite_url)) == 300
    for made in folder.glob("killed-*.backup"):  # what a killed backup left is either whole or absent
        assert verify(made).sha256
    assert finished["backup"] < 6 or finished["restore"] < 6, "the kills must land mid-work"


def test_a_backup_restores_on_a_new_computer_with_the_recovery_passphrase(tmp_path):
    from tests.safety.helpers import ok, refused

    secret = tmp_path / "recovery.txt"
    secret.write_text("the clinic's recovery passphrase\n")
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    ok(url, "create", "--passphrase-file", str(secret))
    _add(url, "7001")
    ok(url, "backup", str(tmp_path / "nightly.backup"))  # under the database's own key
    new = tmp_path / "new-computer"
    new.mkdir()
    elsewhere = {"DECOMP_DESK_KEY_DIR": str(new / "keys")}
    target = f"sqlite:///{new / 'clinic.sqlite3'}"
    said = refused(target, "restore", str(tmp_path / "nightly.backup"), env=elsewhere)
    assert "recovery passphrase" in said and not (new / "clinic.sqlite3").exists()
    ok(target, "restore", str(tmp_path / "nightly.backup"), "--passphrase-file", str(secret), env=elsewhere)
    assert json.loads(ok(target, "patients", "--json", env=elsewhere))[0]["chart_number"] == "7001"
    assert plaintext_found(new) == []


def test_what_a_killed_backup_left_is_cleared_by_the_next_rotation(sqlite_url, tmp_path):
    import os

    folder = tmp_path / "backups"
    folder.mkdir()
    left = [folder / ".decomp-desk-2026-03-01.backup.partial", folder / ".decomp-desk-backup-abc123"]
    left[0].write_bytes(b"half")
    left[1].mkdir()
    (left[1] / "payload.sqlite3").write_bytes(b"half")
    fresh = folder / ".by-hand.backup.partial"  # another backup being written right now
    fresh.write_bytes(b"busy")
    for p in left:
        os.utime(p, (0, 0))
    daily_backups.automatic_backup(sqlite_url, folder, 3, today=date(2026, 3, 2))
    assert not any(p.exists() for p in left) and fresh.exists()
