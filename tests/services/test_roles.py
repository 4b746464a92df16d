"""Roles are enforced by the services, so no front end can bypass them (both databases): only clinicians
screen and record sessions; front desk, clinicians and administrators register and edit patients; only
an administrator changes the settings."""
from __future__ import annotations

from dataclasses import replace

import pytest

from decomp_desk.domain.errors import PermissionDenied
from decomp_desk.domain.types import Role
from decomp_desk.domain.validation import PatientInput
from decomp_desk.services.context import Actor
from tests.factories import cleared_patient_with_course, patient, screening, session

FRONT = Actor("fran", "Fran Front", frozenset({Role.FRONT_DESK}))
CLIN = Actor("carl", "Dr. Carl Clinician", frozenset({Role.CLINICIAN}))
ADMIN = Actor("ann", "Ann Admin", frozenset({Role.ADMINISTRATOR}))


def test_front_desk_may_not_record_or_edit_a_session(services):
    _, course = cleared_patient_with_course(services)
    saved = services.sessions.record(course.id, session())
    services.act_as(FRONT)
    with pytest.raises(PermissionDenied) as err:
        services.sessions.record(course.id, session(pain=3))
    assert str(err.value) == "Only a clinician may do this; Fran Front is not one."
    with pytest.raises(PermissionDenied, match="Only a clinician"):
        services.sessions.update(saved.session.id, session(pain=1), saved.session.version)
    assert [s.before.pain for s in services.sessions.for_course(course.id)] == [6]


def test_only_a_clinician_screens(services):
    p = patient(services)
    for actor in (FRONT, ADMIN):
        services.act_as(actor)
        with pytest.raises(PermissionDenied, match=f"Only a clinician may do this; {actor.full_name} is not one"):
            services.screenings.record(p.id, screening())
    assert services.screenings.history(p.id) == []
    services.act_as(CLIN)
    services.screenings.record(p.id, screening())


def test_a_clinician_may_not_edit_the_settings(services):
    current = services.settings.get()
    for actor in (CLIN, FRONT):
        services.act_as(actor)
        with pytest.raises(PermissionDenied) as err:
            services.settings.update(replace(current, name="Riverside"))
        assert str(err.value) == f"Only an administrator may do this; {actor.full_name} is not one."
    assert services.settings.get().name == current.name
    services.act_as(ADMIN)
    assert services.settings.update(replace(current, name="Riverside")).name == "Riverside"


@pytest.mark.parametrize("actor", [FRONT, CLIN, ADMIN], ids=lambda a: a.username)
def test_front_desk_clinicians_and_administrators_register_and_edit_patients(services, actor):
    services.act_as(actor)
    p = patient(services, chart="2001")
    edited = services.patients.update(p.id, PatientInput("2001", "Ann", "Lee-Smith"), p.version)
    assert (edited.last_name, edited.updated_by) == ("Lee-Smith", actor.username)
    services.patients.set_archived(p.id, True, edited.version)


def test_a_signed_out_desk_may_change_nothing(services):
    """Before anyone signs in the desk acts with no roles: every save is refused."""
    p = patient(services)
    services.act_as(Actor("", "Nobody signed in"))
    with pytest.raises(PermissionDenied, match="Nobody signed in is not one"):
        services.patients.create(PatientInput("9", "X", "Y"))
    with pytest.raises(PermissionDenied):
        services.patients.update(p.id, PatientInput("1001", "X", "Y"))
    with pytest.raises(PermissionDenied):
        services.audit.record_print(p.chart_number, "progress summary")
