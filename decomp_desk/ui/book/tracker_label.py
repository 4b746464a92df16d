"""The visit tracker line on the Sessions and Progress tabs: the course's care plan, the visits expected
by today, those recorded and how many behind, and the patient's no-shows and cancellations."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QWidget

from decomp_desk.domain.care_plan import parse_plan, track


def tracker_text(course, sessions, today: date, attendance=None) -> str:
    parts = []
    if course is not None:
        plan = parse_plan(course.plan) if course.plan else None
        if plan is None:
            parts.append("No care plan (edit the course to give one, e.g. 3x4,2x3)")
        else:
            t = track(plan, course.start_date, [s.date for s in sessions], today)
            state = f"<b>{t.behind} behind</b>" if t.behind else "on plan"
            parts.append(f"Care plan {plan.text} ({plan.total} visits): expected {t.expected} by today, "
                         f"{t.recorded} recorded, {state}")
    if attendance is not None and (attendance.no_shows or attendance.cancellations):
        parts.append(f"{attendance.no_shows} no-show{'s' * (attendance.no_shows != 1)}, "
                     f"{attendance.cancellations} cancellation{'s' * (attendance.cancellations != 1)}")
    return " · ".join(parts)


class VisitTrackerLabel(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("visit_tracker")
        self.setWordWrap(True)

    def show_course(self, file, course) -> None:
        if file is None:
            self.clear()
            return
        sessions = file.sessions.get(course.id, []) if course is not None else []
        today = getattr(file, "clinic_today", None) or date.today()
        self.setText(tracker_text(course, sessions, today, getattr(file, "attendance", None)))
        self.setVisible(bool(self.text()))
