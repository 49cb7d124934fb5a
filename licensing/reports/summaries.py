"""The reports' summary tables (report_complaints, report_decisions, report_badges, report_stock,
report_links): recomputed on demand.

Triggers written in migrations reports50001 and reports60001 keep them up to date on every write; `rebuild` is
for a register loaded around the triggers (PostgreSQL COPY with session_replication_role = replica) or to
check them."""

from __future__ import annotations

from sqlalchemy import func, select, text

from licensing.db import db
from licensing.reports.models import (
    STOCK_KEY,
    ReportBadge,
    ReportComplaint,
    ReportDecision,
    ReportLink,
    ReportStock,
)

# The postcode district (outward code) of a record's current address: the latest from_on, then the latest
# added, as PersonRecord.addresses orders them; the same expression as sql.postcode_district.
DISTRICT_SQL = {
    "sqlite": "upper(substr(trim(a.postcode), 1, instr(trim(a.postcode) || ' ', ' ') - 1))",
    "postgresql": "upper(split_part(trim(a.postcode), ' ', 1))",
}


def current_district_sql(dialect: str, record: str) -> str:
    """A scalar subquery: the postcode district of the current address of the person record `record`."""
    return (
        f"(SELECT {DISTRICT_SQL[dialect]} FROM addresses a WHERE a.person_record_id = {record} "  # noqa: S608
        "ORDER BY a.from_on DESC NULLS LAST, a.id DESC LIMIT 1)"
    )


# A missing date in the stock keys, as models.NO_DATE and models.OPEN_ENDED (typed on PostgreSQL).
STOCK_DATES = {
    "sqlite": ("'0001-01-01'", "'9999-12-31'"),
    "postgresql": ("DATE '0001-01-01'", "DATE '9999-12-31'"),
}


def stock_sql(dialect: str) -> list[str]:
    """Badges and licences grouped by what the DBS and training figures read, as the triggers keep them."""
    no_date, open_ended = STOCK_DATES[dialect]
    licence = (
        f"'licence', l.licence_type, l.status, coalesce(l.expires_on, {open_ended}), "
        f"coalesce(l.issued_on, {open_ended}), l.authority_id, "
        f"coalesce(l.safeguarding_training_on, {no_date}), -1, {no_date}"
    )
    badge = (
        "'badge', b.badge_type, b.status, b.expires_on, b.issued_on, b.authority_id, "
        f"coalesce(b.training_on, {no_date}), "
        "CASE WHEN b.dbs_subscribed IS NULL THEN -1 WHEN b.dbs_subscribed THEN 1 ELSE 0 END, "
        f"coalesce(b.dbs_checked_on, {no_date})"
    )
    insert = f"INSERT INTO report_stock ({', '.join(STOCK_KEY)}, n) SELECT "
    group = ", count(*) FROM {} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
    return [
        "DELETE FROM report_stock",
        insert + licence + group.format("licences l"),
        insert + badge + group.format("report_badges b"),
    ]


def rebuild_sql(dialect: str) -> list[str]:
    """The statements that empty the summary tables and fill them again from the rows."""
    # Built from this module's constants only, never from input.
    return [
        "DELETE FROM report_complaints",
        "DELETE FROM report_decisions",
        "DELETE FROM report_badges",
        "INSERT INTO report_complaints (complaint_id, authority_id, received_on, category, substantiated, "  # noqa: S608
        "person_record_id, identity_id, district) "
        "SELECT c.id, c.authority_id, c.received_on, c.category, c.substantiated, c.person_record_id, "
        f"p.identity_id, {current_district_sql(dialect, 'c.person_record_id')} "
        "FROM complaints c LEFT JOIN person_records p ON p.id = c.person_record_id",
        "INSERT INTO report_decisions (sanction_id, authority_id, decided_on, sanction_type, grounds, "
        "person_record_id, identity_id) "
        "SELECT s.id, s.authority_id, s.decided_on, s.sanction_type, s.grounds, s.person_record_id, "
        "p.identity_id FROM sanctions s LEFT JOIN person_records p ON p.id = s.person_record_id",
        "INSERT INTO report_badges (badge_id, authority_id, badge_type, status, issued_on, expires_on, "
        "training_on, dbs_certificate_id, dbs_subscribed, dbs_checked_on) "
        "SELECT b.id, b.authority_id, b.badge_type, b.status, b.issued_on, b.expires_on, "
        "b.safeguarding_training_on, b.dbs_certificate_id, d.update_service_subscribed, "
        "coalesce(d.last_status_check_on, d.issued_on) "
        "FROM badges b LEFT JOIN dbs_certificates d ON d.id = b.dbs_certificate_id",
        # After report_badges, which the badge stock is counted from.
        *stock_sql(dialect),
        "DELETE FROM report_links",
        "INSERT INTO report_links (link_id, state, set_at, created_at, record_a_id, record_b_id, "
        "authority_a, authority_b) SELECT l.id, l.state, l.set_at, l.created_at, l.record_a_id, "
        "l.record_b_id, a.authority_id, b.authority_id FROM record_links l "
        "LEFT JOIN person_records a ON a.id = l.record_a_id "
        "LEFT JOIN person_records b ON b.id = l.record_b_id",
    ]


def rebuild() -> dict[str, int]:
    """Recompute every summary row from the rows of the tables they sum up."""
    dialect = db.session.get_bind().dialect.name
    for statement in rebuild_sql(dialect):
        db.session.execute(text(statement))
    db.session.flush()
    return {
        "report_complaints": db.session.scalar(select(func.count()).select_from(ReportComplaint)) or 0,
        "report_decisions": db.session.scalar(select(func.count()).select_from(ReportDecision)) or 0,
        "report_badges": db.session.scalar(select(func.count()).select_from(ReportBadge)) or 0,
        "report_stock": db.session.scalar(select(func.count()).select_from(ReportStock)) or 0,
        "report_links": db.session.scalar(select(func.count()).select_from(ReportLink)) or 0,
    }
