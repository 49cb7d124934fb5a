"""Rows for each export, built only from what the page's own read service returned to this viewer.

No visibility rule lives here: search rows come from `search_people`, a chronology from `build_person_view`,
the badge lists from `badges_due`, police reviews from `reviews_due`. Each export is audited as a disclosure
with its reason and what it held."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.db import db
from licensing.exports.tabular import csv_bytes, xlsx_bytes
from licensing.intelligence.models import IntelligenceItem
from licensing.licences.models import Badge
from licensing.register.person_view import PersonView
from licensing.register.search import SearchHit

MARKING = "OFFICIAL-SENSITIVE"


@dataclass
class ExportFile:
    filename: str
    content: bytes
    mimetype: str


def render(
    name: str,
    headers: list[str],
    rows: Sequence[Sequence],
    file_format: str,
    *,
    sensitive: bool,
) -> ExportFile:
    """CSV or .xlsx through the shared writer; police information marks the name and first row."""
    if sensitive:
        name = f"{MARKING}-{name}"
        rows = [headers, *rows]
        headers = [f"{MARKING}: police information, handle under its conditions"]
    stamp = dt.date.today().isoformat()
    if file_format == "xlsx":
        return ExportFile(
            f"{name}-{stamp}.xlsx",
            xlsx_bytes(headers, rows, sheet_title=name[:31]),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return ExportFile(f"{name}-{stamp}.csv", csv_bytes(headers, rows), "text/csv; charset=utf-8")


SEARCH_HEADERS = [
    "Rank",
    "Identity",
    "Score",
    "Explanation",
    "Name",
    "Date of birth",
    "Authority",
    "Reference",
    "Flags",
]


def search_rows(hits: list[SearchHit]) -> list[list]:
    """One row per record the viewer saw in each hit, ranked as on the page."""
    rows = []
    for rank, hit in enumerate(hits, start=1):
        flags = "; ".join(f.text for f in hit.flags)
        for record in hit.records:
            rows.append(
                [
                    rank,
                    hit.identity_id,
                    round(hit.score, 4),
                    hit.explanation,
                    record.full_name,
                    record.date_of_birth,
                    record.authority.name,
                    record.authority_reference,
                    flags,
                ]
            )
    return rows


def export_search(
    hits: list[SearchHit], terms: dict, file_format: str, *, actor: User, reason: str
) -> ExportFile:
    """Search results as a file, audited like the search itself."""
    audit(
        actor,
        "export.search",
        reason=reason,
        details={"terms": terms, "format": file_format, "results": [h.identity_id for h in hits]},
    )
    return render("search-results", SEARCH_HEADERS, search_rows(hits), file_format, sensitive=False)


CHRONOLOGY_HEADERS = ["Date", "Authority", "Kind", "What happened"]


def export_chronology(view: PersonView, file_format: str, *, actor: User, reason: str) -> ExportFile:
    """A person's chronology as the viewer's person page shows it."""
    rows = [[e.on, e.authority, e.kind, e.text] for e in view.chronology]
    audit(
        actor,
        "export.chronology",
        view.identity,
        reason=reason,
        details={"format": file_format, **view.shown_ids()},
    )
    return render(
        f"chronology-{view.identity.id}",
        CHRONOLOGY_HEADERS,
        rows,
        file_format,
        sensitive=bool(view.intelligence),
    )


BADGE_HEADERS = {
    "expiring": ["Badge", "Holder", "Operator", "Expires"],
    "dbs": ["Badge", "Holder", "Operator", "Status check due", "On the Update Service"],
    "safeguarding": ["Badge", "Holder", "Operator", "Training on", "Badge expires"],
}


def _badge_row(kind: str, badge: Badge) -> list:
    common = [badge.number, badge.person.full_name, badge.operator_name]
    if kind == "dbs":
        certificate = badge.dbs_certificate
        return common + [
            certificate.next_status_check_due() if certificate else "No certificate recorded",
            ("yes" if certificate.update_service_subscribed else "no") if certificate else "",
        ]
    if kind == "safeguarding":
        return common + [badge.safeguarding_training_on or "Not recorded", badge.expires_on]
    return common + [badge.expires_on]


def export_badge_list(
    kind: str, query, file_format: str, *, actor: User, reason: str, filters: dict
) -> ExportFile:
    """A badge working list (the query the list page runs), every page of it."""
    badges = list(db.session.scalars(query))
    audit(
        actor,
        "export.badge_list",
        reason=reason,
        details={"list": kind, "format": file_format, **filters, "badges": [b.id for b in badges]},
    )
    return render(
        f"badges-{kind}",
        BADGE_HEADERS[kind],
        [_badge_row(kind, b) for b in badges],
        file_format,
        sensitive=False,
    )


REVIEW_HEADERS = ["Force reference", "Subject", "Grading", "Status", "Review date"]


def export_reviews(
    items: list[IntelligenceItem], file_format: str, *, actor: User, reason: str
) -> ExportFile:
    """The force's intelligence reviews due, as its reviews page lists them (police only, so marked)."""
    audit(
        actor,
        "export.intelligence_reviews",
        reason=reason,
        details={"format": file_format, "items": [i.id for i in items]},
    )
    rows = [[i.force_reference, i.person.full_name, i.grading, i.status.label, i.review_on] for i in items]
    return render("intelligence-reviews", REVIEW_HEADERS, rows, file_format, sensitive=True)
