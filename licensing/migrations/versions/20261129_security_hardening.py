"""security hardening: unlink approvals, set-up links, police approvals, audit hash chain

Revision ID: security0001
Revises: 6e678cc001c5
Create Date: 2026-11-29 05:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "security0001"
down_revision = "6e678cc001c5"
branch_labels = None
depends_on = None

VERSIONED = ("record_links", "information_requests", "intelligence_items", "licences", "badges", "alerts")


def upgrade():
    op.create_table(
        "unlink_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("requested_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["person_records.id"],
                                name=op.f("fk_unlink_requests_record_id_person_records")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_unlink_requests_requested_by_id_users")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_unlink_requests_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unlink_requests")),
    )
    op.create_index(op.f("ix_unlink_requests_record_id"), "unlink_requests", ["record_id"], unique=False)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), server_default="0", nullable=False))
        batch.add_column(sa.Column("setup_token_hash", sa.String(64), server_default="", nullable=False))
        batch.add_column(sa.Column("setup_expires_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("approval_requested_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("is_approval_pending", sa.Boolean(), server_default="0", nullable=False))
        batch.add_column(sa.Column("totp_secret", sa.String(64), server_default="", nullable=False))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("recovery_code_hashes", sa.JSON(), nullable=False, server_default="[]"))
        batch.create_foreign_key(op.f("fk_users_approval_requested_by_id_users"), "users",
                                 ["approval_requested_by_id"], ["id"])


    # Plain ADD COLUMN (no batch copy), so SQLite keeps the append-only triggers on audit_events.
    op.add_column("audit_events", sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(64), server_default="", nullable=False))
    op.add_column("audit_events", sa.Column("entry_hash", sa.String(64), server_default="", nullable=False))
    op.create_index("ix_audit_events_chain_seq", "audit_events", ["chain_seq"], unique=True)
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "last_hash": ""}])
    for table in VERSIONED:
        op.add_column(table, sa.Column("version_id", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    for table in VERSIONED:
        op.drop_column(table, "version_id")
    op.drop_table("audit_chain_head")
    op.drop_index("ix_audit_events_chain_seq", table_name="audit_events")
    for column in ("entry_hash", "prev_hash", "chain_seq"):
        op.drop_column("audit_events", column)
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("fk_users_approval_requested_by_id_users"), type_="foreignkey")
        for column in ("totp_secret", "totp_last_step", "recovery_code_hashes", "is_approval_pending", "approval_requested_by_id", "setup_expires_at", "setup_token_hash",
                       "must_change_password"):
            batch.drop_column(column)
    op.drop_index(op.f("ix_unlink_requests_record_id"), table_name="unlink_requests")
    op.drop_table("unlink_requests")
