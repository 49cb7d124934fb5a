"""County oversight reports: aggregate queries over the register for a period, compared with the one before.

Every figure is one GROUP BY or COUNT in the database, never a loop over rows, so the reports stay fast on a
national-size register. What a figure would otherwise join for on every view (a complaint's or decision's
identity, a complaint's current postcode district, a badge's DBS certificate) comes from the summary tables
in `models`, kept up to date by database triggers. Figures are counts; small ones are suppressed by
`suppression` before anyone sees them."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import DateTime, Integer, and_, case, distinct, exists, func, literal, or_, select, text
from sqlalchemy.orm import aliased

from licensing.alerts.models import Alert, AlertKind
from licensing.audit import record as audit
from licensing.auth.models import Role, User
from licensing.authorities.models import Authority, AuthorityKind
from licensing.badges.services import SAFEGUARDING_VALID_MONTHS, STATUS_CHECK_FRESH_MONTHS
from licensing.complaints.models import Complaint, ComplaintCategory
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.intelligence.models import IntelligenceItem, IntelligenceStatus
from licensing.licences.models import (
    BadgeStatus,
    BadgeType,
    LicenceStatus,
    LicenceType,
)
from licensing.licences.rules import add_months
from licensing.people.models import ApplicantCheck, Identity, LinkState, PersonRecord
from licensing.reports.models import (
    NO_CERTIFICATE,
    NO_DATE,
    NO_IDENTIFIER_SQL,
    ReportComplaint,
    ReportDecision,
    ReportLink,
    ReportStock,
)
from licensing.reports.sql import (
    CHECK_IDENTITIES_SQL,
    days_before,
    days_between,
    year_month,
)
from licensing.reports.suppression import THRESHOLD, Cell, suppress_grid
from licensing.requests.models import InformationRequest, RequestKind
from licensing.sanctions.models import ADVERSE_SANCTIONS, GroundsCategory, Sanction, SanctionType

# An alert should be acknowledged within two days of being raised (the county's service standard; the same
# 48 hours licensees have to self-report an arrest or charge).
ALERT_TARGET_DAYS = 2
PATTERN_WINDOW_DAYS = 730  # 24 months, as the register's complaint-pattern flag
SERIOUS_COMPLAINTS = (ComplaintCategory.SEXUAL_HARASSMENT, ComplaintCategory.SAFEGUARDING)
# As the summary tables store them (plain strings).
SERIOUS_VALUES = tuple(c.value for c in SERIOUS_COMPLAINTS)
ADVERSE_VALUES = tuple(sorted(t.value for t in ADVERSE_SANCTIONS))
REPORT_ROLES = (Role.LICENSING_MANAGER, Role.SAFEGUARDING_LEAD, Role.ADMINISTRATOR, Role.AUDITOR)
COUNTYWIDE_ROLES = (Role.SAFEGUARDING_LEAD, Role.ADMINISTRATOR, Role.AUDITOR)


@dataclass(frozen=True)
class Period:
    """A run of whole days, start and end included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    @property
    def after_end(self) -> dt.datetime:
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)

    @property
    def at_start(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min)

    def label(self) -> str:
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"


@dataclass(frozen=True)
class Scope:
    """One authority's figures, or the whole county when authority_id is None."""

    authority_id: int | None
    name: str

    @property
    def countywide(self) -> bool:
        return self.authority_id is None


@dataclass
class Table:
    """Counts by row and column; totals are added here so suppression can protect the cells behind them."""

    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    total_row: bool = False
    total_column: bool = False
    chart: str = ""  # "bars" | "line" | "map" | ""
    note: str = ""
    link: tuple[str, dict] | None = None  # the list behind the figures, shown only to users who may open it
    measures: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (label, this period, previous period)

    def grid(self) -> tuple[list[str], list[str], list[list[int]]]:
        """Row labels, column labels and the counts with their totals."""
        labels = [label for label, _ in self.rows]
        columns = list(self.columns)
        grid = [list(values) for _, values in self.rows]
        if self.total_column:
            columns.append("Total")
            grid = [row + [sum(row)] for row in grid]
        if self.total_row and grid:
            labels.append("Total")
            grid.append([sum(column) for column in zip(*grid, strict=True)])
        return labels, columns, grid

    def suppressed(self) -> SuppressedTable:
        labels, columns, grid = self.grid()
        cells = suppress_grid(grid, total_row=self.total_row, total_column=self.total_column) if grid else []
        return SuppressedTable(self, labels, columns, cells)


@dataclass
class SuppressedTable:
    table: Table
    row_labels: list[str]
    columns: list[str]
    cells: list[list[Cell]]

    def rows(self) -> list[tuple[str, list[Cell]]]:
        return list(zip(self.row_labels, self.cells, strict=True))

    def as_rows(self) -> list[list[str]]:
        """Plain text rows for export: suppressed cells carry their words, never their values."""
        return [
            [label, *[cell.text if cell.hidden else cell.value for cell in cells]]
            for label, cells in self.rows()
        ]


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


# -- Who sees what -------------------------------------------------------------------------------------------


def scopes_for(user: User) -> list[Scope]:
    """The scopes a user may report on: a licensing manager their own authority; the county lead,
    administrators
    and auditors the county and every licensing authority and the county team."""
    if user.role is Role.LICENSING_MANAGER:
        return [Scope(user.authority_id, user.authority.name)]
    if user.role not in COUNTYWIDE_ROLES:
        return []
    authorities = db.session.scalars(
        select(Authority).where(Authority.kind != AuthorityKind.POLICE).order_by(Authority.name)
    ).all()
    return [Scope(None, "The county (all authorities)")] + [Scope(a.id, a.name) for a in authorities]


