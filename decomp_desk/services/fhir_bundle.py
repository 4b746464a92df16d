"""One patient's record as a FHIR R4 Bundle of type `collection` (DOMAIN.md, "Export"), built as plain
dicts (JSON) from the services' plain data: no database here, and no FHIR library at run time (the
tests validate every resource with the `fhir.resources` package's models).

What goes where:
- Patient: identifier (type MR, system the clinic's, value the chart number), name, birthDate, gender,
  telecom (phone, email), address.
- Each screening: an Observation (code: the clinic's `screening`) whose components are the x-ray date
  and finding, each contraindication yes/no and each condition treated; each contraindication it names
  is also a Condition (active while the newest screening still names it, else resolved).
- Each session: a Procedure (the procedure code of the clinic's settings, HCPCS or CPT; performedPeriod
  from its start and duration; status `stopped` when the patient pressed the stop button), and one
  Observation per score reported before the session: pain coded LOINC 72514-3, numbness and tingling in
  the clinic's code system; valueInteger; effectiveDateTime the session's date; partOf the Procedure. A
  score reported after the session is a component of that Observation (code `after-session`).
- Each outcome form (ODI, NDI, PSFS): a QuestionnaireResponse (one item per section, 1 to 10, with its
  short name and the answer 0-5 as valueInteger, no answer for a blank; for a PSFS one item per activity,
  named, scored 0-10), and an Observation of its score derived from it: valueInteger (percent) for ODI
  and NDI with the band as interpretation, valueQuantity (one decimal) for the PSFS mean; an incomplete
  ODI/NDI (fewer than 8 sections answered) has no value but a dataAbsentReason, as it is never scored.

Ids are UUIDs derived from the record (the same export twice gives the same bundle) and every reference
is its `urn:uuid:` full URL. Only LOINC codes verified against LOINC are used; everything else is
coded in the clinic's own code systems (CODES below) with a plain text."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from decomp_desk.domain.records import record
from decomp_desk.domain.types import SCORE_NAMES, AdverseEvent, Contraindication, Labelled, Sex
from decomp_desk.services.dto import CourseView, PatientDetail, ScreeningView, SessionView

if TYPE_CHECKING:
    from decomp_desk.services.dto import FormView

DEFAULT_IDENTIFIER_SYSTEM = "urn:decomp-desk:chart-number"
CODES = "urn:decomp-desk:codes"  # the clinic's own code system: scores, screening items, adverse events
LOINC = "http://loinc.org"
PAIN_LOINC = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CPT = "http://www.ama-assn.org/go/cpt"
PROCEDURE_DISPLAY = {"S9090": "Vertebral axial decompression, per session",
                     "97012": "Application of a modality to 1 or more areas; traction, mechanical",
                     "97799": "Unlisted physical medicine/rehabilitation service or procedure"}
GENDER = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other"}
SCORE_TEXT = {"pain": "Pain", "numbness": "Numbness", "tingling": "Tingling"}
_NAMESPACE = uuid.UUID("6f0c3f8e-2a57-4d0b-9a51-0d6c5e1c7a10")


@record
class PatientRecord:
    """Everything of one patient the bundle holds, as the services return it."""

    patient: PatientDetail
    screenings: tuple[ScreeningView, ...]  # oldest first
    courses: tuple[tuple[CourseView, tuple[SessionView, ...]], ...]
    procedure_code: str
    clinic_name: str = ""
    forms: tuple[FormView, ...] = ()  # the outcome forms, oldest first


def build_bundle(record: PatientRecord, timestamp: datetime,
                 identifier_system: str = DEFAULT_IDENTIFIER_SYSTEM) -> dict[str, Any]:
    b = _Builder(record, identifier_system)
    b.patient()
    b.screenings()
    for course, sessions in record.courses:
        for session in sessions:
            b.session(course, session)
    for form in record.forms:
        b.outcome_form(form)
    return {"resourceType": "Bundle", "id": b.id("bundle", timestamp.isoformat()), "type": "collection",
            "timestamp": timestamp.astimezone(UTC).isoformat(timespec="seconds"), "entry": b.entries}


def label_of(member: Labelled) -> str:
    """The enum member's label (set by Labelled's constructor, which mypy does not see)."""
    return str(member.label)  # type: ignore[attr-defined]


def clinic_coding(code: str, display: str) -> dict[str, Any]:
    return {"system": CODES, "code": code, "display": display}


def concept(code: str, display: str, text: str | None = None) -> dict[str, Any]:
    return {"coding": [clinic_coding(code, display)], "text": text or display}


def local_datetime(on: date, at: time, minutes: int = 0) -> str:
    """A clinic time with the workstation's offset (FHIR requires an offset once the time is given)."""
    moment = datetime.combine(on, at).astimezone() + timedelta(minutes=minutes)
    return moment.isoformat(timespec="seconds")


