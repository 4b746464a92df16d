"""Sessions in the window: refusals keep the form, name the field, and say why; courses open, change,
complete and discontinue."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import Qt

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import Contraindication, CourseStatus, Region
from decomp_desk.ui.dialogs.course_dialog import CourseDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from tests.factories import patient, screening, session
from tests.ui import steps
from tests.ui.conftest import settle
from tests.ui.field_errors import beside


def cleared_patient(qtbot, window, screened_days_ago=3, course=True, chart="3001"):
    services = window.services
    today = services.ctx.today()
    from datetime import timedelta
    on = today - timedelta(days=screened_days_ago)
    p = patient(services, chart, "Cora", "Nash")
    services.screenings.record(p.id, screening(on=on, xray_on=on))
    if course:
        services.courses.open(p.id, CourseInput(Region.LUMBAR, on))
    window.list_page.reload()
    settle(qtbot, window)
    steps.open_patient(qtbot, window, chart)
    window.patient_page.tabs.setCurrentWidget(window.patient_page.sessions)
    return p


def test_bad_input_names_the_field_as_it_is_typed_and_on_save(qtbot, desk, drive, shown):
    window = desk
    cleared_patient(qtbot, window)

    def fill(d: SessionDialog) -> None:
        steps.type_into(qtbot, d.duration_min, "150")
        assert d.duration_min.property("invalid") is True
        assert "Duration: must be at most 120 minutes, not 150" in d.marks.text()
        steps.type_into(qtbot, d.max_force_lb, "40")
        steps.type_into(qtbot, d.min_force_lb, "55")
        assert "Minimum force: must not be more than the maximum force" in d.marks.text()
        steps.focus(qtbot, d.before["pain"])
        steps.type_at_focus(qtbot, "86")  # tingling left blank

    driven = steps.new_session(qtbot, window, drive, fill)
    d = driven.last
    assert driven.results == [None] and d.isVisible()  # refused: the dialog stays open
    assert shown.errors == []  # said once, beside each field
    for name, words in (("duration_min", "Must be at most 120 minutes"),
                        ("min_force_lb", "Must not be more than the maximum"),
                        ("tingling_before", "Tingling before: is required")):  # below the grid of scores: named
        assert beside(d.marks, name).startswith(words), name
    for name in ("duration_min", "min_force_lb", "tingling_before"):
        assert d.fields[name].property("invalid") is True, name
    # Everything typed is still there.
    assert (d.duration_min.value(), d.max_force_lb.decimal(), d.min_force_lb.decimal()) == (150, 40, 55)
    assert (d.before["pain"].score(), d.before["numbness"].score()) == (8, 6)
    assert window.services.sessions.for_course(window.patient_page.file.current_course_id) == []
    # Put right, the same dialog saves.
    steps.type_into(qtbot, d.duration_min, "40")
    steps.type_into(qtbot, d.min_force_lb, "20")
    steps.focus(qtbot, d.before["tingling"])
    steps.type_at_focus(qtbot, "2")
    assert not any(w.property("invalid") for w in d.fields.values())
    steps.click(qtbot, d.save_button)
    qtbot.waitUntil(lambda: not d.saving and not d.isVisible(), timeout=5000)
    assert d.result_value.session.before.as_dict() == {"pain": 8, "numbness": 6, "tingling": 2}


def test_a_session_moved_to_a_day_the_patient_is_not_cleared_is_refused_and_nothing_is_lost(
        qtbot, desk, drive, shown):
    # (The date box takes only days from the course's start to today, so a day before the screening
    # cannot be picked any more; a newer screening that finds a contraindication still refuses.)
    window = desk
    p = cleared_patient(qtbot, window, screened_days_ago=3)
    services = window.services
    today = services.ctx.today()
    course = services.courses.current(p.id)
    services.sessions.record(course.id, session(today - timedelta(days=2), pain=7, numbness=5, tingling=2))
    services.screenings.record(p.id, screening(on=today - timedelta(days=1), xray_on=today - timedelta(days=1),
                                               contra=(Contraindication.OSTEOPOROSIS,)))
    window.patient_page.reload()
    settle(qtbot, window)

    def move(d: SessionDialog) -> None:
        d.date.setDate(steps.days_ago(window, 0))
        steps.type_into(qtbot, d.max_force_lb, "70")

    driven = drive(SessionDialog, move)
    tab = window.patient_page.sessions
    tab.table.setFocus()
    tab.table.selectRow(0)
    steps.press(qtbot, tab.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(driven.results), timeout=10000)
    d = driven.last
    assert driven.results == [None] and d.isVisible()
    assert shown.errors == [] and d.summary.text() == "Not saved."
    assert d.date.property("invalid") is True and beside(d.marks, "date") == "Not cleared on this date: osteoporosis"
    assert [b.score() for b in d.before.values()] == [7, 5, 2] and d.max_force_lb.decimal() == Decimal("70")
    # Back on a day the first screening covers, it saves.
    d.date.setDate(steps.days_ago(window, 2))
    steps.click(qtbot, d.save_button)
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=5000)
    assert d.result_value.session.max_force_lb == Decimal("70")


def test_a_clashing_start_time_is_refused_by_the_service_and_the_form_kept(qtbot, desk, drive, shown):
    window = desk
    cleared_patient(qtbot, window)
    first = steps.new_session(qtbot, window, drive, steps.fill_session(qtbot, "5", ago=1))
    assert first.results[-1] is None  # only pain was typed
    d = first.last
    steps.focus(qtbot, d.before["numbness"])
    steps.type_at_focus(qtbot, "43")
    steps.click(qtbot, d.save_button)
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=5000)
    saved = d.result_value.session
    settle(qtbot, window)

    def same_time(dlg: SessionDialog) -> None:
        dlg.start_time.setTime(d.start_time.time())
        steps.fill_session(qtbot, "321", ago=1)(dlg)

    second = steps.new_session(qtbot, window, drive, same_time)
    assert second.results == [None]
    assert shown.errors == [] and beside(second.last.marks, "start_time") == (
        f"Another session of this course is already recorded on {saved.date.isoformat()} at {saved.start_time:%H:%M}")
    assert second.last.start_time.property("invalid") is True
    assert [b.score() for b in second.last.before.values()] == [3, 2, 1]


def test_no_course_yet_and_cancelled_course_dialog_records_nothing(qtbot, desk, drive):
    window = desk
    cleared_patient(qtbot, window, course=False)
    course = drive(CourseDialog, lambda d: None, save=False)  # the user cancels
    steps.press(qtbot, window, Qt.Key.Key_R, steps.CTRL)
    qtbot.waitUntil(lambda: bool(course.results), timeout=5000)
    assert course.results == [None]
    assert "no open course" in course.last.findChildren(type(window.patient_page.title))[0].text()
    assert window.services.courses.for_patient(window.patient_page.file.patient.id) == []


def test_courses_open_change_complete_and_discontinue(qtbot, desk, drive, shown):
    window = desk
    cleared_patient(qtbot, window, course=False)
    page, tab, a = window.patient_page, window.patient_page.sessions, window.patient_page.actions
    assert not a.complete_course.isEnabled() and a.open_course.isEnabled()

    opened = drive(CourseDialog, steps.fill_course(qtbot, planned=20, fee="120.50"))
    a.open_course.trigger()
    settle(qtbot, window)
    course = opened.results[-1]
    assert (course.planned_sessions, course.fee_per_session, course.region) == (20, Decimal("120.50"), Region.LUMBAR)
    assert tab.course_box.currentText().startswith("Lumbar course, 0 of 20 sessions, active")
    assert "$120.50 per session" in page.overview.course.text()

    # A fee with three decimals is named, and kept, then put right.
    def bad_fee(d: CourseDialog) -> None:
        assert d.planned_sessions.value() == 20
        steps.type_into(qtbot, d.fee_per_session, "99.999")

    changed = drive(CourseDialog, bad_fee)
    a.edit_course.trigger()
    settle(qtbot, window)
    assert changed.results == [None] and "Fee per session" in changed.last.marks.text()
    assert changed.last.fee_per_session.text() == "99.999"
    changed.last.reject()

    shown.answer = False  # "Complete course?" - Cancel: nothing changes
    a.complete_course.trigger()
    settle(qtbot, window)
    assert page.file.current_course.status is CourseStatus.ACTIVE
    shown.answer = True
    a.complete_course.trigger()
    settle(qtbot, window)
    assert page.file.current_course.status is CourseStatus.COMPLETED
    assert not a.complete_course.isEnabled() and "The course is completed" in a.complete_course.toolTip()

    again = drive(CourseDialog, steps.fill_course(qtbot, planned=10))
    a.open_course.trigger()
    settle(qtbot, window)
    assert again.results[-1] is not None, shown.errors
    assert again.results[-1].planned_sessions == 10
    a.discontinue_course.trigger()
    settle(qtbot, window)
    statuses = [c.status for c in window.services.courses.for_patient(page.file.patient.id)]
    assert sorted(statuses) == sorted([CourseStatus.COMPLETED, CourseStatus.DISCONTINUED])
    assert len(shown.questions) == 3


def test_the_course_dialog_offers_the_clinics_icd10_list_for_its_region(qtbot, desk, drive):
    window = desk
    cleared_patient(qtbot, window, course=False, chart="3002")
    offered = {}

    def pick(d: CourseDialog) -> None:
        qtbot.waitUntil(d.icd10_codes.button.isEnabled)  # the short list has come
        d.icd10_codes.menu.aboutToShow.emit()
        offered["lumbar"] = [a.data() for a in d.icd10_codes.menu.actions()]
        steps.type_into(qtbot, d.icd10_codes.edit, "m99.03")  # typed, not on the list: kept
        for action in d.icd10_codes.menu.actions():
            if action.data() in ("M51.16", "M54.16"):
                action.trigger()
        d.region.set_current(Region.CERVICAL)
        d.icd10_codes.menu.aboutToShow.emit()
        offered["cervical"] = [a.data() for a in d.icd10_codes.menu.actions()]
        d.region.set_current(Region.LUMBAR)

    opened = drive(CourseDialog, pick)
    window.patient_page.actions.open_course.trigger()
    settle(qtbot, window)
    assert "M51.16" in offered["lumbar"] and "M54.2" not in offered["lumbar"]
    assert "M54.2" in offered["cervical"] and "M51.16" not in offered["cervical"]
    course = opened.results[-1]
    assert course.icd10_codes == ("M99.03", "M51.16", "M54.16")
    statement = window.services.billing.statement_context("3002", audit=False)
    from decomp_desk.reports.statement_html import statement_html

    html = statement_html(statement)
    assert "M51.16 Intervertebral disc disorder with radiculopathy, lumbar region" in html
