"""Each role's home page: the work waiting for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from licensing.alerts.models import Alert
from licensing.alerts.services import alerts_raised_by, open_alerts
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.auth.permissions import AUDIT_READERS, COUNCIL_OFFICERS, SEARCHERS
from licensing.db import db, utcnow
from licensing.people.identity import review_queue
from licensing.requests.models import InformationRequest
from licensing.requests.services import requests_due


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


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def build_dashboard(user: User, today: dt.date) -> Dashboard:
    """Alerts to acknowledge, request clocks running out, and the review queue, as the user's role needs."""
    board = Dashboard()
    if user.role in COUNCIL_OFFICERS:
        alerts = open_alerts(user.authority_id)
        board.open_alert_count = _count(alerts)
        board.open_alerts = list(db.session.scalars(alerts.limit(5)))
        board.requests_due = list(db.session.scalars(requests_due(user.authority_id, today)))
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
    if user.role in SEARCHERS:
        board.review_count = _count(review_queue(viewer=user))
    if user.role is Role.POLICE_SPOC:
        board.acknowledged_responses = list(db.session.scalars(
            alerts_raised_by(user.authority_id).where(Alert.acknowledged_at.is_not(None)).limit(5)))
    if user.role is Role.ADMINISTRATOR:
        board.locked_users = (
            db.session.scalar(select(func.count(User.id)).where(User.locked_until > utcnow())) or 0
        )
    if user.role in AUDIT_READERS:
        board.events_today = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.occurred_at >= dt.datetime.combine(today, dt.time.min))) or 0
    return board