class _Builder:
    def __init__(self, record: PatientRecord, identifier_system: str):
        self.r, self.system = record, identifier_system
        self.entries: list[dict[str, Any]] = []
        self.patient_ref = {"reference": self.url("patient", 0)}
        chart = record.patient.chart_number
        self.patient_ref["display"] = f"{record.patient.first_name} {record.patient.last_name} (chart {chart})"

    # --- identity -------------------------------------------------------------------------------------
    def id(self, kind: str, key: object) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self.system}|{self.r.patient.chart_number}|{kind}|{key}"))

    def url(self, kind: str, key: object) -> str:
        return f"urn:uuid:{self.id(kind, key)}"

    def add(self, kind: str, key: object, resource: dict[str, Any]) -> dict[str, Any]:
        resource = {"resourceType": resource.pop("resourceType"), "id": self.id(kind, key), **resource}
        self.entries.append({"fullUrl": self.url(kind, key), "resource": resource})
        return resource

    # --- the patient ----------------------------------------------------------------------------------
    def patient(self) -> None:
        p = self.r.patient
        resource = {
            "resourceType": "Patient",
            "identifier": [{"use": "usual", "type": {"coding": [{"system": V2_0203, "code": "MR",
                                                                "display": "Medical record number"}],
                                                    "text": "Chart number"},
                            "system": self.system, "value": p.chart_number}],
            "active": not p.archived,
            "name": [{"use": "official", "text": f"{p.first_name} {p.last_name}", "family": p.last_name,
                      "given": [p.first_name]}],
        }
        telecom = [{"system": "phone", "value": p.phone}] * bool(p.phone)
        telecom += [{"system": "email", "value": p.email}] * bool(p.email)
        if telecom:
            resource["telecom"] = telecom
        if p.sex is not None:
            resource["gender"] = GENDER[p.sex]
        if p.date_of_birth is not None:
            resource["birthDate"] = p.date_of_birth.isoformat()
        if p.address.strip():
            lines = [x for x in p.address.splitlines() if x.strip()]
            resource["address"] = [{"text": p.address.strip(), "line": lines}]
        self.add("patient", 0, resource)

    # --- screenings -----------------------------------------------------------------------------------
    def screenings(self) -> None:
        screenings = self.r.screenings
        newest = screenings[-1].contraindications if screenings else frozenset()
        for s in screenings:
            obs = self.add("screening", s.id, self._screening(s))
            for c in sorted(s.contraindications):
                self.add("contraindication", (s.id, c.value), self._condition(s, c, c in newest, obs["id"]))

    def _screening(self, s: ScreeningView) -> dict[str, Any]:
        components = [{"code": concept("xray-taken", "X-ray of the treated region taken"),
                       "valueBoolean": s.xray_on is not None}]
        if s.xray_on is not None:
            components.append({"code": concept("xray-date", "Date of the x-ray"),
                               "valueDateTime": s.xray_on.isoformat()})
            components.append({"code": concept("xray-abnormal", "X-ray shows a bone abnormality"),
                               "valueBoolean": s.xray_abnormal})
            if s.xray_finding.strip():
                components.append({"code": concept("xray-finding", "X-ray finding"), "valueString": s.xray_finding})
        for c in Contraindication:
            components.append({"code": concept(c.value, label_of(c)), "valueBoolean": c in s.contraindications})
        for treated in sorted(s.conditions):
            components.append({"code": concept("condition-treated", "Condition to be treated"),
                               "valueCodeableConcept": concept(treated.value, label_of(treated))})
        resource = {
            "resourceType": "Observation", "status": "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "exam", "display": "Exam"}]}],
            "code": concept("screening", "Screening for spinal decompression", "Decompression screening"),
            "subject": self.patient_ref, "effectiveDateTime": s.screened_on.isoformat(),
            "valueCodeableConcept": concept(s.clearance.state.value, label_of(s.clearance.state),
                                            s.clearance.describe()),
            "bodySite": concept(s.region.value, label_of(s.region)),
            "component": components,
        }
        if s.screened_by:
            resource["performer"] = [{"display": s.screened_by}]
        if s.notes.strip():
            resource["note"] = [{"text": s.notes}]
        return resource

    def _condition(self, s: ScreeningView, c: Contraindication, still: bool, screening_id: str) -> dict[str, Any]:
        status = "active" if still else "resolved"
        return {
            "resourceType": "Condition",
            "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": status}]},
            "verificationStatus": {"coding": [{"system": CONDITION_VERIFICATION, "code": "confirmed"}]},
            "category": [{"coding": [{"system": CONDITION_CATEGORY, "code": "problem-list-item",
                                      "display": "Problem List Item"}]}],
            "code": concept(c.value, label_of(c), f"Contraindication to spinal decompression: {label_of(c)}"),
            "subject": self.patient_ref, "recordedDate": s.screened_on.isoformat(),
            "evidence": [{"detail": [{"reference": f"urn:uuid:{screening_id}"}]}],
        }

    # --- sessions -------------------------------------------------------------------------------------
    def session(self, course: CourseView, t: SessionView) -> None:
        procedure = self.add("session", t.id, self._procedure(course, t))
        for name in SCORE_NAMES:
            self.add(f"session-{name}", t.id, self._score(t, name, procedure["id"]))

    def _procedure(self, course: CourseView, t: SessionView) -> dict[str, Any]:
        code = self.r.procedure_code
        resource = {
            "resourceType": "Procedure",
            "status": "stopped" if t.stop_button else "completed",
            "category": concept("spinal-decompression", "Spinal decompression"),
            "code": {"coding": [{"system": HCPCS if code[:1].isalpha() else CPT, "code": code,
                                 "display": PROCEDURE_DISPLAY.get(code, code)}],
                     "text": f"Spinal decompression session {t.number} of {course.planned_sessions}"},
            "subject": self.patient_ref,
            "performedPeriod": {"start": local_datetime(t.date, t.start_time),
                                "end": local_datetime(t.date, t.start_time, t.duration_min)},
            "bodySite": [concept(course.region.value, label_of(course.region))],
        }
        if t.stop_button:
            minute = f" at minute {t.stop_minute}" if t.stop_minute is not None else ""
            resource["statusReason"] = concept("stop-button", "Patient pressed the stop button",
                                               f"The patient pressed the stop button{minute}")
        if t.clinician:
            resource["performer"] = [{"actor": {"display": t.clinician}}]
        adverse = [e for e in sorted(t.adverse_events) if e is not AdverseEvent.SORENESS]
        if adverse:
            resource["complication"] = [concept(e.value, label_of(e)) for e in adverse]
        if AdverseEvent.SORENESS in t.adverse_events:
            resource["outcome"] = concept("soreness", "Soreness", "Soreness after the session (expected)")
        notes = [x for x in (_settings_text(t), t.adverse_notes.strip(), t.notes.strip()) if x]
        if notes:
            resource["note"] = [{"text": x} for x in notes]
        return resource

    # --- outcome forms --------------------------------------------------------------------------------
    def outcome_form(self, form: FormView) -> None:
        f, scored = form.form, form.scored
        name = f.instrument.value
        response = self.add("form", form.id, {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": f"{CODES}:questionnaire:{name}",
            "status": "completed", "subject": self.patient_ref, "authored": f.date.isoformat(),
            "item": _form_items(form),
        })
        if form.recorded_by:
            response["author"] = {"display": form.recorded_by}
        observation: dict[str, Any] = {
            "resourceType": "Observation", "status": "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
            "code": concept(f"{name}-score", f"{label_of(f.instrument)} score", f"{f.instrument.short} score"),
            "subject": self.patient_ref, "effectiveDateTime": f.date.isoformat(),
            "derivedFrom": [{"reference": f"urn:uuid:{response['id']}"}],
            "component": [{"code": concept("answered", "Sections answered" if f.instrument.has_sections
                                           else "Activities rated"), "valueInteger": scored.answered}],
        }
        if scored.score is None:
            observation["dataAbsentReason"] = {
                "coding": [{"system": DATA_ABSENT, "code": "not-performed", "display": "Not Performed"}],
                "text": f"Incomplete: {scored.answered} of 10 sections answered; a form needs 8 to be scored"}
        elif f.instrument.has_sections:
            observation["valueInteger"] = int(scored.score)
            if scored.band:
                observation["interpretation"] = [{"text": scored.band}]
            observation["note"] = [{"text": "Percent: the sum of the answers over 5 x the sections answered"}]
        else:
            observation["valueQuantity"] = {"value": float(scored.score), "unit": "score",
                                            "system": "http://unitsofmeasure.org", "code": "{score}"}
            observation["note"] = [{"text": "The mean of the activities' ratings, 0 (unable) to 10"}]
        self.add("form-score", form.id, observation)

    def _score(self, t: SessionView, name: str, procedure_id: str) -> dict[str, Any]:
        if name == "pain":
            code = {"coding": [{"system": LOINC, "code": PAIN_LOINC[0], "display": PAIN_LOINC[1]}], "text": "Pain"}
        else:
            code = concept(name, f"{SCORE_TEXT[name]} severity - 0-10 numeric rating - Reported", SCORE_TEXT[name])
        resource = {
            "resourceType": "Observation", "status": "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
            "code": code, "subject": self.patient_ref, "effectiveDateTime": t.date.isoformat(),
            "valueInteger": getattr(t.before, name),
            "partOf": [{"reference": f"urn:uuid:{procedure_id}"}],
            "note": [{"text": "Reported before the session"}],
        }
        if t.after is not None:
            after = concept("after-session", f"{SCORE_TEXT[name]} reported after the session")
            resource["component"] = [{"code": after,
                                      "valueInteger": getattr(t.after, name)}]
        return resource


