"""The re-exam cadence at the desk: the session form says when an outcome form is due at the session
being recorded, and once it is saved the form is offered next (DOMAIN.md: session 1, every 10th, the
last planned)."""
from __future__ import annotations

from decomp_desk.domain.outcomes import COURSE_INSTRUMENT, is_due
from decomp_desk.services.dto import CourseView, SavedSession
from decomp_desk.ui.dialogs import messages
from decomp_desk.ui.dialogs.outcome_form_dialog import OutcomeFormDialog


def due_note(course: CourseView, number: int) -> str:
    if not is_due(number, course.planned_sessions):
        return ""
    short = COURSE_INSTRUMENT[course.region].short
    return (f"<br><b>Re-exam:</b> an {short} form is due at session {number}; it is offered once the session "
            "is saved.")


def offer_outcome_form(page, course: CourseView, saved: SavedSession) -> None:
    """Ask the service (in the background) whether the form is due and missing; if so, offer it."""
    s = saved.session
    if not is_due(s.number, course.planned_sessions):
        return
    services, patient = page.services, page.file.patient if page.file else None
    if patient is None:
        return

    def ask(instrument) -> None:
        if instrument is None or messages.held_while_locked(page):
            return
        text = (f"Session {s.number} of {s.date.isoformat()} is a re-exam session: an {instrument.short} form "
                f"({instrument.label}) is due and none is dated that day.\n\nRecord it now?")
        if not messages.confirm(page, text, yes=f"Record {instrument.short} form"):
            page.status.emit(f"{instrument.short} form of session {s.number} left missing; the Outcomes tab "
                             "lists it.")
            return
        form = OutcomeFormDialog.ask(page, services, page.runner, patient, course, instrument, session_date=s.date)
        if form is not None:
            page._tab_saved(f"{instrument.short} form of {form.date.isoformat()} saved: {form.scored.score_text()}.")

    page.runner.submit(lambda: services.outcomes.form_due(course.id, s.number), ask, parent=page)
