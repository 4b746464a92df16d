"""The installed `decomp-desk` command, run as a script would run it, on both databases: its output,
its exit status, and its refusals as plain sentences (never a traceback)."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from decomp_desk.bootstrap import open_services
from decomp_desk.db.engine import sqlite_path
from decomp_desk.services.imports.importing import import_files
from tests.conftest import CLINICIAN
from tests.csv_clinic import PROGRESS_1001, write_clinic, write_csv

EXE = shutil.which("decomp-desk")
pytestmark = pytest.mark.skipif(EXE is None, reason="the decomp-desk script is not installed (pip install -e .)")


def run(url: str | None, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    database = ["--database", url] if url else []
    environment = {**os.environ, "DECOMP_DESK_DEBUG": "", **(env or {})}
    result = subprocess.run([EXE, *database, *args], capture_output=True, text=True, timeout=120, env=environment)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def ok(url: str, *args: str, **kw) -> str:
    result = run(url, *args, **kw)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_import_list_search_and_progress(db_url, tmp_path):
    out = ok(db_url, "import", *map(str, write_clinic(tmp_path)))
    assert "sessions.csv (sessions): 7 added, 0 already on file, 3 courses opened" in out
    listed = json.loads(ok(db_url, "patients", "--json"))
    assert [p["chart_number"] for p in listed] == ["1003", "1001", "1002", "1004"]  # by last name
    assert listed[1] | {"date_of_birth": None} == {
        "chart_number": "1001", "first_name": "Ann", "last_name": "Lee", "date_of_birth": None, "phone": "555-0101",
        "clearance": "cleared", "clearance_reasons": [], "sessions_completed": 4, "sessions_planned": 30,
        "last_session": "2026-03-12", "archived": False}
    assert listed[0]["clearance_reasons"] == ["pregnancy"]
    assert [p["chart_number"] for p in json.loads(ok(db_url, "patients", "--search", "LEE", "--json"))] == ["1001"]
    assert "Lee, Ann" in ok(db_url, "patients", "--search", "ann")

    figures = json.loads(ok(db_url, "progress", "1001", "--json"))
    assert list(figures) == list(PROGRESS_1001) and figures == PROGRESS_1001
    table = ok(db_url, "progress", "1001")
    assert "Lumbar course, 4 of 30 sessions" in table and "Meaningful pain improvement: yes" in table


def test_a_refused_import_changes_nothing_and_a_second_import_adds_nothing(services, db_url, tmp_path):
    import_files(services.ctx, write_clinic(tmp_path))  # the first import, through the command, is tested above
    before = ok(db_url, "patients", "--json")
    bad = tmp_path / "bad"
    bad.mkdir()
    people = write_csv(bad, "patients.csv", "patients", "2001,Eve,Stone,1980-02-30,F,,,\n2002,Fay,Hart,,,,,\n")
    visits = write_csv(bad, "sessions.csv", "sessions", "2002,2026-03-03,09:00,35,face_down,60,,5,4,no,,\n"
                                                        "1001,2026-03-01,09:00,35,face_down,60,5,5,4,no,,\n")
    refused = run(db_url, "import", str(people), str(visits))
    assert refused.returncode != 0 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "Nothing was imported: 3 bad rows.",
        "patients.csv line 2: date_of_birth: '1980-02-30' is not a date like 2026-03-02",
        "sessions.csv line 2: pain: is required",
        "sessions.csv line 3: date: the patient is not cleared for decompression on 2026-03-01: no screening on file",
    ]
    assert ok(db_url, "patients", "--json") == before

    again = ok(db_url, "import", *map(str, write_clinic(tmp_path)))
    assert "patients.csv (patients): 0 added, 4 already on file" in again
    assert ok(db_url, "patients", "--json") == before


def test_the_demo_clinic_then_its_progress(db_url):
    assert "Loaded the demo clinic Riverside Spine & Decompression: 40 patients" in ok(db_url, "demo")
    listed = json.loads(ok(db_url, "patients", "--json"))
    done = next(p for p in listed if p["sessions_completed"] == 30)
    figures = json.loads(ok(db_url, "progress", done["chart_number"], "--json"))
    assert figures["sessions_completed"] == figures["sessions_planned"] == 30
    assert figures["first_session"] < figures["latest_session"] == done["last_session"]
    again = run(db_url, "demo")
    assert again.returncode == 1 and "only into an empty database" in again.stderr


def test_refusals_are_sentences_with_a_non_zero_status(sqlite_url, tmp_path):
    for args, says in (
        (("progress", "9999"), "There is no patient with chart number 9999."),
        (("import", str(tmp_path / "missing.csv")), "missing.csv: there is no file"),
        (("restore", str(tmp_path / "missing.backup")), "cannot be read"),
    ):
        result = run(sqlite_url, *args)
        assert result.returncode == 1 and says in result.stderr, result.stderr
    wrong = run("nonsense://nowhere", "patients")
    assert wrong.returncode == 1 and "database address" in wrong.stderr


def test_backup_restore_and_check_on_the_embedded_file(sqlite_url, tmp_path):
    services = open_services(sqlite_url, CLINICIAN)  # the set-up needs no command line
    import_files(services.ctx, write_clinic(tmp_path))
    secret = tmp_path / "passphrase.txt"
    secret.write_text("correct horse battery staple\n")
    assert "encrypted" in ok(sqlite_url, "backup", str(tmp_path / "b.backup"), "--passphrase-file", str(secret))
    import_files(services.ctx, [write_csv(tmp_path, "more.csv", "patients", "2001,Eve,Stone,,,,,\n")])
    services.dispose()
    refused = run(sqlite_url, "restore", str(tmp_path / "b.backup"))
    assert refused.returncode == 1 and "is encrypted" in refused.stderr
    restored = ok(sqlite_url, "restore", str(tmp_path / "b.backup"),
                  env={"DECOMP_DESK_BACKUP_PASSPHRASE": "correct horse battery staple"})
    assert "kept at" in restored
    assert len(json.loads(ok(sqlite_url, "patients", "--json"))) == 4
    assert "OK" in ok(sqlite_url, "check")

    path = sqlite_path(sqlite_url)
    damaged = bytearray(path.read_bytes())
    damaged[4096:4096 * 3] = b"\xa5" * 8192
    path.write_bytes(bytes(damaged))
    result = run(sqlite_url, "check")
    assert result.returncode == 1 and "damaged" in result.stderr and "NOT OK" in result.stdout


def test_commands_never_load_qt():
    code = "import sys, decomp_desk.cli; assert not [m for m in sys.modules if m.startswith('PySide6')]"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_version():
    assert run(None, "--version").stdout.strip().startswith("decomp-desk ")
