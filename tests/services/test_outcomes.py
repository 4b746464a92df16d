"""Outcome forms on both databases: recorded, edited and deleted (audited, version-checked), read per
course with baseline/latest/change and the missing re-exams, and imported from outcomes.csv all or nothing."""
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from decomp_desk.db import models as m
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.errors import Conflict, PermissionDenied, ValidationError
from decomp_desk.domain.outcomes import Activity, FormInput, Instrument
from decomp_desk.domain.screening_input import ScreeningInput
from decomp_desk.domain.types import CourseStatus, Position, Region, Role, Scores
from decomp_desk.domain.validation import PatientInput, SessionInput
from decomp_desk.services.context import Actor
from decomp_desk.services.imports.importing import ImportRejected, import_files
from tests.csv_clinic import write_clinic
from tests.outcome_clinic import OUTCOMES_1001, write_clinic_with_outcomes, write_outcomes

ODI, NDI, PSFS = Instrument.ODI, Instrument.NDI, Instrument.PSFS
START = date(2026, 3, 2)


def _lumbar_patient(services, sessions: int = 0):
    p = services.patients.create(PatientInput(chart_number="2001", first_name="Ada", last_name="Moss"))
    services.screenings.record(p.id, ScreeningInput(screened_on=START, xray_on=START, xray_abnormal=False,
                                                    region=Region.LUMBAR))
    course = services.courses.open(p.id, CourseInput(region=Region.LUMBAR, start_date=START, planned_sessions=12))
    for i in range(sessions):
        services.sessions.record(course.id, SessionInput(date=START + timedelta(days=i), start_time=time(9),
                                                         duration_min=40, position=Position.FACE_DOWN,
                                                         before=Scores(7, 3, 2)))
    return p, course


def _odi(day: date, answers=(3,) * 10) -> FormInput:
    return FormInput(day, ODI, tuple(answers))


def test_record_edit_delete_audited_and_version_checked(services):
    p, course = _lumbar_patient(services, sessions=10)
    first = services.outcomes.record(p.id, _odi(START, (3, 2, None, 4, 1, 0, 2, 3, 1, None)))
    assert (first.scored.score, first.scored.band, first.scored.answered) == (40, "moderate", 8)
    later = services.outcomes.record(p.id, _odi(START + timedelta(days=9), (1,) * 10))
    o = services.outcomes.for_course(course.id)
    assert [f.scored.score for f in o.forms] == [40, 20]
    assert o.summary().change == -20 and o.summary().meaningful is True
    assert o.missing == ()

    edited = services.outcomes.update(later.id, _odi(later.date, (3,) * 9 + (None,)), later.version)
    assert edited.scored.score == 60 and edited.version == later.version + 1
    with pytest.raises(Conflict):
        services.outcomes.update(later.id, _odi(later.date), later.version)  # a stale copy
    with pytest.raises(Conflict):
        services.outcomes.delete(later.id, later.version)
    services.outcomes.delete(later.id, edited.version)
    o = services.outcomes.for_course(course.id)
    assert [f.id for f in o.forms] == [first.id] and o.missing == (10,)
    actions = [(e.action, e.entity) for e in services.audit.events(chart_number="2001")]
    assert ("create", "outcome_form") in actions and ("update", "outcome_form") in actions
    assert ("delete", "outcome_form") in actions


def test_incomplete_form_is_kept_but_never_scored_and_due_sessions_are_missing(services):
    p, course = _lumbar_patient(services, sessions=12)
    services.outcomes.record(p.id, _odi(START, (5,) * 7 + (None,) * 3))
    o = services.outcomes.for_course(course.id)
    assert o.forms[0].scored.score is None and o.summary().baseline is None
    assert o.missing == (10, 12)  # session 1 has a form (incomplete); 10 and the last planned have none
    assert services.outcomes.form_due(course.id, 10) is ODI
    assert services.outcomes.form_due(course.id, 1) is None and services.outcomes.form_due(course.id, 5) is None
    assert services.outcomes.missing_by_patient() == {p.id: (10, 12)}


