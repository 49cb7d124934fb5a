"""What each viewer may see of police intelligence: full text for police, a summary or a marker for others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from licensing.intelligence.models import HandlingCode, IntelligenceItem, IntelligenceStatus

if TYPE_CHECKING:
    from licensing.auth.models import User

POLICE_MARKER = "Police hold information: contact the point of contact"


@dataclass(frozen=True)
class IntelligenceView:
    """One intelligence item as a given viewer may see it."""

    item_id: int
    level: str  # "full" | "summary" | "marker"
    text: str
    grading: str = ""
    conditions: str = ""
    status: str = ""
    category: str = ""
    force_reference: str = ""
    submitted_on: str = ""
    review_on: str = ""


def view_intelligence(item: IntelligenceItem, viewer: User) -> IntelligenceView | None:
    """Apply the handling rules: police see everything; others see the sanitised summary when the handling code
    permits sharing with them (P, or C with their authority among the recipients, conditions attached), and
    otherwise only the marker. Withdrawn items are shown to police only."""
    if viewer.is_police:
        return IntelligenceView(item.id, "full", item.full_text, item.grading, item.handling_conditions,
                                item.status.label, item.category.label, item.force_reference,
                                item.submitted_on.isoformat(), item.review_on.isoformat())
    if item.status is IntelligenceStatus.WITHDRAWN:
        return None
    recipient_ids = {authority.id for authority in item.recipients}
    shareable = item.handling_code is HandlingCode.PERMITTED or viewer.authority_id in recipient_ids
    if shareable and item.sanitised_summary:
        return IntelligenceView(item.id, "summary", item.sanitised_summary, conditions=item.handling_conditions,
                                status=item.status.label, category=item.category.label,
                                submitted_on=item.submitted_on.isoformat())
    return IntelligenceView(item.id, "marker", POLICE_MARKER)