def default_period(today: dt.date) -> Period:
    """The last full 3 months: three calendar months ending yesterday."""
    end = today - dt.timedelta(days=1)
    return Period(add_months(end, -3) + dt.timedelta(days=1), end)


# -- Shared query pieces -------------------------------------------------------------------------------------


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _in_period(column, period: Period, *, datetimes: bool = False):
    if datetimes:
        return and_(column >= period.at_start, column < period.after_end)
    return column.between(period.start, period.end)


def _scoped(column, scope: Scope):
    return literal(True) if scope.countywide else column == scope.authority_id


def _grouped(query) -> dict:
    return {key: count for key, count in db.session.execute(query).all()}


def _grouped_pairs(query) -> dict:
    return {(first, second): count for first, second, count in db.session.execute(query).all()}


def _mean_days(values_query) -> str:
    """The mean number of days, or withheld when fewer than `threshold` cases would make it identifying."""
    total, n = db.session.execute(
        select(func.sum(values_query.c.days), func.count(values_query.c.days))
    ).one()
    return _mean_text(float(total or 0), n)


def _periods(period: Period) -> tuple[Period, Period]:
    return period, period.previous()


# -- 1. Applicant checks -------------------------------------------------------------------------------------


def _survivors():
    """Each merged identity with the one it now lives in, following chains of merges in one recursive
    query: the set-based form of people.services.resolve_identity (a cycle ends the chain, as there)."""
    step_from = aliased(Identity)
    chain = (
        select(Identity.id.label("id"), Identity.merged_into_id.label("into_id"))
        .where(Identity.merged_into_id.is_not(None))
        .cte("merge_chain", recursive=True)
    )
    chain = chain.union(
        select(chain.c.id, step_from.merged_into_id)
        .join(step_from, step_from.id == chain.c.into_id)
        .where(step_from.merged_into_id.is_not(None))
    )
    last = aliased(Identity)
    return (
        select(chain.c.id, chain.c.into_id.label("survivor_id"))
        .join(last, last.id == chain.c.into_id)
        .where(last.merged_into_id.is_(None))
        .subquery("survivors")
    )


def _check_identities():
    """One row per (check, identity found), the identity followed through any later merge."""
    dialect = db.session.get_bind().dialect.name
    raw = (
        text(CHECK_IDENTITIES_SQL[dialect])
        .columns(check_id=Integer, authority_id=Integer, checked_at=DateTime, identity_id=Integer)
        .subquery("raw_found")
    )
    survivors = _survivors()
    return (
        select(
            raw.c.check_id,
            raw.c.authority_id,
            raw.c.checked_at,
            func.coalesce(survivors.c.survivor_id, raw.c.identity_id).label("identity_id"),
        )
        .outerjoin(survivors, survivors.c.id == raw.c.identity_id)
        .subquery("found")
    )


def _found_elsewhere(found, kind: str):
    """Whether the identity a check found had, by the day of the check, a decision, a pattern of serious
    complaints or police information recorded by someone other than the checking authority."""
    record = aliased(PersonRecord)
    # Decisions and complaints by identity come from the summary tables, which carry it (one index probe).
    if kind == "decision":
        return exists(
            select(ReportDecision.sanction_id).where(
                ReportDecision.identity_id == found.c.identity_id,
                ReportDecision.authority_id != found.c.authority_id,
                ReportDecision.sanction_type.in_(ADVERSE_VALUES),
                ReportDecision.decided_on <= func.date(found.c.checked_at),
            )
        )
    if kind == "complaint_pattern":
        serious = (
            select(func.count())
            .where(
                ReportComplaint.identity_id == found.c.identity_id,
                ReportComplaint.authority_id != found.c.authority_id,
                ReportComplaint.category.in_(SERIOUS_VALUES),
                ReportComplaint.received_on <= func.date(found.c.checked_at),
                ReportComplaint.received_on >= days_before(found.c.checked_at, PATTERN_WINDOW_DAYS),
            )
            .scalar_subquery()
        )
        return serious >= 2
    return exists(
        select(IntelligenceItem.id)
        .join(record, IntelligenceItem.person_record_id == record.id)
        .where(
            record.identity_id == found.c.identity_id,
            IntelligenceItem.status != IntelligenceStatus.WITHDRAWN,
            IntelligenceItem.submitted_on <= func.date(found.c.checked_at),
        )
    )