def test_the_lists_missing_forms_are_each_active_courses_own(services):
    """The list's column (numbered in the database, read in batches) says what each course's page says:
    sessions recorded out of order are numbered by their day, a course past its plan is due every 10th
    session, two sessions on one day at two times count as two, and a course no longer active is left out."""
    def patient(chart, planned, days, region=Region.LUMBAR):
        p = services.patients.create(PatientInput(chart_number=chart, first_name="A", last_name=chart))
        services.screenings.record(p.id, ScreeningInput(screened_on=START, xray_on=START, xray_abnormal=False,
                                                        region=region))
        course = services.courses.open(p.id, CourseInput(region=region, start_date=START,
                                                         planned_sessions=planned))
        for day, hour in days:
            services.sessions.record(course.id, SessionInput(date=START + timedelta(days=day), start_time=time(hour),
                                                             duration_min=40, position=Position.FACE_DOWN,
                                                             before=Scores(7, 3, 2)))
        return p, course

    late, late_course = patient("3001", 12, [(d, 9) for d in reversed(range(25))])  # recorded newest first
    twice, twice_course = patient("3002", 30, [(0, 9), (0, 15)] + [(d, 9) for d in range(1, 9)])
    services.outcomes.record(twice.id, _odi(START))  # the form of day 0 stands for both of its sessions
    neck, neck_course = patient("3003", 10, [(d, 9) for d in range(10)], region=Region.CERVICAL)
    done, done_course = patient("3004", 12, [(d, 9) for d in range(12)])
    services.courses.set_status(done_course.id, CourseStatus.COMPLETED, done_course.version)

    expected = {p.id: services.outcomes.for_course(c.id).missing
                for p, c in ((late, late_course), (twice, twice_course), (neck, neck_course))}
    assert expected == {late.id: (1, 10, 12, 20), twice.id: (10,), neck.id: (1, 10)}
    assert services.outcomes.missing_by_patient() == expected


def test_refusals_name_the_field(services):
    p, course = _lumbar_patient(services, sessions=1)
    with pytest.raises(ValidationError) as e:
        services.outcomes.record(p.id, _odi(START - timedelta(days=1)))
    assert "date" in e.value.errors  # no course holds the day before it started
    with pytest.raises(ValidationError) as e:
        services.outcomes.record(p.id, FormInput(START, NDI, (1,) * 10))
    assert "date" in e.value.errors  # an NDI is a cervical form; the patient has no cervical course
    with pytest.raises(ValidationError) as e:
        services.outcomes.record(p.id, FormInput(START, PSFS, activities=(Activity("walk", 3),)))
    assert "answers" in e.value.errors
    with pytest.raises(ValidationError) as e:
        services.outcomes.record(p.id, _odi(date.today() + timedelta(days=1)))
    assert "date" in e.value.errors


def test_psfs_takes_the_screening_region_and_offers_its_activities_again(services):
    p, course = _lumbar_patient(services, sessions=1)
    acts = (Activity("tie shoes", 3), Activity("walk 30 minutes", 4), Activity("lift grandchild", 2))
    v = services.outcomes.record(p.id, FormInput(START, PSFS, activities=acts))
    assert v.form.region is Region.LUMBAR and str(v.scored.score) == "3.0"
    assert services.outcomes.for_course(course.id).psfs_activities == ("tie shoes", "walk 30 minutes",
                                                                       "lift grandchild")


def test_front_desk_may_not_record_and_signed_out_reads_nothing(services):
    p, course = _lumbar_patient(services, sessions=1)
    services.act_as(Actor("desk", "Front Desk", frozenset({Role.FRONT_DESK})))
    with pytest.raises(PermissionDenied):
        services.outcomes.record(p.id, _odi(START))
    services.outcomes.for_course(course.id)  # a read: allowed
    services.act_as(Actor("nobody"))
    with pytest.raises(PermissionDenied):
        services.outcomes.for_course(course.id)
    with pytest.raises(PermissionDenied):
        services.clinic_report.report()


def test_import_joins_courses_and_adds_nothing_again(services, tmp_path):
    report = import_files(services.ctx, write_clinic_with_outcomes(tmp_path))
    assert report.counts("outcomes").added == 5
    assert services.outcomes.for_chart("1001").as_json() == OUTCOMES_1001
    again = import_files(services.ctx, write_clinic_with_outcomes(tmp_path))
    assert again.counts("outcomes").added == 0 and again.counts("outcomes").skipped == 5
    with services.ctx.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(m.OutcomeForm)) == 5


