"""Every report figure, checked against the demo county plus factory-built checks, alerts, requests and links.

The expected figures are worked out here in plain Python over the rows, never by the reports' own queries."""

import datetime as dt
from collections import Counter

from sqlalchemy import select

from licensing.alerts.models import Alert, AlertKind
from licensing.auth.models import Role
from licensing.authorities.models import Authority, AuthorityKind
from licensing.complaints.models import Complaint, ComplaintCategory
from licensing.db import db
from licensing.intelligence.models import IntelligenceItem, IntelligenceStatus
from licensing.licences.models import (
    Badge,
    BadgeStatus,
    BadgeType,
    DbsCertificate,
    Licence,
    LicenceStatus,
    LicenceType,
)
from licensing.licences.rules import add_months
from licensing.people.models import ApplicantCheck, LinkState, Nr3sOutcome, PersonRecord, RecordLink
from licensing.reports.services import Period, Scope, build_report
from licensing.requests.models import InformationRequest, RequestKind
from licensing.sanctions.models import GroundsCategory, Sanction, SanctionType
from seed.demo import load_demo
from tests.factories import arranged, make_person, make_user

PERIOD = Period(dt.date(2026, 5, 1), dt.date(2026, 10, 31))
PREVIOUS = Period(dt.date(2025, 10, 31), dt.date(2026, 4, 30))
TODAY = dt.date(2026, 11, 1)
DRIVER_TYPES = (LicenceType.HACKNEY_CARRIAGE_DRIVER, LicenceType.PRIVATE_HIRE_DRIVER, LicenceType.DUAL_DRIVER)
SERIOUS = {ComplaintCategory.SEXUAL_HARASSMENT, ComplaintCategory.SAFEGUARDING}
ADVERSE = {
    SanctionType.REFUSAL,
    SanctionType.REFUSAL_TO_RENEW,
    SanctionType.SUSPENSION,
    SanctionType.INTERIM_SUSPENSION,
    SanctionType.REVOCATION,
}


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def _build_county():
    """The demo county, then applicant checks, alerts, requests and link decisions on known dates."""
    load_demo(n_records=300, echo=lambda _: None)
    officer = make_user(Role.LICENSING_OFFICER, authority="WDC")
    authorities = {a.code: a for a in db.session.scalars(select(Authority))}
    records = db.session.scalars(select(PersonRecord).order_by(PersonRecord.id)).all()
    sanctioned = db.session.scalars(
        select(Sanction).where(Sanction.authority_id != authorities["WDC"].id)
    ).all()
    with_intel = db.session.scalars(select(IntelligenceItem)).all()
    # Applicant checks by Wycombe and Chiltern, finding identities with decisions and police information
    # elsewhere.
    days = [
        dt.date(2026, 6, 2),
        dt.date(2026, 9, 30),
        dt.date(2026, 1, 15),
        dt.date(2026, 10, 31),
        dt.date(2025, 12, 1),
        dt.date(2026, 5, 1),
    ]
    for index, day in enumerate(days * 2):
        found = [
            {"id": sanctioned[index % len(sanctioned)].person.identity_id, "score": 0.9},
            {"id": with_intel[index % len(with_intel)].person.identity_id, "score": 0.8},
        ]
        found += [{"id": records[index].identity_id, "score": 0.5}] if index % 3 else []
        db.session.add(
            ApplicantCheck(
                authority_id=authorities["WDC" if index % 2 else "CDC"].id,
                checked_by_id=officer.id,
                applicant_reference=f"APP-{index}",
                criteria={},
                identity_ids=found if index % 4 else [f["id"] for f in found],
                nr3s_outcome=Nr3sOutcome.NO_MATCH,
                checked_at=_at(day, 8 + index % 9),
            )
        )
    # Alerts to Wycombe and the county team: quick, slow and open, about police items and decisions.
    alert_days = [
        dt.date(2026, 5, 3),
        dt.date(2026, 7, 9),
        dt.date(2026, 10, 30),
        dt.date(2026, 2, 1),
        dt.date(2026, 8, 20),
        dt.date(2026, 6, 11),
        dt.date(2026, 9, 1),
    ]
    for index in range(21):
        created = _at(alert_days[index % len(alert_days)], 10)
        waited = [
            None,
            dt.timedelta(hours=5),
            dt.timedelta(days=2),
            dt.timedelta(days=2, hours=1),
            dt.timedelta(days=9),
        ][index % 5]
        target = records[(index * 7) % len(records)]
        db.session.add(
            Alert(
                authority_id=authorities["WDC" if index % 3 else "BCC-CT"].id,
                identity_id=target.identity_id,
                kind=[AlertKind.POLICE_INFORMATION, AlertKind.DECISION, AlertKind.COMPLAINT][index % 3],
                subject_type="person_records",
                subject_id=target.id,
                summary="",
                raised_by_authority_id=authorities["TVP"].id,
                created_at=created,
                acknowledged_at=created + waited if waited else None,
            )
        )
    # Requests between authorities, answered in time, late or not at all.
    for index in range(12):
        sent = [dt.date(2026, 5, 4), dt.date(2026, 9, 28), dt.date(2026, 10, 26), dt.date(2026, 3, 2)][
            index % 4
        ]
        kind = RequestKind.INFORMATION_REQUEST if index % 2 else RequestKind.OUT_OF_AREA_REFERRAL
        due = sent + dt.timedelta(days=28 if kind is RequestKind.INFORMATION_REQUEST else 14)
        replied = [sent + dt.timedelta(days=3), due + dt.timedelta(days=4), None][index % 3]
        db.session.add(
            InformationRequest(
                kind=kind,
                identity_id=records[index].identity_id,
                from_authority_id=authorities["CDC"].id,
                to_authority_id=authorities["WDC" if index % 4 else "AVDC"].id,
                requested_by_id=officer.id,
                sent_on=sent,
                due_on=due,
                replied_on=replied,
                reply="Reply" if replied else "",
            )
        )
    # Safeguarding training on the demo's driver licences: recent, lapsed (over 3 years before the period's
    # end) or not recorded.
    for index, licence in enumerate(
        db.session.scalars(select(Licence).where(Licence.licence_type.in_(DRIVER_TYPES)).order_by(Licence.id))
    ):
        licence.safeguarding_training_on = [dt.date(2025, 3, 1), dt.date(2023, 10, 30), None][index % 3]
    # Link decisions on known dates between fresh records of Wycombe and Chiltern.
    for index in range(9):
        left = make_person("WDC", surname=f"Linkleft{index}")
        right = make_person("CDC" if index % 2 else "AVDC", surname=f"Linkright{index}")
        state = [LinkState.CONFIRMED, LinkState.REJECTED, LinkState.PENDING, LinkState.AUTOMATIC][index % 4]
        decided = _at([dt.date(2026, 6, 1), dt.date(2026, 2, 2), dt.date(2026, 10, 20)][index % 3])
        pair = (min(left.id, right.id), max(left.id, right.id))
        link = db.session.scalar(
            select(RecordLink).where(RecordLink.record_a_id == pair[0], RecordLink.record_b_id == pair[1])
        )
        link = link or RecordLink(record_a_id=pair[0], record_b_id=pair[1], score=0.8, evidence=[])
        link.state, link.set_at = state, decided
        link.created_at = decided - dt.timedelta(days=[1, 12, 45][index % 3])
        db.session.add(link)
        db.session.flush()
    db.session.commit()
    return authorities


