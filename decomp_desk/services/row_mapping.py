"""Rows to plain data. The only place that knows both the models and the DTOs' shapes."""
from __future__ import annotations

from dataclasses import replace

from decomp_desk.db import models as m
from decomp_desk.domain.eligibility import assess
from decomp_desk.domain.types import AdverseEvent, Contraindication, Scores, ScreeningFacts, SessionPoint
from decomp_desk.domain.validation import SessionInput, session_flags
from decomp_desk.services import dto


def contraindications_of(s: m.Screening) -> frozenset[Contraindication]:
    return frozenset(c for c in Contraindication if getattr(s, c.value))


def screening_facts(s: m.Screening) -> ScreeningFacts:
    return ScreeningFacts(s.screened_on, s.xray_on, s.xray_abnormal, contraindications_of(s), s.region)


def screening_view(s: m.Screening) -> dto.ScreeningView:
    return dto.ScreeningView(
        id=s.id, patient_id=s.patient_id, screened_on=s.screened_on, screened_by=s.screened_by,
        xray_on=s.xray_on, xray_abnormal=s.xray_abnormal, xray_finding=s.xray_finding,
        contraindications=contraindications_of(s), conditions=s.conditions, region=s.region, notes=s.notes,
        clearance=assess(screening_facts(s)),
    )


def patient_detail(p: m.Patient) -> dto.PatientDetail:
    return dto.PatientDetail(
        id=p.id, chart_number=p.chart_number, first_name=p.first_name, last_name=p.last_name,
        date_of_birth=p.date_of_birth, sex=p.sex, phone=p.phone, email=p.email, address=p.address,
        notes=p.notes, archived=p.archived, insurer=p.insurer, policy_number=p.policy_number,
        coverage=p.coverage, coverage_percent=p.coverage_percent, coverage_amount=p.coverage_amount,
        coverage_verified_on=p.coverage_verified_on, coverage_verified_by=p.coverage_verified_by,
        coverage_notes=p.coverage_notes, version=p.version, updated_by=p.updated_by, updated_at=p.updated_at,
        city=p.city, state=p.state, zip_code=p.zip_code,
    )


def course_view(c: m.Course, sessions_completed: int) -> dto.CourseView:
    return dto.CourseView(
        id=c.id, patient_id=c.patient_id, region=c.region, conditions=c.conditions,
        icd10_codes=tuple(x for x in c.icd10_codes.split(";") if x), planned_sessions=c.planned_sessions,
        start_date=c.start_date, end_date=c.end_date, status=c.status, fee_per_session=c.fee_per_session,
        discount_percent=c.discount_percent, discount_amount=c.discount_amount, notes=c.notes,
        sessions_completed=sessions_completed, version=c.version, plan=c.plan or "",
    )


def adverse_events_of(t: m.TreatmentSession) -> frozenset[AdverseEvent]:
    return frozenset(e for e, on in ((AdverseEvent.SORENESS, t.soreness), (AdverseEvent.MUSCLE_SPASM, t.muscle_spasm),
                                     (AdverseEvent.TISSUE_DAMAGE, t.tissue_damage), (AdverseEvent.OTHER, t.other_adverse))
                     if on)


def scores_before(t: m.TreatmentSession) -> Scores:
    return Scores(t.pain_before, t.numbness_before, t.tingling_before)


def scores_after(t: m.TreatmentSession) -> Scores | None:
    if t.pain_after is None or t.numbness_after is None or t.tingling_after is None:
        return None
    return Scores(t.pain_after, t.numbness_after, t.tingling_after)


def session_point(t: m.TreatmentSession, number: int = 0) -> SessionPoint:
    return SessionPoint(number=number, date=t.date, start_time=t.start_time, duration_min=t.duration_min,
                        before=scores_before(t), after=scores_after(t), stop_button=t.stop_button,
                        stop_minute=t.stop_minute, adverse_events=adverse_events_of(t))


def session_view(t: m.TreatmentSession, number: int) -> dto.SessionView:
    view = dto.SessionView(
        id=t.id, course_id=t.course_id, number=number, date=t.date, start_time=t.start_time,
        duration_min=t.duration_min, position=t.position, harness=t.harness, max_force_lb=t.max_force_lb,
        mode=t.mode, min_force_lb=t.min_force_lb, hold_s=t.hold_s, rest_s=t.rest_s,
        progressive_steps=t.progressive_steps, regressive_steps=t.regressive_steps, cycles=t.cycles,
        angle_deg=t.angle_deg, before=scores_before(t), after=scores_after(t), stop_button=t.stop_button,
        stop_minute=t.stop_minute, adverse_events=adverse_events_of(t), adverse_notes=t.adverse_notes,
        notes=t.notes, clinician=t.clinician, charge=t.charge, flags=(), version=t.version,
    )
    return replace(view, flags=session_flags(view.as_input()))


def session_columns(s: SessionInput) -> dict:
    """A validated SessionInput as the row's column values (the import inserts these in bulk)."""
    before, after, events = s.before, s.after, s.adverse_events
    return {
        "date": s.date, "start_time": s.start_time, "duration_min": s.duration_min, "position": s.position,
        "harness": s.harness, "max_force_lb": s.max_force_lb, "mode": s.mode, "min_force_lb": s.min_force_lb,
        "hold_s": s.hold_s, "rest_s": s.rest_s, "progressive_steps": s.progressive_steps,
        "regressive_steps": s.regressive_steps, "cycles": s.cycles, "angle_deg": s.angle_deg,
        "pain_before": before.pain, "numbness_before": before.numbness, "tingling_before": before.tingling,
        "pain_after": after.pain if after else None, "numbness_after": after.numbness if after else None,
        "tingling_after": after.tingling if after else None,
        "stop_button": s.stop_button, "stop_minute": s.stop_minute,
        "soreness": AdverseEvent.SORENESS in events, "muscle_spasm": AdverseEvent.MUSCLE_SPASM in events,
        "tissue_damage": AdverseEvent.TISSUE_DAMAGE in events, "other_adverse": AdverseEvent.OTHER in events,
        "adverse_notes": s.adverse_notes, "notes": s.notes, "clinician": s.clinician,
    }


def apply_session_input(t: m.TreatmentSession, s: SessionInput) -> None:
    """Copy a validated SessionInput onto a row."""
    for name, value in session_columns(s).items():
        setattr(t, name, value)
