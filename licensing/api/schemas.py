"""Request and response shapes: the endpoints validate with these models and the OpenAPI document is built
from the same models, so the two cannot drift."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from licensing.complaints.models import ComplaintCategory  # noqa: F401  (documented enums)
from licensing.intelligence.models import (
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceCategory,
    IntelligenceStatus,
    SourceEvaluation,
)
from licensing.licences.models import BadgeStatus, BadgeType, LicenceStatus, LicenceType
from licensing.sanctions.models import GroundsCategory

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]*$")
]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=5000, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]*$")
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=5, max_length=300, pattern=r"^[^\x00-\x1f\x7f]*$"),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(Strict):
    status: int
    code: str
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


class Error(Strict):
    error: ErrorBody


class SearchRequest(Strict):
    reason: Reason
    forenames: Text = ""
    surname: Text = ""
    date_of_birth: dt.date | None = None
    approximate_age: int | None = Field(default=None, ge=16, le=100)
    postcode: Text = ""
    national_insurance: Text = ""
    driving_licence_number: Text = ""
    reference_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] = ""


class RecordSummary(Strict):
    record_id: int
    authority_code: str
    authority_name: str
    reference: str
    name: str
    date_of_birth: dt.date | None


class Flag(Strict):
    code: str
    text: str


class SearchHit(Strict):
    identity_id: int
    score: float
    explanation: str
    exact: str
    records: list[RecordSummary]
    flags: list[Flag]


class Page(Strict):
    page: int
    per_page: int
    total: int
    pages: int


class SearchResponse(Page):
    items: list[SearchHit]
    narrow: bool


class RecordDetail(RecordSummary):
    forenames: str
    surname: str
    sex: str
    address: str
    national_insurance: str
    driving_licence_number: str
    version: int


class LicenceOut(Strict):
    authority_code: str
    licence_type: str
    number: str
    status: str
    issued_on: dt.date | None
    expires_on: dt.date | None


class BadgeOut(Strict):
    authority_code: str
    badge_type: str
    number: str
    status: str
    issued_on: dt.date
    expires_on: dt.date
    operator_name: str


class DecisionOut(Strict):
    authority_code: str
    decision: str
    grounds: str
    decided_on: dt.date
    effective_on: dt.date


class ComplaintOut(Strict):
    authority_code: str
    received_on: dt.date
    category: str
    complainant_name: str | None


class IntelligenceOut(Strict):
    item_id: int
    level: str
    text: str
    grading: str
    conditions: str
    category: str


class ChronologyEntry(Strict):
    on: dt.date
    authority: str
    kind: str
    text: str


class IdentityResponse(Strict):
    identity_id: int
    name: str
    records: list[RecordDetail]
    licences: list[LicenceOut]
    badges: list[BadgeOut]
    decisions: list[DecisionOut]
    complaints: list[ComplaintOut]
    intelligence: list[IntelligenceOut]
    flags: list[Flag]
    chronology: list[ChronologyEntry]


class BadgeCheckRequest(Strict):
    number: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=30, pattern=r"^[^\x00-\x1f\x7f]*$"),
    ]
    reason: Reason  # required, like the web check: every badge check is audited with why it was made


class BadgeCheckResponse(Strict):
    number: str
    found: bool
    status: str | None = None
    holder_name: str | None = None
    identity_id: int | None = None
    flags: list[Flag] = Field(default_factory=list)
    complaints: int = 0


class LicenceIn(Strict):
    licence_type: LicenceType
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
    status: LicenceStatus
    start: dt.date | None = None
    expiry: dt.date | None = None


class BadgeIn(Strict):
    badge_type: BadgeType
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
    status: BadgeStatus
    start: dt.date
    expiry: dt.date
    operator: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class RecordIn(Strict):
    """A person record at the caller's own authority, keyed by its reference; `version` guards an update."""

    version: int | None = Field(default=None, ge=1, le=2**31 - 1)
    forenames: Text = ""
    surname: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    date_of_birth: dt.date | None = None
    sex: Literal["", "M", "F"] = ""
    address_line: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] = ""
    town: Text = ""
    postcode: Text = ""
    national_insurance: Text = ""
    driving_licence_number: Text = ""
    previous_names: list[Text] = Field(default_factory=list, max_length=10)
    licence: LicenceIn | None = None
    badge: BadgeIn | None = None


class RecordResponse(Strict):
    created: bool
    record: RecordDetail
    identity_id: int
    linked: int
    review: int


class DecisionIn(Strict):
    decision: Literal[
        "refusal",
        "refusal_to_renew",
        "suspension",
        "interim_suspension",
        "revocation",
        "warning",
        "conditions",
        "penalty_points",
    ]
    grounds: GroundsCategory
    decided_on: dt.date
    effective_on: dt.date
    ends_on: dt.date | None = None
    decision_maker: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    narrative: LongText = ""
    licence_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] = ""
    conditions: LongText = ""


class DecisionResponse(Strict):
    decision_id: int
    record_id: int


class IntelligenceIn(Strict):
    identity_id: int = Field(ge=1, le=2**31 - 1)
    source_evaluation: SourceEvaluation
    intelligence_assessment: IntelligenceAssessment
    handling_code: HandlingCode
    handling_conditions: LongText = ""
    status: IntelligenceStatus
    category: IntelligenceCategory
    force_reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    legal_basis: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    full_text: LongText
    sanitised_summary: LongText = ""
    recipient_codes: list[Annotated[str, StringConstraints(max_length=20)]] = Field(
        default_factory=list, max_length=20
    )
    review_on: dt.date


class IntelligenceResponse(Strict):
    item_id: int


class AlertOut(Strict):
    alert_id: int
    kind: str
    identity_id: int
    summary: str
    raised_at: str
    acknowledged: bool


class AlertList(Page):
    items: list[AlertOut]


class AcknowledgeIn(Strict):
    action_taken: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=3, max_length=1000, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]*$"
        ),
    ]
