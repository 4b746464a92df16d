"""the patient list's reads: each course's session count and last session day kept on the course, and
indexes that hold every column the list reads (patients, screenings, courses), plus one on care plans

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


# (table, index, its columns before, its columns now)
WIDENED = (
    ('patients', 'ix_patients_name', ['last_name', 'first_name'],
     ['last_name', 'first_name', 'id', 'chart_number', 'date_of_birth', 'phone', 'archived']),
    ('screenings', 'ix_screenings_patient_date', ['patient_id', 'screened_on'],
     ['patient_id', 'screened_on', 'id', 'region', 'xray_on', 'xray_abnormal', 'spinal_hardware', 'nerve_damage',
      'bone_cancer', 'osteoporosis', 'pregnant']),
    ('courses', 'ix_courses_patient_status', ['patient_id', 'status'],
     ['patient_id', 'status', 'start_date', 'id', 'planned_sessions', 'session_count', 'last_session_on', 'region']),
)


def upgrade() -> None:
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('last_session_on', sa.Date(), nullable=True))
    # The sessions recorded so far, counted once (the program keeps the figures from here on).
    op.execute("UPDATE courses SET "
               "session_count = (SELECT count(*) FROM treatment_sessions t WHERE t.course_id = courses.id), "
               "last_session_on = (SELECT max(t.date) FROM treatment_sessions t WHERE t.course_id = courses.id)")
    # Plain CREATE and DROP INDEX on both databases (no batch copy of the tables).
    for table, name, _, now in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, now, unique=False)
    op.create_index('ix_courses_plan', 'courses', ['plan'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_courses_plan', table_name='courses')
    for table, name, before, _ in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before, unique=False)
    # ALTER TABLE ... DROP COLUMN on both databases (SQLite 3.35+): a batch copy of `courses` would drop
    # a table that sessions, payments and appointments point at.
    op.drop_column('courses', 'last_session_on')
    op.drop_column('courses', 'session_count')
