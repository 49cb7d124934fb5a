"""users.version_id: an administrator's stale edit of a user is refused (issue 12, finding 9)

Revision ID: load30001
Revises: reports30001
Create Date: 2026-11-29 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "load30001"
down_revision = "reports30001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("version_id", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("version_id")
