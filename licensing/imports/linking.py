"""Link many new records at once with the same decisions as `people.identity.link_new_record`.

Records are taken in file order, as if each had been saved on a form one after another: record i is scored
against the stored records and the batch's records before it, with name and birth-date counts as they would
stand after record i was saved. What changes is how the database is used: keys and counts are written in
bulk, candidates come from one query per chunk of keys, candidate records are read in bulk, every pair is
scored in one pass, and the links are inserted together. Only automatic links, which merge identities and can
raise alerts, are joined in order in memory, then written in bulk."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, or_, select, tuple_, update

from licensing.alerts.services import alert_on_new_link
from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.complaints.models import Complaint
from licensing.db import db, utcnow
from licensing.intelligence.models import IntelligenceItem
from licensing.matching import CountedFrequencies, MatchRecord, blocking_keys, score_pair
from licensing.people.identity import (
    MAX_CANDIDATES,
    _evidence,
    frequency_terms,
    match_settings,
    record_keys,
    to_match_record,
    to_match_records,
)
from licensing.people.models import (
    BlockingKey,
    Identity,
    LinkState,
    PersonRecord,
    RecordLink,
    TermCount,
)
from licensing.sanctions.models import Sanction

CHUNK = 500


@dataclass
class BatchOutcome:
    linked: list[tuple[int, int]] = field(default_factory=list)
    queued: list[tuple[int, int]] = field(default_factory=list)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _RunningCounts:
    """term_counts as they stood before the import, plus the batch's records counted so far."""

    def __init__(self, terms: set[tuple[str, str]]) -> None:
        self.base: dict[tuple[str, str], int] = {}
        wanted = sorted(terms | {("total", "")})
        for chunk in _chunks(wanted):
            for kind, term, count in db.session.execute(
                select(TermCount.kind, TermCount.term, TermCount.count).where(
                    tuple_(TermCount.kind, TermCount.term).in_(chunk)
                )
            ):
                self.base[(kind, term)] = count
        self.added: Counter = Counter()

    def count(self, kind: str, term: str) -> int:
        key = (kind, term)
        if key not in self.base:
            self.base[key] = (
                db.session.scalar(
                    select(TermCount.count).where(TermCount.kind == kind, TermCount.term == term)
                )
                or 0
            )
        return self.base[key] + self.added[key]


class _SnapshotFrequencies:
    """The counts one record's single-path linking would read (DatabaseFrequencies with own_records=2)."""

    def __init__(self, counts: _RunningCounts, own: int = 2) -> None:
        self._counts, self._own = counts, own
        self._counted = CountedFrequencies(pseudo_count=200.0)
        self._counted.total = max(counts.count("total", "") - own, 0)

    def _fill(self, counter: Counter, kind: str, term: str) -> None:
        if term not in counter:
            counter[term] = max(self._counts.count(kind, term) - self._own, 0)

    def surname_frequency(self, surname_key: str) -> float:
        self._fill(self._counted.surnames, "surname", surname_key)
        return self._counted.surname_frequency(surname_key)

    def forename_frequency(self, token: str) -> float:
        self._fill(self._counted.forenames, "forename", token)
        return self._counted.forename_frequency(token)

    def dob_frequency(self, iso_dob: str) -> float:
        self._fill(self._counted.dobs, "dob", iso_dob)
        return self._counted.dob_frequency(iso_dob)


def _bulk_match_records(ids: list[int]) -> dict[int, MatchRecord]:
    """to_match_record for stored records, a chunk at a time, through the loader search and linking use."""
    found: dict[int, MatchRecord] = {}
    for chunk in _chunks(sorted(ids)):
        found.update(to_match_records(db.session.scalars(select(PersonRecord).where(PersonRecord.id.in_(chunk)))))
    return found


def _upsert_term_counts(deltas: Counter) -> None:
    """One executemany upsert for every term the batch adds to."""
    if not deltas:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = dialect_insert(TermCount)
    statement = statement.on_conflict_do_update(
        index_elements=["kind", "term"], set_={"count": TermCount.count + statement.excluded.count}
    )
    rows = [{"kind": k, "term": t, "count": n} for (k, t), n in sorted(deltas.items())]
    for chunk in _chunks(rows, 2000):
        db.session.execute(statement, chunk)


