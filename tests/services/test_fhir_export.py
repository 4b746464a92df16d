"""`export CHART --fhir FILE.json` (both databases): one FHIR R4 Bundle of type collection whose every
resource passes the `fhir.resources` R4B models, with the patient's values where a reader looks for them."""
from __future__ import annotations

import json
import stat
from datetime import date, time

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from decomp_desk.domain.errors import NotFound
from decomp_desk.domain.types import AdverseEvent, Contraindication, Scores
from decomp_desk.services.demo.loading import load_demo
from decomp_desk.services.fhir_bundle import CODES, DEFAULT_IDENTIFIER_SYSTEM, PAIN_LOINC
from decomp_desk.services.fhir_export import patient_bundle, write_patient_bundle
from tests.factories import DAY0, cleared_patient_with_course, screening, session


def validate(bundle: dict) -> Bundle:
    """Every entry by its own model, then the whole Bundle."""
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
    return Bundle.model_validate(bundle)


def of_type(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def coded(resource: dict, system: str, code: str) -> bool:
    return any(c["system"] == system and c["code"] == code for c in resource["code"]["coding"])


@pytest.fixture
def treated(services):
    p, course = cleared_patient_with_course(services, "1001", first="Ann", last="Lee", date_of_birth=date(1968, 4, 12),
                                            sex="F", phone="555-0101", email="ann@example.com")
    services.sessions.record(course.id, session(DAY0, time(9, 0), 7, 5, 3, after=Scores(5, 4, 3)))
    services.sessions.record(course.id, session(date(2026, 3, 4), time(14, 30), 4, 2, 0, duration=14,
                                                stop_button=True, stop_minute=14, adverse_events=frozenset(
                                                    {AdverseEvent.SORENESS, AdverseEvent.TISSUE_DAMAGE})))
    services.screenings.record(p.id, screening(date(2026, 3, 6), contra=[Contraindication.PREGNANT]))
    return p


def test_the_bundle_holds_the_patient_screenings_sessions_and_scores_and_validates(services, treated):
    bundle = patient_bundle(services.ctx, "1001")
    validate(bundle)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"

    [patient] = of_type(bundle, "Patient")
    assert patient["identifier"][0]["system"] == DEFAULT_IDENTIFIER_SYSTEM
    assert patient["identifier"][0]["value"] == "1001"
    assert patient["name"][0]["family"] == "Lee" and patient["name"][0]["given"] == ["Ann"]
    assert patient["birthDate"] == "1968-04-12" and patient["gender"] == "female"
    assert {(t["system"], t["value"]) for t in patient["telecom"]} == {("phone", "555-0101"),
                                                                      ("email", "ann@example.com")}
    patient_url = f"urn:uuid:{patient['id']}"

    procedures = of_type(bundle, "Procedure")
    assert [p["status"] for p in procedures] == ["completed", "stopped"]
    assert all(p["code"]["coding"][0]["code"] == "S9090" and p["subject"]["reference"] == patient_url
               for p in procedures)
    assert procedures[1]["performedPeriod"]["start"].startswith("2026-03-04T14:30:00")
    assert procedures[1]["performedPeriod"]["end"].startswith("2026-03-04T14:44:00")
    assert [c["coding"][0]["code"] for c in procedures[1]["complication"]] == ["tissue_damage"]

    observations = of_type(bundle, "Observation")
    pain = [o for o in observations if coded(o, "http://loinc.org", PAIN_LOINC[0])]
    assert [(o["effectiveDateTime"], o["valueInteger"]) for o in pain] == [("2026-03-02", 7), ("2026-03-04", 4)]
    assert pain[0]["code"]["coding"][0]["display"] == PAIN_LOINC[1]
    assert pain[0]["component"][0]["valueInteger"] == 5  # after the session
    for name, values in (("numbness", [5, 2]), ("tingling", [3, 0])):
        assert [o["valueInteger"] for o in observations if coded(o, CODES, name)] == values
    assert {o["partOf"][0]["reference"] for o in pain} == {f"urn:uuid:{p['id']}" for p in procedures}

    screenings = [o for o in observations if coded(o, CODES, "screening")]
    assert [s["effectiveDateTime"] for s in screenings] == ["2026-03-02", "2026-03-06"]
    [condition] = of_type(bundle, "Condition")
    assert condition["code"]["coding"][0]["code"] == "pregnant" and condition["recordedDate"] == "2026-03-06"
    assert condition["clinicalStatus"]["coding"][0]["code"] == "active"


def test_the_procedure_code_follows_the_settings_and_the_identifier_system_may_be_chosen(services, treated):
    settings = services.settings.get()
    from dataclasses import replace

    services.settings.update(replace(settings, name="Riverside", procedure_code="97012"))
    bundle = patient_bundle(services.ctx, "1001", "https://clinic.example/charts")
    validate(bundle)
    assert {p["code"]["coding"][0]["code"] for p in of_type(bundle, "Procedure")} == {"97012"}
    assert of_type(bundle, "Patient")[0]["identifier"][0]["system"] == "https://clinic.example/charts"


def test_the_file_is_written_for_its_owner_only_and_the_export_audited(services, treated, tmp_path):
    r = write_patient_bundle(services.ctx, "1001", tmp_path / "ann.json")
    assert stat.S_IMODE((tmp_path / "ann.json").stat().st_mode) == 0o600
    assert (r.chart_number, r.patient_name) == ("1001", "Ann Lee")
    validate(json.loads((tmp_path / "ann.json").read_text(encoding="utf-8")))
    event = next(e for e in services.audit.events() if e.action == "export")
    assert event.chart_number == "1001" and "FHIR" in event.detail
    with pytest.raises(NotFound):
        write_patient_bundle(services.ctx, "9999", tmp_path / "nobody.json")
    assert not (tmp_path / "nobody.json").exists()


def test_every_demo_patient_gives_a_valid_bundle(services):
    load_demo(services)
    for row in services.patients.list(include_archived=True):
        bundle = patient_bundle(services.ctx, row.chart_number)
        validate(bundle)
        sessions = sum(c.sessions_completed for c in services.courses.for_patient(row.id))
        assert len(of_type(bundle, "Procedure")) == sessions
        scores = [o for o in of_type(bundle, "Observation") if o.get("partOf")]
        assert len(scores) == 3 * sessions and all(isinstance(o["valueInteger"], int) for o in scores)


def test_each_outcome_form_is_a_questionnaire_response_with_its_score(services):
    load_demo(services)
    checked = 0
    for row in services.patients.list(include_archived=True):
        bundle = patient_bundle(services.ctx, row.chart_number)
        validate(bundle)
        forms = sorted((f for c in services.courses.for_patient(row.id)
                        for f in services.outcomes.for_course(c.id).forms), key=lambda f: (f.date, f.id))
        responses = of_type(bundle, "QuestionnaireResponse")
        assert len(responses) == len(forms)
        scores = {o["derivedFrom"][0]["reference"]: o for o in of_type(bundle, "Observation") if o.get("derivedFrom")}
        for form, response in zip(forms, responses, strict=True):
            assert response["authored"] == form.date.isoformat() and response["status"] == "completed"
            score = scores[f"urn:uuid:{response['id']}"]
            assert score["effectiveDateTime"] == form.date.isoformat()
            assert score["code"]["coding"][0]["code"] == f"{form.instrument.value}-score"
            if form.instrument.has_sections:
                answers = [i["answer"][0]["valueInteger"] if "answer" in i else None for i in response["item"]]
                assert answers == list(form.form.answers) and len(answers) == 10
                if form.scored.score is None:
                    assert "valueInteger" not in score and score["dataAbsentReason"]
                else:
                    assert score["valueInteger"] == form.scored.score
                    assert score["interpretation"][0]["text"] == form.scored.band
            else:
                assert [(i["text"], i["answer"][0]["valueInteger"]) for i in response["item"]] == [
                    (a.name, a.score) for a in form.form.activities]
                assert score["valueQuantity"]["value"] == float(form.scored.score)
            checked += 1
    assert checked > 50