def test_import_is_all_or_nothing_naming_every_bad_row(services, tmp_path):
    import_files(services.ctx, write_clinic(tmp_path))
    bad = write_outcomes(tmp_path, """\
1001,2026-03-03,odi,3;2;;4;1;0;2;3;1;2,
1001,2026-03-04,odi,3;2;4,
1001,2026-03-05,xyz,1;1;1;1;1;1;1;1;1;1,
1001,2026-03-06,psfs,tie shoes=3;walk=11;lift=2,
1001,2026-03-01,odi,1;1;1;1;1;1;1;1;1;1,
1002,2026-03-04,odi,1;1;1;1;1;1;1;1;1;1,cervical
9999,2026-03-04,odi,1;1;1;1;1;1;1;1;1;1,
1001,2026-03-03,odi,3;2;;4;1;0;2;3;1;2,
1001,2099-03-03,psfs,a=1;b=2;c=3,
""")
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, [bad])
    rows = {(r.line, r.field) for r in err.value.rows}
    assert rows == {(3, "answers"), (4, "instrument"), (5, "answers"), (6, "date"), (7, "region"),
                    (8, "chart_number"), (9, "date"), (10, "date")}
    with services.ctx.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(m.OutcomeForm)) == 0


def test_a_different_form_on_file_is_a_bad_row(services, tmp_path):
    import_files(services.ctx, write_clinic_with_outcomes(tmp_path))
    changed = write_outcomes(tmp_path, "1001,2026-03-03,odi,3;3;;4;1;0;2;3;1;2,\n", name="changed.csv")
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, [changed])
    assert [(r.line, r.field) for r in err.value.rows] == [(2, "answers")]


def test_clinic_report_counts_courses_started_in_the_period(services, tmp_path):
    import_files(services.ctx, write_clinic_with_outcomes(tmp_path))
    j = services.clinic_report.report().report.as_json()
    lumbar = j["regions"]["lumbar"]
    assert (lumbar["courses"], lumbar["sessions"], lumbar["mean_baseline_pain"], lumbar["mean_latest_pain"]) == \
        (2, 5, 8.0, 4.0)
    assert lumbar["function"] == {"courses": 1, "mean_change": -20.0, "meaningful_percent": 100}
    assert lumbar["adverse_events_per_100_sessions"] == 40.0 and lumbar["stop_button_sessions_per_100"] == 20.0
    assert j["regions"]["all"]["courses"] == 3
    later = services.clinic_report.report(date(2026, 3, 4), date(2026, 3, 31)).report.as_json()
    assert later["from"] == "2026-03-04" and later["regions"]["all"]["courses"] == 2  # 1002 and 1003
    assert later["regions"]["lumbar"]["mean_baseline_pain"] is None  # 1003 has one session: nothing counts


def test_forms_join_the_course_whose_dates_hold_them_with_courses_csv(services, tmp_path):
    """A completed course and the next one opened on the day it ended: a form of that day is the next one's;
    a form after the completed course's end with no course holding it is a bad row."""
    (tmp_path / "patients.csv").write_text("chart_number,first_name,last_name,date_of_birth,sex,phone,email,insurer\n"
                                           "7001,Ida,Roe,,F,,,\n", encoding="utf-8")
    (tmp_path / "screenings.csv").write_text(
        "chart_number,screened_on,xray_on,xray_abnormal,spinal_hardware,nerve_damage,bone_cancer,osteoporosis,"
        "pregnant,region,conditions\n7001,2026-01-02,2026-01-02,no,no,no,no,no,no,lumbar,\n", encoding="utf-8")
    (tmp_path / "courses.csv").write_text(
        "chart_number,region,start_date,planned_sessions,fee_per_session,status,end_date\n"
        "7001,lumbar,2026-01-05,10,,completed,2026-02-01\n"
        "7001,lumbar,2026-02-01,10,,active,\n", encoding="utf-8")
    outcomes = write_outcomes(tmp_path, "7001,2026-01-05,odi,4;4;4;4;4;4;4;4;4;4,\n"
                                        "7001,2026-02-01,odi,2;2;2;2;2;2;2;2;2;2,\n"
                                        "7001,2026-02-10,odi,1;1;1;1;1;1;1;1;1;1,\n")
    import_files(services.ctx, [tmp_path / n for n in ("patients.csv", "screenings.csv", "courses.csv")] + [outcomes])
    p = services.patients.by_chart("7001")
    courses = {c.status.value: c for c in services.courses.for_patient(p.id)}
    done = services.outcomes.for_course(courses["completed"].id)
    active = services.outcomes.for_course(courses["active"].id)
    assert [f.scored.score for f in done.forms] == [80]
    assert [f.scored.score for f in active.forms] == [40, 20] and active.summary().change == -20

    early = write_outcomes(tmp_path, "7001,2026-01-03,odi,1;1;1;1;1;1;1;1;1;1,\n", name="early.csv")
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, [early])
    assert [(r.line, r.field) for r in err.value.rows] == [(2, "date")]
