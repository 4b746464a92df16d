"""Two workstations edit the same record at once: the second save is refused with a message naming who
changed it, and nothing is overwritten (both databases).

Two ways a save can be stale:
  * the desk's way: the form was filled from version N and saved with expected_version=N after someone
    else saved N+1 (services' check_version);
  * a race inside one unit of work: two transactions read the same row and both write (SQLAlchemy's
    version_id_col makes the loser's UPDATE match no row -> StaleDataError; on SQLite the loser's write
    is refused as SQLITE_BUSY_SNAPSHOT). Both become Conflict.
    On SQLite a writing transaction begins with BEGIN IMMEDIATE, so the second writer cannot even start
    while the first holds its transaction: it waits its turn, and is told the database is busy if the
    wait is too long. There the race below cannot be lost; the tests check that instead.
"""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event, select

from decomp_desk.bootstrap import open_services
from decomp_desk.db import models as m
from decomp_desk.db.engine import is_sqlite
from decomp_desk.domain.errors import Conflict
from decomp_desk.domain.types import Role
from decomp_desk.domain.validation import PatientInput
from decomp_desk.services.context import Actor, DatabaseUnavailable
from tests.factories import cleared_patient_with_course, session

ANN = Actor("ann", "Ann at the front desk", frozenset({Role.FRONT_DESK, Role.CLINICIAN}))
BOB = Actor("bob", "Dr. Bob in room 2", frozenset({Role.CLINICIAN, Role.FRONT_DESK}))


@pytest.fixture
def workstations(services, db_url):
    """The same database opened twice, as two workstations would."""
    desk1, desk2 = open_services(db_url, ANN), open_services(db_url, BOB)
    yield desk1, desk2
    desk1.dispose()
    desk2.dispose()


def _edit(p, **changes) -> PatientInput:
    fields = dict(chart_number=p.chart_number, first_name=p.first_name, last_name=p.last_name, phone=p.phone)
    return PatientInput(**{**fields, **changes})


def _a_patient(services):
    """(load, save, the first desk's change, the second desk's change, the refusal) for a patient."""
    p, _ = cleared_patient_with_course(services)
    return (lambda desk: desk.patients.get(p.id),
            lambda desk, seen, **change: desk.patients.update(p.id, _edit(seen, **change),
                                                              expected_version=seen.version),
            {"phone": "555-0100"}, {"last_name": "Smith"}, "Patient 1001 was changed by ann")


def _a_session(services):
    _, course = cleared_patient_with_course(services)
    saved = services.sessions.record(course.id, session()).session
    return (lambda desk: desk.sessions.for_course(course.id)[0],
            lambda desk, seen, **change: desk.sessions.update(saved.id, replace(seen.as_input(), **change),
                                                              expected_version=seen.version),
            {"notes": "tolerated well"}, {"duration_min": 40}, "The session was changed by ann")


@pytest.mark.parametrize("record", [_a_patient, _a_session], ids=["patient", "session"])
def test_the_second_save_is_refused_naming_who_saved_first(services, workstations, record):
    load, save, first, second, refusal = record(services)
    desk1, desk2 = workstations
    seen1, seen2 = load(desk1), load(desk2)  # both forms filled from the same version
    assert seen1.version == seen2.version
    save(desk1, seen1, **first)
    with pytest.raises(Conflict, match=refusal) as err:
        save(desk2, seen2, **second)
    assert "nothing was overwritten" in str(err.value)
    now = load(services)
    assert now.version == seen1.version + 1
    assert all(getattr(now, k) == v for k, v in first.items())
    assert all(getattr(now, k) != v for k, v in second.items())


def _short_wait(desk) -> None:
    """This workstation waits 0.2 s for SQLite's write lock instead of 10 (the busy timeout)."""
    engine = desk.ctx.Session.kw["bind"]
    if not is_sqlite(desk.url):
        return
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA busy_timeout=200"))
    engine.dispose()


