"""After a save, the patient page's read model brought up to date by reading only the parts the save
changed (domain.op_changes), in one transaction: a payment reads the account again, not the sessions;
a session reads its course's sessions, the courses' counts, the account and that course's forms, not the
screenings. What the save did not touch is kept from the page's last read."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from decomp_desk.domain.op_changes import Changes
from decomp_desk.services.courses import current_course
from decomp_desk.services.patient_file import PatientFile, read_patient_file, starting_points

if TYPE_CHECKING:
    from decomp_desk.bootstrap import Services


def reread_patient_file(services: Services, f: PatientFile, changes: Changes) -> PatientFile:
    """`f` with the parts `changes` touched read again; the whole file when the settings changed (every
    part shows them) or the save was about someone else."""
    patient_id = f.patient.id
    if changes.settings or changes.patient_id != patient_id:
        return read_patient_file(services, patient_id)
    new: dict[str, Any] = {}
    # Reading the patient's details records the view (an audited read, as opening them does): a writing
    # transaction then; every other part is read in a reading one, which never waits for a writer.
    with services.ctx.unit_of_work() if changes.patient else services.ctx.read():
        if changes.patient:
            new["patient"] = services.patients.get(patient_id)
        if changes.screenings:
            new["screenings"] = tuple(services.screenings.history(patient_id))
        if changes.clearance:
            new["clearance"] = services.screenings.clearance(patient_id)
        if changes.courses or changes.sessions:
            courses = services.courses.for_patient(patient_id)  # a session changes its course's count and dates
            current = current_course(courses)
            new["courses"], new["current_course_id"] = tuple(courses), current.id if current else None
            # A course's write may touch every course's sessions (its dates hold them); a session's, its own.
            wanted = [c.id for c in courses] if changes.courses or changes.course_id is None else [changes.course_id]
            sessions = {c.id: f.sessions.get(c.id, []) for c in courses} | {
                cid: services.sessions.for_course(cid) for cid in wanted}
            new["sessions"] = sessions
            new["starting_points"] = starting_points(courses, sessions)
        if changes.account:
            new["account"] = services.billing.account(patient_id)
        if changes.missing_forms:
            ids = [c.id for c in new.get("courses", f.courses)]
            wanted = ids if changes.courses or changes.course_id is None else [changes.course_id]
            new["outcomes"] = {cid: f.outcomes[cid] for cid in ids if cid in f.outcomes} | {
                cid: services.outcomes.for_course(cid) for cid in wanted}
        if changes.appointments or changes.sessions or changes.courses:
            new["attendance"] = services.appointments.attendance(patient_id)
        new["clinic_today"] = services.ctx.today()
    return replace(f, **new)
