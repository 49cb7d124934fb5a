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
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=120), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=40), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["information_requests.id"],
                                name=op.f("fk_attachments_request_id_information_requests")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"], name=op.f("fk_attachments_uploaded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_attachments_storage_key")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_request_id"), ["request_id"], unique=False)
    op.create_table(
        "operators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["authority_id"], ["authorities.id"], name=op.f("fk_operators_authority_id_authorities")),
        sa.ForeignKeyConstraint(["licence_id"], ["licences.id"], name=op.f("fk_operators_licence_id_licences")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operators")),
        sa.UniqueConstraint("authority_id", "name", name=op.f("uq_operators_authority_id")),
        sa.UniqueConstraint("licence_id", name=op.f("uq_operators_licence_id")),
    )
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_operators_authority_id"), ["authority_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_operators_name"), ["name"], unique=False)
    op.create_table(
        "operator_licences",
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["licence_id"], ["licences.id"], name=op.f("fk_operator_licences_licence_id_licences")),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"],
                                name=op.f("fk_operator_licences_operator_id_operators")),
        sa.PrimaryKeyConstraint("operator_id", "licence_id", name=op.f("pk_operator_licences")),
    )
    with op.batch_alter_table("operator_licences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_operator_licences_licence_id"), ["licence_id"], unique=False)
    with op.batch_alter_table("badges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("register_rationale", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("operator_licences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operator_licences_licence_id"))
    op.drop_table("operator_licences")
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operators_name"))
        batch_op.drop_index(batch_op.f("ix_operators_authority_id"))
    op.drop_table("operators")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_request_id"))
    op.drop_table("attachments")
    with op.batch_alter_table("badges", schema=None) as batch_op:
        batch_op.drop_column("register_rationale")
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.drop_column("points")
    with op.batch_alter_table("authorities", schema=None) as batch_op:
        for name in ("penalty_points_threshold", "penalty_points_period_months", "shared_mailbox", "contact_email", "contact_phone",
                     "contact_name"):
            batch_op.drop_column(name)
