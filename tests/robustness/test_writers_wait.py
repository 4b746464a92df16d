"""Writers wait their turn (issue 11, point 7), with two processes on the embedded SQLite file: while another
process holds a long write transaction (an import), the desk's plain reads answer at once, opening a
patient (a read that records a 'view') waits and then works, and a save waits and then works, instead of
failing at once as 'busy' or as a lost race. SQLite write transactions begin with BEGIN IMMEDIATE, so the
busy timeout applies to them; reads stay plain BEGIN."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from decomp_desk.bootstrap import open_services
from decomp_desk.domain.validation import PatientInput
from tests.conftest import CLINICIAN
from tests.factories import cleared_patient_with_course, session

HOLD_SECONDS = 2.5

# Another process: an import's unit of work that has written and goes on for a while before it commits.
IMPORTER = textwrap.dedent("""
    import sys, time
    from decomp_desk.bootstrap import open_services
    from decomp_desk.domain.types import Role
    from decomp_desk.domain.validation import PatientInput
    from decomp_desk.services.context import Actor

    sv = open_services(sys.argv[1], Actor("importer", "", frozenset(Role)))
    with sv.ctx.unit_of_work() as s:
        from decomp_desk.db import models as m
        row = m.Patient(chart_number="9001", first_name="Imported", last_name="Row")
        sv.ctx.stamp(row, new=True)
        s.add(row)
        s.flush()
        sv.ctx.audit(s, "import", "patients", None, "", "1 patient")
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    print("committed", flush=True)
    sv.dispose()
""")


def test_the_desk_waits_for_another_process_import(sqlite_url, tmp_path):
    services = open_services(sqlite_url, CLINICIAN)
    try:
        p, course = cleared_patient_with_course(services)
        services.sessions.record(course.id, session())
        importer = subprocess.Popen([sys.executable, "-c", IMPORTER, sqlite_url, str(HOLD_SECONDS)],
                                    stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2],
                                    env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
        try:
            assert importer.stdout.readline().strip() == "holding"
            held_since = time.monotonic()

            # A plain read does not wait for the writer (WAL: it reads the last committed state).
            assert len(services.sessions.for_course(course.id)) == 1
            assert time.monotonic() - held_since < HOLD_SECONDS / 2

            # Opening a patient records a view: it waits its turn, then opens.
            opened = services.patients.get(p.id)
            assert opened.chart_number == "1001"
            assert time.monotonic() - held_since >= HOLD_SECONDS * 0.8  # it did wait for the import

            assert importer.stdout.readline().strip() == "committed"
        finally:
            importer.wait(timeout=60)
        assert importer.returncode == 0

        # And a save made while another process writes waits and then saves (again, with the import held).
        importer = subprocess.Popen([sys.executable, "-c", IMPORTER.replace("9001", "9002"), sqlite_url,
                                     str(HOLD_SECONDS)], stdout=subprocess.PIPE, text=True,
                                    env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
        try:
            assert importer.stdout.readline().strip() == "holding"
            saved = services.patients.update(p.id, PatientInput("1001", opened.first_name, opened.last_name,
                                                                phone="555-0100"), expected_version=opened.version)
            assert saved.phone == "555-0100"
        finally:
            importer.wait(timeout=60)
        assert importer.returncode == 0
        charts = {r.chart_number for r in services.patients.list()}
        assert {"1001", "9001", "9002"} <= charts
        from decomp_desk.services.backups import database_check

        report = database_check.check(sqlite_url)
        assert report.ok, report.problems  # both processes' events in one chain
    finally:
        services.dispose()


def test_writes_begin_immediately_and_reads_plainly(sqlite_url):
    """What the statements say: a unit of work takes the write lock at its start; a read does not, and
    refuses to write (an audited read belongs in a unit of work)."""
    import pytest
    from sqlalchemy import event

    services = open_services(sqlite_url, CLINICIAN)
    engine = services.ctx.Session.kw["bind"]
    begins: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: begins.append(statement) if statement.startswith("BEGIN") else None)
    try:
        cleared_patient_with_course(services)
        assert set(begins) == {"BEGIN IMMEDIATE"}
        begins.clear()
        services.patients.list()
        services.settings.get()
        assert begins == ["BEGIN", "BEGIN"]
        with pytest.raises(RuntimeError, match="read transaction tried to write"):
            with services.ctx.read() as s:
                services.ctx.audit(s, "view", "patient", 1, "1001")
    finally:
        services.dispose()
