"""Backup, restore and check: a restore verifies before it replaces and keeps what it replaced; a
damaged file is refused and a damaged database reported, never silently used."""
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from decomp_desk.bootstrap import open_services
from decomp_desk.db import models as m
from decomp_desk.db.engine import is_sqlite, make_engine, sqlite_path
from decomp_desk.services.backups import backup_restore, daily_backups, database_check
from decomp_desk.services.backups.backup_files import BackupError, pg_tool
from tests.conftest import CLINICIAN
from tests.factories import patient


def _charts(url: str) -> list[str]:
    services = open_services(url, CLINICIAN)
    try:
        return [r.chart_number for r in services.patients.list(include_archived=True)]
    finally:
        services.dispose()


def _audit_actions(services) -> list[str]:
    with services.ctx.unit_of_work() as s:
        return list(s.scalars(select(m.AuditEvent.action).order_by(m.AuditEvent.id)))


@pytest.fixture
def sqlite_services(sqlite_url):
    services = open_services(sqlite_url, CLINICIAN)
    yield services
    services.dispose()


@pytest.fixture
def pg_tools_or_skip(db_url):
    if not is_sqlite(db_url):
        try:
            pg_tool("pg_dump")
        except BackupError:
            pytest.skip("pg_dump is not installed")


def test_backup_and_restore_round_trip(services, db_url, tmp_path, pg_tools_or_skip):
    patient(services, "1001", "Ann", "Lee")
    made = backup_restore.backup(db_url, tmp_path / "monday.backup")
    assert made.size > 0 and made.encrypted == is_sqlite(db_url)  # SQLite: under the database's own key
    patient(services, "1002", "Bob", "Ray")
    restored = backup_restore.restore(db_url, made.file)
    assert _charts(db_url) == ["1001"]
    assert restored.replaced_copy.exists() and restored.schema == "current"
    # The restored trail is the backup's, plus the restore; the backup itself was recorded after the copy.
    assert _audit_actions(services)[-2:] == ["create", "restore"]


def test_the_replaced_sqlite_file_is_kept_beside_it(sqlite_services, sqlite_url, tmp_path):
    patient(sqlite_services, "1001")
    made = backup_restore.backup(sqlite_url, tmp_path / "b.backup")
    patient(sqlite_services, "1002", "Bob")
    kept = backup_restore.restore(sqlite_url, made.file).replaced_copy
    assert kept.parent == sqlite_path(sqlite_url).parent and kept.name.startswith("clinic.replaced-")
    assert kept.suffix == ".sqlite3" and _charts(f"sqlite:///{kept}") == ["1001", "1002"]
    aside = open_services(f"sqlite:///{kept}", CLINICIAN)
    assert "backup" in _audit_actions(aside)
    aside.dispose()


def test_an_encrypted_backup_needs_its_passphrase(sqlite_services, sqlite_url, tmp_path):
    patient(sqlite_services, "1001")
    made = backup_restore.backup(sqlite_url, tmp_path / "b.backup", "correct horse battery staple")
    assert made.encrypted and b"CREATE TABLE" not in made.file.read_bytes()
    patient(sqlite_services, "1002", "Bob")
    for wrong, says in ((None, "is encrypted"), ("Tr0ub4dor&3", "does not open")):
        with pytest.raises(BackupError, match=says):
            backup_restore.restore(sqlite_url, made.file, wrong)
        assert _charts(sqlite_url) == ["1001", "1002"]
    backup_restore.restore(sqlite_url, made.file, "correct horse battery staple")
    assert _charts(sqlite_url) == ["1001"]


@pytest.mark.parametrize("content, says", [
    (b"not a backup at all", "not a DecompDesk backup"),
    (b"PGDMP\x01\x0e\x00garbage", "cannot be restored into an SQLite database"),
    (b"SQLite format 3\x00" + b"\x00" * 200, "damaged"),
])
def test_a_bad_file_is_refused_before_anything_is_touched(sqlite_services, sqlite_url, tmp_path, content, says):
    patient(sqlite_services, "1001")
    bad = tmp_path / "bad.backup"
    bad.write_bytes(content)
    with pytest.raises(BackupError, match=says) as err:
        backup_restore.restore(sqlite_url, bad)
    assert "Nothing was changed" in str(err.value)
    assert _charts(sqlite_url) == ["1001"]
    assert not list(tmp_path.glob("*replaced*"))  # nothing was set aside either: nothing was replaced


def test_a_sqlite_file_of_another_program_is_refused(sqlite_url, tmp_path):
    other = tmp_path / "other.sqlite3"
    engine = create_engine(f"sqlite:///{other}")
    with engine.begin() as c:
        c.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    engine.dispose()
    with pytest.raises(BackupError, match="not a DecompDesk one"):
        backup_restore.restore(sqlite_url, other)


def test_check_passes_a_sound_database(db_url, services):
    patient(services)
    report = database_check.check(db_url)
    assert report.ok, report.problems
    assert any("revision" in f and "newest" in f for f in report.facts)
    assert any(f.startswith("patients: 1, sessions: 0") for f in report.facts) and ":decomp@" not in report.database


def test_check_reports_a_damaged_sqlite_file(sqlite_url):
    path = sqlite_path(sqlite_url)
    data = bytearray(path.read_bytes())
    data[4096:4096 * 3] = b"\xa5" * 8192  # pages 2 and 3: table b-trees overwritten
    path.write_bytes(bytes(data))
    report = database_check.check(sqlite_url)
    assert not report.ok and "damaged" in report.problems[0] and "Restore the newest backup" in report.problems[0]


def test_check_reports_a_missing_file_and_a_schema_from_elsewhere(sqlite_url, tmp_path):
    assert "There is no clinic database" in database_check.check(f"sqlite:///{tmp_path / 'none.sqlite3'}").problems[0]
    assert not (tmp_path / "none.sqlite3").exists()
    engine = make_engine(sqlite_url)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    engine.dispose()
    (problem,) = database_check.check(sqlite_url).problems
    assert "newer version" in problem


def test_automatic_backup_once_a_day_keeping_the_newest(sqlite_url, tmp_path):
    folder = tmp_path / "backups"
    made = [daily_backups.automatic_backup(sqlite_url, folder, 3, today=date(2026, 3, d)) for d in (2, 3, 3, 4, 5, 6)]
    assert made[2] is None and all(isinstance(p, Path) for i, p in enumerate(made) if i != 2)
    assert sorted(p.name for p in folder.iterdir()) == [
        "decomp-desk-2026-03-04.backup", "decomp-desk-2026-03-05.backup", "decomp-desk-2026-03-06.backup"]


def test_each_database_has_its_own_folder_of_daily_backups(monkeypatch, tmp_path):
    from decomp_desk import config

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    root = config.backup_dir()
    assert config.backup_dir(config.default_database_url()) == root
    a = config.backup_dir("sqlite:////srv/clinic/clinic.sqlite3")
    b = config.backup_dir("sqlite:////home/bea/test/clinic.sqlite3")
    pg = config.backup_dir("postgresql+psycopg://desk:secret@server/clinic")
    assert len({root, a, b, pg}) == 4 and all(p.parent == root for p in (a, b, pg))
    assert a.name.startswith("clinic-") and pg.name.startswith("clinic-") and "secret" not in str(pg)
    assert config.backup_dir("postgresql+psycopg://desk:other@server/clinic") == pg  # the password is no part
