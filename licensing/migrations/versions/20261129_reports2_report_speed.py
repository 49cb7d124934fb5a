"""driver licences record safeguarding training; covering indexes so every report answers in under a second

Revision ID: reports20001
Revises: merge_daily0001
Create Date: 2026-11-29 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'reports20001'
down_revision = "merge_daily0001"
branch_labels = None
depends_on = None

# (name, table, columns); kept in step with licensing/reports/models.py REPORT_INDEXES.
INDEXES = [
    ('ix_identities_merged_into_id', 'identities', ['merged_into_id']),
    ('ix_complaints_report', 'complaints',
     ['received_on', 'authority_id', 'category', 'substantiated', 'person_record_id']),
    ('ix_complaints_person_received', 'complaints', ['person_record_id', 'received_on']),
    ('ix_sanctions_report', 'sanctions',
     ['decided_on', 'authority_id', 'sanction_type', 'grounds', 'person_record_id']),
    ('ix_addresses_current', 'addresses', ['person_record_id', 'from_on', 'id', 'postcode']),
    ('ix_licences_report_training', 'licences',
     ['licence_type', 'status', 'expires_on', 'issued_on', 'safeguarding_training_on', 'authority_id']),
    ('ix_badges_report', 'badges',
     ['status', 'expires_on', 'issued_on', 'badge_type', 'safeguarding_training_on', 'authority_id',
      'dbs_certificate_id']),
]


def upgrade():
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safeguarding_training_on', sa.Date(), nullable=True))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.drop_column('safeguarding_training_on')