@contextlib.contextmanager
def _index_lookups():
    """On PostgreSQL, nested loops over indexes for the queries inside: the planner expects 100 identities
    per check from json_array_elements and otherwise hashes whole tables (1,000,000 records) to find a few
    thousand."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if postgres:
        db.session.execute(text("SET LOCAL enable_hashjoin = off"))
        db.session.execute(text("SET LOCAL enable_mergejoin = off"))
    try:
        yield
    finally:
        if postgres:
            db.session.execute(text("SET LOCAL enable_hashjoin = on"))
            db.session.execute(text("SET LOCAL enable_mergejoin = on"))


def applicant_checks(scope: Scope, period: Period) -> Table:
    """Checks before a grant or renewal, and how many found something recorded elsewhere, by kind."""
    with _index_lookups():
        return _applicant_checks(scope, period)


def _applicant_checks(scope: Scope, period: Period) -> Table:
    kinds = [
        ("decision", "Found a refusal, suspension or revocation elsewhere"),
        ("complaint_pattern", "Found a pattern of sexual or safeguarding complaints elsewhere"),
        ("police", "Found police information"),
    ]
    rows = [
        (
            "Applicants checked",
            [
                _count(
                    select(func.count(ApplicantCheck.id)).where(
                        _in_period(ApplicantCheck.checked_at, p, datetimes=True),
                        _scoped(ApplicantCheck.authority_id, scope),
                    )
                )
                for p in _periods(period)
            ],
        )
    ]
    found = _check_identities()
    # Every kind in one pass over each period's checks (the found identities are expanded once, not 3 times).
    per_period = [
        db.session.execute(
            select(
                *[
                    func.count(distinct(case((_found_elsewhere(found, kind), found.c.check_id))))
                    for kind, _ in kinds
                ]
            ).where(_in_period(found.c.checked_at, p, datetimes=True), _scoped(found.c.authority_id, scope))
        ).one()
        for p in _periods(period)
    ]
    for index, (_kind, label) in enumerate(kinds):
        rows.append((label, [int(counts[index] or 0) for counts in per_period]))
    return Table(
        "applicant_checks",
        "Applicant checks before a grant or renewal",
        "Checks",
        ["This period", "Previous period"],
        rows,
        chart="bars",
        note="A check can find more than one kind of record, so the rows do not add up.",
        link=("audit.events", {"action": "applicant.checked"}),
    )


# -- 2. Decisions --------------------------------------------------------------------------------------------


def _by_enum(model_column, members, where_for) -> list[tuple[str, list[int]]]:
    counts = [_tally({m: model_column == m for m in members}, *where_for(p)) for p in where_for.periods]
    return [(member.label, [c[member] for c in counts]) for member in members]


class _Where:
    """The filter for one period, remembering both periods."""

    def __init__(self, period: Period, build):
        self.periods = _periods(period)
        self._build = build

    def __call__(self, period: Period):
        return self._build(period)


def decisions(scope: Scope, period: Period) -> list[Table]:
    """Decisions by type and by grounds, and the time from the latest complaint to the decision."""
    where = _Where(
        period, lambda p: (_in_period(Sanction.decided_on, p), _scoped(Sanction.authority_id, scope))
    )
    by_type = Table(
        "decisions_by_type",
        "Decisions by type",
        "Decision",
        ["This period", "Previous period"],
        _by_enum(Sanction.sanction_type, list(SanctionType), where),
        total_row=True,
        chart="bars",
    )
    adverse = _Where(period, lambda p: (*where(p), Sanction.sanction_type.in_(ADVERSE_SANCTIONS)))
    by_grounds = Table(
        "decisions_by_grounds",
        "Refusals, suspensions and revocations by grounds",
        "Grounds",
        ["This period", "Previous period"],
        _by_enum(Sanction.grounds, list(GroundsCategory), adverse),
        total_row=True,
        chart="bars",
    )
    buckets = [
        ("Within 30 days", 0, 30),
        ("31 to 90 days", 31, 90),
        ("91 to 180 days", 91, 180),
        ("More than 180 days", 181, PATTERN_WINDOW_DAYS + 1),
    ]
    waits = [_complaint_to_decision(scope, p, buckets) for p in _periods(period)]
    by_grounds.measures = [
        (
            "Time from the latest complaint to the decision (mean)",
            *[_mean_text(total, n) for _, total, n in waits],
        )
    ]
    timing = Table(
        "complaint_to_decision",
        "Time from the latest complaint to the decision",
        "Time taken",
        ["This period", "Previous period"],
        [(label, [counts.get(label, 0) for counts, _, _ in waits]) for label, _, _ in buckets],
        total_row=True,
        chart="bars",
        note="Decisions with a complaint about the same person in the 24 months before; "
        "the clock starts at the latest such complaint.",
    )
    return [by_type, by_grounds, timing]


def _complaint_to_decision(scope: Scope, period: Period, buckets) -> tuple[dict[str, int], float, int]:
    """Per decision in the period, the days since the latest complaint about the same person in the 24 months
    before, counted by bucket in one query; with the sum and number of such decisions for the mean."""
    # The summary tables carry each decision's and complaint's identity: one index probe per decision.
    decision, complaint = ReportDecision, ReportComplaint
    latest = (
        select(func.max(complaint.received_on))
        .where(
            complaint.identity_id == decision.identity_id,
            complaint.received_on <= decision.decided_on,
            complaint.received_on >= days_before(decision.decided_on, PATTERN_WINDOW_DAYS),
        )
        .correlate(decision)
        .scalar_subquery()
    )
    # OFFSET 0 keeps this a subquery, so PostgreSQL works out each decision's latest complaint once rather
    # than once per bucket in the CASE below.
    inner = (
        select(decision.decided_on.label("decided_on"), latest.label("latest"))
        .where(_in_period(decision.decided_on, period), _scoped(decision.authority_id, scope))
        .offset(0)
        .subquery()
    )
    waits = (
        select(days_between(inner.c.decided_on, inner.c.latest).label("days"))
        .where(inner.c.latest.is_not(None))
        .subquery()
    )
    bucket = case(*[(waits.c.days.between(low, high), label) for label, low, high in buckets], else_="")
    counts, total, n = {}, 0.0, 0
    for label, count, days in db.session.execute(
        select(bucket, func.count(), func.sum(waits.c.days)).group_by(bucket)
    ).all():
        counts[label] = count
        total, n = total + float(days or 0), n + count
    return counts, total, n


def _mean_text(total: float, n: int) -> str:
    """A mean in days, withheld when fewer than 5 cases would make it identifying."""
    if not n:
        return "none"
    if n < THRESHOLD:
        return "withheld (fewer than 5 cases)"
    return f"{total / n:.1f} days"


# -- 3. Complaints -------------------------------------------------------------------------------------------


def complaints(scope: Scope, period: Period) -> list[Table]:
    """Complaints by category and outcome, and cross-authority patterns (where licensees live: hot_spots)."""
    where = _Where(
        period, lambda p: (_in_period(Complaint.received_on, p), _scoped(Complaint.authority_id, scope))
    )
    by_category = Table(
        "complaints_by_category",
        "Complaints by category",
        "Category",
        ["This period", "Previous period"],
        _by_enum(Complaint.category, list(ComplaintCategory), where),
        total_row=True,
        chart="bars",
    )
    counts = [
        _tally(
            {
                "substantiated": Complaint.substantiated.is_(True),
                "not_substantiated": Complaint.substantiated.is_(False),
                "open": Complaint.substantiated.is_(None),
            },
            *where(p),
        )
        for p in where.periods
    ]
    by_outcome = Table(
        "complaints_by_outcome",
        "Complaints by outcome",
        "Outcome",
        ["This period", "Previous period"],
        [
            (label, [c.get(key, 0) for c in counts])
            for key, label in (
                ("substantiated", "Substantiated"),
                ("not_substantiated", "Not substantiated"),
                ("open", "Not yet decided"),
            )
        ],
        total_row=True,
    )
    patterns = Table(
        "cross_authority_patterns",
        "Cross-authority complaint patterns",
        "Pattern",
        ["This period", "Previous period"],
        [
            (
                "People with sexual or safeguarding complaints to 2 or more authorities in 24 months",
                [_cross_authority_patterns(scope, p) for p in _periods(period)],
            )
        ],
        note="Counted when at least one of the complaints arrived in the period.",
    )
    return [by_category, by_outcome, patterns]


def _cross_authority_patterns(scope: Scope, period: Period) -> int:
    window_start = period.end - dt.timedelta(days=PATTERN_WINDOW_DAYS)
    # The summary table carries each complaint's identity: one pass over its index, no join.
    complaint = ReportComplaint
    per_identity = (
        select(complaint.identity_id)
        .where(
            complaint.category.in_(SERIOUS_VALUES),
            complaint.received_on.between(window_start, period.end),
        )
        .group_by(complaint.identity_id)
        .having(
            func.count() >= 2,
            func.count(distinct(complaint.authority_id)) >= 2,
            func.max(complaint.received_on) >= period.start,
        )
    )
    if not scope.countywide:
        per_identity = per_identity.having(
            func.sum(case((complaint.authority_id == scope.authority_id, 1), else_=0)) > 0
        )
    return _count(select(func.count()).select_from(per_identity.subquery()))


def hot_spots(scope: Scope, period: Period) -> Table:
    """Complaints by the postcode district of the licensee's current address (complaints carry no
    postcode)."""
    # The summary table carries the district of each complaint's licensee's current address, kept up to date
    # by triggers on addresses: one pass over its index instead of an address lookup per complaint.
    district = func.coalesce(ReportComplaint.district, "")
    counts = [
        _grouped(
            select(district, func.count())
            .where(_in_period(ReportComplaint.received_on, p), _scoped(ReportComplaint.authority_id, scope))
            .group_by(district)
        )
        for p in _periods(period)
    ]
    districts = sorted({d for c in counts for d in c}, key=_district_order)
    return Table(
        "complaint_hot_spots",
        "Complaint hot spots by postcode district",
        "Postcode district",
        ["This period", "Previous period"],
        [(d or "No address", [c.get(d, 0) for c in counts]) for d in districts],
        total_row=True,
        chart="map",
        note="By the postcode district of the licensee's current address.",
    )


def _district_order(district: str) -> tuple[str, int, str]:
    letters = "".join(ch for ch in district if ch.isalpha())[:2]
    digits = "".join(ch for ch in district[len(letters) :] if ch.isdigit())
    return (letters or "~", int(digits) if digits else 0, district)


# -- 4. Police items and 5. alerts ---------------------------------------------------------------------------


def _acted_on(survivors):
    """The alert's person (followed through any later merge) has a decision by the alerted authority since."""
    return exists(
        select(ReportDecision.sanction_id).where(
            ReportDecision.identity_id == func.coalesce(survivors.c.survivor_id, Alert.identity_id),
            ReportDecision.authority_id == Alert.authority_id,
            ReportDecision.decided_on >= func.date(Alert.created_at),
        )
    )


