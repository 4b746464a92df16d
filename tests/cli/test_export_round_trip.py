"""The round trip (both databases): the demo clinic exported with `decomp-desk export DIR`, imported with
`decomp-desk import` into a new, empty database, gives back every figure the command line prints, and
exporting the copy gives the same files again."""
from __future__ import annotations

import json
import os

import pytest

from decomp_desk.cli import main
from tests.conftest import fresh_database


def cli(capsys, url: str, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["--database", url, *args])
    out, err = capsys.readouterr()
    return status, out, err


def ok(capsys, url: str, *args: str) -> str:
    status, out, err = cli(capsys, url, *args)
    assert status == 0, err
    return out


def figures(capsys, url: str, days: list[str]) -> dict:
    """Everything the command line reports of the clinic, per patient, per day of the book and as a whole."""
    people = json.loads(ok(capsys, url, "patients", "--all", "--json"))
    result = {"patients": people, "balances": json.loads(ok(capsys, url, "balances", "--json"))}
    for command in ("progress", "outcomes"):  # per patient: the figures, or the sentence saying why none
        result[command] = {}
        for p in people:
            status, out, err = cli(capsys, url, command, p["chart_number"], "--json")
            result[command][p["chart_number"]] = json.loads(out) if status == 0 else err
    result["book"] = {day: json.loads(ok(capsys, url, "day", day, "--json")) for day in days}
    return result


@pytest.fixture
def copy_url(db_url, tmp_path, sqlite_template, pg_template):
    """A second, empty database of the same kind as db_url."""
    folder = tmp_path / "copy"
    folder.mkdir()
    kind = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    with fresh_database(kind, folder, sqlite_template, pg_template) as url:
        yield url


def test_the_demo_clinic_exported_and_imported_gives_back_every_figure(capsys, db_url, copy_url, tmp_path):
    ok(capsys, db_url, "demo")
    ok(capsys, db_url, "export", str(tmp_path / "out"))
    files = sorted(str(tmp_path / "out" / name) for name in os.listdir(tmp_path / "out") if name.endswith(".csv"))
    ok(capsys, copy_url, "import", *files)

    with open(tmp_path / "out" / "appointments.csv", encoding="utf-8") as f:
        days = sorted({row.split(",")[1] for row in f.read().splitlines()[1:]})
    before, after = figures(capsys, db_url, days), figures(capsys, copy_url, days)
    assert len(days) >= 3 and sum(len(d["appointments"]) for d in before["book"].values()) > 20
    assert len(before["patients"]) == 40 and len(before["balances"]) > 5
    assert sum(isinstance(v, dict) for v in before["progress"].values()) > 25  # patients with a course
    assert sum(len(v["instruments"]) for v in before["outcomes"].values() if isinstance(v, dict)) > 20
    assert after == before

    ok(capsys, copy_url, "export", str(tmp_path / "again"))
    for name in os.listdir(tmp_path / "out"):
        if name.endswith(".csv"):
            assert (tmp_path / "again" / name).read_text() == (tmp_path / "out" / name).read_text(), name


def test_the_command_refuses_a_folder_that_is_not_empty_in_a_sentence(capsys, db_url, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.csv").write_text("x")
    status, out, err = cli(capsys, db_url, "export", str(tmp_path / "out"))
    assert status == 1 and "is not empty" in err and "Traceback" not in err
    assert os.listdir(tmp_path / "out") == ["old.csv"]


def test_the_fhir_export_of_an_unknown_chart_is_a_sentence(capsys, db_url, tmp_path):
    status, out, err = cli(capsys, db_url, "export", "9999", "--fhir", str(tmp_path / "x.json"))
    assert status == 1 and "9999" in err and not (tmp_path / "x.json").exists()


def test_cells_that_look_like_formulas_come_back_as_they_were(capsys, db_url, copy_url, tmp_path):
    from datetime import date, time

    from decomp_desk.bootstrap import open_services
    from tests.conftest import CLINICIAN
    from tests.factories import cleared_patient_with_course, patient, session

    services = open_services(db_url, CLINICIAN)
    try:
        _, course = cleared_patient_with_course(services, "1001", first="=SUM(A1)", last="+Lee",
                                                phone="+1 217 555 0101", email="ann@example.com")
        services.sessions.record(course.id, session(date(2026, 3, 2), time(9, 0), notes="-2 since Monday"))
        patient(services, "1002", "@Bob", "-Ray")
    finally:
        services.dispose()
    ok(capsys, db_url, "export", str(tmp_path / "out"))
    assert "'=SUM(A1)" in (tmp_path / "out" / "patients.csv").read_text(encoding="utf-8")
    ok(capsys, copy_url, "import", *sorted(str(p) for p in (tmp_path / "out").glob("*.csv")))
    assert figures(capsys, copy_url, []) == figures(capsys, db_url, [])
    people = {p["chart_number"]: (p["first_name"], p["last_name"]) for p in
              json.loads(ok(capsys, copy_url, "patients", "--json"))}
    assert people == {"1001": ("=SUM(A1)", "+Lee"), "1002": ("@Bob", "-Ray")}
    ok(capsys, copy_url, "export", str(tmp_path / "again"))
    for name in ("patients.csv", "sessions.csv"):
        assert (tmp_path / "again" / name).read_text() == (tmp_path / "out" / name).read_text()
