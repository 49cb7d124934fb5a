"""import jobs: an upload's status and progress, so a long import runs outside the request

Revision ID: import30001
Revises: load30001
Create Date: 2026-11-29 12:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "import30001"
down_revision = "load30001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=12), server_default="", nullable=False))
        batch_op.add_column(sa.Column("rows_done", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("rows_total", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("failure", sa.String(length=500), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.drop_column("failure")
        batch_op.drop_column("rows_total")
        batch_op.drop_column("rows_done")
        batch_op.drop_column("status")