def police_items(scope: Scope, period: Period) -> Table:
    """Police information: items recorded, alerts it raised, how many were acknowledged and acted on."""
    police = _Where(
        period,
        lambda p: (
            Alert.kind == AlertKind.POLICE_INFORMATION,
            _in_period(Alert.created_at, p, datetimes=True),
            _scoped(Alert.authority_id, scope),
        ),
    )
    rows = []
    survivors = _survivors()
    if scope.countywide:
        rows.append(
            (
                "Police items recorded",
                [
                    _count(
                        select(func.count(IntelligenceItem.id)).where(
                            _in_period(IntelligenceItem.submitted_on, p)
                        )
                    )
                    for p in police.periods
                ],
            )
        )
    rows += [
        (
            "Alerts received about police items",
            [_count(select(func.count(Alert.id)).where(*police(p))) for p in police.periods],
        ),
        (
            "Acknowledged",
            [
                _count(select(func.count(Alert.id)).where(*police(p), Alert.acknowledged_at.is_not(None)))
                for p in police.periods
            ],
        ),
        (
            "Acted on (a decision recorded since)",
            [
                _count(
                    select(func.count(Alert.id))
                    .outerjoin(survivors, survivors.c.id == Alert.identity_id)
                    .where(*police(p), _acted_on(survivors))
                )
                for p in police.periods
            ],
        ),
    ]
    table = Table(
        "police_items",
        "Police information received, acknowledged and acted on",
        "Police items",
        ["This period", "Previous period"],
        rows,
        chart="bars",
        note="Acted on: the receiving authority recorded a decision about the person on or after the alert.",
        link=("alerts.inbox", {}),
    )
    table.measures = [
        (
            "Time to acknowledge (mean)",
            *[
                _mean_days(
                    select(days_between(Alert.acknowledged_at, Alert.created_at).label("days"))
                    .where(*police(p), Alert.acknowledged_at.is_not(None))
                    .subquery()
                )
                for p in police.periods
            ],
        )
    ]
    return table


