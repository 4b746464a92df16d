"""Reference data every new database starts with, and the append-only guard on the audit trail."""
from __future__ import annotations

from sqlalchemy import Connection, column, insert, table

from decomp_desk.db.base import utcnow
from decomp_desk.domain.types import Region

# Spelled out here rather than taken from the models: the first migration calls this, and must
# keep inserting the same columns whatever the models grow later.
_settings = table(
    "clinic_settings", *(column(c) for c in (
        "id", "name", "address", "phone", "tax_id", "default_fee", "default_planned_sessions",
        "procedure_code", "paper_size", "idle_lock_minutes", "backup_retention",
        "created_at", "created_by", "updated_at", "updated_by", "version")),
)
_icd = table("icd_codes", column("code"), column("description"), column("region"), column("active"))

# The ICD-10-CM codes a decompression clinic typically starts from (DOMAIN.md); the clinic edits the list.
DEFAULT_ICD10 = [
    ("M51.16", "Intervertebral disc disorder with radiculopathy, lumbar region", Region.LUMBAR),
    ("M51.26", "Other intervertebral disc displacement, lumbar region", Region.LUMBAR),
    ("M51.36", "Other intervertebral disc degeneration, lumbar region", Region.LUMBAR),
    ("M54.16", "Radiculopathy, lumbar region", Region.LUMBAR),
    ("M54.17", "Radiculopathy, lumbosacral region", Region.LUMBAR),
    ("M54.30", "Sciatica, unspecified side", Region.LUMBAR),
    ("M54.31", "Sciatica, right side", Region.LUMBAR),
    ("M54.32", "Sciatica, left side", Region.LUMBAR),
    ("M54.40", "Lumbago with sciatica, unspecified side", Region.LUMBAR),
    ("M54.41", "Lumbago with sciatica, right side", Region.LUMBAR),
    ("M54.42", "Lumbago with sciatica, left side", Region.LUMBAR),
    ("M47.816", "Spondylosis without myelopathy or radiculopathy, lumbar region (facet syndrome)", Region.LUMBAR),
    ("M54.2", "Cervicalgia", Region.CERVICAL),
    ("M50.10", "Cervical disc disorder with radiculopathy, unspecified cervical region", Region.CERVICAL),
    ("M50.20", "Other cervical disc displacement, unspecified cervical region", Region.CERVICAL),
    ("M50.30", "Other cervical disc degeneration, unspecified cervical region", Region.CERVICAL),
]

AUDIT_GUARD = {
    "sqlite": [
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    ],
}


def install_audit_guard(conn: Connection) -> None:
    for statement in AUDIT_GUARD.get(conn.dialect.name, []):
        conn.exec_driver_sql(statement)


def seed_reference_data(conn: Connection) -> None:
    install_audit_guard(conn)
    now = utcnow()
    conn.execute(insert(_settings).values(
        id=1, name="", address="", phone="", tax_id="", default_fee=8500, default_planned_sessions=30,
        procedure_code="S9090", paper_size="letter", idle_lock_minutes=10, backup_retention=14,
        created_at=now, created_by="setup", updated_at=now, updated_by="setup", version=1,
    ))
    conn.execute(insert(_icd), [
        {"code": c, "description": d, "region": r.value, "active": True} for c, d, r in DEFAULT_ICD10
    ])
