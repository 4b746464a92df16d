"""Crash safety: a process killed with SIGKILL in the middle of saving loses nothing it reported saved and
leaves an intact database.

A child process saves through the services in a loop (patients, their screening and course, sessions,
patient edits), printing "SAVED <kind> <id> [<version>]" only after each unit of work has returned. The
parent kills it at random moments, many times over: some kills land while it starts and opens the
database, most while it writes. Then:
  * SQLite's integrity_check is 'ok' and no record refers to a missing one (`decomp-desk check`'s
    database_check.check says ok);
  * every record reported saved is there, every reported edit too (version at least the one reported);
  * nothing is half-written: each record and each edit has its audit event and each audit event its
    record, since the two are written in one transaction;
  * the database still takes new work afterwards.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import time as clock_time
from pathlib import Path

import pytest
from sqlalchemy import text

from decomp_desk.bootstrap import open_services
from decomp_desk.db.engine import make_engine
from decomp_desk.services.backups import database_check
from tests.conftest import CLINICIAN
from tests.factories import session

pytestmark = pytest.mark.slow

KILLS = {"sqlite": 24, "postgresql": 10}
ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    from datetime import date, time, timedelta
    from decomp_desk.bootstrap import open_services
    from decomp_desk.domain.types import Position, Region, Role, Scores
    from decomp_desk.domain.validation import PatientInput, SessionInput
    from decomp_desk.services.context import Actor
    from decomp_desk.domain.course_input import CourseInput
    from decomp_desk.domain.screening_input import ScreeningInput

    url, run = sys.argv[1], int(sys.argv[2])
    DAY0 = date(2026, 3, 2)
    sv = open_services(url, Actor("crash.test", "Crash Test", frozenset(Role)), today=lambda: date(2026, 6, 1))
    print("READY", flush=True)
    k = 0
    while True:
        if k % 40 == 0:  # a new patient, screened, with a course
            p = sv.patients.create(PatientInput(f"R{run}-{k}", "Crash", f"Test {run} {k}"))
            print(f"SAVED patient {p.id} {p.version}", flush=True)
            sv.screenings.record(p.id, ScreeningInput(DAY0, DAY0, False, Region.LUMBAR))
            course = sv.courses.open(p.id, CourseInput(Region.LUMBAR, DAY0))
            print(f"SAVED course {course.id} {course.version}", flush=True)
        elif k % 5 == 0:  # an edit: the version moves on
            p = sv.patients.update(p.id, PatientInput(p.chart_number, "Crash", p.last_name, phone=f"555-{k:04d}"),
                                   expected_version=p.version)
            print(f"SAVED patient {p.id} {p.version}", flush=True)
        else:
            when = DAY0 + timedelta(days=k // 20)
            saved = sv.sessions.record(course.id, SessionInput(
                date=when, start_time=time(8 + k % 20 // 2, 30 * (k % 2)), duration_min=35,
                position=Position.FACE_DOWN, before=Scores(6, 4, 3), notes="x" * (k % 300)))
            print(f"SAVED session {saved.session.id} 1", flush=True)
        k += 1
""")


def run_and_kill(url: str, run: int, rng: random.Random) -> tuple[list[tuple[str, int, int]], str]:
    """Start a writer, SIGKILL it at a random moment; what it reported saved, and where it was killed."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(run)], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    early: list[str] = []  # lines read before the kill
    try:
        if rng.random() < 0.2:  # while it starts: importing, connecting, checking the schema
            time.sleep(rng.uniform(0.0, 0.6))
            moment = "starting"
        else:
            line = child.stdout.readline()
            assert line == "READY\n", line + child.stderr.read()
            # Into the session loop before the random wait, so that a busy machine (a slow start, a slow
            # first course) cannot leave every kill before the first session.
            while not (line := child.stdout.readline()).startswith("SAVED session"):
                assert line, child.stderr.read()
                early.append(line)
            early.append(line)
            time.sleep(rng.uniform(0.01, 0.5))
            moment = "writing"
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
        out = "".join(early) + out
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, f"the writer stopped by itself: {err}"
    assert "Traceback" not in err, err
    saved = []
    for line in out.splitlines(keepends=True):
        if line.startswith("SAVED ") and line.endswith("\n"):
            _, kind, ident, version = line.split()
            saved.append((kind, int(ident), int(version)))
    return saved, moment


def test_killed_writers_lose_nothing_reported_saved(db_url):
    kind = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    rng = random.Random(os.environ.get("CRASH_SEED", "20260302"))
    reported: list[tuple[str, int, int]] = []
    moments = Counter()
    started = time.monotonic()
    for run in range(KILLS[kind]):
        saved, moment = run_and_kill(db_url, run, rng)
        reported += saved
        moments[moment] += 1
    elapsed = time.monotonic() - started

    if kind == "sqlite":
        report = database_check.check(db_url)  # what `decomp-desk check` prints
        assert report.ok, report.problems
        assert "integrity: ok" in report.facts and "foreign keys: ok" in report.facts
    engine = make_engine(db_url)  # the SQLite file is encrypted: through the program's engine
    try:
        with engine.connect() as c:
            if kind == "sqlite":
                assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            rows = {t: dict(c.execute(text(f"SELECT id, version FROM {t}")).all())
                    for t in ("patients", "courses", "treatment_sessions", "screenings")}
            audit = Counter(c.execute(text("SELECT entity, entity_id, action FROM audit_events "
                                           "WHERE actor = 'crash.test'")).all())
    finally:
        engine.dispose()

    table = {"patient": "patients", "course": "courses", "session": "treatment_sessions"}
    for what, ident, version in reported:
        assert ident in rows[table[what]], f"{what} {ident} was reported saved but is gone"
        assert rows[table[what]][ident] >= version, f"{what} {ident}'s edit to version {version} was lost"
    for entity, t in (("patient", "patients"), ("course", "courses"), ("session", "treatment_sessions"),
                      ("screening", "screenings")):
        created = {i for (e, i, a), n in audit.items() if e == entity and a == "create" for _ in range(n)}
        assert created == set(rows[t]), f"{t} and their audit events disagree: a half-written unit of work"
        assert all(n == 1 for (e, _, a), n in audit.items() if e == entity and a == "create")
    for pid, version in rows["patients"].items():  # each edit bumped the version and wrote one event
        assert audit[("patient", pid, "update")] == version - 1

    sv = open_services(db_url, CLINICIAN)  # and it still takes work
    try:
        course_id = max(rows["courses"])
        sv.sessions.record(course_id, session(at=clock_time(19, 45)))
    finally:
        sv.dispose()

    sessions = sum(1 for w, _, _ in reported if w == "session")
    print(f"\n{kind}: {KILLS[kind]} kills ({dict(moments)}) in {elapsed:.1f} s; {len(reported)} saves reported "
          f"and verified ({sessions} sessions); database holds {len(rows['patients'])} patients, "
          f"{len(rows['treatment_sessions'])} sessions")
    assert moments["writing"] >= KILLS[kind] // 2 and sessions > KILLS[kind], "the kills must land mid-work"
