"""outcome questionnaire forms (ODI, NDI, PSFS)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outcome_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('instrument', sa.String(length=32), nullable=False),
    sa.Column('region', sa.String(length=32), nullable=False),
    sa.Column('answers', sa.String(length=1000), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_outcome_forms_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_forms'))
    )
    with op.batch_alter_table('outcome_forms', schema=None) as batch_op:
        batch_op.create_index('ix_outcome_forms_patient_date', ['patient_id', 'date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outcome_forms', schema=None) as batch_op:
        batch_op.drop_index('ix_outcome_forms_patient_date')
    op.drop_table('outcome_forms')