def _race(loser, model, row_id, change, winner_saves) -> Conflict | None:
    """`loser` reads the row in its transaction; `winner_saves` commits a change to it; then `loser`
    writes its own change without any expected version: only the version column can catch it.
    SQLite: the loser's transaction holds the write lock from its start, so the 'winner' waits and is told
    the database is busy; the loser's change is saved (None is returned)."""
    if is_sqlite(loser.url):
        with loser.ctx.unit_of_work() as s:
            row = s.get(model, row_id)
            with pytest.raises(DatabaseUnavailable, match="busy"):
                winner_saves()
            change(row)
            loser.ctx.stamp(row)
        return None
    with pytest.raises(Conflict) as err:
        with loser.ctx.unit_of_work() as s:
            row = s.get(model, row_id)
            assert row is not None
            winner_saves()
            change(row)
            loser.ctx.stamp(row)
            s.flush()
    return err.value


def test_two_transactions_racing_on_a_patient(services, workstations):
    p, _ = cleared_patient_with_course(services)
    desk1, desk2 = workstations
    _short_wait(desk1)
    before = services.patients.get(p.id)
    error = _race(desk2, m.Patient, p.id, lambda row: setattr(row, "last_name", "Overwritten"),
                  lambda: desk1.patients.update(p.id, _edit(before, phone="555-0199")))
    now = services.patients.get(p.id)
    if error is None:  # SQLite: desk1 waited its turn and was told; desk2's change alone was saved
        assert (now.last_name, now.phone, now.updated_by, now.version) == ("Overwritten", "", "bob", before.version + 1)
        return
    assert "changed by ann" in str(error) and "nothing was overwritten" in str(error)
    assert (now.last_name, now.phone, now.updated_by, now.version) == ("Lee", "555-0199", "ann", before.version + 1)


def test_two_transactions_racing_on_a_session(services, workstations):
    _, course = cleared_patient_with_course(services)
    saved = services.sessions.record(course.id, session()).session
    desk1, desk2 = workstations
    _short_wait(desk1)
    error = _race(desk2, m.TreatmentSession, saved.id, lambda row: setattr(row, "duration_min", 44),
                  lambda: desk1.sessions.update(saved.id, replace(saved.as_input(), notes="winner")))
    [now] = services.sessions.for_course(course.id)
    if error is None:
        assert (now.duration_min, now.notes, now.version) == (44, "", saved.version + 1)
        return
    assert "changed by ann" in str(error)
    assert (now.duration_min, now.notes, now.version) == (35, "winner", saved.version + 1)


def test_two_desks_registering_the_same_chart_number_at_once(services, workstations):
    """Both checked that 1001 was free; the second insert is refused as a Conflict, not a driver error."""
    desk1, desk2 = workstations
    if is_sqlite(desk1.url):  # desk2 holds the write lock: desk1 waits its turn, then is told
        _short_wait(desk1)
        with desk2.ctx.unit_of_work() as s:
            assert s.scalar(select(m.Patient.id).where(m.Patient.chart_number == "1001")) is None
            with pytest.raises(DatabaseUnavailable, match="busy"):
                desk1.patients.create(PatientInput("1001", "Ann", "Lee"))
            row = m.Patient(chart_number="1001", first_name="Bea", last_name="Other")
            desk2.ctx.stamp(row, new=True)
            s.add(row)
        assert [(p.chart_number, p.first_name) for p in services.patients.list()] == [("1001", "Bea")]
        return
    with pytest.raises(Conflict, match="at the same moment") as err:
        with desk2.ctx.unit_of_work() as s:
            assert s.scalar(select(m.Patient.id).where(m.Patient.chart_number == "1001")) is None
            desk1.patients.create(PatientInput("1001", "Ann", "Lee"))
            row = m.Patient(chart_number="1001", first_name="Bea", last_name="Other")
            desk2.ctx.stamp(row, new=True)
            s.add(row)
            s.flush()
    assert "nothing was" in str(err.value)
    assert [(p.chart_number, p.first_name) for p in services.patients.list()] == [("1001", "Ann")]
