"""licensing manager and county safeguarding lead roles; indexes for the oversight reports

Revision ID: reports0001
Revises: 6e678cc001c5
Create Date: 2026-11-29 05:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'reports0001'
down_revision = '6e678cc001c5'
branch_labels = None
depends_on = None

OLD_ROLES = ('licensing_officer', 'client_transport_officer', 'police_spoc', 'administrator', 'auditor')
NEW_ROLES = OLD_ROLES + ('licensing_manager', 'county_safeguarding_lead')


def _role_type(values):
    return sa.Enum(*values, name='role', native_enum=False, create_constraint=True, length=40)


def _set_roles(old, new):
    # The role column is a string with a CHECK constraint listing the roles, so the constraint is rebuilt.
    with op.batch_alter_table('users', schema=None, recreate='always') as batch_op:
        batch_op.alter_column('role', existing_type=_role_type(old), type_=_role_type(new), existing_nullable=False)


REPORT_INDEXES = [
    ('ix_sanctions_decided_on', 'sanctions', ['decided_on']),
    ('ix_complaints_received_on', 'complaints', ['received_on']),
    ('ix_complaints_category_received_on', 'complaints', ['category', 'received_on']),
    ('ix_alerts_created_at', 'alerts', ['created_at']),
    ('ix_record_links_set_at', 'record_links', ['set_at']),
    ('ix_record_links_state_created_at', 'record_links', ['state', 'created_at']),
    ('ix_applicant_checks_checked_at', 'applicant_checks', ['checked_at']),
    ('ix_intelligence_items_submitted_on', 'intelligence_items', ['submitted_on']),
]


def upgrade():
    for name, table, columns in REPORT_INDEXES:
        op.create_index(name, table, columns, unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        _set_roles(OLD_ROLES, NEW_ROLES)
        return
    op.drop_constraint(op.f('ck_users_role'), 'users', type_='check')
    op.create_check_constraint(op.f('ck_users_role'), 'users', sa.column('role').in_(NEW_ROLES))


def downgrade():
    for name, table, _columns in REPORT_INDEXES:
        op.drop_index(name, table_name=table)
    if op.get_bind().dialect.name == 'sqlite':
        _set_roles(NEW_ROLES, OLD_ROLES)
        return
    op.drop_constraint(op.f('ck_users_role'), 'users', type_='check')
    op.create_check_constraint(op.f('ck_users_role'), 'users', sa.column('role').in_(OLD_ROLES))
