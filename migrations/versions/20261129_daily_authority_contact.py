"""authority point of contact, penalty points, badge rationale

Revision ID: daily0001
Revises: 6e678cc001c5
Create Date: 2026-11-29 05:15:00

"""
import sqlalchemy as sa
from alembic import op

revision = "daily0001"
down_revision = "6e678cc001c5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("authorities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_name", sa.String(length=120), server_default="", nullable=False))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=40), server_default="", nullable=False))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), server_default="", nullable=False))
        batch_op.add_column(sa.Column("shared_mailbox", sa.String(length=254), server_default="", nullable=False))
        batch_op.add_column(sa.Column("penalty_points_period_months", sa.Integer(), server_default="36",
                                      nullable=False))
        batch_op.add_column(sa.Column("penalty_points_threshold", sa.Integer(), server_default="12", nullable=False))
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("points", sa.Integer(), nullable=True))
    with op.batch_alter_table("badges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("register_rationale", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("badges", schema=None) as batch_op:
        batch_op.drop_column("register_rationale")
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.drop_column("points")
    with op.batch_alter_table("authorities", schema=None) as batch_op:
        for name in ("penalty_points_threshold", "penalty_points_period_months", "shared_mailbox", "contact_email", "contact_phone",
                     "contact_name"):
            batch_op.drop_column(name)
