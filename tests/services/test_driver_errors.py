"""services/driver_errors.py reads what a driver error means from the driver's own facts (SQLite's
extended result code, PostgreSQL's SQLSTATE and constraint name), on both databases with the real
drivers: a write that breaks a unique constraint is a Conflict naming that constraint, any other broken
rule stays the program's error, and a database that cannot be used says why."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from decomp_desk.db import models as m
from decomp_desk.db.engine import is_sqlite, make_engine
from decomp_desk.domain.errors import Conflict, ValidationError
from decomp_desk.domain.types import Region
from decomp_desk.services import driver_errors as de
from decomp_desk.services.context import DatabaseUnavailable, database_errors
from tests.factories import cleared_patient_with_course, session


def _patient(services, chart: str) -> m.Patient:
    row = m.Patient(chart_number=chart, first_name="Ann", last_name="Lee")
    services.ctx.stamp(row, new=True)
    return row


def _raw_error(services, rows) -> sa_exc.DBAPIError:
    """The driver's error for writing `rows` in one transaction, as SQLAlchemy raises it."""
    with pytest.raises(sa_exc.DBAPIError) as e, services.ctx.Session() as s, s.begin():
        for row in rows:
            s.add(row)
            s.flush()
    return e.value


def test_a_second_patient_with_a_chart_number_is_a_conflict_naming_the_constraint(services):
    """Both desks checked that the chart number was free; the database's unique constraint refuses the
    second: the same sentence on both databases, named as PostgreSQL names it."""
    with pytest.raises(Conflict) as e, services.ctx.unit_of_work() as s:
        s.add(_patient(services, "1001"))
        s.flush()
        s.add(_patient(services, "1001"))
    assert str(e.value) == ("Someone else saved the same record (uq_patients_chart_number) at the same moment; "
                            "nothing was written. Reopen it and try again.")
    assert services.patients.list() == []  # nothing was written


def test_the_facts_are_the_drivers_codes_not_its_words(services, db_url):
    error = _raw_error(services, [_patient(services, "2001"), _patient(services, "2001")])
    facts = de.facts_of(error)
    if is_sqlite(db_url):  # sqlcipher3 says 19 (SQLITE_CONSTRAINT); db/engine.py adds the extended code
        assert (facts.sqlite_code, facts.sqlstate) == (de.SQLITE_CONSTRAINT_UNIQUE, None)
    else:
        assert (facts.sqlite_code, facts.sqlstate, facts.constraint) == (None, "23505", "uq_patients_chart_number")
    assert de.violated_unique(error) == "uq_patients_chart_number"


def test_a_constraint_of_several_columns_is_named_too(services):
    _, course = cleared_patient_with_course(services)
    saved = services.sessions.record(course.id, session()).session
    with services.ctx.Session() as s:  # a copy of the session's row, at the same course, date and time
        row = s.get(m.TreatmentSession, saved.id)
        columns = {c.key: getattr(row, c.key) for c in m.TreatmentSession.__table__.columns if c.key != "id"}
    error = _raw_error(services, [m.TreatmentSession(**columns)])
    assert de.violated_unique(error) == "uq_treatment_sessions_course_date_time"


def test_a_broken_foreign_key_is_the_programs_error_not_a_conflict(services):
    """Not something a person can fix by trying again: it is raised as it is (a bug to see and fix)."""
    orphan = m.Screening(patient_id=999_999, screened_on=date(2026, 3, 2), region=Region.LUMBAR)
    services.ctx.stamp(orphan, new=True)
    error = _raw_error(services, [orphan])
    assert isinstance(error, sa_exc.IntegrityError) and de.violated_unique(error) is None
    with pytest.raises(sa_exc.IntegrityError), services.ctx.unit_of_work() as s:
        orphan = m.Screening(patient_id=999_999, screened_on=date(2026, 3, 2), region=Region.LUMBAR)
        services.ctx.stamp(orphan, new=True)
        s.add(orphan)


def test_a_read_only_database_says_so(services, db_url):
    """SQLite: a file opened read-only (SQLITE_READONLY); PostgreSQL: a read-only transaction (25006)."""
    if is_sqlite(db_url):
        url = db_url.replace("sqlite:///", "sqlite:///file:") + "?mode=ro&uri=true"
        engine = make_engine(url, readonly=True)
        statement = "UPDATE clinic_settings SET name = 'x'"
    else:
        engine = make_engine(db_url)
        statement = "SET TRANSACTION READ ONLY; UPDATE clinic_settings SET name = 'x'"
    try:
        with pytest.raises(DatabaseUnavailable) as e, database_errors(), engine.begin() as conn:
            for part in statement.split("; "):
                conn.execute(text(part))
    finally:
        engine.dispose()
    assert str(e.value) == de.READ_ONLY


def test_a_lock_held_elsewhere_is_busy_on_postgresql(services, db_url):
    """PostgreSQL's lock timeout (55P03): another workstation holds the row; SQLite's busy database is
    tests/robustness/test_bad_databases.py's."""
    if is_sqlite(db_url):
        pytest.skip("PostgreSQL's SQLSTATE")
    engine = make_engine(db_url)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with engine.begin() as conn:
            conn.execute(text("UPDATE clinic_settings SET name = 'held' WHERE id = 1"))
            holding.set()
            release.wait(10)
    other = threading.Thread(target=hold)
    other.start()
    try:
        holding.wait(10)
        with pytest.raises(DatabaseUnavailable) as e, database_errors(), engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '100ms'"))
            conn.execute(text("UPDATE clinic_settings SET name = 'waiting' WHERE id = 1"))
    finally:
        release.set()
        other.join()
        engine.dispose()
    assert str(e.value) == de.BUSY


def test_a_text_the_column_cannot_hold_names_its_limit_on_postgresql(services, db_url):
    """SQLite stores any length; PostgreSQL refuses (22001), and the limit comes from the column the
    statement's parameter is named after."""
    with pytest.raises(ValidationError) if not is_sqlite(db_url) else _nothing() as e:
        with services.ctx.unit_of_work() as s:
            s.add(_patient(services, "9" * 40))
    if not is_sqlite(db_url):
        assert e.value.errors == {
            "input": "a text is longer than the database allows (at most 32 characters); nothing was saved"}


def test_a_nul_character_is_refused_as_input_on_postgresql(services, db_url):
    with pytest.raises(ValidationError) if not is_sqlite(db_url) else _nothing() as e:
        with services.ctx.unit_of_work() as s:
            row = _patient(services, "3001")
            row.notes = "nul\x00here"
            s.add(row)
    if not is_sqlite(db_url):
        assert e.value.errors == {"input": "a text holds a NUL character, which cannot be stored; nothing was saved"}


class _nothing:  # noqa: N801  (a context manager standing in for pytest.raises where nothing is raised)
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
