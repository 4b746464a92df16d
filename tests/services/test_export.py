"""`export DIR` (both databases): every kind as the import files, guarded cells, a README, private modes,
refusals before anything is written, and never a folder that looks complete but is not."""
from __future__ import annotations

import csv
import itertools
import os
import re
import stat
from datetime import date, time
from decimal import Decimal

import pytest

from decomp_desk.domain.errors import PermissionDenied
from decomp_desk.domain.types import AdverseEvent, PaymentMethod, Role
from decomp_desk.services.context import Actor
from decomp_desk.services.export_kinds import KINDS
from decomp_desk.services.exporting import ExportRefusedError, export_clinic
from tests.factories import DAY0, cleared_patient_with_course, patient, session


@pytest.fixture
def place(tmp_path):
    """A folder of its own for the exports (the SQLite database lives in tmp_path)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def read(folder, name):
    with open(folder / name, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def record_payment(services, patient_id, amount, on=DAY0, method=PaymentMethod.CARD):
    from decomp_desk.domain.billing import PaymentInput

    return services.billing.record_payment(patient_id, PaymentInput(on, Decimal(amount), method))


@pytest.fixture
def small_clinic(services):
    p, course = cleared_patient_with_course(services, "1001", phone="+1 217 555 0101", email="ann@example.com")
    services.sessions.record(course.id, session(DAY0, time(9, 0), 7, 5, 3, max_force_lb=Decimal("60.5")))
    services.sessions.record(course.id, session(date(2026, 3, 4), time(14, 30), 5, 4, 2, stop_button=True,
                                                stop_minute=12, duration=12, notes="-worse after lifting",
                                                adverse_events=frozenset({AdverseEvent.SORENESS,
                                                                          AdverseEvent.MUSCLE_SPASM})))
    patient(services, "1002", "=HYPERLINK(1)", "@Ray")
    return p, course


def test_every_kind_is_written_as_the_import_files_with_guarded_cells(services, small_clinic, place):
    target = place / "out"
    report = export_clinic(services.ctx, target)
    assert sorted(os.listdir(target)) == sorted([k.file for k in KINDS] + ["README.txt"])
    for kind in KINDS:
        assert tuple(read(target, kind.file)[0]) == kind.columns
    patients = read(target, "patients.csv")[1:]
    assert patients == [["1001", "Ann", "Lee", "", "", "'+1 217 555 0101", "ann@example.com", ""],
                        ["1002", "'=HYPERLINK(1)", "'@Ray", "", "", "", "", ""]]
    sessions = read(target, "sessions.csv")[1:]
    assert sessions == [
        ["1001", "2026-03-02", "09:00", "35", "face_down", "60.5", "7", "5", "3", "no", "", "", "lumbar"],
        ["1001", "2026-03-04", "14:30", "12", "face_down", "", "5", "4", "2", "yes", "muscle_spasm;soreness",
         "'-worse after lifting", "lumbar"]]
    assert read(target, "screenings.csv")[1:] == [
        ["1001", "2026-03-02", "2026-03-02", "no", "no", "no", "no", "no", "no", "lumbar", ""]]
    header, *courses = read(target, "courses.csv")
    assert [dict(zip(header, row, strict=True)) for row in courses] == [{
        "chart_number": "1001", "region": "lumbar", "start_date": "2026-03-02", "planned_sessions": "30",
        "fee_per_session": "85.00", "status": "active", "end_date": "", "plan": "", "discount_percent": "",
        "discount_amount": ""}]
    assert (report.rows("patients.csv"), report.rows("sessions.csv"), report.rows("payments.csv")) == (2, 2, 0)


def test_the_folder_and_files_are_for_their_owner_only_and_the_readme_names_them(services, small_clinic, place):
    target = place / "out"
    export_clinic(services.ctx, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    for f in target.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name
    readme = (target / "README.txt").read_text(encoding="utf-8")
    from decomp_desk import __version__

    assert f"DecompDesk {__version__}" in readme
    assert f"Exported on {services.ctx.now().astimezone():%Y-%m-%d}" in readme
    for kind in KINDS:
        assert kind.file in readme
    assert re.search(r"sessions\.csv +2 rows", readme)
    assert [p.name for p in place.iterdir()] == ["out"]  # no temporary folder left beside it


def test_voided_payments_are_left_out_and_equal_payments_of_one_day_are_one(services, place):
    p = patient(services, "1001")
    for amount in ("50.00", "50.00", "20.00"):
        record_payment(services, p.id, amount)
    record_payment(services, p.id, "50.00", method=PaymentMethod.CASH)
    record_payment(services, p.id, "30.00", on=date(2026, 3, 3))
    voided = record_payment(services, p.id, "999.00", on=date(2026, 3, 5))
    services.billing.void_payment(voided.id, "typed the wrong amount")
    export_clinic(services.ctx, place / "out")
    assert read(place / "out", "payments.csv")[1:] == [
        ["1001", "2026-03-02", "120.00", "card"], ["1001", "2026-03-02", "50.00", "cash"],
        ["1001", "2026-03-03", "30.00", "card"]]


def test_a_folder_that_is_not_empty_is_refused_before_anything_is_written(services, small_clinic, place):
    target = place / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(ExportRefusedError, match="is not empty"):
        export_clinic(services.ctx, target)
    assert os.listdir(target) == ["notes.txt"] and sorted(os.listdir(place)) == ["out"]
    with pytest.raises(ExportRefusedError, match="is a file"):
        export_clinic(services.ctx, target / "notes.txt")
    with pytest.raises(ExportRefusedError, match="does not exist"):
        export_clinic(services.ctx, place / "missing" / "out")
    assert not (place / "missing").exists()


def test_an_empty_folder_is_taken(services, small_clinic, place):
    target = place / "out"
    target.mkdir()
    export_clinic(services.ctx, target)
    assert "patients.csv" in os.listdir(target)


def test_a_place_that_cannot_be_written_is_refused_with_a_sentence(services, small_clinic):
    with pytest.raises(ExportRefusedError, match="cannot be written"):
        export_clinic(services.ctx, "/proc/decomp-desk-export")  # not writable, even for root


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes in any folder")
def test_a_read_only_folder_is_refused(services, small_clinic, place):
    parent = place / "locked"
    parent.mkdir(mode=0o500)
    with pytest.raises(ExportRefusedError, match="cannot be written to"):
        export_clinic(services.ctx, parent / "out")


def test_a_failure_half_way_leaves_no_folder_that_looks_complete(services, small_clinic, place):
    def fail(done, total):
        if done >= 3:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        export_clinic(services.ctx, place / "out", progress=fail)
    assert os.listdir(place) == []
    assert not any(e.action == "export" for e in services.audit.events())


def test_progress_counts_every_row_and_the_export_is_audited(services, small_clinic, place):
    seen = []
    report = export_clinic(services.ctx, place / "out", progress=lambda done, total: seen.append((done, total)))
    total = sum(f.rows for f in report.files)
    assert seen[-1] == (total, total) and all(a <= b for (a, _), (b, _) in itertools.pairwise(seen))
    event = next(e for e in services.audit.events() if e.action == "export")
    assert event.entity == "clinic" and "2 patients.csv" in event.detail and str(place / "out") in event.detail


def test_only_an_administrator_exports_the_clinic(services, small_clinic, place):
    services.ctx.actor = Actor("fd", "Front Desk", frozenset({Role.FRONT_DESK, Role.CLINICIAN}))
    with pytest.raises(PermissionDenied):
        export_clinic(services.ctx, place / "out")
    assert not (place / "out").exists()


def test_the_export_reads_one_snapshot_and_keeps_no_writer_waiting(services, small_clinic, db_url, place):
    """Another workstation saves while the export runs: the save goes through at once, and the export
    is the clinic of the moment it began (the new patient is not in it, in any file)."""
    import time as clock

    from decomp_desk.bootstrap import open_services
    from tests.conftest import CLINICIAN

    other = open_services(db_url, CLINICIAN)
    waited = []

    def meanwhile(done, total):
        if not waited:
            began = clock.monotonic()
            patient(other, "1003", "Cleo", "Diaz")
            record_payment(other, small_clinic[0].id, "40.00")  # payments.csv is the last file written
            waited.append(clock.monotonic() - began)

    try:
        export_clinic(services.ctx, place / "out", progress=meanwhile)
    finally:
        other.dispose()
    assert waited and waited[0] < 2.0
    assert [row[0] for row in read(place / "out", "patients.csv")[1:]] == ["1001", "1002"]
    assert read(place / "out", "payments.csv")[1:] == []
    assert "1003" in {p.chart_number for p in services.patients.list()}