def link_records_batch(
    records: list[PersonRecord], *, actor: User | None, progress: Callable[[int], None] | None = None
) -> BatchOutcome:
    """Index and link new records in order, deciding every pair as link_new_record would."""
    outcome = BatchOutcome()
    if not records:
        return outcome
    settings = match_settings()
    match_records = [to_match_record(r) for r in records]
    terms = [frequency_terms(m) for m in match_records]
    keys = [blocking_keys(m) for m in match_records]
    stored = [record_keys(m) for m in match_records]
    key_rows = [
        {"person_record_id": r.id, "key": k}
        for r, ks in zip(records, stored, strict=True)
        for k in sorted(ks)
    ]
    if (
        key_rows
    ):  # a record with too little to block on has no keys (an empty executemany is an invalid INSERT)
        db.session.execute(insert(BlockingKey), key_rows)
    counts = _RunningCounts({t for ts in terms for t in ts})
    all_keys = sorted({k[:64] for ks in keys for k in ks})
    holders: dict[str, list[int]] = defaultdict(list)
    for chunk in _chunks(all_keys):
        for key, record_id in db.session.execute(
            select(BlockingKey.key, BlockingKey.person_record_id).where(BlockingKey.key.in_(chunk))
        ):
            holders[key].append(record_id)
    position = {r.id: i for i, r in enumerate(records)}
    candidate_lists: list[list[int]] = []
    outside: set[int] = set()
    for i, record in enumerate(records):
        shared: Counter = Counter()
        for key in keys[i]:
            for other in holders.get(key[:64], ()):
                if other != record.id and position.get(other, -1) < i:
                    shared[other] += 1
        chosen = sorted(shared, key=lambda rid: (-shared[rid], rid))[:MAX_CANDIDATES]
        candidate_lists.append(sorted(chosen))
        outside.update(rid for rid in chosen if rid not in position)
    known = _bulk_match_records(list(outside))
    known.update({r.id: m for r, m in zip(records, match_records, strict=True)})

    decided: list[tuple[int, int, object]] = []
    for i, record in enumerate(records):
        counts.added.update(terms[i])
        frequencies = _SnapshotFrequencies(counts)
        for other in candidate_lists[i]:
            result = score_pair(match_records[i], known[other], settings, frequencies)
            if result.decision != "no_link":
                decided.append((record.id, other, result))
        if progress:
            progress(i + 1)

    now = utcnow()
    links = []
    for record_id, other, result in decided:
        state = LinkState.AUTOMATIC if result.decision == "link" else LinkState.PENDING
        links.append(
            RecordLink(
                record_a_id=min(record_id, other),
                record_b_id=max(record_id, other),
                score=result.probability,
                evidence=_evidence(result),
                summary=result.summary(),
                state=state,
                set_by_id=None,
                set_at=now,
                review_reason="",
            )
        )
    db.session.add_all(links)
    db.session.flush()
    _join_in_order(decided, links, known, counts, actor=actor, outcome=outcome)
    _upsert_term_counts(Counter(t for ts in terms for t in ts))
    db.session.flush()
    return outcome


