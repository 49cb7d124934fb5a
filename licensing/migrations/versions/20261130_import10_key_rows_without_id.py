"""blocking_keys without a surrogate id; person_records without its authority_id-only index

Nothing refers to a key row by id; on PostgreSQL the serial default and the primary-key index cost ~15% of the
server's time for an import's key rows (bench/results/import_round9.txt). The ORM names a key row by
(person_record_id, key). person_records' index on authority_id alone duplicates the leading column of the
unique (authority_id, authority_reference) and of (authority_id, id), which serve the same lookups.
On SQLite blocking_keys is rebuilt (batch mode; its rowid stays, so its layout is the same).

Revision ID: import10001
Revises: import90001
Create Date: 2026-11-30 05:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "import10001"
down_revision = "import90001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("blocking_keys", schema=None) as batch_op:
        batch_op.drop_column("id")
    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.drop_index("ix_person_records_authority_id")


def downgrade():
    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.create_index("ix_person_records_authority_id", ["authority_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE blocking_keys ADD COLUMN id SERIAL PRIMARY KEY")
        return
    with op.batch_alter_table("blocking_keys", schema=None, recreate="always") as batch_op:
        batch_op.add_column(sa.Column("id", sa.Integer(), nullable=False, primary_key=True))