def alerts_within_target(scope: Scope, period: Period, *, today: dt.date) -> Table:
    """Alerts raised in the period by kind: acknowledged within the target, late, or not yet acknowledged."""
    waited = days_between(Alert.acknowledged_at, Alert.created_at)
    state = case(
        (Alert.acknowledged_at.is_(None), "open"), (waited <= ALERT_TARGET_DAYS, "on_time"), else_="late"
    )
    counts = _grouped_pairs(
        select(Alert.kind, state, func.count())
        .where(_in_period(Alert.created_at, period, datetimes=True), _scoped(Alert.authority_id, scope))
        .group_by(Alert.kind, state)
    )
    rows = [
        (kind.label, [counts.get((kind, s), 0) for s in ("on_time", "late", "open")]) for kind in AlertKind
    ]
    return Table(
        "alerts_within_target",
        f"Alerts acknowledged within {ALERT_TARGET_DAYS} days",
        "Alert",
        [f"Within {ALERT_TARGET_DAYS} days", "Later", "Not acknowledged"],
        rows,
        total_row=True,
        total_column=True,
        chart="bars",
        link=("alerts.inbox", {}),
        note="Alerts raised in this period only.",
    )


# -- 6. Requests between authorities -------------------------------------------------------------------------


def requests_answered(scope: Scope, period: Period, *, today: dt.date) -> Table:
    """Information requests (20 working days) and out-of-area referrals (10) sent in the period, by whether
    the
    receiving authority answered by the due date."""
    as_of = min(today, period.end)
    state = case(
        (
            and_(
                InformationRequest.replied_on.is_not(None),
                InformationRequest.replied_on <= InformationRequest.due_on,
            ),
            "on_time",
        ),
        (InformationRequest.replied_on.is_not(None), "late"),
        (InformationRequest.due_on < as_of, "overdue"),
        else_="open",
    )
    counts = _grouped_pairs(
        select(InformationRequest.kind, state, func.count())
        .where(
            _in_period(InformationRequest.sent_on, period), _scoped(InformationRequest.to_authority_id, scope)
        )
        .group_by(InformationRequest.kind, state)
    )
    rows = [
        (
            f"{kind.label} ({kind.working_days} working days)",
            [counts.get((kind, s), 0) for s in ("on_time", "late", "overdue", "open")],
        )
        for kind in RequestKind
    ]
    return Table(
        "requests_answered",
        "Requests answered within their working days",
        "Request",
        ["Answered in time", "Answered late", "Unanswered, overdue", "Unanswered, not yet due"],
        rows,
        total_row=True,
        total_column=True,
        chart="bars",
        link=("requests.index", {}),
        note="Requests sent in this period, counted for the authority that must answer.",
    )


# -- 7. DBS and 8. training ----------------------------------------------------------------------------------


def _in_force_on(day: dt.date, holding: str, statuses, kinds):
    """Groups of badges or licences in force on the day in the stock summary: issued by then, not yet expired
    (a licence with no expiry date is stored as expiring in 9999, one with no issue date as issued then)."""
    return and_(
        ReportStock.holding == holding,
        ReportStock.kind.in_([k.value for k in kinds]),
        ReportStock.status.in_([s.value for s in statuses]),
        ReportStock.expires_on >= day,
        ReportStock.issued_on <= day,
    )


def _stock_scoped(scope: Scope):
    return _scoped(ReportStock.authority_id, scope)


def _stock_sums(conditions: dict, *where, by=None) -> dict:
    """The badges or licences meeting each condition: sums of the stock groups' counts, one query over the
    few thousand groups in force rather than the hundreds of thousands of rows behind them."""
    sums = [func.sum(case((condition, ReportStock.n), else_=0)) for condition in conditions.values()]
    if by is None:
        row = db.session.execute(select(*sums).where(*where)).one()
        return {key: int(value or 0) for key, value in zip(conditions, row, strict=True)}
    result: dict = {}
    for group, *values in db.session.execute(select(by, *sums).where(*where).group_by(by)).all():
        for key, value in zip(conditions, values, strict=True):
            result[(group, key)] = int(value or 0)
    return result