def _join_in_order(
    decided,
    links: list[RecordLink],
    known: dict[int, MatchRecord],
    counts: _RunningCounts,
    *,
    actor: User | None,
    outcome: BatchOutcome,
) -> None:
    """The single path's `_join_identities` for every link in order, on identities held in memory.

    Merging keeps the lower identity id; a join that would put two contradicting records (a rejected or
    unlinked pair, or conflicting identifiers) into one identity leaves the link pending, as on a form. The
    records' new identities are written in bulk at the end, then the same audit events and alerts follow."""
    settings = match_settings()
    involved = {rid for record_id, other, _ in decided for rid in (record_id, other)}
    identity_of: dict[int, int] = {}
    for chunk in _chunks(sorted(involved)):
        identity_of.update(
            db.session.execute(
                select(PersonRecord.id, PersonRecord.identity_id).where(PersonRecord.id.in_(chunk))
            ).all()
        )
    members: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(sorted(set(identity_of.values()))):
        for record_id, identity_id in db.session.execute(
            select(PersonRecord.id, PersonRecord.identity_id).where(PersonRecord.identity_id.in_(chunk))
        ):
            members[identity_id].add(record_id)
            identity_of[record_id] = identity_id
    missing = [rid for rid in identity_of if rid not in known]
    known.update(_bulk_match_records(missing))
    judged_apart: set[tuple[int, int]] = set()
    everyone = sorted(identity_of)
    for chunk in _chunks(everyone):
        judged_apart.update(
            db.session.execute(
                select(RecordLink.record_a_id, RecordLink.record_b_id).where(
                    RecordLink.state.in_([LinkState.REJECTED, LinkState.UNLINKED]),
                    or_(RecordLink.record_a_id.in_(chunk), RecordLink.record_b_id.in_(chunk)),
                )
            ).all()
        )
    frequencies = _SnapshotFrequencies(counts)
    merges: list[tuple[int, int, RecordLink, list[int], list[int]]] = []
    for (record_id, other, result), link in zip(decided, links, strict=True):
        details = {"records": [link.record_a_id, link.record_b_id], "score": round(result.probability, 6)}
        if link.state is not LinkState.AUTOMATIC:
            outcome.queued.append((record_id, other))
            audit(actor, "link.queued_for_review", link, details=details)
            continue
        left, right = identity_of[link.record_a_id], identity_of[link.record_b_id]
        if left != right:
            reason = _contradiction(
                sorted(members[left]), sorted(members[right]), known, judged_apart, settings, frequencies
            )
            if reason:
                link.state, link.review_reason = (
                    LinkState.PENDING,
                    f"Would join a cluster that contradicts itself: {reason}",
                )
                audit(actor, "link.chain_blocked", link, details={"reason": reason})
                outcome.queued.append((record_id, other))
                continue
            keep, merged = min(left, right), max(left, right)
            merges.append((keep, merged, link, sorted(members[left]), sorted(members[right])))
            for rid in members.pop(merged):
                identity_of[rid] = keep
                members[keep].add(rid)
        outcome.linked.append((record_id, other))
        audit(actor, "link.automatic", link, details=details)
    if not merges:
        return
    moved = {rid: identity_of[rid] for _, merged, _, left, right in merges for rid in left + right}
    db.session.flush()
    db.session.execute(
        update(PersonRecord.__table__)
        .where(PersonRecord.__table__.c.id == bindparam("rid"))
        .values(identity_id=bindparam("iid")),
        [{"rid": r, "iid": i} for r, i in sorted(moved.items())],
    )
    root = {merged: keep for keep, merged, *_ in merges}
    for merged in root:
        while root.get(root[merged]) is not None and root[merged] != merged:
            root[merged] = root[root[merged]]
    identities = Identity.__table__  # Core: the session is expired once below, not synchronised per statement
    pairs = [{"merged": merged, "keep": keep} for merged, keep in sorted(root.items())]
    for column in (identities.c.id, identities.c.merged_into_id):
        statement = update(identities).where(column == bindparam("merged"))
        db.session.execute(statement.values(merged_into_id=bindparam("keep")), pairs)
    db.session.flush()
    db.session.expire_all()  # once, not once per join
    with_history = _records_with_history(set(moved))
    today = dt.date.today()
    for keep, merged, link, left, right in merges:
        audit(
            actor,
            "identity.merged",
            db.session.get(Identity, keep),
            details={"merged": merged, "link": link.id},
        )
        if with_history & set(left + right):
            alert_on_new_link(
                [db.session.get(PersonRecord, r) for r in left],
                [db.session.get(PersonRecord, r) for r in right],
                db.session.get(Identity, root.get(keep, keep)),
                today=today,
            )


def _contradiction(
    left: list[int], right: list[int], known: dict[int, MatchRecord], judged_apart: set, settings, frequencies
) -> str:
    """As people.identity._contradiction, from records already in memory."""
    for a in left:
        for b in right:
            if (min(a, b), max(a, b)) in judged_apart:
                return f"records {a} and {b} were judged different people"
            result = score_pair(known[a], known[b], settings, frequencies)
            if result.conflicts:
                return f"records {a} and {b} conflict: {'; '.join(result.conflicts)}"
    return ""


def _records_with_history(ids: set[int]) -> set[int]:
    """Records holding anything an alert could be about (decisions, complaints, police items)."""
    found: set[int] = set()
    for model in (Sanction, Complaint, IntelligenceItem):
        for chunk in _chunks(sorted(ids)):
            found.update(
                db.session.scalars(select(model.person_record_id).where(model.person_record_id.in_(chunk)))
            )
    return found
