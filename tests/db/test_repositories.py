"""db/repositories.py is the one place rows are loaded: a missing record is a NotFound with the sentence a
person sees (the services pass it on unchanged), and a save from a stale copy is a Conflict naming who
saved since."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from decomp_desk.db import repositories as repo
from decomp_desk.db.engine import make_engine
from decomp_desk.domain.errors import Conflict, NotFound
from decomp_desk.domain.validation import PatientInput
from tests.factories import cleared_patient_with_course


@pytest.fixture
def session(db_url):
    engine = make_engine(db_url)
    with Session(engine) as s:
        yield s
    engine.dispose()


@pytest.mark.parametrize("load, key, sentence", [
    (repo.load_patient, 999, "There is no patient with id 999."),
    (repo.load_by_chart, "X-1", "There is no patient with chart number X-1."),
    (repo.load_course, 7, "There is no treatment course with id 7."),
    (repo.load_session, 8, "There is no session with id 8."),
    (repo.load_appointment, 9, "There is no appointment with id 9."),
    (repo.load_payment, 10, "There is no payment with id 10."),
    (repo.load_outcome_form, 11, "There is no outcome form with id 11."),
    (repo.load_account, "Nobody", "There is no account 'Nobody'."),
])
def test_a_missing_record_is_not_found_in_a_plain_sentence(session, load, key, sentence):
    with pytest.raises(NotFound) as e:
        load(session, key)
    assert str(e.value) == sentence


def test_rows_load_by_id_and_chart_and_the_current_course_is_the_active_one(services, db_url):
    patient, course = cleared_patient_with_course(services, chart="2001")
    engine = make_engine(db_url)
    try:
        with Session(engine) as s:
            assert repo.load_by_chart(s, " 2001 ").id == patient.id
            assert repo.load_patient(s, patient.id).chart_number == "2001"
            assert repo.current_course(s, patient.id).id == course.id
            assert repo.course_rows(s, course.id) == [] and repo.session_count(s, course.id) == 0
            assert repo.settings_row(s).id == 1
    finally:
        engine.dispose()


def test_a_save_from_a_stale_copy_names_who_saved_since(services, db_url):
    p = services.patients.create(PatientInput("3001", "Ann", "Lee"))
    services.patients.update(p.id, PatientInput("3001", "Ann", "Leigh"), expected_version=p.version)
    engine = make_engine(db_url)
    try:
        with Session(engine) as s:
            row = repo.load_patient(s, p.id)
            repo.check_version(row, row.version, "Patient 3001")  # the current copy passes
            with pytest.raises(Conflict, match=r"^Patient 3001 was changed by .+ after you opened it; "
                                               "nothing was overwritten"):
                repo.check_version(row, p.version, "Patient 3001")
    finally:
        engine.dispose()
