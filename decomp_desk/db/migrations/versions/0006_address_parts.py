"""address parts: city, state and ZIP for patients and the clinic's letterhead

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLES = ('patients', 'clinic_settings')
PARTS = (('city', 100), ('state', 40), ('zip_code', 12))


def upgrade() -> None:
    # The existing `address` column stays: it is the street, and an older record's whole address.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, length in PARTS:
                batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False, server_default=''))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in reversed(PARTS):
                batch_op.drop_column(name)
