"""Each course's session count and last session day, kept on the course.

The patient list shows both for every patient, and counting them at each start meant reading the index
of every session ever recorded (300,000 in ten busy years; on SQLite most of that time went to
decrypting its pages). They are kept instead by every write of a session: `retally` counts them again
from the sessions themselves, so a tally can never drift from a write that forgot an increment, and the
database check (services/backups/database_check.py) compares them with the sessions."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Connection, ScalarSelect, Table, func, select, update
from sqlalchemy.orm import Session

from decomp_desk.db import models as m

CHUNK = 500  # ids per statement: well within SQLite's limit on bound parameters


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def counted() -> tuple[ScalarSelect[int], ScalarSelect[object]]:
    """(count, last day) of the sessions of the course in the enclosing statement, as subqueries."""
    c, t = _table(m.Course), _table(m.TreatmentSession)
    return (select(func.count()).where(t.c.course_id == c.c.id).scalar_subquery(),
            select(func.max(t.c.date)).where(t.c.course_id == c.c.id).scalar_subquery())


def retally(s: Session | Connection, course_ids: Iterable[int]) -> None:
    """Count these courses' sessions again and keep the figures on the courses.

    A plain UPDATE of the table, not of the mapped rows: a tally is not an edit of the course, so its
    version (which guards against overwriting someone's edit) and its 'last changed' stay as they were.
    Mapped courses already loaded in `s` are told that the two figures changed."""
    ids = sorted(set(course_ids))
    if not ids:
        return
    c = _table(m.Course)
    count, last = counted()
    for i in range(0, len(ids), CHUNK):
        chunk = c.c.id.in_(ids[i:i + CHUNK])
        # The courses are locked before they are counted. On PostgreSQL a writer that waited for another's
        # lock inside the UPDATE would count with the snapshot it began with and miss the other's session
        # (a test has two writers do just that); the UPDATE after this lock counts with a fresh one. FOR NO
        # KEY UPDATE, not FOR UPDATE: the session rows' foreign keys hold key-share locks on the course.
        # SQLite lets one writer in at a time and has no row locks (SQLAlchemy leaves the clause out).
        s.execute(select(c.c.id).where(chunk).with_for_update(key_share=True))
        s.execute(update(c).where(chunk).values(session_count=count, last_session_on=last, updated_at=c.c.updated_at))
    if isinstance(s, Session):
        for course in list(s.identity_map.values()):
            if isinstance(course, m.Course) and course.id in ids:
                s.expire(course, ["session_count", "last_session_on"])


def untallied(s: Session | Connection) -> int:
    """How many courses keep a session count or last day that their sessions do not bear out."""
    c = _table(m.Course)
    count, last = counted()
    wrong = (c.c.session_count != count) | (c.c.last_session_on.is_distinct_from(last))
    return s.execute(select(func.count()).select_from(c).where(wrong)).scalar_one()