def _in(day, period: Period) -> bool:
    return period.start <= day <= period.end


def _identity_records(identity_id):
    return db.session.scalars(select(PersonRecord).where(PersonRecord.identity_id == identity_id)).all()


def _expected_checks(scope_id, period):
    checks = [
        c
        for c in db.session.scalars(select(ApplicantCheck))
        if _in(c.checked_at.date(), period) and scope_id in (None, c.authority_id)
    ]
    found = Counter()
    for check in checks:
        day = check.checked_at.date()
        kinds = set()
        for hit in check.identity_ids:
            records = _identity_records(hit["id"] if isinstance(hit, dict) else hit)
            if any(
                s.authority_id != check.authority_id and s.sanction_type in ADVERSE and s.decided_on <= day
                for r in records
                for s in r.sanctions
            ):
                kinds.add("decision")
            if (
                len(
                    [
                        c
                        for r in records
                        for c in r.complaints
                        if c.authority_id != check.authority_id
                        and c.category in SERIOUS
                        and day - dt.timedelta(days=730) <= c.received_on <= day
                    ]
                )
                >= 2
            ):
                kinds.add("pattern")
            if any(
                i.status is not IntelligenceStatus.WITHDRAWN and i.submitted_on <= day
                for r in records
                for i in r.intelligence_items
            ):
                kinds.add("police")
        found.update(kinds)
    return [len(checks), found["decision"], found["pattern"], found["police"]]


def _latest_complaint_days(sanction):
    complaints = [
        c.received_on
        for r in _identity_records(sanction.person.identity_id)
        for c in r.complaints
        if sanction.decided_on - dt.timedelta(days=730) <= c.received_on <= sanction.decided_on
    ]
    return (sanction.decided_on - max(complaints)).days if complaints else None


