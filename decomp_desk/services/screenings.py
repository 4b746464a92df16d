"""Screening: the x-ray and contraindications that decide whether decompression is allowed."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.repositories import load_patient
from decomp_desk.domain.clearance import clearance_for, usual_region
from decomp_desk.domain.eligibility import Clearance
from decomp_desk.domain.op_changes import Changes, with_changes
from decomp_desk.domain.screening_input import ScreeningInput, validate_screening
from decomp_desk.domain.types import Contraindication, CourseStatus, Region, Role
from decomp_desk.services import dto
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.row_mapping import screening_facts, screening_view


def patient_screenings(s: Session, patient_id: int) -> list:
    # Ordered so that of two same-day screenings the later-entered one governs, as in the patient list.
    screenings = s.scalars(select(m.Screening).where(m.Screening.patient_id == patient_id)
                           .order_by(m.Screening.screened_on, m.Screening.id)).all()
    return [screening_facts(x) for x in screenings]


def patient_region(s: Session, patient_id: int, on: date) -> Region:
    """The region a patient is treated for, when none is named: the active course's, else the newest
    course's, else that of the newest screening on or before `on`; lumbar for a patient with neither."""
    courses = s.execute(select(m.Course.region, m.Course.status).where(m.Course.patient_id == patient_id)
                        .order_by(m.Course.start_date.desc(), m.Course.id.desc())).all()
    active = [r for r, status in courses if status is CourseStatus.ACTIVE]
    if active or courses:
        return (active or [courses[0][0]])[0]
    return usual_region(patient_screenings(s, patient_id), on) or Region.LUMBAR


def patient_clearance(s: Session, patient_id: int, on: date, region: Region | None = None) -> Clearance:
    """Clearance for `region` on day `on` (DOMAIN.md's per-region rule); region: the patient's usual one."""
    if region is None:
        region = patient_region(s, patient_id, on)
    return clearance_for(patient_screenings(s, patient_id), region, on)


def not_cleared_note(s: Session, patient_id: int, on: date, region: Region | None, consequence: str) -> str:
    """The sentence a printed page opens with when the patient is not cleared for `region` on `on`
    ("" when cleared): the reasons, and what follows from them."""
    if region is None:
        region = patient_region(s, patient_id, on)
    clearance = patient_clearance(s, patient_id, on, region)
    if clearance.cleared:
        return ""
    # Spelled out as the rest of the page writes dates: "March 2, 2026".
    return (f"Not cleared for {region.value} decompression on {on:%B} {on.day}, {on.year}: "
            + "; ".join(clearance.reasons) + f". {consequence}")


def screening_columns(data: ScreeningInput, screened_by: str) -> dict:
    """A screening's column values (the import inserts these in bulk)."""
    return {
        "screened_on": data.screened_on, "screened_by": screened_by, "xray_on": data.xray_on,
        "xray_abnormal": data.xray_abnormal, "xray_finding": data.xray_finding, "region": data.region,
        "conditions": data.conditions, "notes": data.notes,
        **{c.value: c in data.contraindications for c in Contraindication},
    }


def add_screening(ctx: ServiceContext, s: Session, patient: m.Patient, data: ScreeningInput) -> m.Screening:
    """Shared by the desk's form and the import, inside the caller's unit of work."""
    row = m.Screening(patient_id=patient.id, **screening_columns(data, data.screened_by or ctx.actor.display_name))
    ctx.stamp(row, new=True)
    s.add(row)
    s.flush()
    ctx.audit(s, "create", "screening", row.id, patient.chart_number)
    return row


class ScreeningService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def record(self, patient_id: int, data: ScreeningInput) -> dto.ScreeningView:
        """A new screening; it governs sessions from its date on (earlier sessions stay)."""
        self.ctx.require(Role.CLINICIAN)
        validate_screening(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            patient = load_patient(s, patient_id)
            row = add_screening(self.ctx, s, patient, data)
            return with_changes(screening_view(row), Changes(patient.id, screenings=True, ids=(row.id,)))

    def history(self, patient_id: int) -> list[dto.ScreeningView]:
        """Newest first."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            rows = s.scalars(select(m.Screening).where(m.Screening.patient_id == patient_id)
                             .order_by(m.Screening.screened_on.desc(), m.Screening.id.desc())).all()
            return [screening_view(r) for r in rows]

    def clearance(self, patient_id: int, on: date | None = None, region: Region | None = None) -> Clearance:
        """For `region` (default: the patient's current course's, else the newest screening's) on `on`."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return patient_clearance(s, patient_id, on or self.ctx.today(), region)