def dbs_checks(scope: Scope, period: Period) -> Table:
    """At the end of each period, the DBS certificates behind badges valid then: Update Service status checks
    made within 6 months, overdue, or not on the Update Service."""
    columns = []
    for p in _periods(period):
        day = p.end
        # Each badge's certificate's subscription and latest check (else its issue date), from the stock
        # summary kept by triggers on badges and certificates.
        checked = ReportStock.dbs_checked_on
        subscribed = ReportStock.dbs_state == 1
        fresh_after = add_months(day, -STATUS_CHECK_FRESH_MONTHS)
        states = {
            "not_subscribed": ReportStock.dbs_state == 0,
            "later": and_(subscribed, checked > day),
            "on_time": and_(subscribed, checked <= day, checked > fresh_after),
            "overdue": and_(subscribed, checked <= fresh_after, checked > NO_DATE),
        }
        columns.append(
            _stock_sums(
                states,
                _in_force_on(day, "badge", VALID_BADGE_STATUSES, list(BadgeType)),
                _stock_scoped(scope),
                ReportStock.dbs_state != NO_CERTIFICATE,
            )
        )
    rows = [
        (label, [c.get(key, 0) for c in columns])
        for key, label in (
            ("on_time", "Status check within 6 months"),
            ("overdue", "Status check overdue"),
            ("not_subscribed", "Not on the Update Service"),
            ("later", "Checked since (earlier check not kept)"),
        )
    ]
    return Table(
        "dbs_checks",
        "DBS Update Service checks on time (badge holders)",
        "Badges",
        ["End of this period", "End of previous period"],
        rows,
        total_row=True,
        chart="bars",
        note="Badges valid at the end of each period, by their DBS certificate. Licences do not yet name "
        "the certificate they rest on, so licensed drivers are not counted here. Only the latest "
        "status check is kept, so a certificate checked after a period's end is shown apart.",
    )


DRIVER_LICENCES = (
    LicenceType.HACKNEY_CARRIAGE_DRIVER,
    LicenceType.PRIVATE_HIRE_DRIVER,
    LicenceType.DUAL_DRIVER,
)
VALID_BADGE_STATUSES = (BadgeStatus.VALID, BadgeStatus.SUSPENDED)
CURRENT_LICENCE_STATUSES = (LicenceStatus.GRANTED, LicenceStatus.SUSPENDED)


def _training_states(day: dt.date) -> dict[str, object]:
    """Each training state as a condition: trained in the last 3 years, out of date, or none recorded."""
    trained_since = add_months(day, -SAFEGUARDING_VALID_MONTHS)
    column = ReportStock.training_on
    return {
        "current": column >= trained_since,
        "lapsed": and_(column < trained_since, column > NO_DATE),
        "none": column == NO_DATE,
    }


def _tally(conditions: dict, *where, joined=None) -> dict:
    """How many rows meet each condition, as conditional sums in one pass over the index range: a GROUP BY
    on computed states made SQLite sort every row (a temporary B-tree) before counting. `joined` is a
    (from, join target, on clause) when the conditions read a second table."""
    query = select(*[func.sum(case((condition, 1), else_=0)) for condition in conditions.values()])
    if joined is not None:
        first, target, on = joined
        query = query.select_from(first).join(target, on)
    row = db.session.execute(query.where(*where)).one()
    return {key: int(value or 0) for key, value in zip(conditions, row, strict=True)}


def training_coverage(scope: Scope, period: Period) -> Table:
    """Badges valid and driver licences current at the period's end, by whether the holder has safeguarding
    training from the last 3 years."""
    day = period.end
    # Two queries over the stock summary's groups in force (a few thousand at 1,000,000 records): counting
    # the 714,000 licences themselves took SQLite 0.2 to 0.9 s.
    states = _training_states(day)
    badges = _stock_sums(
        states,
        _in_force_on(day, "badge", VALID_BADGE_STATUSES, list(BadgeType)),
        _stock_scoped(scope),
        by=ReportStock.kind,
    )
    licences = _stock_sums(
        states,
        _in_force_on(day, "licence", CURRENT_LICENCE_STATUSES, DRIVER_LICENCES),
        _stock_scoped(scope),
        by=ReportStock.kind,
    )
    names = ("current", "lapsed", "none")
    rows = [(f"{kind.label} badges", [badges.get((kind.value, s), 0) for s in names]) for kind in BadgeType]
    rows += [
        (f"{kind.label} licences", [licences.get((kind.value, s), 0) for s in names])
        for kind in DRIVER_LICENCES
    ]
    return Table(
        "training_coverage",
        "Safeguarding training coverage (badge holders and licensed drivers)",
        "Badge or licence",
        ["Trained in the last 3 years", "Training out of date", "No training recorded"],
        rows,
        total_row=True,
        total_column=True,
        chart="bars",
        link=("licences.badge_lists", {}),
        note="Badges valid and driver licences in force at the end of the period, counted per badge or "
        "licence. A driver's training is recorded when the licence is granted or renewed.",
    )


# -- 9. Identity matching ------------------------------------------------------------------------------------


def _links_in_scope(scope: Scope):
    """Links with a record held by the authority, read from the link summary (which carries both holders)."""
    if scope.countywide:
        return literal(True)
    return or_(ReportLink.authority_a == scope.authority_id, ReportLink.authority_b == scope.authority_id)