def _current_postcode(record):
    addresses = sorted(
        record.addresses, key=lambda a: (a.from_on is None, -(a.from_on or dt.date.min).toordinal(), -a.id)
    )
    return addresses[0].postcode.strip().split(" ")[0].upper() if addresses else ""


def _valid_badge(badge, day):
    return badge.issued_on <= day <= badge.expires_on and badge.status in (
        BadgeStatus.VALID,
        BadgeStatus.SUSPENDED,
    )


def _expected(scope_id, authorities):
    """Every table's rows, worked out from the rows in Python."""
    mine = lambda authority_id: scope_id in (None, authority_id)  # noqa: E731
    periods = (PERIOD, PREVIOUS)
    sanctions = db.session.scalars(select(Sanction)).all()
    complaints = db.session.scalars(select(Complaint)).all()
    alerts = db.session.scalars(select(Alert)).all()
    expected = {}

    window_start = add_months(PERIOD.end, -12) + dt.timedelta(days=1)
    months = sorted(
        {
            (window_start + dt.timedelta(days=n)).strftime("%Y-%m")
            for n in range((PERIOD.end - window_start).days + 1)
        }
    )
    expected["monthly_trend"] = [
        (
            m,
            [
                len(
                    [
                        s
                        for s in sanctions
                        if mine(s.authority_id)
                        and s.sanction_type in ADVERSE
                        and s.decided_on >= window_start
                        and s.decided_on.strftime("%Y-%m") == m
                    ]
                ),
                len(
                    [
                        c
                        for c in complaints
                        if mine(c.authority_id)
                        and c.received_on >= window_start
                        and c.received_on.strftime("%Y-%m") == m
                    ]
                ),
            ],
        )
        for m in months
    ]
    if scope_id is None:
        licensing = sorted(
            (a for a in authorities.values() if a.kind is AuthorityKind.LICENSING), key=lambda a: a.name
        )
        expected["by_authority"] = [
            (
                a.name,
                [
                    *[
                        len(
                            [
                                s
                                for s in sanctions
                                if s.authority_id == a.id
                                and s.sanction_type in ADVERSE
                                and _in(s.decided_on, p)
                            ]
                        )
                        for p in periods
                    ],
                    *[
                        len([c for c in complaints if c.authority_id == a.id and _in(c.received_on, p)])
                        for p in periods
                    ],
                ],
            )
            for a in licensing
        ]

    check_figures = [_expected_checks(scope_id, p) for p in periods]
    expected["applicant_checks"] = [
        (label, [check_figures[0][i], check_figures[1][i]])
        for i, label in enumerate(
            [
                "Applicants checked",
                "Found a refusal, suspension or revocation elsewhere",
                "Found a pattern of sexual or safeguarding complaints elsewhere",
                "Found police information",
            ]
        )
    ]

    decided = [[s for s in sanctions if mine(s.authority_id) and _in(s.decided_on, p)] for p in periods]
    expected["decisions_by_type"] = [
        (t.label, [len([s for s in d if s.sanction_type is t]) for d in decided]) for t in SanctionType
    ]
    expected["decisions_by_grounds"] = [
        (g.label, [len([s for s in d if s.grounds is g and s.sanction_type in ADVERSE]) for d in decided])
        for g in GroundsCategory
    ]
    waits = [[w for w in (_latest_complaint_days(s) for s in d) if w is not None] for d in decided]
    expected["complaint_to_decision"] = [
        (label, [len([w for w in ws if low <= w <= high]) for ws in waits])
        for label, low, high in (
            ("Within 30 days", 0, 30),
            ("31 to 90 days", 31, 90),
            ("91 to 180 days", 91, 180),
            ("More than 180 days", 181, 731),
        )
    ]
    expected["mean_wait"] = [
        (
            "none"
            if not ws
            else "withheld (fewer than 5 cases)"
            if len(ws) < 5
            else f"{sum(ws) / len(ws):.1f} days"
        )
        for ws in waits
    ]

    received = [[c for c in complaints if mine(c.authority_id) and _in(c.received_on, p)] for p in periods]
    expected["complaints_by_category"] = [
        (k.label, [len([c for c in r if c.category is k]) for r in received]) for k in ComplaintCategory
    ]
    expected["complaints_by_outcome"] = [
        ("Substantiated", [len([c for c in r if c.substantiated is True]) for r in received]),
        ("Not substantiated", [len([c for c in r if c.substantiated is False]) for r in received]),
        ("Not yet decided", [len([c for c in r if c.substantiated is None]) for r in received]),
    ]
    patterns = []
    for p in periods:
        by_identity = {}
        for c in complaints:
            if c.category in SERIOUS and p.end - dt.timedelta(days=730) <= c.received_on <= p.end:
                by_identity.setdefault(c.person.identity_id, []).append(c)
        patterns.append(
            len(
                [
                    cs
                    for cs in by_identity.values()
                    if len(cs) >= 2
                    and len({c.authority_id for c in cs}) >= 2
                    and max(c.received_on for c in cs) >= p.start
                    and (scope_id is None or any(c.authority_id == scope_id for c in cs))
                ]
            )
        )
    expected["cross_authority_patterns"] = [
        ("People with sexual or safeguarding complaints to 2 or more authorities in 24 months", patterns)
    ]
    districts = [Counter(_current_postcode(c.person) for c in r) for r in received]
    expected["complaint_hot_spots"] = sorted(
        (
            (d or "No address", [districts[0][d], districts[1][d]])
            for d in set(districts[0]) | set(districts[1])
        ),
        key=lambda row: _district_key(row[0]),
    )

    police = [
        [
            a
            for a in alerts
            if a.kind is AlertKind.POLICE_INFORMATION and mine(a.authority_id) and _in(a.created_at.date(), p)
        ]
        for p in periods
    ]
    rows = []
    if scope_id is None:
        rows.append(
            (
                "Police items recorded",
                [
                    len([i for i in db.session.scalars(select(IntelligenceItem)) if _in(i.submitted_on, p)])
                    for p in periods
                ],
            )
        )
    rows += [
        ("Alerts received about police items", [len(a) for a in police]),
        ("Acknowledged", [len([x for x in a if x.acknowledged_at]) for a in police]),
        (
            "Acted on (a decision recorded since)",
            [
                len(
                    [
                        x
                        for x in a
                        if any(
                            s.authority_id == x.authority_id and s.decided_on >= x.created_at.date()
                            for r in _identity_records(x.identity_id)
                            for s in r.sanctions
                        )
                    ]
                )
                for a in police
            ],
        ),
    ]
    expected["police_items"] = rows
    raised = [a for a in alerts if mine(a.authority_id) and _in(a.created_at.date(), PERIOD)]

    def alert_state(a):
        if a.acknowledged_at is None:
            return "open"
        return "on_time" if (a.acknowledged_at - a.created_at).total_seconds() <= 2 * 86400 else "late"

    expected["alerts_within_target"] = [
        (
            k.label,
            [
                len([a for a in raised if a.kind is k and alert_state(a) == s])
                for s in ("on_time", "late", "open")
            ],
        )
        for k in AlertKind
    ]

    as_of = min(TODAY, PERIOD.end)
    sent = [
        r
        for r in db.session.scalars(select(InformationRequest))
        if _in(r.sent_on, PERIOD) and mine(r.to_authority_id)
    ]

    def request_state(r):
        if r.replied_on is not None:
            return "on_time" if r.replied_on <= r.due_on else "late"
        return "overdue" if r.due_on < as_of else "open"

    expected["requests_answered"] = [
        (
            f"{k.label} ({k.working_days} working days)",
            [
                len([r for r in sent if r.kind is k and request_state(r) == s])
                for s in ("on_time", "late", "overdue", "open")
            ],
        )
        for k in RequestKind
    ]

    certificates = {c.id: c for c in db.session.scalars(select(DbsCertificate))}
    dbs_columns = []
    for p in periods:
        day = p.end
        states = Counter()
        for badge in db.session.scalars(select(Badge)):
            if not (_valid_badge(badge, day) and badge.dbs_certificate_id and mine(badge.authority_id)):
                continue
            c = certificates[badge.dbs_certificate_id]
            base = c.last_status_check_on or c.issued_on
            states[
                "not_subscribed"
                if not c.update_service_subscribed
                else "later"
                if base > day
                else "on_time"
                if base > add_months(day, -6)
                else "overdue"
            ] += 1
        dbs_columns.append(states)
    expected["dbs_checks"] = [
        (label, [c[key] for c in dbs_columns])
        for key, label in (
            ("on_time", "Status check within 6 months"),
            ("overdue", "Status check overdue"),
            ("not_subscribed", "Not on the Update Service"),
            ("later", "Checked since (earlier check not kept)"),
        )
    ]

    day = PERIOD.end
    badges = [b for b in db.session.scalars(select(Badge)) if _valid_badge(b, day) and mine(b.authority_id)]

    def training(b):
        if b.safeguarding_training_on is None:
            return "none"
        return "current" if b.safeguarding_training_on >= add_months(day, -36) else "lapsed"

    expected["training_coverage"] = [
        (
            f"{k.label} badges",
            [
                len([b for b in badges if b.badge_type is k and training(b) == s])
                for s in ("current", "lapsed", "none")
            ],
        )
        for k in BadgeType
    ]
    # Driver licences in force at the period's end, by their holder's training, counted per licence.
    licences = [
        licence
        for licence in db.session.scalars(select(Licence))
        if licence.licence_type in DRIVER_TYPES
        and licence.status in (LicenceStatus.GRANTED, LicenceStatus.SUSPENDED)
        and licence.issued_on is not None
        and licence.issued_on <= day
        and (licence.expires_on is None or licence.expires_on >= day)
        and mine(licence.authority_id)
    ]
    expected["training_coverage"] += [
        (
            f"{k.label} licences",
            [
                len([x for x in licences if x.licence_type is k and training(x) == s])
                for s in ("current", "lapsed", "none")
            ],
        )
        for k in DRIVER_TYPES
    ]

    links = db.session.scalars(select(RecordLink)).all()
    in_scope = [
        link
        for link in links
        if scope_id is None or scope_id in (link.record_a.authority_id, link.record_b.authority_id)
    ]
    expected["matching_decisions"] = [
        (label, [len([x for x in in_scope if x.state is state and _in(x.set_at.date(), p)]) for p in periods])
        for label, state in (
            ("Linked automatically", LinkState.AUTOMATIC),
            ("Confirmed by a person", LinkState.CONFIRMED),
            ("Rejected by a person", LinkState.REJECTED),
            ("Unlinked", LinkState.UNLINKED),
        )
    ]
    ages = [
        (_at(TODAY, 0) - x.created_at).total_seconds() / 86400
        for x in in_scope
        if x.state is LinkState.PENDING
    ]
    expected["review_queue"] = [
        ("Less than a week", [len([a for a in ages if a < 7])]),
        ("1 week to 30 days", [len([a for a in ages if 7 <= a <= 30])]),
        ("More than 30 days", [len([a for a in ages if a > 30])]),
    ]
    people = db.session.scalars(select(PersonRecord)).all()
    shown = sorted((a for a in authorities.values() if mine(a.id)), key=lambda a: a.name)
    expected["comparable_identifiers"] = [
        (
            a.name,
            [
                len(
                    [
                        r
                        for r in people
                        if r.authority_id == a.id and (r.driving_licence_number or r.national_insurance)
                    ]
                ),
                len(
                    [
                        r
                        for r in people
                        if r.authority_id == a.id and not (r.driving_licence_number or r.national_insurance)
                    ]
                ),
            ],
        )
        for a in shown
        if any(r.authority_id == a.id for r in people)
    ]
    return expected


