"""The re-exam cadence at the desk (DOMAIN.md: a form is due at session 1, every 10th session and the
last planned). The session form says so when the session being recorded is a due one, with a box,
ticked, "Record the ODI form next"; once the session is saved the form dialog follows, dated that
session's day, unless a form of that instrument is already on file for the day."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QLabel

from decomp_desk.domain.outcomes import COURSE_INSTRUMENT, is_due
from decomp_desk.services.dto import CourseView, SavedSession
from decomp_desk.ui.dialogs.outcome_form_dialog import OutcomeFormDialog

# Ids of sessions saved with the box ticked; the patient page takes them back after the save.
_requested: set[int] = set()


def due_note(course: CourseView, number: int) -> str:
    if not is_due(number, course.planned_sessions):
        return ""
    short = COURSE_INSTRUMENT[course.region].short
    return f"<br><b>Re-exam:</b> an {short} form is due at session {number}."


def offer_in_session_dialog(dialog: QDialog, heading: QLabel, course: CourseView, number: int) -> QCheckBox | None:
    """On a due session: the note in the heading and the ticked box under it; None otherwise."""
    if not is_due(number, course.planned_sessions):
        return None
    heading.setText(heading.text() + due_note(course, number))
    short = COURSE_INSTRUMENT[course.region].short
    box = QCheckBox(f"&Record the {short} form next (due at session {number})")
    box.setObjectName("outcome_next")
    box.setChecked(True)
    dialog.layout().insertWidget(1, box)
    dialog.saved.connect(lambda saved: box.isChecked() and _requested.add(saved.session.id))
    return box


def offer_outcome_form(page, course: CourseView, saved: SavedSession) -> None:
    """After a session is saved with the box ticked: the form dialog, when the form is still missing."""
    s = saved.session
    if s.id not in _requested:
        return
    _requested.discard(s.id)
    services, patient = page.services, page.file.patient if page.file else None
    if patient is None:
        return

    def record(instrument) -> None:
        if instrument is None:
            return
        form = OutcomeFormDialog.ask(page, services, page.runner, patient, course, instrument, session_date=s.date)
        if form is not None:
            page._tab_saved(f"{instrument.short} form of {form.date.isoformat()} saved: {form.scored.score_text()}.",
                            form.changes)
        else:
            page.status.emit(f"The {instrument.short} form of session {s.number} is missing; the Outcomes tab "
                             "lists it.")

    page.runner.submit(lambda: services.outcomes.form_due(course.id, s.number), record, parent=page)
