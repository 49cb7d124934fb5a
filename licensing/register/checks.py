"""Applicant checks before a grant or renewal: what was searched, what was found, and the NR3S search."""

from __future__ import annotations

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.people.access import visible_records
from licensing.people.models import ApplicantCheck, Nr3sOutcome
from licensing.people.services import resolve_identity
from licensing.register.person_view import identities_with_history, identity_flags


def start_check(
    *, applicant_reference: str, criteria: dict, identity_ids: list[int], actor: User
) -> ApplicantCheck:
    """Record that the applicant was checked against the register and which identities came back."""
    check = ApplicantCheck(
        authority_id=actor.authority_id,
        checked_by_id=actor.id,
        applicant_reference=applicant_reference,
        criteria=criteria,
        identity_ids=identity_ids,
        nr3s_outcome=Nr3sOutcome.NOT_SEARCHED,
    )
    db.session.add(check)
    db.session.flush()
    audit(actor, "applicant.checked", check, reason=f"Applicant check {applicant_reference}",
          details={"identities": identity_ids})
    return check


def complete_check(check: ApplicantCheck, *, findings: str, nr3s_outcome: Nr3sOutcome, nr3s_reference: str,
                   actor: User) -> ApplicantCheck:
    """Record what was found and the NR3S search, which the 2022 Act requires before every grant or
    renewal."""
    if check.authority_id != actor.authority_id:
        raise RuleViolation("This check belongs to another authority")
    if nr3s_outcome is Nr3sOutcome.MATCH_FOUND and not nr3s_reference:
        raise RuleViolation("Enter the NR3S reference of the match")
    check.findings, check.nr3s_outcome, check.nr3s_reference = findings, nr3s_outcome, nr3s_reference
    db.session.flush()
    audit(actor, "applicant.check_recorded", check, details={"nr3s": nr3s_outcome.value})
    return check


def check_candidates(check: ApplicantCheck, *, viewer: User, today) -> list[dict]:
    """The identities the check found, with their evidence and the register's flags as they stand now; showing
    them is audited."""
    # Identities merged since the check lead to the one they were merged into.
    hits = [{**hit, "id": resolve_identity(hit["id"]).id} for hit in check.identity_ids]
    identities = identities_with_history([hit["id"] for hit in hits])
    found = []
    for hit in hits:
        records = visible_records(identities[hit["id"]], viewer)
        if records:
            found.append({**hit, "records": records, "flags": identity_flags(identities[hit["id"]], today)})
    audit(viewer, "applicant_check.viewed", check, reason=f"Applicant check {check.applicant_reference}",
          details={"identities": [c["id"] for c in found]})
    return found