def _district_key(district):
    letters = "".join(ch for ch in district if ch.isalpha())[:2]
    digits = "".join(ch for ch in district[len(letters) :] if ch.isdigit())
    return (letters or "~", int(digits) if digits else 0, district)


def _report_rows(scope):
    sections = build_report(scope, PERIOD, today=TODAY)
    tables = {table.key: table for section in sections for table in section.tables}
    return tables, {key: table.rows for key, table in tables.items()}


def test_every_figure_matches_the_rows_countywide_and_for_one_authority(app):
    with arranged(app):
        authorities = _build_county()
        for scope in (Scope(None, "County"), Scope(authorities["WDC"].id, "Wycombe")):
            tables, actual = _report_rows(scope)
            expected = _expected(scope.authority_id, authorities)
            mean_wait = expected.pop("mean_wait")
            assert set(actual) == set(expected), scope
            for key, rows in expected.items():
                assert actual[key] == rows, (scope.name, key)
            assert tables["decisions_by_grounds"].measures[0][1:] == tuple(mean_wait)
        # The factory data reaches every kind of figure, so none of the comparisons above is vacuous.
        _, county = _report_rows(Scope(None, "County"))
        for key in (
            "applicant_checks",
            "alerts_within_target",
            "requests_answered",
            "matching_decisions",
            "police_items",
            "dbs_checks",
            "training_coverage",
            "complaint_hot_spots",
        ):
            assert sum(sum(values) for _, values in county[key]), key
        licence_rows = [values for label, values in county["training_coverage"] if label.endswith("licences")]
        assert all(sum(column) for column in zip(*licence_rows, strict=True))
        assert all(values[0] for _, values in county["applicant_checks"][:2])
