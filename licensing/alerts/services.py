"""Alerts between authorities: whoever holds a current licence or badge for an identity hears of new
concerns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select

from licensing.alerts.models import Alert, AlertKind
from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.authorities.models import Authority
from licensing.db import db, utcnow
from licensing.errors import RuleViolation
from licensing.intelligence.models import POLICE_MARKER, IntelligenceStatus
from licensing.licences import is_current
from licensing.people.models import Identity, PersonRecord
from licensing.people.signals import adverse_unlinked, identities_joined


def current_holders(records: Iterable[PersonRecord], today: dt.date) -> set[int]:
    """Authorities holding a current licence or a valid, unexpired badge on any of these records."""
    holders: set[int] = set()
    for record in records:
        if any(is_current(held, today) for held in (*record.licences, *record.badges)):
            holders.add(record.authority_id)
    return holders


def raise_alerts(identity: Identity, *, kind: AlertKind, subject: Any, summary: str, raised_by: Authority,
                 today: dt.date) -> list[Alert]:
    """Alert every *other* authority that holds a current licence or badge for the identity."""
    alerts = [Alert(authority_id=authority_id, identity_id=identity.id, kind=kind,
                    subject_type=subject.__tablename__, subject_id=subject.id, summary=summary,
                    raised_by_authority_id=raised_by.id)
              for authority_id in sorted(current_holders(identity.records, today) - {raised_by.id})]
    db.session.add_all(alerts)
    db.session.flush()
    return alerts


def adverse_items(records: Iterable[PersonRecord]) -> list[tuple[Any, str]]:
    """What on these records would concern another authority: adverse decisions, sexual or safeguarding
    complaints, and police information (described only by the marker)."""
    items: list[tuple[Any, str]] = []
    for record in records:
        items += [(s, f"{s.sanction_type.label} by {s.authority.name} ({s.grounds.label.lower()})")
                  for s in record.sanctions if s.sanction_type.is_adverse]
        items += [(c, f"{c.category.label} complaint to {c.authority.name}")
                  for c in record.complaints if c.category.is_sexual_or_safeguarding]
        items += [(i, POLICE_MARKER)
                  for i in record.intelligence_items if i.status is not IntelligenceStatus.WITHDRAWN]
    return items


def alert_on_new_link(left: list[PersonRecord], right: list[PersonRecord], identity: Identity, *,
                      today: dt.date) -> list[Alert]:
    """A link that joins a licence or badge holder to an existing adverse record alerts the holder."""
    alerts: list[Alert] = []
    for holders_side, adverse_side in ((left, right), (right, left)):
        holders = current_holders(holders_side, today)
        for subject, description in adverse_items(adverse_side):
            for authority_id in sorted(holders - {subject.authority_id}):
                alerts.append(
                    Alert(
                        authority_id=authority_id,
                        identity_id=identity.id,
                        kind=AlertKind.NEW_LINK,
                        subject_type=subject.__tablename__,
                        subject_id=subject.id,
                        summary=f"Newly linked record: {description}",
                        raised_by_authority_id=subject.authority_id,
                    )
                )
    db.session.add_all(alerts)
    db.session.flush()
    return alerts


def alert_on_unlink(
    adverse: Iterable[Any], *, identity: Identity, record: PersonRecord, actor: User
) -> list[Alert]:
    """Tell each authority holding an adverse decision that a record was unlinked from that person."""
    alerts = [Alert(authority_id=subject.authority_id, identity_id=identity.id, kind=AlertKind.DECISION,
                    subject_type=subject.__tablename__, subject_id=subject.id,
                    summary=f"Record {record.authority.code} {record.authority_reference} was unlinked "
                            f"from a person holding your decision",
                    raised_by_authority_id=actor.authority_id)
              for subject in adverse if subject.authority_id != actor.authority_id]
    db.session.add_all(alerts)
    db.session.flush()
    return alerts


@adverse_unlinked.connect
def _alert_on_unlink(identity: Identity, *, adverse: list, record: PersonRecord, actor: User) -> None:
    alert_on_unlink(adverse, identity=identity, record=record, actor=actor)


@identities_joined.connect
def _alert_on_join(identity: Identity, *, left: list[PersonRecord], right: list[PersonRecord],
                   today: dt.date) -> None:
    alert_on_new_link(left, right, identity, today=today)


def open_alerts(authority_id: int) -> Select:
    return (select(Alert).where(Alert.authority_id == authority_id, Alert.acknowledged_at.is_(None))
            .order_by(Alert.created_at.desc(), Alert.id.desc()))


def authority_alerts(authority_id: int) -> Select:
    return select(Alert).where(Alert.authority_id == authority_id).order_by(
        Alert.acknowledged_at.is_not(None), Alert.created_at.desc(), Alert.id.desc())


def alerts_raised_by(authority_id: int) -> Select:
    """Alerts an authority's records caused elsewhere, so the police can see acknowledgements and actions."""
    return select(Alert).where(Alert.raised_by_authority_id == authority_id).order_by(Alert.created_at.desc())


def acknowledge_alert(alert: Alert, *, action_taken: str, actor: User) -> Alert:
    """Acknowledge an alert addressed to the actor's authority, recording the action taken."""
    if alert.authority_id != actor.authority_id:
        raise RuleViolation("This alert is for another authority")
    if alert.acknowledged_at is not None:
        raise RuleViolation("This alert has already been acknowledged")
    alert.acknowledged_at, alert.acknowledged_by_id, alert.action_taken = utcnow(), actor.id, action_taken
    db.session.flush()
    audit(actor, "alert.acknowledged", alert, details={"action_taken": action_taken})
    return alert
