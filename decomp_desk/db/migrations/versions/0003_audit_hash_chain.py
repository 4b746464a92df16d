"""the audit trail's hash chain: seq, prev_hash and hash on each event, and the chain's head

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-01

The events already written are chained in the order they were written (by id), so an older database's
trail is covered from its first event on.
"""
import sqlalchemy as sa
from alembic import op

from decomp_desk.db.audit_chain import GENESIS, HEAD_ID, event_hash, utc
from decomp_desk.db.base import UTCDateTime
from decomp_desk.db.seed import install_audit_guard

revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None

# The append-only triggers (db/seed.py) refuse the UPDATE that chains the existing events: lifted for
# this migration only, and put back at its end.
DROP_GUARD = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_events_no_update", "DROP TRIGGER IF EXISTS audit_events_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events"],
}


def _drop_guard(bind) -> None:
    for statement in DROP_GUARD.get(bind.dialect.name, []):
        bind.exec_driver_sql(statement)


def upgrade() -> None:
    bind = op.get_bind()
    _drop_guard(bind)
    op.create_table('audit_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    events = sa.table('audit_events', sa.column('id', sa.Integer), sa.column('at', UTCDateTime),
                      *(sa.column(c) for c in ('actor', 'action', 'entity', 'entity_id', 'chart_number', 'detail',
                                               'seq', 'prev_hash', 'hash')))
    seq, prev, last_at, updates = 0, GENESIS, None, []
    for row in bind.execute(sa.select(events).order_by(events.c.id)):
        seq += 1
        h = event_hash(seq, prev, row.at, row.actor, row.action, row.entity or "", row.entity_id,
                       row.chart_number or "", row.detail or "")
        updates.append({"b_id": row.id, "seq": seq, "prev_hash": prev, "hash": h})
        prev, last_at = h, utc(row.at)
    if updates:
        bind.execute(events.update().where(events.c.id == sa.bindparam("b_id"))
                     .values(seq=sa.bindparam("seq"), prev_hash=sa.bindparam("prev_hash"), hash=sa.bindparam("hash")),
                     updates)
    head = sa.table('audit_chain', sa.column('id'), sa.column('last_seq'), sa.column('last_hash'),
                    sa.column('last_at', UTCDateTime))
    bind.execute(head.insert().values(id=HEAD_ID, last_seq=seq, last_hash=prev, last_at=last_at))

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index('uq_audit_events_seq', ['seq'], unique=True)
    install_audit_guard(bind)  # CREATE OR REPLACE for PostgreSQL's function


def downgrade() -> None:
    bind = op.get_bind()
    _drop_guard(bind)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('uq_audit_events_seq')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
    op.drop_table('audit_chain')
    install_audit_guard(bind)  # CREATE OR REPLACE for PostgreSQL's function
