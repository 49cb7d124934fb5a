"""Merge the daily-work migration with the reports and import/API line: no schema change of its own.

Revision ID: merge_daily0001
Revises: importapi0001, daily0001
Create Date: 2026-11-29
"""

revision = "merge_daily0001"
down_revision = ("importapi0001", "daily0001")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