def _without_identifier(scope: Scope) -> dict[int, int]:
    """Records with neither identifier, by authority, from their partial index. SQLite is told to use it: its
    statistics take the driving licence index to find one record per value, and it then read 55,000
    records with no licence number (0.17 s at 1,000,000 records, against under 1 ms)."""
    indexed = " INDEXED BY ix_person_records_no_identifier" if _dialect() == "sqlite" else ""
    scoped = "" if scope.countywide else " AND authority_id = :authority_id"
    query = text(
        f"SELECT authority_id, count(*) FROM person_records{indexed} "  # noqa: S608  (constants only)
        f"WHERE {NO_IDENTIFIER_SQL}{scoped} GROUP BY authority_id"
    )
    params = {} if scope.countywide else {"authority_id": scope.authority_id}
    return {key: count for key, count in db.session.execute(query, params).all()}


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def matching_health(scope: Scope, period: Period, *, today: dt.date) -> list[Table]:
    """Links made, confirmed and rejected in the period; the review queue now; records with an identifier."""
    counts = [
        _grouped(
            select(ReportLink.state, func.count())
            .where(_in_period(ReportLink.set_at, p, datetimes=True), _links_in_scope(scope))
            .group_by(ReportLink.state)
        )
        for p in _periods(period)
    ]
    decisions_table = Table(
        "matching_decisions",
        "Identity links",
        "Links",
        ["This period", "Previous period"],
        [
            ("Linked automatically", [c.get(LinkState.AUTOMATIC.value, 0) for c in counts]),
            ("Confirmed by a person", [c.get(LinkState.CONFIRMED.value, 0) for c in counts]),
            ("Rejected by a person", [c.get(LinkState.REJECTED.value, 0) for c in counts]),
            ("Unlinked", [c.get(LinkState.UNLINKED.value, 0) for c in counts]),
        ],
        chart="bars",
        note="By the date each link was last decided.",
        link=("people.review_queue", {}),
    )
    age = days_between(literal(dt.datetime.combine(today, dt.time.min)), ReportLink.created_at)
    bucket = case((age < 7, "week"), (age <= 30, "month"), else_="older")
    pending = ReportLink.state == LinkState.PENDING.value
    queue = _grouped(select(bucket, func.count()).where(pending, _links_in_scope(scope)).group_by(bucket))
    queue_table = Table(
        "review_queue",
        "Review queue today, by age",
        "Waiting for review",
        ["Pairs"],
        [
            ("Less than a week", [queue.get("week", 0)]),
            ("1 week to 30 days", [queue.get("month", 0)]),
            ("More than 30 days", [queue.get("older", 0)]),
        ],
        total_row=True,
        link=("people.review_queue", {}),
    )
    oldest = db.session.scalar(
        select(func.min(ReportLink.created_at)).where(pending, _links_in_scope(scope))
    )
    queue_table.measures = [
        ("Oldest pair waiting", f"{max((today - oldest.date()).days, 0)} days" if oldest else "none", "")
    ]
    # Two index-only counts: all records per authority, and those with neither identifier (few, and all in a
    # partial index), so no pass over every row's columns is needed.
    totals = _grouped(
        select(PersonRecord.authority_id, func.count())
        .where(_scoped(PersonRecord.authority_id, scope))
        .group_by(PersonRecord.authority_id)
    )
    without = _without_identifier(scope)
    names = dict(
        db.session.execute(select(Authority.id, Authority.name).where(Authority.id.in_(list(totals)))).all()
    )
    per_authority = sorted((names[a], total, total - without.get(a, 0)) for a, total in totals.items())
    identifiers = Table(
        "comparable_identifiers",
        "Records with a comparable identifier",
        "Authority",
        ["With a driving licence or NI number", "Without"],
        [(name, [int(with_id), int(total) - int(with_id)]) for name, total, with_id in per_authority],
        total_row=True,
        total_column=True,
        chart="bars",
        note="A driving licence or National Insurance number lets the engine link records with "
        "confidence; names and dates of birth alone are weak evidence.",
    )
    identifiers.measures = [
        (
            f"Share with an identifier: {name}",
            f"{100 * int(with_id) / int(total):.1f}%" if total >= THRESHOLD else "withheld",
            "",
        )
        for name, total, with_id in per_authority
    ]
    return [decisions_table, queue_table, identifiers]


# -- Trends and comparisons by authority ---------------------------------------------------------------------


def monthly_trend(scope: Scope, period: Period) -> Table:
    """Decisions and complaints per month over the 12 months to the period's end."""
    start = add_months(period.end, -12) + dt.timedelta(days=1)
    window = Period(start, period.end)
    decided = _grouped(
        select(year_month(Sanction.decided_on), func.count())
        .where(
            _in_period(Sanction.decided_on, window),
            _scoped(Sanction.authority_id, scope),
            Sanction.sanction_type.in_(ADVERSE_SANCTIONS),
        )
        .group_by(year_month(Sanction.decided_on))
    )
    received = _grouped(
        select(year_month(Complaint.received_on), func.count())
        .where(_in_period(Complaint.received_on, window), _scoped(Complaint.authority_id, scope))
        .group_by(year_month(Complaint.received_on))
    )
    months = [add_months(dt.date(start.year, start.month, 1), i).strftime("%Y-%m") for i in range(13)]
    months = [m for m in months if m <= period.end.strftime("%Y-%m")][-12:]
    return Table(
        "monthly_trend",
        "Refusals, suspensions and revocations, and complaints, by month",
        "Month",
        ["Decisions", "Complaints"],
        [(m, [decided.get(m, 0), received.get(m, 0)]) for m in months],
        total_row=True,
        chart="line",
    )


