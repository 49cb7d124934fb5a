"""retention decisions, each authority's complaint retention policy, and create forms' one-time tokens

Revision ID: security20001
Revises: reports20001
Create Date: 2026-11-29 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "security20001"
down_revision = "reports20001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "retention_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_type", sa.Enum("sanctions", "licences", "badges", "complaints", "intelligence_items",
                                       name="itemtype", native_enum=False, create_constraint=True, length=40),
                  nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("authority_code", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Enum("retain", "dispose", name="retentionoutcome", native_enum=False,
                                     create_constraint=True, length=40), nullable=False),
        sa.Column("rationale", sa.Text(), server_default="", nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_retention_decisions_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_decisions")),
    )
    with op.batch_alter_table("retention_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_retention_decisions_item", ["item_type", "item_id", "review_on"], unique=False)
    op.create_table(
        "form_submissions",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_form_submissions_user_id_users")),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_form_submissions")),
    )
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_submissions_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("authorities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("complaint_retention_years", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_submissions_user_id"))
    op.drop_table("form_submissions")
    with op.batch_alter_table("authorities", schema=None) as batch_op:
        batch_op.drop_column("complaint_retention_years")
    with op.batch_alter_table("retention_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_retention_decisions_item")
    op.drop_table("retention_decisions")
