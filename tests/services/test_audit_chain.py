"""The audit trail's hash chain (issue 11, point 5), on SQLite and PostgreSQL: every event carries the hash
of the one before; `check` finds an edited or deleted event (the triggers bypassed, as the database's
owner or superuser can) and names the first broken link; two writers at once never fork the chain;
`check` changes nothing; an older database's events are chained by the migration."""
from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from decomp_desk.bootstrap import open_services
from decomp_desk.db import audit_chain
from decomp_desk.db import models as m
from decomp_desk.db.engine import is_sqlite, make_engine, sqlite_path
from decomp_desk.db.migrate import alembic_config
from decomp_desk.db.seed import install_audit_guard
from decomp_desk.services.backups import database_check
from tests.conftest import CLINICIAN
from tests.factories import patient


def _events(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            a = m.AuditEvent
            return c.execute(select(a.id, a.seq, a.prev_hash, a.hash, a.at, a.action).order_by(a.seq)).all()
    finally:
        engine.dispose()


def _tamper(url: str, statement: str, **params) -> None:
    """Run `statement` with the append-only triggers out of the way, as the owner of the tables could."""
    engine = make_engine(url)
    try:
        with engine.begin() as c:
            if is_sqlite(url):
                c.exec_driver_sql("DROP TRIGGER audit_events_no_update")
                c.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
            else:
                c.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
            c.execute(text(statement), params)
            if is_sqlite(url):
                install_audit_guard(c)
            else:
                c.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")
    finally:
        engine.dispose()


def _five_events(services) -> list:
    for i in range(5):
        patient(services, chart=f"10{i:02d}", first=f"Ann{i}")
    return _events(services.url)


def test_each_event_carries_the_hash_of_the_one_before(services):
    rows = _five_events(services)
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == audit_chain.GENESIS
    for before, row in zip(rows, rows[1:]):
        assert row.prev_hash == before.hash
    assert all(len(r.hash) == 64 for r in rows)
    report = database_check.check(services.url)
    assert report.ok, report.problems
    assert "audit trail: hash chain intact over 5 events" in report.facts


def test_a_deleted_event_is_named(services):
    rows = _five_events(services)
    _tamper(services.url, "DELETE FROM audit_events WHERE id = :id", id=rows[2].id)
    report = database_check.check(services.url)
    assert not report.ok
    problem = report.problems[-1]
    assert "audit trail was tampered with" in problem
    assert f"event {rows[2].id}" in problem and "deleted" in problem
    assert f"event {rows[3].id}" in problem  # the first link that no longer holds
    assert rows[3].at.astimezone().strftime("%Y-%m-%d %H:%M:%S") in problem  # and when it was written


def test_an_edited_event_is_named(services):
    rows = _five_events(services)
    _tamper(services.url, "UPDATE audit_events SET actor = 'someone else' WHERE id = :id", id=rows[1].id)
    report = database_check.check(services.url)
    assert not report.ok
    assert f"event {rows[1].id} (" in report.problems[-1] and "altered" in report.problems[-1]


def test_an_edited_event_with_its_hash_made_again_breaks_the_next_link(services):
    rows = _five_events(services)
    r = rows[1]
    forged = audit_chain.event_hash(r.seq, r.prev_hash, r.at, "someone else", r.action, "patient", None, "", "")
    _tamper(services.url, "UPDATE audit_events SET actor = 'someone else', entity_id = NULL, chart_number = '', "
                          "hash = :h WHERE id = :id", h=forged, id=r.id)
    problem = database_check.check(services.url).problems[-1]
    assert f"event {rows[2].id} (" in problem and "does not follow" in problem


def test_cutting_off_the_newest_events_shows(services):
    rows = _five_events(services)
    _tamper(services.url, "DELETE FROM audit_events WHERE id >= :id", id=rows[3].id)
    problem = database_check.check(services.url).problems[-1]
    assert "newest 2 events" in problem and "deleted" in problem


def test_check_changes_nothing(services):
    _five_events(services)
    _tamper(services.url, "DELETE FROM audit_events WHERE seq = 2")
    before = _events(services.url)
    digest = hashlib.sha256(sqlite_path(services.url).read_bytes()).hexdigest() if is_sqlite(services.url) else None
    assert not database_check.check(services.url).ok
    assert _events(services.url) == before
    if digest is not None:
        assert hashlib.sha256(sqlite_path(services.url).read_bytes()).hexdigest() == digest


def test_two_writers_at_once_never_fork_the_chain(db_url):
    """Two workstations (two engines, two threads) save at the same time: one chain, no place taken twice."""
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def desk(n: int) -> None:
        sv = open_services(db_url, CLINICIAN)
        try:
            start.wait()
            for i in range(15):
                patient(sv, chart=f"{n}{i:03d}", first=f"W{n}")
        except BaseException as e:
            errors.append(e)
        finally:
            sv.dispose()

    threads = [threading.Thread(target=desk, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = _events(db_url)
    assert [r.seq for r in rows] == list(range(1, 31))
    report = database_check.check(db_url)
    assert report.ok, report.problems


def test_an_older_databases_events_are_chained_by_the_upgrade(empty_db_url):
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as c:
            command.upgrade(alembic_config(c), "0001")
        with engine.begin() as c:
            for i in range(3):
                c.execute(text("INSERT INTO audit_events (at, actor, action, entity, entity_id, chart_number, detail) "
                               "VALUES (:at, 'os:old', 'view', 'patient', :i, '1001', '')"),
                          {"at": datetime(2026, 1, 1, 9, i, tzinfo=UTC), "i": i})
        with engine.begin() as c:
            command.upgrade(alembic_config(c), "head")
    finally:
        engine.dispose()
    assert [r.seq for r in _events(empty_db_url)] == [1, 2, 3]
    report = database_check.check(empty_db_url)
    assert report.ok, report.problems
    sv = open_services(empty_db_url, CLINICIAN)
    try:
        patient(sv)  # appends after the migrated events
    finally:
        sv.dispose()
    assert [r.seq for r in _events(empty_db_url)] == [1, 2, 3, 4]
    assert database_check.check(empty_db_url).ok
    with pytest.raises(DBAPIError, match="append-only"):  # the guard is back after the migration
        _e = make_engine(empty_db_url)
        try:
            with _e.begin() as c:
                c.execute(text("DELETE FROM audit_events"))
        finally:
            _e.dispose()


def test_a_deleted_first_event_is_named(services):
    rows = _five_events(services)
    _tamper(services.url, "DELETE FROM audit_events WHERE id = :id", id=rows[0].id)
    problem = database_check.check(services.url).problems[-1]
    assert f"(event {rows[0].id})" in problem and "before the first remaining event" in problem
    assert f"event {rows[1].id} (" in problem
