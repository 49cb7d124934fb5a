"""register_settings: the fingerprint of the rules the stored keys and term counts were built with

A database upgraded to this revision holds none, so a register with records is stale until
`flask people rebuild-keys` (or `--if-stale`) has rebuilt its keys and counts under the code's rules.

Revision ID: rekey12001
Revises: import10001
Create Date: 2026-11-30 11:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "rekey12001"
down_revision = "import10001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "register_settings",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_register_settings")),
    )


def downgrade():
    op.drop_table("register_settings")
