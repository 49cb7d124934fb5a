"""reports at 1,000,000 records: covering indexes led by the authority, and one on DBS certificates

Revision ID: reports30001
Revises: security20001
Create Date: 2026-11-29 12:15:00

"""
from alembic import op


revision = 'reports30001'
down_revision = "security20001"
branch_labels = None
depends_on = None

# (name, table, columns); kept in step with licensing/reports/models.py REPORT_INDEXES.
INDEXES = [
    ('ix_licences_report_training_authority', 'licences',
     ['authority_id', 'licence_type', 'status', 'expires_on', 'issued_on', 'safeguarding_training_on']),
    ('ix_badges_report_authority', 'badges',
     ['authority_id', 'status', 'expires_on', 'issued_on', 'badge_type', 'safeguarding_training_on',
      'dbs_certificate_id']),
    ('ix_dbs_certificates_report', 'dbs_certificates',
     ['id', 'update_service_subscribed', 'last_status_check_on', 'issued_on']),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