def _form_items(form: FormView) -> list[dict[str, Any]]:
    f = form.form
    if f.instrument.has_sections:
        from decomp_desk.domain.outcomes import SECTIONS

        return [{"linkId": str(n), "text": name, **({"answer": [{"valueInteger": a}]} if a is not None else {})}
                for n, (name, a) in enumerate(zip(SECTIONS[f.instrument], f.answers, strict=True), start=1)]
    return [{"linkId": f"activity-{n}", "text": a.name, "answer": [{"valueInteger": a.score}]}
            for n, a in enumerate(f.activities, start=1)]


def _settings_text(t: SessionView) -> str:
    """The table settings of the session, in a sentence (free values: tables differ)."""
    parts: list[str] = [label_of(t.position), "harness" if t.harness else "no harness"]
    if t.max_force_lb is not None:
        parts.append(f"maximum force {t.max_force_lb} lb")
    optional: Iterable[tuple[str, object, str]] = (
        ("mode", label_of(t.mode).lower() if t.mode else None, ""), ("minimum force", t.min_force_lb, " lb"),
        ("hold", t.hold_s, " s"), ("rest", t.rest_s, " s"), ("progressive steps", t.progressive_steps, ""),
        ("regressive steps", t.regressive_steps, ""), ("cycles", t.cycles, ""), ("angle", t.angle_deg, " degrees"))
    parts += [f"{label} {value}{unit}" for label, value, unit in optional if value is not None]
    return f"{t.duration_min} minutes; " + ", ".join(parts)
