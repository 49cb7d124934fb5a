"""merge heads: the reports roles (reports0001) and security hardening (security0001), both on 6e678cc001c5

Revision ID: merge0001
Revises: reports0001, security0001
Create Date: 2026-11-29 07:00:00

"""

revision = "merge0001"
down_revision = ("reports0001", "security0001")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
