"""The review queue as an officer works it: filters for their own authority, age and band, oldest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, or_
from sqlalchemy.orm import aliased

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.matching.bands import BandKind
from licensing.matching.settings import MatchSettings
from licensing.people.identity import review_queue
from licensing.people.models import PersonRecord, RecordLink

AGE_CHOICES = (0, 7, 30, 90)  # "waiting longer than" in days; 0 means any age


@dataclass(frozen=True)
class QueueFilter:
    mine: bool = False
    older_than_days: int = 0
    band: BandKind | None = None
    sort: str = "oldest"  # or "strongest"


def filtered_review_queue(
    viewer: User, chosen: QueueFilter, *, settings: MatchSettings, now: dt.datetime
) -> Select:
    """The pairs the viewer may review, narrowed by the chosen filters and sorted by age or strength."""
    query = review_queue(viewer=viewer).order_by(None)
    if chosen.mine:
        a, b = aliased(PersonRecord), aliased(PersonRecord)
        query = (
            query.join(a, a.id == RecordLink.record_a_id)
            .join(b, b.id == RecordLink.record_b_id)
            .where(or_(a.authority_id == viewer.authority_id, b.authority_id == viewer.authority_id))
        )
    if chosen.older_than_days:
        query = query.where(RecordLink.created_at <= now - dt.timedelta(days=chosen.older_than_days))
    if chosen.band is BandKind.STRONG:
        query = query.where(RecordLink.score >= settings.auto_link_threshold)
    elif chosen.band is BandKind.POSSIBLE:
        query = query.where(
            RecordLink.score >= settings.review_threshold, RecordLink.score < settings.auto_link_threshold
        )
    elif chosen.band is BandKind.WEAK:
        query = query.where(RecordLink.score < settings.review_threshold)
    if chosen.sort == "strongest":
        return query.order_by(RecordLink.score.desc(), RecordLink.created_at, RecordLink.id)
    return query.order_by(RecordLink.created_at, RecordLink.id)


def waited(since: dt.datetime, now: dt.datetime) -> str:
    """How long a pair has waited, in words: 'today', '1 day', '12 days'."""
    days = (now - since).days
    return "less than a day" if days < 1 else f"{days} day{'s' if days != 1 else ''}"


def compare_pair(link: RecordLink, *, actor: User) -> RecordLink:
    """An officer opens a proposed pair side by side: audited, as a view of both people."""
    audit(actor, "person.compared", link, reason=f"Review queue: proposed link {link.id}",
          details={"records": [link.record_a_id, link.record_b_id]})
    return link


__all__ = ["AGE_CHOICES", "QueueFilter", "filtered_review_queue", "waited", "compare_pair"]
