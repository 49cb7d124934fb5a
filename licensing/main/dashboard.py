"""Each role's home page: the work waiting for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from licensing.alerts.models import Alert
from licensing.alerts.services import alerts_raised_by, open_alerts
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.auth.permissions import AUDIT_READERS
from licensing.badges.dbs import dbs_checks_due
from licensing.badges.services import badges_due
from licensing.db import db, utcnow
from licensing.intelligence.services import reviews_due
from licensing.people.identity import match_settings, review_queue
from licensing.people.review import QueueFilter, filtered_review_queue
from licensing.requests.models import InformationRequest

ALERTS_SHOWN = 20
BADGES_DUE_DAYS = 60


@dataclass
class Dashboard:
    open_alerts: list[Alert] = field(default_factory=list)
    open_alert_count: int = 0
    requests_due: list[InformationRequest] = field(default_factory=list)
    outgoing_overdue: list[InformationRequest] = field(default_factory=list)
    review_count: int | None = None
    acknowledged_responses: list[Alert] = field(default_factory=list)
    locked_users: int = 0
    events_today: int = 0
    review_mine_count: int = 0
    badges_expiring: int | None = None
    dbs_checks_due: int | None = None
    police_reviews_due: int | None = None
    licensee_dbs_due: list = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return not (
            self.open_alert_count
            or self.requests_due
            or self.outgoing_overdue
            or self.review_mine_count
            or self.badges_expiring
            or self.dbs_checks_due
            or self.police_reviews_due
            or self.licensee_dbs_due
        )


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def build_dashboard(user: User, today: dt.date) -> Dashboard:
    """Alerts to acknowledge, request clocks running out, and the review queue, as the user's role needs."""
    board = Dashboard()
    if user.role in (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC):
        alerts = open_alerts(user.authority_id)
        board.open_alert_count = _count(alerts)
        board.open_alerts = list(db.session.scalars(alerts.limit(ALERTS_SHOWN)))
    if user.role in (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER):
        # Every unanswered incoming request, soonest due first: the 20-working-day clock runs for all of them.
        board.requests_due = list(
            db.session.scalars(
                select(InformationRequest)
                .where(
                    InformationRequest.to_authority_id == user.authority_id,
                    InformationRequest.replied_on.is_(None),
                )
                .order_by(InformationRequest.due_on, InformationRequest.id)
            )
        )
        board.outgoing_overdue = list(
            db.session.scalars(
                select(InformationRequest)
                .where(
                    InformationRequest.from_authority_id == user.authority_id,
                    InformationRequest.replied_on.is_(None),
                    InformationRequest.due_on < today,
                )
                .order_by(InformationRequest.due_on)
            )
        )
    if user.role in (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC):
        board.review_count = _count(review_queue(viewer=user))
        board.review_mine_count = _count(
            filtered_review_queue(user, QueueFilter(mine=True), settings=match_settings(), now=utcnow())
        )
    if user.role is Role.TRANSPORT_OFFICER:
        board.badges_expiring = _count(
            badges_due("expiring", user.authority_id, operator="", within_days=BADGES_DUE_DAYS, today=today)
        )
        board.dbs_checks_due = _count(
            badges_due("dbs", user.authority_id, operator="", within_days=0, today=today)
        )
    if user.role is Role.LICENSING_OFFICER:
        board.licensee_dbs_due = dbs_checks_due(user.authority_id, today)
    if user.role is Role.POLICE_SPOC:
        board.police_reviews_due = len(reviews_due(user.authority, today, actor=None))
    if user.role is Role.POLICE_SPOC:
        board.acknowledged_responses = list(
            db.session.scalars(
                alerts_raised_by(user.authority_id).where(Alert.acknowledged_at.is_not(None)).limit(5)
            )
        )
    if user.role is Role.ADMINISTRATOR:
        board.locked_users = (
            db.session.scalar(select(func.count(User.id)).where(User.locked_until > utcnow())) or 0
        )
    if user.role in AUDIT_READERS:
        board.events_today = (
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.occurred_at >= dt.datetime.combine(today, dt.time.min)
                )
            )
            or 0
        )
    return board
