"""The audit trail: what is recorded, reading it with filters (administrators only), and that the table
refuses UPDATE and DELETE (both databases)."""
from __future__ import annotations

import getpass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from decomp_desk.bootstrap import open_services
from decomp_desk.db.engine import make_engine
from decomp_desk.domain.errors import NotFound, PermissionDenied, ValidationError
from decomp_desk.domain.types import Role
from decomp_desk.services.context import Actor
from tests.factories import cleared_patient_with_course, patient, session

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_viewing_creating_changing_printing_and_exporting_a_patient_are_recorded(services):
    p, course = cleared_patient_with_course(services)
    services.sessions.record(course.id, session())
    services.patients.get(p.id)
    services.patients.by_chart("1001")
    services.audit.record_print("1001", "progress summary")
    services.audit.record_export("1001", "patient record", "JSON")
    services.audit.record_export(None, "patient list", "patients.csv")
    rows = services.audit.events(chart_number="1001")
    assert [(r.actor, r.action, r.entity) for r in rows] == [
        ("dr.test", "export", "patient"), ("dr.test", "print", "patient"), ("dr.test", "view", "patient"),
        ("dr.test", "view", "patient"), ("dr.test", "create", "session"), ("dr.test", "create", "course"),
        ("dr.test", "create", "screening"), ("dr.test", "create", "patient"),
    ]
    assert rows[0].detail == "patient record; JSON" and rows[0].entity_id == p.id
    [clinic_wide] = services.audit.events(action="export", chart_number=None, limit=5)[:1]
    assert (clinic_wide.entity, clinic_wide.chart_number) == ("clinic", "")
    assert clinic_wide.detail == "patient list; patients.csv"
    with pytest.raises(NotFound):
        services.audit.record_print("9999", "statement")
    with pytest.raises(ValidationError, match="what: is required"):
        services.audit.record_print("1001", "  ")


def test_events_are_newest_first_and_filter_by_user_action_chart_and_time(services):
    clock = {"at": T0}
    services.ctx.now = lambda: clock["at"]
    patient(services, chart="A1")
    clock["at"] = T0 + timedelta(days=1)
    services.act_as(Actor("fran", "Fran", frozenset({Role.FRONT_DESK})))
    patient(services, chart="B2")
    clock["at"] = T0 + timedelta(days=2)
    services.act_as(Actor("ann", "Ann", frozenset({Role.ADMINISTRATOR})))
    services.patients.by_chart("A1")
    ev = services.audit.events
    assert [(r.actor, r.action, r.chart_number) for r in ev()] == [
        ("ann", "view", "A1"), ("fran", "create", "B2"), ("dr.test", "create", "A1")]
    assert [r.chart_number for r in ev(actor="fran")] == ["B2"]
    assert [r.actor for r in ev(action="create")] == ["fran", "dr.test"]
    assert [r.action for r in ev(chart_number="A1")] == ["view", "create"]
    day1 = (T0 + timedelta(days=1)).astimezone().date()
    assert [r.chart_number for r in ev(action="create", since=day1)] == ["B2"]
    assert [r.chart_number for r in ev(action="create", until=day1 - timedelta(days=1))] == ["A1"]
    assert [r.chart_number for r in ev(action="create", since=day1, until=day1)] == ["B2"]
    assert [r.chart_number for r in ev(action="create", until=T0)] == ["A1"]  # a moment: inclusive
    assert len(ev(limit=2)) == 2
    with pytest.raises(ValidationError, match="limit"):
        ev(limit=0)
    choices = services.audit.choices()
    assert choices.actors == ("ann", "dr.test", "fran")
    assert {"create", "view", "view_audit"} <= set(choices.actions)
    newest = ev(limit=1)[0]
    assert newest.action == "view_audit" and newest.actor == "ann"
    assert newest.as_json()["at"] == newest.at.isoformat() and newest.at.tzinfo is not None


@pytest.mark.parametrize("roles", [{Role.CLINICIAN}, {Role.FRONT_DESK}], ids=["clinician", "front_desk"])
def test_only_an_administrator_reads_the_audit_trail(services, roles):
    services.act_as(Actor("x", "Some One", frozenset(roles)))
    with pytest.raises(PermissionDenied, match="Only an administrator may do this"):
        services.audit.events()
    with pytest.raises(PermissionDenied):
        services.audit.choices()


def test_the_command_line_acts_under_the_operating_system_user(db_url):
    sv = open_services(db_url)  # no actor given: the command line's
    try:
        patient(sv, chart="7")
        me = f"os:{getpass.getuser()}"
        assert sv.ctx.actor.username == me and sv.ctx.actor.roles == set(Role)
        assert [(r.actor, r.action) for r in sv.audit.events(chart_number="7")] == [(me, "create")]
    finally:
        sv.dispose()


def test_the_audit_table_refuses_update_and_delete(services, db_url):
    patient(services)
    engine = make_engine(db_url)  # the SQLite file is encrypted: through the program's engine
    try:
        for statement in ("UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"):
            with pytest.raises(DatabaseError, match="append-only"):
                with engine.begin() as conn:
                    conn.execute(text(statement))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT actor, action FROM audit_events")).all() == [("dr.test", "create")]
    finally:
        engine.dispose()
