"""The audit trail's hash chain: each event carries the hash of the one before it.

An event's hash is SHA-256 over a canonical serialisation (a JSON array, fixed order, UTC time to the
microsecond) of its place in the chain, the previous event's hash and every field of the event. So an
edited event no longer matches its own hash; an edited event whose hash was made again no longer matches
the next event's `prev_hash`; a deleted event leaves a gap in the places (1, 2, 3 ...) and a link that
does not match; and deleting the newest events shows against the chain's head (table audit_chain, one
row), which every append updates.

Appends are serialised by the head row: it is read with SELECT ... FOR UPDATE inside the writing
transaction (PostgreSQL), and SQLite's write transactions begin with BEGIN IMMEDIATE (db/engine.py), so
two workstations writing at once queue up instead of both chaining onto the same predecessor. The events
of one unit of work are appended as its last step before the commit, so the lock is held only briefly.

This is tamper-evidence, not tamper-proofing: someone who can write to the database can also recompute
every hash from the altered event on. `check` then finds a consistent chain; a backup or an exported
copy of the trail taken before shows the difference (README, Security)."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import insert as sa_insert
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from decomp_desk.db.models import AuditChainHead, AuditEvent
from decomp_desk.domain.records import record

GENESIS = "0" * 64  # the "previous hash" of the first event
HEAD_ID = 1
FIELDS = ("at", "actor", "action", "entity", "entity_id", "chart_number", "detail")


def utc(at: datetime) -> datetime:
    """As UTCDateTime stores it: a naive time is UTC."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def canonical(seq: int, prev_hash: str, at: datetime, actor: str, action: str, entity: str,
              entity_id: int | None, chart_number: str, detail: str) -> bytes:
    return json.dumps([seq, prev_hash, utc(at).isoformat(timespec="microseconds"), actor, action, entity,
                       entity_id, chart_number, detail], ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def event_hash(seq: int, prev_hash: str, at: datetime, actor: str, action: str, entity: str,
               entity_id: int | None, chart_number: str, detail: str) -> str:
    return hashlib.sha256(canonical(seq, prev_hash, at, actor, action, entity, entity_id, chart_number,
                                    detail)).hexdigest()


def row_hash(row) -> str:
    """The hash an event (an AuditEvent or a row with the same attributes) should carry."""
    return event_hash(row.seq, row.prev_hash, row.at, row.actor, row.action, row.entity, row.entity_id,
                      row.chart_number, row.detail)


def _locked_head(s: Session) -> tuple[int, str]:
    """(last place, last hash) from the head row, locked until the transaction ends. A database made before
    the chain existed, or created from the models, gets its row here: from the newest chained event, or empty.

    The chain is read and written as plain rows (Core), not as ORM objects: an append is every audited
    unit of work's last step, and the ORM's flush of two objects cost several times these three statements
    (the first flush in a process most of all: the desk's sign-in and first list are both audited)."""
    h = AuditChainHead.__table__.c
    locked = select(h.last_seq, h.last_hash).where(h.id == HEAD_ID).with_for_update()
    head = s.execute(locked).first()
    if head is not None:
        return head.last_seq, head.last_hash
    last = s.execute(select(AuditEvent.seq, AuditEvent.hash, AuditEvent.at)
                     .order_by(AuditEvent.seq.desc()).limit(1)).first()
    values = {"id": HEAD_ID, "last_seq": last.seq if last else 0, "last_hash": last.hash if last else GENESIS,
              "last_at": last.at if last else None}
    dialect = s.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = __import__(f"sqlalchemy.dialects.{dialect}", fromlist=["insert"]).insert
        s.execute(insert(AuditChainHead).values(**values).on_conflict_do_nothing(index_elements=["id"]))
    else:  # pragma: no cover (only the two databases above are supported)
        s.execute(sa_insert(AuditChainHead).values(**values))
    head = s.execute(locked).one()
    return head.last_seq, head.last_hash


def append(s: Session, events: list[dict]) -> None:
    """Chain and insert `events` (dicts of FIELDS) inside the caller's transaction, after locking the head."""
    if not events:
        return
    seq, prev = _locked_head(s)
    rows = []
    for e in events:
        seq += 1
        row = {"seq": seq, "prev_hash": prev, "at": utc(e["at"]), "actor": e["actor"], "action": e["action"],
               "entity": e["entity"] or "", "entity_id": e["entity_id"], "chart_number": e["chart_number"] or "",
               "detail": e["detail"] or ""}
        row["hash"] = prev = event_hash(**row)
        rows.append(row)
    events_table, head_table = AuditEvent.__table__, AuditChainHead.__table__
    s.execute(sa_insert(events_table), rows)
    s.execute(update(head_table).where(head_table.c.id == HEAD_ID)
              .values(last_seq=seq, last_hash=prev, last_at=rows[-1]["at"]))


@record
class ChainReport:
    events: int
    problem: str | None  # the first broken link, in a sentence; None when the chain holds

    @property
    def ok(self) -> bool:
        return self.problem is None


def _when(at: datetime | None) -> str:
    return "an unknown time" if at is None else utc(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def verify(conn) -> ChainReport:
    """Walk the chain from the first event (reads only). `conn` is a Connection or a Session."""
    a = AuditEvent.__table__.c
    rows = conn.execute(select(a.id, a.seq, a.prev_hash, a.hash, a.at, a.actor, a.action, a.entity, a.entity_id,
                               a.chart_number, a.detail).order_by(a.seq, a.id)).yield_per(2000)
    count, before, problem = 0, None, None
    for row in rows:
        count += 1
        if problem is not None:
            continue
        name = f"event {row.id} ({_when(row.at)}, {row.action} by {row.actor})"
        expected_seq = before.seq + 1 if before is not None else 1
        expected_prev = before.hash if before is not None else GENESIS
        if row.seq is None:
            problem = f"{name} has no place in the chain: it was written outside DecompDesk."
        elif row.seq != expected_seq:
            problem = _gap(before, row, expected_seq)
        elif row.prev_hash != expected_prev:
            problem = (f"{name} does not follow the event before it"
                       + (f" (event {before.id}, {_when(before.at)})" if before is not None else "")
                       + ": one of them was altered.")
        elif row_hash(row) != row.hash:
            problem = f"{name} was altered after it was written (its content no longer matches its hash)."
        before = row
    head = conn.execute(select(AuditChainHead.__table__).where(AuditChainHead.__table__.c.id == HEAD_ID)).first()
    if problem is None:
        if head is None and before is not None:
            problem = "The audit trail's chain head (table audit_chain) is missing: it was deleted."
        elif head is not None and before is None and head.last_seq:
            problem = (f"All {head.last_seq} events of the audit trail were deleted (the newest was written "
                       f"{_when(head.last_at)}).")
        elif head is not None and before is not None and (head.last_seq, head.last_hash) != (before.seq, before.hash):
            if head.last_seq > before.seq:
                missing = head.last_seq - before.seq
                problem = (f"The newest {missing} event{'s' * (missing != 1)} of the audit trail "
                           f"{'were' if missing != 1 else 'was'} deleted: the chain ends at event {before.id} "
                           f"({_when(before.at)}), but its head records event number {head.last_seq}, "
                           f"written {_when(head.last_at)}.")
            else:
                problem = (f"The audit trail's chain head does not match its newest event {before.id} "
                           f"({_when(before.at)}): one of them was altered.")
    return ChainReport(count, problem)


def _gap(before, row, expected_seq: int) -> str:
    name = f"event {row.id} ({_when(row.at)}, {row.action} by {row.actor})"
    if row.seq < expected_seq:
        return f"{name} repeats place {row.seq} of the chain: it was copied or inserted outside DecompDesk."
    missing = row.seq - expected_seq
    if before is None:
        where = f"before the first remaining event, {name}"
    else:
        where = f"between event {before.id} ({_when(before.at)}) and {name}"
    ids, deleted = "", []
    if before is not None and row.id - before.id - 1 == missing:
        deleted = list(range(before.id + 1, row.id))
    elif before is None and row.id == row.seq:  # numbered alike from the start: the ids are known
        deleted = list(range(1, row.id))
    if deleted:
        ids = f" (event{'s' * (len(deleted) != 1)} {', '.join(map(str, deleted[:10]))}" + (" ..." * (len(deleted) > 10)) + ")"
    return (f"{missing} event{'s' * (missing != 1)}{ids} of the audit trail {'were' if missing != 1 else 'was'} "
            f"deleted {where}.")
