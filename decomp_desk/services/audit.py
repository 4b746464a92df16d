"""Reading the audit trail, and recording prints and exports.

The trail itself is written by every service inside the unit of work it describes (ctx.audit), so an
event exists exactly when its change does. The table is append-only: triggers refuse UPDATE and DELETE
(db/seed.py). Times are stored in UTC; `since` and `until` given as dates mean local calendar days.

Actions in use: view, create, update, archive, unarchive, void, import, print, print_statement,
print_estimate, export, course_<status>, update_insurance, update_roles, enable, disable, reset_password,
unlock_account, password_changed, password_change_failed, login, login_failed, account_locked, lock,
unlock, unlock_failed, logout, view_audit. `choices()` lists those actually present, for the filters.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from decomp_desk.db import models as m
from decomp_desk.db.repositories import load_by_chart
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.records import record
from decomp_desk.domain.types import Role
from decomp_desk.services.context import ServiceContext

MAX_LIMIT = 100_000


@record
class AuditRow:
    id: int
    at: datetime  # UTC
    actor: str  # a user name, or 'os:<name>' for the command line
    action: str
    entity: str
    entity_id: int | None
    chart_number: str
    detail: str

    @property
    def local_time(self) -> str:
        return self.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")

    def as_json(self) -> dict:
        """The shape `decomp-desk audit --json` prints: `at` in ISO 8601 with its UTC offset."""
        return {**asdict(self), "at": self.at.isoformat()}


@record
class AuditChoices:
    """What the Audit view's filters offer: the names and actions present in the trail, sorted."""

    actors: tuple[str, ...]
    actions: tuple[str, ...]


def _moment(value: date | datetime, end_of_day: bool) -> datetime:
    """A datetime as given (naive means local time); a date is the start of that local day, or the
    start of the next one for the end of a range."""
    if not isinstance(value, datetime):
        value = datetime.combine(value + timedelta(days=1) if end_of_day else value, time())
    if value.tzinfo is None:
        value = value.astimezone()  # naive: local time
    return value.astimezone(UTC)


class AuditService:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    def events(self, actor: str | None = None, action: str | None = None, chart_number: str | None = None,
               since: date | datetime | None = None, until: date | datetime | None = None,
               limit: int = 1000) -> list[AuditRow]:
        """Newest first; each filter left None matches everything. `until` as a date includes that whole
        day; as a datetime, up to and including that moment. Administrators only (the command line acts
        with every role). Reading the trail is itself recorded ('view_audit')."""
        self.ctx.require(Role.ADMINISTRATOR)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise ValidationError.single("limit", f"must be a whole number from 1 to {MAX_LIMIT}")
        a = m.AuditEvent
        q = select(a)
        if actor:
            q = q.where(a.actor == actor.strip())
        if action:
            q = q.where(a.action == action.strip())
        if chart_number:
            q = q.where(a.chart_number == chart_number.strip())
        if since is not None:
            q = q.where(a.at >= _moment(since, end_of_day=False))
        if until is not None:
            q = q.where(a.at <= _moment(until, end_of_day=False) if isinstance(until, datetime)
                        else a.at < _moment(until, end_of_day=True))
        with self.ctx.unit_of_work() as s:
            rows = [AuditRow(e.id, e.at, e.actor, e.action, e.entity, e.entity_id, e.chart_number, e.detail)
                    for e in s.scalars(q.order_by(a.at.desc(), a.id.desc()).limit(limit))]
            filters = {"actor": actor, "action": action, "chart": chart_number, "since": since, "until": until}
            # Not filed under the chart: reading the trail is not opening the patient's record.
            self.ctx.audit(s, "view_audit", "audit", None, "",
                           "; ".join(f"{k} {v}" for k, v in filters.items() if v) or "all")
        return rows

    def choices(self) -> AuditChoices:
        self.ctx.require(Role.ADMINISTRATOR)
        a = m.AuditEvent
        with self.ctx.read() as s:
            actors = s.scalars(select(a.actor).distinct().order_by(a.actor)).all()
            actions = s.scalars(select(a.action).distinct().order_by(a.action)).all()
        return AuditChoices(tuple(actors), tuple(actions))

    def record_print(self, chart_number: str | None, what: str, detail: str = "") -> None:
        """A page was printed (or saved as PDF): of one patient's record, or clinic-wide when
        `chart_number` is None. `what` names the page: 'progress summary', 'statement', ..."""
        self._record("print", chart_number, what, detail)

    def record_export(self, chart_number: str | None, what: str, detail: str = "") -> None:
        """Records left the program (JSON, CSV, a copy of the database): `what` names the export."""
        self._record("export", chart_number, what, detail)

    def _record(self, action: str, chart_number: str | None, what: str, detail: str) -> None:
        self.ctx.require(*Role)  # anyone signed in; a signed-out desk has no roles
        what = " ".join((what or "").split())
        if not what:
            raise ValidationError.single("what", "is required (name what was printed or exported)")
        with self.ctx.unit_of_work() as s:
            if chart_number:
                p = load_by_chart(s, chart_number)
                self.ctx.audit(s, action, "patient", p.id, p.chart_number, "; ".join(filter(None, [what, detail])))
            else:
                self.ctx.audit(s, action, "clinic", None, "", "; ".join(filter(None, [what, detail])))
