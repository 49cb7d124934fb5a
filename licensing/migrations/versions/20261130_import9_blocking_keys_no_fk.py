"""blocking_keys without a foreign key to person_records

The keys are derived from their record and written and deleted only with it. PostgreSQL checked the foreign
key once per key row (about 30 a record), half the server's time in an import's COPY of blocking_keys
(bench/results/import_round9.txt). On SQLite the table is rebuilt (batch mode) without the constraint.

Revision ID: import90001
Revises: stock70001
Create Date: 2026-11-30 02:10:00

"""
from alembic import op

revision = "import90001"
down_revision = "stock70001"
branch_labels = None
depends_on = None

FK = "fk_blocking_keys_person_record_id_person_records"


def upgrade():
    with op.batch_alter_table("blocking_keys", schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")


def downgrade():
    with op.batch_alter_table("blocking_keys", schema=None) as batch_op:
        batch_op.create_foreign_key(FK, "person_records", ["person_record_id"], ["id"])
