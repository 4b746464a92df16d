"""Screening: the x-ray and contraindications that decide whether decompression is allowed."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.domain.eligibility import Clearance, clearance_on
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.types import Contraindication, Role
from decomp_desk.services import dto
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.convert import screening_facts, screening_view
from decomp_desk.services.patients import load_patient


def validate_screening(data: dto.ScreeningInput, today: date) -> None:
    errors: dict[str, str] = {}
    if data.screened_on > today:
        errors["screened_on"] = f"{data.screened_on.isoformat()} is in the future"
    if data.xray_on is not None:
        if data.xray_on > today:
            errors["xray_on"] = f"{data.xray_on.isoformat()} is in the future"
        elif data.xray_on > data.screened_on:
            errors["xray_on"] = "is after the screening date"
    elif data.xray_abnormal:
        errors["xray_abnormal"] = "needs an x-ray date"
    if errors:
        raise ValidationError(errors)


def patient_clearance(s: Session, patient_id: int, on: date) -> Clearance:
    # Ordered so that of two same-day screenings the later-entered one governs, as in the patient list.
    screenings = s.scalars(select(m.Screening).where(m.Screening.patient_id == patient_id)
                           .order_by(m.Screening.screened_on, m.Screening.id)).all()
    return clearance_on([screening_facts(x) for x in screenings], on)


def screening_columns(data: dto.ScreeningInput, screened_by: str) -> dict:
    """A screening's column values (the import inserts these in bulk)."""
    return {
        "screened_on": data.screened_on, "screened_by": screened_by, "xray_on": data.xray_on,
        "xray_abnormal": data.xray_abnormal, "xray_finding": data.xray_finding, "region": data.region,
        "conditions": data.conditions, "notes": data.notes,
        **{c.value: c in data.contraindications for c in Contraindication},
    }


def add_screening(ctx: ServiceContext, s: Session, patient: m.Patient, data: dto.ScreeningInput) -> m.Screening:
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

    def record(self, patient_id: int, data: dto.ScreeningInput) -> dto.ScreeningView:
        """A new screening; it governs sessions from its date on (earlier sessions stay)."""
        self.ctx.require(Role.CLINICIAN)
        validate_screening(data, self.ctx.today())
        with self.ctx.unit_of_work() as s:
            patient = load_patient(s, patient_id)
            return screening_view(add_screening(self.ctx, s, patient, data))

    def history(self, patient_id: int) -> list[dto.ScreeningView]:
        """Newest first."""
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            rows = s.scalars(select(m.Screening).where(m.Screening.patient_id == patient_id)
                             .order_by(m.Screening.screened_on.desc(), m.Screening.id.desc())).all()
            return [screening_view(r) for r in rows]

    def clearance(self, patient_id: int, on: date | None = None) -> Clearance:
        self.ctx.require_signed_in()
        with self.ctx.read() as s:
            return patient_clearance(s, patient_id, on or self.ctx.today())
