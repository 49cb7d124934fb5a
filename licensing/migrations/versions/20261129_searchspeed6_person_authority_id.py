"""person records indexed by (authority_id, id): the records a searcher may not see, read from the index alone

Revision ID: searchspeed60001
Revises: import50001
Create Date: 2026-11-29 17:45:00

"""
from alembic import op

revision = "searchspeed60001"
down_revision = "import50001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.create_index("ix_person_records_authority_id_id", ["authority_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.drop_index("ix_person_records_authority_id_id")
