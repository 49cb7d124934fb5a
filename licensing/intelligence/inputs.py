"""One intelligence item as the point of contact enters it: plain data and the review-date rule, shared by
the form and the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from licensing.intelligence.models import (
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceCategory,
    IntelligenceStatus,
    SourceEvaluation,
)
from licensing.licences.rules import add_months

REVIEW_WITHIN_MONTHS = 12


@dataclass(frozen=True)
class IntelligenceInput:
    """One item's graded content as the point of contact enters it; shapes are checked by the form first."""

    source_evaluation: SourceEvaluation
    intelligence_assessment: IntelligenceAssessment
    handling_code: HandlingCode
    handling_conditions: str
    status: IntelligenceStatus
    category: IntelligenceCategory
    force_reference: str
    legal_basis: str
    full_text: str
    sanitised_summary: str
    recipient_ids: tuple[int, ...]
    review_on: dt.date


def latest_review_date(today: dt.date) -> dt.date:
    return add_months(today, REVIEW_WITHIN_MONTHS)
