"""`export CHART --fhir FILE.json` and Patient > Export as FHIR...: one patient's record read in one unit
of work, built into a FHIR R4 Bundle (services/fhir_bundle.py) and written for its owner only (0600),
through a temporary file beside the target so that a half-written file never appears. Audited."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from decomp_desk.db import models as m
from decomp_desk.db.outcome_models import OutcomeForm
from decomp_desk.db.repositories import load_by_chart, settings_row
from decomp_desk.domain.errors import DomainError
from decomp_desk.domain.records import record
from decomp_desk.services.context import ServiceContext
from decomp_desk.services.fhir_bundle import DEFAULT_IDENTIFIER_SYSTEM, PatientRecord, build_bundle
from decomp_desk.services.row_mapping import course_view, forms_of, patient_detail, screening_view, session_view


@record
class FhirExport:
    file: Path
    chart_number: str
    patient_name: str
    resources: int


def patient_bundle(ctx: ServiceContext, chart_number: str,
                   identifier_system: str = DEFAULT_IDENTIFIER_SYSTEM) -> dict[str, Any]:
    """The patient's Bundle as JSON-ready dicts (NotFound for an unknown chart number). Audited."""
    ctx.require_signed_in()
    if not identifier_system.strip() or any(ch.isspace() for ch in identifier_system):
        raise DomainError("The identifier system must be a URI without spaces, e.g. urn:oid:... or https://...")
    with ctx.read() as s:
        p = load_by_chart(s, chart_number.strip())
        screenings = s.scalars(select(m.Screening).where(m.Screening.patient_id == p.id)
                               .order_by(m.Screening.screened_on, m.Screening.id)).all()
        courses = []
        mine = select(m.Course).where(m.Course.patient_id == p.id).order_by(m.Course.start_date, m.Course.id)
        for c in s.scalars(mine):
            rows = s.scalars(select(m.TreatmentSession).where(m.TreatmentSession.course_id == c.id).order_by(
                m.TreatmentSession.date, m.TreatmentSession.start_time, m.TreatmentSession.id)).all()
            courses.append((course_view(c, len(rows)),
                            tuple(session_view(t, n) for n, t in enumerate(rows, start=1))))
        clinic = settings_row(s)
        forms = forms_of(s.scalars(select(OutcomeForm).where(OutcomeForm.patient_id == p.id)
                                   .order_by(OutcomeForm.date, OutcomeForm.id)))
        record = PatientRecord(patient_detail(p), tuple(screening_view(x) for x in screenings), tuple(courses),
                               clinic.procedure_code, clinic.name, tuple(forms))
    bundle = build_bundle(record, ctx.now(), identifier_system)
    with ctx.unit_of_work() as s:  # an audited read: read above, the export recorded here
        ctx.audit(s, "export", "patient", record.patient.id, record.patient.chart_number,
                  f"FHIR bundle, {len(bundle['entry'])} resources")
    return bundle


def write_patient_bundle(ctx: ServiceContext, chart_number: str, file: str | Path,
                         identifier_system: str = DEFAULT_IDENTIFIER_SYSTEM) -> FhirExport:
    target = Path(file).expanduser().absolute()
    if target.is_dir():
        raise DomainError(f"{target} is a folder; give the name of the .json file to write.")
    if not target.parent.is_dir():
        raise DomainError(f"The folder {target.parent} does not exist; create it first or choose another place.")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise DomainError(f"The folder {target.parent} cannot be written to; choose a folder you may write in.")
    bundle = patient_bundle(ctx, chart_number, identifier_system)
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)  # 0600
    try:
        with open(fd, "w", encoding="utf-8") as f:
            json.dump(bundle, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    patient = bundle["entry"][0]["resource"]
    return FhirExport(target, patient["identifier"][0]["value"], patient["name"][0]["text"], len(bundle["entry"]))
