"""Opening a patient is one read: one transaction gives the whole page (courses, sessions, progress,
billing), so what it shows is one consistent snapshot."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from tests.factories import DAY0, cleared_patient_with_course, patient, session
from tests.ui import steps
from tests.ui.conftest import settle


def test_opening_a_patient_is_one_transaction(qtbot, desk_any_db):
    window = desk_any_db
    services = window.services
    p, course = cleared_patient_with_course(services, "7001", first="Opal", last="Reyes")
    for day in range(3):
        services.sessions.record(course.id, session(on=DAY0 + timedelta(days=day)))
    window.list_page.reload()
    settle(qtbot, window)

    engine = services.ctx.Session.kw["bind"]
    begun = []
    listener = lambda connection: begun.append(connection)
    event.listen(engine, "begin", listener)
    try:
        steps.open_patient(qtbot, window, "Reyes")
        qtbot.waitUntil(lambda: window.patient_page.file is not None, timeout=10000)
        settle(qtbot, window)
    finally:
        event.remove(engine, "begin", listener)

    f = window.patient_page.file
    assert f.patient.chart_number == "7001"
    assert len(f.sessions[course.id]) == 3
    assert f.account.patient_id == p.id and f.account.courses
    assert len(begun) == 1, f"opening the patient took {len(begun)} transactions"


def test_a_save_refreshes_that_patients_row_without_reading_the_whole_list(qtbot, desk, monkeypatch):
    window = desk
    services = window.services
    for chart, last in (("7101", "Abbot"), ("7102", "Baker"), ("7103", "Cruz")):
        patient(services, chart, first="Lee", last=last)
    window.list_page.reload()
    settle(qtbot, window)
    listed = []
    real_list = services.patients.list
    monkeypatch.setattr(services.patients, "list", lambda *a, **kw: listed.append(a) or real_list(*a, **kw))

    steps.open_patient(qtbot, window, "Baker")
    steps.screen(qtbot, window)
    settle(qtbot, window)

    model = window.list_page.model
    row = model.row_at(model.row_of(window.patient_page.patient_id))
    assert row.last_name == "Baker" and row.clearance.cleared
    assert [r.last_name for r in model.rows()] == ["Abbot", "Baker", "Cruz"]
    assert listed == [], "the save read the whole list again"
