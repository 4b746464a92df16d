"""courses.csv and the region column of sessions.csv through the import service (both databases):
each session joins the course of its region whose dates hold it."""
from datetime import date
from decimal import Decimal

import pytest

from decomp_desk.domain.types import CourseStatus, Region
from decomp_desk.services.imports.importing import ImportRejected, import_files
from tests.csv_clinic import HEADERS, write_csv

COURSES = "chart_number,region,start_date,planned_sessions,fee_per_session,status,end_date,plan"


def _files(tmp_path, courses: str, sessions: str):
    people = write_csv(tmp_path, "patients.csv", "patients", "1001,Ann,Lee,1968-04-12,F,,,\n")
    screens = write_csv(tmp_path, "screenings.csv", "screenings",
                        "1001,2026-01-02,2026-01-02,no,no,no,no,no,no,cervical,neck_back_pain\n"
                        "1001,2026-01-02,2026-01-02,no,no,no,no,no,no,lumbar,sciatica\n")  # the newer
    course_file = tmp_path / "courses.csv"
    course_file.write_text(COURSES + "\n" + courses, encoding="utf-8")
    visit_file = tmp_path / "sessions.csv"
    visit_file.write_text(HEADERS["sessions"] + ",region\n" + sessions, encoding="utf-8")
    return [visit_file, course_file, screens, people]


def test_sessions_join_the_course_whose_dates_hold_them(services, tmp_path):
    files = _files(tmp_path,
                   "1001,lumbar,2026-01-05,,60,completed,2026-02-01,\"2x3,1x4\"\n"
                   "1001,lumbar,2026-02-10,12,,active,,\n"
                   "1001,cervical,2026-01-05,,,discontinued,2026-01-20,\n",
                   "1001,2026-01-06,09:00,35,face_down,60,8,5,4,no,,,lumbar\n"
                   "1001,2026-02-11,09:00,35,face_down,60,6,5,4,no,,,\n"        # lumbar: the newest screening's
                   "1001,2026-01-07,10:00,35,face_up,20,5,5,4,no,,,cervical\n"
                   "1001,2026-03-01,10:00,35,face_up,20,5,5,4,no,,,cervical\n")  # after it ended: a new course
    report = import_files(services.ctx, files)
    assert (report.counts("courses").added, report.sessions.added, report.courses_opened) == (3, 4, 1)
    p = services.patients.by_chart("1001")
    courses = {(c.region, c.start_date): c for c in services.courses.for_patient(p.id)}
    first = courses[(Region.LUMBAR, date(2026, 1, 5))]
    assert (first.planned_sessions, first.fee_per_session, first.status, first.sessions_completed) == (
        10, Decimal("60.00"), CourseStatus.COMPLETED, 1)
    assert courses[(Region.LUMBAR, date(2026, 2, 10))].planned_sessions == 12
    assert courses[(Region.LUMBAR, date(2026, 2, 10))].sessions_completed == 1
    assert courses[(Region.CERVICAL, date(2026, 1, 5))].sessions_completed == 1
    opened = courses[(Region.CERVICAL, date(2026, 3, 1))]
    assert (opened.status, opened.planned_sessions, opened.sessions_completed) == (CourseStatus.ACTIVE, 30, 1)
    again = import_files(services.ctx, files)
    assert (again.counts("courses").skipped, again.sessions.skipped, again.courses_opened) == (3, 4, 0)


def test_a_session_outside_the_given_courses_and_a_differing_course_are_bad_rows(services, tmp_path):
    files = _files(tmp_path, "1001,lumbar,2026-02-10,12,,active,,\n1001,lumbar,2026-01-05,,,completed,2026-01-20,3x4\n",
                   "1001,2026-01-25,09:00,35,face_down,60,8,5,4,no,,,lumbar\n"
                   "1001,2026-01-03,09:00,35,face_down,60,8,5,4,no,,,lumbar\n")
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, files)
    assert [str(r) for r in err.value.rows] == [
        "sessions.csv line 2: date: no lumbar course holds 2026-01-25: courses.csv starts the next one on 2026-02-10",
        "sessions.csv line 3: date: no lumbar course holds 2026-01-03: courses.csv starts the next one on 2026-01-05"]
    assert services.patients.list() == []
    import_files(services.ctx, files[1:])
    changed = tmp_path / "changed.csv"
    changed.write_text(COURSES + "\n1001,lumbar,2026-02-10,20,,active,,\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, [changed])
    assert [str(r) for r in err.value.rows] == [
        "changed.csv line 2: planned_sessions: is 20, but the lumbar course on file from 2026-02-10 has 12"]
