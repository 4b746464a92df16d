"""Rows to plain data, and plain input back to a row's columns: the one place that knows both the models
and the shapes of what the services return (services/dto.py, services/book_dto.py, the domain's records).
Every service maps its rows through here; none builds a view from a row inline."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from decomp_desk.db import models as m
from decomp_desk.db.outcome_models import OutcomeForm
from decomp_desk.db.schedule_models import Appointment, BookSettings
from decomp_desk.domain.appointments import Hours
from decomp_desk.domain.eligibility import assess
from decomp_desk.domain.outcomes import FormInput, parse_activities, parse_answers, score_form
from decomp_desk.domain.types import AdverseEvent, Contraindication, Role, Scores, ScreeningFacts, SessionPoint
from decomp_desk.domain.validation import SessionInput, session_flags
from decomp_desk.services import book_dto as bd
from decomp_desk.services import dto
from decomp_desk.services.context import Actor

if TYPE_CHECKING:
    from decomp_desk.domain.billing import Insurance, PaymentView
    from decomp_desk.domain.money import Discount


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


# --- patients' insurance and payments, accounts, appointments, outcome forms, settings ----------
# The billing records are imported where they are made: the desk's start maps accounts, appointments and
# settings through this module but never a payment (tests/test_start_imports.py).

def payment_view(p: m.Payment) -> PaymentView:
    from decomp_desk.domain.billing import PaymentView

    return PaymentView(
        id=p.id, patient_id=p.patient_id, course_id=p.course_id, paid_on=p.paid_on, amount=p.amount,
        method=p.method, reference=p.reference, voided=p.voided, voided_by=p.voided_by,
        void_reason=p.void_reason, version=p.version, voided_at=p.voided_at,
    )


def insurance_of(p: m.Patient) -> Insurance:
    from decomp_desk.domain.billing import Insurance

    return Insurance(
        insurer=p.insurer, policy_number=p.policy_number, coverage=p.coverage,
        coverage_percent=p.coverage_percent, coverage_amount=p.coverage_amount,
        coverage_verified_on=p.coverage_verified_on, coverage_verified_by=p.coverage_verified_by,
        coverage_notes=p.coverage_notes,
    )


def discount_of(c: m.Course) -> Discount:
    from decomp_desk.domain.money import Discount

    return Discount(percent=c.discount_percent, amount=c.discount_amount)


def roles_from_text(text: str) -> frozenset[Role]:
    """As stored, 'administrator;clinician', back to the roles."""
    return frozenset(ROLE_BY_VALUE[x] for x in (text or "").split(";") if x)


ROLE_BY_VALUE = {r.value: r for r in Role}


def user_view(u: m.User, now: datetime) -> dto.UserView:
    locked = u.locked_until if u.locked_until is not None and u.locked_until > now else None
    return dto.UserView(id=u.id, username=u.username, full_name=u.full_name, roles=roles_from_text(u.roles),
                    active=u.active, locked_until=locked, failed_logins=u.failed_logins, version=u.version,
                    updated_by=u.updated_by, updated_at=u.updated_at)


def actor_of(u: m.User) -> Actor:
    return Actor(username=u.username, full_name=u.full_name, roles=roles_from_text(u.roles))


def appointment_view(a: Appointment) -> bd.AppointmentView:
    p = a.patient
    return bd.AppointmentView(a.id, p.id, p.chart_number, f"{p.first_name} {p.last_name}", a.date, a.start_time,
                              a.minutes, a.table.name, a.status, a.course_id, a.session_id, a.version)


def stored_form(row: OutcomeForm) -> FormInput:
    if row.instrument.has_sections:
        return FormInput(row.date, row.instrument, answers=parse_answers(row.answers), region=row.region,
                         notes=row.notes)
    return FormInput(row.date, row.instrument, activities=parse_activities(row.answers), region=row.region,
                     notes=row.notes)


def form_view(row: OutcomeForm) -> dto.FormView:
    form = stored_form(row)
    return dto.FormView(row.id, row.patient_id, row.version, form, score_form(form, row.id, row.id),
                    row.updated_by or row.created_by)


def forms_of(rows: Iterable[OutcomeForm]) -> list[dto.FormView]:
    return [form_view(r) for r in rows]


def settings_view(row: m.ClinicSettings) -> dto.ClinicSettingsView:
    return dto.ClinicSettingsView(
        name=row.name, address=row.address, phone=row.phone, tax_id=row.tax_id, default_fee=row.default_fee,
        default_planned_sessions=row.default_planned_sessions, procedure_code=row.procedure_code,
        paper_size=row.paper_size, idle_lock_minutes=row.idle_lock_minutes, backup_retention=row.backup_retention,
        version=row.version, city=row.city, state=row.state, zip_code=row.zip_code,
    )


def book_settings_view(row: BookSettings | None, tables: tuple[str, ...],
                       hours: tuple[Hours | None, ...]) -> bd.BookSettingsView:
    """The appointment settings (never the SMTP password, only whether one is kept); the defaults before
    the first save."""
    if row is None:
        return bd.BookSettingsView(tables, hours, 45, "", 587, True, "", "", False, None)
    return bd.BookSettingsView(tables, hours, row.appointment_minutes, row.smtp_host, row.smtp_port,
                               row.smtp_starttls, row.smtp_user, row.smtp_sender, bool(row.smtp_password_encrypted),
                               row.version)
