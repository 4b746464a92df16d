"""care plans and the appointment book: courses.plan, clinic tables, opening hours, the book's settings,
appointments and the reminder log

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
# After main's audit hash chain (0003); the integrator may re-chain.
down_revision = '0004'
branch_labels = None
depends_on = None


def _tracked() -> list:
    return [sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('created_by', sa.String(length=80), nullable=False),
            sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('updated_by', sa.String(length=80), nullable=False),
            sa.Column('version', sa.Integer(), nullable=False)]


def upgrade() -> None:
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan', sa.String(length=120), nullable=True))
    op.create_table('clinic_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    *_tracked(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_tables')),
    sa.UniqueConstraint('name', name=op.f('uq_clinic_tables_name'))
    )
    op.create_table('opening_hours',
    sa.Column('weekday', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('opens', sa.Time(), nullable=True),
    sa.Column('closes', sa.Time(), nullable=True),
    sa.PrimaryKeyConstraint('weekday', name=op.f('pk_opening_hours'))
    )
    op.create_table('book_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_minutes', sa.Integer(), nullable=False),
    sa.Column('smtp_host', sa.String(length=200), nullable=False),
    sa.Column('smtp_port', sa.Integer(), nullable=False),
    sa.Column('smtp_starttls', sa.Boolean(), nullable=False),
    sa.Column('smtp_user', sa.String(length=200), nullable=False),
    sa.Column('smtp_password_encrypted', sa.Text(), nullable=False),
    sa.Column('smtp_sender', sa.String(length=200), nullable=False),
    *_tracked(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book_settings'))
    )
    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    *_tracked(),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_appointments_course_id_courses')),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_appointments_patient_id_patients')),
    sa.ForeignKeyConstraint(['session_id'], ['treatment_sessions.id'],
                            name=op.f('fk_appointments_session_id_treatment_sessions')),
    sa.ForeignKeyConstraint(['table_id'], ['clinic_tables.id'], name=op.f('fk_appointments_table_id_clinic_tables')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_date', ['date'], unique=False)
        batch_op.create_index('ix_appointments_patient_date', ['patient_id', 'date'], unique=False)
    op.create_table('appointment_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('sent', sa.Boolean(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'],
                            name=op.f('fk_appointment_reminders_appointment_id_appointments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_reminders'))
    )
    with op.batch_alter_table('appointment_reminders', schema=None) as batch_op:
        batch_op.create_index('ix_appointment_reminders_appointment', ['appointment_id'], unique=False)


def downgrade() -> None:
    op.drop_table('appointment_reminders')
    op.drop_table('appointments')
    op.drop_table('book_settings')
    op.drop_table('opening_hours')
    op.drop_table('clinic_tables')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('plan')