def by_authority(period: Period) -> Table:
    """Countywide only: adverse decisions and complaints per licensing authority, this period and the last."""
    authorities = db.session.execute(
        select(Authority.id, Authority.name)
        .where(Authority.kind == AuthorityKind.LICENSING)
        .order_by(Authority.name)
    ).all()
    columns = []
    for p in _periods(period):
        columns.append(
            _grouped(
                select(Sanction.authority_id, func.count())
                .where(_in_period(Sanction.decided_on, p), Sanction.sanction_type.in_(ADVERSE_SANCTIONS))
                .group_by(Sanction.authority_id)
            )
        )
    for p in _periods(period):
        columns.append(
            _grouped(
                select(Complaint.authority_id, func.count())
                .where(_in_period(Complaint.received_on, p))
                .group_by(Complaint.authority_id)
            )
        )
    return Table(
        "by_authority",
        "Decisions and complaints by authority",
        "Authority",
        [
            "Decisions, this period",
            "Decisions, previous period",
            "Complaints, this period",
            "Complaints, previous period",
        ],
        [(name, [c.get(authority_id, 0) for c in columns]) for authority_id, name in authorities],
        total_row=True,
        chart="bars",
    )


# -- The whole report ----------------------------------------------------------------------------------------


def tune_session() -> None:
    """For the rest of this transaction, no JIT compilation on PostgreSQL: it spent 0.6 s compiling each
    report query that runs in milliseconds."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


@dataclass(frozen=True)
class Area:
    """One report area: the function that computes its tables and their keys, so that one table (a chart's)
    is computed with its own area's queries and no others."""

    section: str
    keys: tuple[str, ...]
    compute: Callable[[Scope, Period, dt.date], list[Table]]
    countywide_only: bool = False


SECTIONS = [
    ("overview", "Trends"),
    ("checks", "Applicant checks"),
    ("decisions", "Decisions"),
    ("complaints", "Complaints"),
    ("police", "Police information and alerts"),
    ("requests", "Requests between authorities"),
    ("dbs", "DBS and safeguarding training"),
    ("matching", "Identity matching"),
]
# In the page's order within each section.
AREAS = [
    Area("overview", ("monthly_trend",), lambda scope, period, today: [monthly_trend(scope, period)]),
    Area(
        "overview",
        ("by_authority",),
        lambda scope, period, today: [by_authority(period)],
        countywide_only=True,
    ),
    Area("checks", ("applicant_checks",), lambda scope, period, today: [applicant_checks(scope, period)]),
    Area(
        "decisions",
        ("decisions_by_type", "decisions_by_grounds", "complaint_to_decision"),
        lambda scope, period, today: decisions(scope, period),
    ),
    Area(
        "complaints",
        ("complaints_by_category", "complaints_by_outcome", "cross_authority_patterns"),
        lambda scope, period, today: complaints(scope, period),
    ),
    Area("complaints", ("complaint_hot_spots",), lambda scope, period, today: [hot_spots(scope, period)]),
    Area("police", ("police_items",), lambda scope, period, today: [police_items(scope, period)]),
    Area(
        "police",
        ("alerts_within_target",),
        lambda scope, period, today: [alerts_within_target(scope, period, today=today)],
    ),
    Area(
        "requests",
        ("requests_answered",),
        lambda scope, period, today: [requests_answered(scope, period, today=today)],
    ),
    Area("dbs", ("dbs_checks",), lambda scope, period, today: [dbs_checks(scope, period)]),
    Area("dbs", ("training_coverage",), lambda scope, period, today: [training_coverage(scope, period)]),
    Area(
        "matching",
        ("matching_decisions", "review_queue", "comparable_identifiers"),
        lambda scope, period, today: matching_health(scope, period, today=today),
    ),
]


def _areas_for(scope: Scope) -> list[Area]:
    return [area for area in AREAS if scope.countywide or not area.countywide_only]


def build_report(scope: Scope, period: Period, *, today: dt.date) -> list[Section]:
    """Every report section for the scope and period, with the previous period alongside."""
    tune_session()
    tables: dict[str, list[Table]] = {key: [] for key, _ in SECTIONS}
    for area in _areas_for(scope):
        tables[area.section] += area.compute(scope, period, today)
    return [Section(key, title, tables[key]) for key, title in SECTIONS]


def report_table(key: str, scope: Scope, period: Period, *, today: dt.date) -> Table | None:
    """One table of the report (for its chart), computed with only its own area's queries; None when the
    scope has no such table."""
    area = next((area for area in _areas_for(scope) if key in area.keys), None)
    if area is None:
        return None
    tune_session()
    return next(table for table in area.compute(scope, period, today) if table.key == key)


def record_report_viewed(
    actor: User, scope: Scope, period: Period, *, action: str = "report.viewed", details: dict | None = None
) -> None:
    """Audit a report view, print or export: who looked at which scope and period."""
    audit(
        actor,
        action,
        details={
            "scope": scope.name,
            "authority_id": scope.authority_id,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            **(details or {}),
        },
    )


MAX_PERIOD_DAYS = 3 * 366


def choose_report(
    user: User, *, scope_value: str, start: dt.date | None, end: dt.date | None, today: dt.date
) -> tuple[Scope, Period]:
    """The scope and period asked for, if the user may see that scope; RuleViolation otherwise."""
    scopes = scopes_for(user)
    if not scopes:
        raise RuleViolation(
            "Reports are for licensing managers, the county safeguarding lead, administrators and auditors"
        )
    by_value = {scope_value_of(s): s for s in scopes}
    scope = by_value.get(scope_value or scope_value_of(scopes[0]))
    if scope is None:
        raise RuleViolation("Choose an authority you may report on")
    if start is None and end is None:
        return scope, default_period(today)
    if start is None or end is None:
        raise RuleViolation("Enter both dates of the period")
    if start > end:
        raise RuleViolation("The period must start before it ends")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise RuleViolation("Choose a period of 3 years or less")
    return scope, Period(start, end)


def scope_value_of(scope: Scope) -> str:
    return "county" if scope.countywide else str(scope.authority_id)
