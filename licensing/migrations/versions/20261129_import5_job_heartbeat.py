"""import job heartbeat: a running job records when it was last alive, so a dead worker's job is re-queued

Revision ID: import50001
Revises: import30001
Create Date: 2026-11-29 14:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "import50001"
down_revision = "reports50001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
