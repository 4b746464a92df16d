"""Outcome forms through the real widgets: the Outcomes tab (Ctrl+6), the form dialog's live score, the
re-exam offered after a due session, the function panel and the printed summary, the patient list's
missing form, and Reports > Clinic outcomes."""
from __future__ import annotations

import subprocess
from datetime import time, timedelta

from PySide6.QtCore import Qt

from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.outcomes import Instrument
from decomp_desk.domain.types import Position, Region, Scores
from decomp_desk.domain.validation import SessionInput
from decomp_desk.ui import printing
from decomp_desk.ui.dialogs.outcome_form_dialog import OutcomeFormDialog
from decomp_desk.ui.dialogs.session_dialog import SessionDialog
from tests.factories import patient, screening
from tests.ui import steps
from tests.ui.conftest import settle

CTRL = Qt.KeyboardModifier.ControlModifier


def course_with_sessions(qtbot, window, sessions: int, planned: int = 30, chart="4001"):
    services = window.services
    today = services.ctx.today()
    start = today - timedelta(days=sessions + 5)
    p = patient(services, chart, "Rosa", "Quinn")
    services.screenings.record(p.id, screening(on=start, xray_on=start))
    course = services.courses.open(p.id, CourseInput(Region.LUMBAR, start, planned_sessions=planned))
    for i in range(sessions):
        services.sessions.record(course.id, SessionInput(date=start + timedelta(days=i), start_time=time(9),
                                                         duration_min=40, position=Position.FACE_DOWN,
                                                         before=Scores(7 - i // 3, 4, 3)))
    window.list_page.reload()
    settle(qtbot, window)
    return p, course, start


def fill_odi(qtbot, answers: str):
    """Answers as characters, '.' for a blank section."""
    seen = {}

    def fill(d: OutcomeFormDialog) -> None:
        for spin, a in zip(d.answers, answers, strict=False):
            if a != ".":
                steps.type_into(qtbot, spin, a)
        seen["score"] = d.score.text()
        seen["date"] = d.date.date().toPython()
    return fill, seen


def test_an_odi_with_two_blanks_scores_live_and_lists_on_the_outcomes_tab(qtbot, desk, drive, shown):
    window = desk
    p, course, start = course_with_sessions(qtbot, window, sessions=1)
    steps.open_patient(qtbot, window, "4001")
    page = window.patient_page
    steps.press(qtbot, window, Qt.Key.Key_6, CTRL)
    assert page.tabs.currentWidget() is page.outcomes
    assert page.outcomes.missing.isVisible() and "session 1" in page.outcomes.missing.text()

    fill, seen = fill_odi(qtbot, "32.410231.")  # 8 answered, sum 16 of 40 -> 40%

    def check_live(d: OutcomeFormDialog) -> None:
        d.date.setDate(steps.to_qdate(start))
        fill(d)
        assert [label for label in d.findChildren(type(d.score)) if "Sex life" in label.text()]
        assert d.score.text().startswith("Score 40% (moderate), 8 of 10")
        d.answers[0].set_number(None)  # a third blank: 7 answered, incomplete
        assert d.score.text().startswith("Incomplete: 7 of 10")
        steps.type_into(qtbot, d.answers[0], "3")
    driven = drive(OutcomeFormDialog, check_live)
    page.outcomes.new_form.trigger()
    settle(qtbot, window)
    saved = driven.results[-1]
    assert saved is not None and (saved.scored.score, saved.scored.band) == (40, "moderate")
    rows = page.outcomes.model.rows()
    assert [(r.instrument, r.form is not None) for r in rows] == [(Instrument.ODI, True)]
    assert not page.outcomes.missing.isVisible()
    assert "first Oswestry Disability Index (ODI) score is 40%" in page.outcomes.summary.text()
    audit = [e.action for e in window.services.audit.events(chart_number="4001") if e.entity == "outcome_form"]
    assert audit == ["create"]

    # Edit: a changed answer rescored; Delete: gone again, and missing once more.
    page.outcomes.table.selectRow(0)
    edited = drive(OutcomeFormDialog, lambda d: steps.type_into(qtbot, d.answers[9], "5"))
    page.outcomes.edit_form.trigger()
    settle(qtbot, window)
    assert edited.results[-1].scored.score == 47  # 21 of 45
    page.outcomes.table.selectRow(0)
    page.outcomes.delete_form.trigger()
    settle(qtbot, window)
    assert page.outcomes.model.rows()[0].form is None and page.outcomes.missing.isVisible()


def test_recording_session_10_offers_the_odi_next_and_the_list_shows_a_missing_form(qtbot, desk, drive, shown):
    window = desk
    p, course, start = course_with_sessions(qtbot, window, sessions=9)
    rows = {r.chart_number: r for r in window.list_page.model.rows()}
    model = window.list_page.model
    column = [c.header for c in model.COLUMNS].index("Outcome form")
    assert "missing at 1" == model.index(model.row_of(rows["4001"].id), column).data()
    steps.open_patient(qtbot, window, "4001")
    page = window.patient_page
    page.tabs.setCurrentWidget(page.sessions)

    offered = {}

    def session_10(d: SessionDialog) -> None:
        offered["box"] = d.outcome_next is not None and d.outcome_next.isChecked()
        offered["text"] = d.outcome_next.text() if d.outcome_next else ""
        steps.fill_session(qtbot, scores="533")(d)

    fill, seen = fill_odi(qtbot, "2121012101")
    form = drive(OutcomeFormDialog, fill)
    steps.new_session(qtbot, window, drive, session_10)
    settle(qtbot, window)
    assert offered["box"] and "ODI" in offered["text"] and "session 10" in offered["text"]
    assert form.results and form.results[-1].scored.score == 22 and form.results[-1].scored.band == "moderate"
    assert seen["date"] == window.services.ctx.today()  # dated the session's day
    outcomes = page.file.outcomes[course.id]
    assert outcomes.missing == (1,)  # session 10 has its form now; session 1 never had one

    # A session that is not due offers nothing.
    def session_11(d: SessionDialog) -> None:
        offered["box11"] = d.outcome_next
        steps.fill_session(qtbot, scores="533")(d)
    steps.new_session(qtbot, window, drive, session_11)
    assert offered["box11"] is None and len(form.results) == 1


def test_progress_tab_and_summary_pdf_carry_the_function_figures(qtbot, desk, drive, shown, monkeypatch, tmp_path):
    from decomp_desk.domain.outcomes import FormInput

    window = desk
    p, course, start = course_with_sessions(qtbot, window, sessions=10)
    services = window.services
    services.outcomes.record(p.id, FormInput(start, Instrument.ODI, (3,) * 10))
    services.outcomes.record(p.id, FormInput(start + timedelta(days=9), Instrument.ODI, (1,) * 9 + (None,)))
    steps.open_patient(qtbot, window, "4001")
    page = window.patient_page
    page.tabs.setCurrentWidget(page.progress)
    panel = page.progress.function
    assert panel.isVisible() and panel.series() == [(1, 60.0), (10, 20.0)]
    assert "Change -40 points · meaningful: yes" in panel.text.text()
    # Its bold heading and its lines are shown as such, not as "<b>" and "<br>" (the desk shows typed
    # text plain in every label unless a label's markup is the program's own)
    assert panel.text.textFormat() == Qt.TextFormat.RichText

    monkeypatch.setattr(printing, "ask_save_path", lambda parent, suggested: str(tmp_path / "summary.pdf"))
    page.actions.save_summary_pdf.trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: (tmp_path / "summary.pdf").is_file(), timeout=10000)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(tmp_path / "summary.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Daily function" in text
    assert "Oswestry Disability Index (ODI) 60% 20% −40 points minimal yes" in text
    assert "has fallen from 60% to 20%" in text


def test_clinic_outcomes_window_shows_the_figures_and_the_warning(qtbot, desk, drive, shown):
    from decomp_desk.services.demo.loading import load_demo

    window = desk
    load_demo(window.services)
    window.clinic_report_action.trigger()
    settle(qtbot, window)
    report = window._clinic_report
    figures = report.figures()
    assert figures["Courses started"][2] == "31"
    assert report.warning.isVisible() and "uncontrolled series" in report.warning.text()
    assert report.canvas.figure.axes
    # The period line means its bold (the clinic's name is escaped in it), and says how the book went:
    # the appointments of the period, the no-shows and the cancellations.
    assert report.period.textFormat() == Qt.TextFormat.RichText
    booked = window.services.appointments.clinic_attendance()
    assert booked["appointments"] > 0
    assert (f"Appointments dated in the period: {booked['appointments']}; no-shows: {booked['no_shows']}"
            in report.period.text())


def test_screenshots_of_the_outcomes_tab_and_the_clinic_report(qtbot, desk, drive, shown):
    """At 1366 x 768, to look at (screenshots/, not committed)."""
    from decomp_desk.services.demo.loading import load_demo
    from tests.ui.test_screenshots import save

    window = desk
    load_demo(window.services)
    window.list_page.reload()
    settle(qtbot, window)
    paths = [save(window, "20-patient-list-outcome-forms")]
    missing = window.services.outcomes.missing_by_patient()
    rows = {r.id: r for r in window.list_page.model.rows()}
    chart = next(rows[pid].chart_number for pid in missing if (rows[pid].sessions_completed or 0) >= 20)
    steps.open_patient(qtbot, window, chart)
    page = window.patient_page
    steps.press(qtbot, window, Qt.Key.Key_6, CTRL)
    settle(qtbot, window)
    assert page.outcomes.missing.isVisible()
    paths.append(save(window, "21-outcomes-tab"))
    page.tabs.setCurrentWidget(page.progress)
    settle(qtbot, window)
    paths.append(save(window, "22-progress-with-function"))

    def look(d: OutcomeFormDialog) -> None:
        for spin, a in zip(d.answers, "3241.23.12", strict=False):
            if a != ".":
                steps.type_into(qtbot, spin, a)
        paths.append(save(d, "23-odi-form"))
        d.reject()
    drive(OutcomeFormDialog, look, save=False)
    page.tabs.setCurrentWidget(page.outcomes)
    page.outcomes.new_form.trigger()
    settle(qtbot, window)

    window.clinic_report_action.trigger()
    settle(qtbot, window)
    report = window._clinic_report
    report.resize(1366, 768)
    settle(qtbot, window)
    paths.append(save(report, "24-clinic-outcomes"))
    assert all(p.stat().st_size > 10_000 for p in paths)


def test_the_next_psfs_offers_the_same_activities(qtbot, desk, drive, shown):
    from decomp_desk.domain.outcomes import Activity, FormInput

    window = desk
    p, course, start = course_with_sessions(qtbot, window, sessions=2)
    window.services.outcomes.record(p.id, FormInput(start, Instrument.PSFS, activities=(
        Activity("tie shoes", 3), Activity("walk 30 minutes", 4), Activity("lift grandchild", 2))))
    steps.open_patient(qtbot, window, "4001")
    page = window.patient_page
    steps.press(qtbot, window, Qt.Key.Key_6, CTRL)
    seen = {}

    def fill(d: OutcomeFormDialog) -> None:
        seen["names"] = [n.text() for n in d.activity_names]
        for spin, score in zip(d.activity_scores, "656", strict=False):
            steps.type_into(qtbot, spin, score)
        seen["live"] = d.score.text()
    driven = drive(OutcomeFormDialog, fill)
    page.outcomes.new_psfs.trigger()
    settle(qtbot, window)
    assert seen["names"] == ["tie shoes", "walk 30 minutes", "lift grandchild", "", ""]
    assert seen["live"] == "Mean 5.7 of 10"
    assert str(driven.results[-1].scored.score) == "5.7"
    assert "risen from 3.0 to 5.7" in page.outcomes.summary.text()


def test_typing_as_the_list_appears_holds_its_missing_forms_read_until_a_pause(qtbot, desk):
    """The list's background reads begin a moment after it is painted; someone already typing in its
    search field holds them back until the typing pauses (on SQLite that read works in the desk's own
    process and slowed each keystroke), and then the column fills as usual."""
    window = desk
    course_with_sessions(qtbot, window, sessions=1)
    page = window.list_page
    model = page.model
    column = [c.header for c in model.COLUMNS].index("Outcome form")
    asked = []
    real = window.services.outcomes.missing_by_patient
    window.services.outcomes.missing_by_patient = lambda: asked.append(True) or real()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.reload()
    model.set_missing_forms({})  # as a fresh list has it
    page.search.setFocus()
    for key in "4001" * 3:  # keystrokes closer together than the pause the reads wait for
        qtbot.keyClick(page.search, key)
        qtbot.wait(60)
        assert page.after_paint.isActive() and not asked
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)  # the typing paused
    settle(qtbot, window)
    row = model.row_of(next(r.id for r in model.rows() if r.chart_number == "4001"))
    assert model.index(row, column).data() == "missing at 1"
    assert page.proxy.rowCount() == 0  # "400140014001" matches nobody: the search itself went on
