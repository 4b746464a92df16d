"""course tallies: each course's session count and last session day, kept on the course

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


def upgrade() -> None:
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('last_session_on', sa.Date(), nullable=True))
    # The sessions recorded so far, counted once (the program keeps the figures from here on).
    op.execute("UPDATE courses SET "
               "session_count = (SELECT count(*) FROM treatment_sessions t WHERE t.course_id = courses.id), "
               "last_session_on = (SELECT max(t.date) FROM treatment_sessions t WHERE t.course_id = courses.id)")


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN on both databases (SQLite 3.35+): a batch copy of `courses` would drop
    # a table that sessions, payments and appointments point at.
    op.drop_column('courses', 'last_session_on')
    op.drop_column('courses', 'session_count')
