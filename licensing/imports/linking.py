"""Link many new records at once with the same decisions as `people.identity.link_new_record`.

Records are taken in file order, as if each had been saved on a form one after another: record i is scored
against the stored records and the batch's records before it, with name and birth-date counts as they would
stand after record i was saved. What changes is how the database is used: keys and counts are written in
bulk, candidates come from one query per chunk of keys, candidate records are read in bulk, every pair is
scored in one pass, and the links are inserted together. Only automatic links, which merge identities and can
raise alerts, are joined in order in memory, then written in bulk."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import any_, bindparam, func, literal_column, or_, select, text
from sqlalchemy.dialects import postgresql

from licensing.alerts.services import alert_on_new_link
from licensing.audit.services import record_many
from licensing.auth.models import User
from licensing.complaints.models import Complaint
from licensing.db import db, utcnow
from licensing.intelligence.models import IntelligenceItem
from licensing.matching import (
    CountedFrequencies,
    MatchRecord,
    PreparedRecord,
    Scorer,
    blocking_keys,
    prepare,
)
from licensing.people.identity import (
    MAX_CANDIDATES,
    _evidence,
    add_to_term_counts,
    first_contradiction,
    frequency_terms,
    key_holder_counts,
    key_holder_limit,
    limited_keys,
    match_settings,
    search_only_keys,
    stored_match_records,
    term_counts,
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


# Records an import created, kept as engine records for its later chunks (~400 bytes each) with their
# frequency terms (~150 bytes: one tuple of shared pairs): a chunk's candidates are mostly earlier records,
# read back from the database and prepared again chunk after chunk (at 100,000 rows, twice as many reads
# as records). Bounded, so a huge file's memory is too.
REMEMBERED_RECORDS = 1_000_000
# Of those, the ones already a candidate once are also kept prepared (~1.5 KB each with their names): the
# records that share common keys are candidates chunk after chunk, and preparing them again was ~8% of an
# import's CPU at 300,000 rows. Capped well below the register, so the memory stays bounded.
REMEMBERED_PREPARED = 250_000


class RememberedRecords(dict):
    """record id -> (engine record, frequency terms) of records created earlier in this import (unchanged
    since: an import writes each person once, and merging identities changes no field the engine reads)."""

    def __init__(self) -> None:
        super().__init__()
        self._shared: dict[tuple[str, str], tuple[str, str]] = {}  # one copy of each (kind, term) pair
        self._prepared: dict[int, PreparedRecord] = {}  # remembered records already a candidate once

    def remember(self, entries: list[tuple[int, MatchRecord]], terms: list[list[tuple[str, str]]]) -> None:
        """Keep these records (id, engine record) with each one's frequency_terms, in the same order."""
        room = max(REMEMBERED_RECORDS - len(self), 0)
        share = self._shared.setdefault
        self.update(
            (record_id, (match_record, tuple(share(t, t) for t in record_terms)))
            for (record_id, match_record), record_terms in zip(entries[:room], terms[:room], strict=True)
        )

    def match_records(self, ids: Iterable[int]) -> dict[int, MatchRecord]:
        """_bulk_match_records for these ids, the remembered ones from memory."""
        ids = list(ids)
        found = {rid: self[rid][0] for rid in ids if rid in self}
        found.update(_bulk_match_records([rid for rid in ids if rid not in found]))
        return found

    def prepared(self, records: dict[int, MatchRecord]) -> dict[int, PreparedRecord]:
        """prepare() of these records; a remembered one is prepared once and kept (up to the cap)."""
        found: dict[int, PreparedRecord] = {}
        kept = self._prepared
        for record_id, match_record in records.items():
            held = kept.get(record_id)
            if held is None:
                held = prepare(match_record)
                if record_id in self and len(kept) < REMEMBERED_PREPARED:
                    kept[record_id] = held
            found[record_id] = held
        return found

    def frequency_terms(self, prepared: dict[int, PreparedRecord]) -> set[tuple[str, str]]:
        """Every (kind, term) pair these records add to the counts: the remembered ones' from memory."""
        found: set[tuple[str, str]] = set()
        for record_id, record in prepared.items():
            held = self.get(record_id)
            found.update(held[1] if held is not None else frequency_terms(record))
        return found


@dataclass
class BatchOutcome:
    linked: list[tuple[int, int]] = field(default_factory=list)
    queued: list[tuple[int, int]] = field(default_factory=list)


def among(column, values: list):
    """`column IN values` with one parameter, so the statement's text is the same however many values: on
    PostgreSQL `column = ANY(:array)` (psycopg re-parses a statement of hundreds of placeholders each time),
    on SQLite `column IN (SELECT value FROM json_each(:json))` (SQLAlchemy re-rendered an expanded IN list
    of 500 placeholders for every statement; SQLite still searches the column's index for each value)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    listed = select(literal_column("value")).select_from(func.json_each(bindparam(None, json.dumps(values))))
    return column.in_(listed.scalar_subquery())


def insert_returning_ids(table, rows: list[dict]) -> list[int]:
    """Insert rows and return their new ids, in the rows' order.

    PostgreSQL: the ids are drawn from the table's sequence first, then the rows go in by COPY (SQLAlchemy's
    multi-row INSERT ... RETURNING builds statements of thousands of parameters that psycopg re-parses on
    the client, most of a large import's time there). SQLite: insert_rows, one executemany without RETURNING
    (it has no sentinel for it and would insert row by row): the transaction holds SQLite's only write lock
    and each new rowid is the maximum plus one, so the rows get the len(rows) ids up to the new maximum."""
    if not rows:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        ids = sorted(
            db.session.scalars(
                text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": table.name, "n": len(rows)},
            )
        )
        insert_rows(table, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
        return ids
    insert_rows(table, rows)
    last = db.session.scalar(select(func.max(table.c.id)))
    return list(range(last - len(rows) + 1, last + 1))


def insert_rows(table, rows: list[dict]) -> None:
    """Insert rows (dicts with the same keys) as insert(table) would, through the driver: each value through
    its column type's bind processor (enums to their values, JSON wrapped, dates as SQLite keeps them) and the
    columns' Python-side defaults filled in; PostgreSQL by COPY, SQLite by one sqlite3 executemany (through
    SQLAlchemy, building each row's parameters cost more than SQLite's insert)."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    given = list(rows[0])
    defaults = {
        column.name: column.default.arg
        for column in table.columns
        if column.name not in given and column.default is not None and column.default.is_scalar
    }
    called = [
        column
        for column in table.columns
        if column.name not in given and column.default is not None and column.default.is_callable
    ]
    columns = given + list(defaults) + [column.name for column in called]
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]

    fixed = list(defaults.values())
    calls = [column.default.arg for column in called]
    processed = [(i, p) for i, p in enumerate(processors) if p is not None]  # most columns have none

    def values(row: dict) -> list:
        raw = [row[name] for name in given] + fixed + [call(None) for call in calls]
        for i, process in processed:
            raw[i] = process(raw[i])
        return raw

    copy_rows(table, tuple(columns), (values(row) for row in rows))


def copy_rows(table, columns: tuple[str, ...], rows: Iterable[Sequence]) -> None:
    """Insert plain rows (values as the driver takes them) through the driver, in the session's transaction.

    SQLAlchemy's per-row parameter handling costs more than SQLite's insert itself, and the import writes
    some thirty blocking keys a record: sqlite3's executemany on tuples, or PostgreSQL's COPY."""
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor = raw.cursor()
    try:
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)  # noqa: S608
    finally:
        cursor.close()


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _RunningCounts:
    """term_counts as they stood before the import, plus the batch's records counted so far."""

    def __init__(self, terms: set[tuple[str, str]]) -> None:
        self.base: dict[tuple[str, str], int] = {}
        self.added: Counter = Counter()
        self.preload(terms | {("total", "")})

    def preload(self, terms: set[tuple[str, str]]) -> None:
        """Read these terms' counts in one query per chunk; a term nobody has yet counts 0."""
        wanted = sorted(t for t in terms if t not in self.base)
        self.base.update(dict.fromkeys(wanted, 0))
        # identity.term_counts joins the terms as an array to the table: inside the import's transaction
        # PostgreSQL's planner has no statistics for the growing table and scanned it once per IN list.
        self.base.update(term_counts(wanted))

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

    def forename_count(self, token: str) -> int:
        """How many records carry this forename as the counts stand (DatabaseFrequencies' slip counts)."""
        return self._counts.count("forename", token)


def _bulk_match_records(ids: list[int]) -> dict[int, MatchRecord]:
    """to_match_record for stored records, a chunk at a time, read as rows."""
    found: dict[int, MatchRecord] = {}
    for chunk in _chunks(sorted(ids)):
        found.update(stored_match_records(chunk))
    return found


def _driver_executemany(statement: str, rows: list[tuple]) -> None:
    """One sqlite3 executemany of plain rows in the session's transaction."""
    cursor = db.session.connection().connection.driver_connection.cursor()
    try:
        cursor.executemany(statement, rows)
    finally:
        cursor.close()


def link_records_batch(
    entries: list[tuple[int, MatchRecord]],
    *,
    actor: User | None,
    email: str = "",
    remembered: RememberedRecords | None = None,
) -> BatchOutcome:
    """Index and link new records (id, engine record) in order, deciding every pair as link_new_record would.

    A fixed number of statements per batch, however many records: keys, counts, candidates, candidate
    records, links and their audit events each go in one (chunked) statement."""
    outcome = BatchOutcome()
    if not entries:
        return outcome
    remembered = RememberedRecords() if remembered is None else remembered
    settings = match_settings()
    ids = [record_id for record_id, _ in entries]
    prepared = {record_id: prepare(m) for record_id, m in entries}  # once per record: keys, counts, scores
    terms = [frequency_terms(prepared[record_id]) for record_id in ids]
    keys = [blocking_keys(prepared[record_id]) for record_id in ids]
    key_rows = [  # what index_record stores on the form path, so search finds imported records alike
        (k, record_id)
        for record_id, engine_keys in zip(ids, keys, strict=True)
        for k in engine_keys | search_only_keys(prepared[record_id])
    ]
    keys = [{k[:64] for k in engine_keys} for engine_keys in keys]  # as stored and looked up
    # The single path's rule (identity.linking_keys) for each record in turn: a loose key is used while the
    # records holding it, counted as they stand once that record is saved, are at most `limit`.
    limit = key_holder_limit()
    stored = key_holder_counts(limited_keys(k for ks in keys for k in ks), limit=limit)  # before this batch
    key_rows.sort()  # in index order (key, record): each index page is visited once, not per row
    copy_rows(BlockingKey.__table__, ("key", "person_record_id"), key_rows)
    counts = _RunningCounts({t for ts in terms for t in ts})
    all_keys = sorted({k for ks in keys for k in ks if stored.get(k, 0) <= limit})
    holders: dict[str, list[int]] = defaultdict(list)
    for chunk in _chunks(all_keys):
        for key, record_id in db.session.execute(
            select(BlockingKey.key, BlockingKey.person_record_id).where(among(BlockingKey.key, chunk))
        ):
            holders[key].append(record_id)
    position = {record_id: i for i, record_id in enumerate(ids)}
    candidate_lists: list[list[int]] = []
    outside: set[int] = set()
    held_in_batch: Counter = Counter()  # a loose key's holders among the batch's records so far
    for i, record_id in enumerate(ids):
        shared: Counter = Counter()
        for key in keys[i]:
            if key in stored:
                held_in_batch[key] += 1
                if stored[key] + held_in_batch[key] > limit:
                    continue
            for other in holders.get(key, ()):
                if other != record_id and position.get(other, -1) < i:
                    shared[other] += 1
        chosen = sorted(shared, key=lambda rid: (-shared[rid], rid))[:MAX_CANDIDATES]
        candidate_lists.append(sorted(chosen))
        outside.update(rid for rid in chosen if rid not in position)
    known = remembered.match_records(outside)
    prepared.update(remembered.prepared(known))
    counts.preload(remembered.frequency_terms({rid: prepared[rid] for rid in known}))
    known.update(entries)

    decided: list[_Decision] = []
    scorer = Scorer(settings)  # one, given each record's counts in turn: building one costs more than most
    for i, record_id in enumerate(ids):
        counts.added.update(terms[i])
        if not candidate_lists[i]:
            continue
        scorer.frequencies = _SnapshotFrequencies(counts)  # the counts as they stand once record i is saved
        mine = prepared[record_id]
        for other in candidate_lists[i]:
            # The decision alone first (decide skips the names of a pair nothing else could lift): most
            # candidates do not link, and need no evidence text; the others are scored once, not again.
            assessed = scorer.decide(mine, prepared[other])
            if assessed is None or assessed.decision == "no_link":
                continue
            result = scorer.result(mine, prepared[other], assessed)
            state = LinkState.AUTOMATIC if result.decision == "link" else LinkState.PENDING
            decided.append(_Decision(record_id, other, result, state))
    merges = _join_in_order(decided, known, prepared, counts, outcome=outcome, remembered=remembered)
    _write_links(decided, merges, actor=actor, email=email)
    add_to_term_counts(Counter(t for ts in terms for t in ts))
    remembered.remember(entries, terms)
    return outcome


@dataclass
class _Decision:
    record_id: int
    other: int
    result: object
    state: LinkState
    review_reason: str = ""
    link_id: int = 0

    @property
    def pair(self) -> tuple[int, int]:
        return min(self.record_id, self.other), max(self.record_id, self.other)


@dataclass
class _Merge:
    keep: int
    merged: int
    decision: _Decision
    left: list[int]
    right: list[int]


def _join_in_order(
    decided: list[_Decision],
    known: dict[int, MatchRecord],
    prepared: dict[int, PreparedRecord],
    counts: _RunningCounts,
    *,
    outcome: BatchOutcome,
    remembered: RememberedRecords,
) -> list[_Merge]:
    """The single path's `_join_identities` for every link in order, on identities held in memory.

    Merging keeps the lower identity id; a join that would put two contradicting records (a rejected or
    unlinked pair, or conflicting identifiers) into one identity leaves the link pending, as on a form."""
    settings = match_settings()
    involved = {rid for d in decided if d.state is LinkState.AUTOMATIC for rid in (d.record_id, d.other)}
    identity_of: dict[int, int] = {}
    for chunk in _chunks(sorted(involved)):
        identity_of.update(
            db.session.execute(
                select(PersonRecord.id, PersonRecord.identity_id).where(among(PersonRecord.id, chunk))
            ).all()
        )
    members: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(sorted(set(identity_of.values()))):
        for record_id, identity_id in db.session.execute(
            select(PersonRecord.id, PersonRecord.identity_id).where(among(PersonRecord.identity_id, chunk))
        ):
            members[identity_id].add(record_id)
            identity_of[record_id] = identity_id
    before = dict(identity_of)
    missing = remembered.match_records(rid for rid in identity_of if rid not in known)
    prepared.update(remembered.prepared(missing))
    counts.preload(remembered.frequency_terms({rid: prepared[rid] for rid in missing}))
    known.update(missing)
    judged_apart: set[tuple[int, int]] = set()
    for chunk in _chunks(sorted(identity_of)):
        judged_apart.update(
            db.session.execute(
                select(RecordLink.record_a_id, RecordLink.record_b_id).where(
                    RecordLink.state.in_([LinkState.REJECTED, LinkState.UNLINKED]),
                    or_(among(RecordLink.record_a_id, chunk), among(RecordLink.record_b_id, chunk)),
                )
            ).all()
        )
    frequencies = _SnapshotFrequencies(counts)
    # The linking pair was scored with the counts as they stood at its record, the join check uses the
    # batch's final counts. Only its weight conflict (below cluster_conflict_weight) can depend on counts,
    # through the surname, forename and birth-date frequency terms, each moving the weight by at most
    # log2(1 / floor) whatever the counts: above this bound its verdict is the same under both: reused.
    # (A veto on one of those fields would put a count in its conflict's words: then nothing is reused.)
    # The forename counts can also tell a slip (a "different" forename read as "fuzzy"): that shift as well.
    counted_fields = ("surname", "forenames", "dob")
    forenames = settings.weights["forenames"]
    slip_shift = max(0.0, forenames["fuzzy"] - forenames["different"])
    reuse_above = settings.cluster_conflict_weight + slip_shift + sum(
        math.log2(1 / min(settings.tf_minimum_u, settings.levels[f]["exact"].u)) for f in counted_fields
    )
    if any(level.veto for f in counted_fields for level in settings.levels[f].values()):
        reuse_above = math.inf
    merges: list[_Merge] = []
    for decision in decided:
        if decision.state is not LinkState.AUTOMATIC:
            outcome.queued.append((decision.record_id, decision.other))
            continue
        record_a, record_b = decision.pair
        left, right = identity_of[record_a], identity_of[record_b]
        if left != right:
            scored = {}
            if decision.result.match_weight >= reuse_above:
                scored[decision.pair] = decision.result.conflicts
            reason = first_contradiction(
                sorted(members[left]), sorted(members[right]), prepared, judged_apart, settings, frequencies,
                scored=scored,
            )
            if reason:
                decision.state = LinkState.PENDING
                decision.review_reason = f"Would join a cluster that contradicts itself: {reason}"
                outcome.queued.append((decision.record_id, decision.other))
                continue
            keep, merged = min(left, right), max(left, right)
            merges.append(_Merge(keep, merged, decision, sorted(members[left]), sorted(members[right])))
            for rid in members.pop(merged):
                identity_of[rid] = keep
                members[keep].add(rid)
        outcome.linked.append((decision.record_id, decision.other))
    if merges:  # only the records whose identity changed, as the single path's _join_identities
        _move_records(sorted((rid, iid) for rid, iid in identity_of.items() if iid != before[rid]))
    return merges


_PG_MOVE = text(
    "UPDATE person_records AS p SET identity_id = m.iid, updated_at = :now"
    " FROM unnest(CAST(:rids AS integer[]), CAST(:iids AS integer[])) AS m(rid, iid) WHERE p.id = m.rid"
)


def _move_records(moved: list[tuple[int, int]]) -> None:
    """Give records (id, identity id) their new identity: on PostgreSQL one UPDATE joined to two arrays (one
    statement a row cost ~0.1 ms of server time each), on SQLite one sqlite3 executemany."""
    if not moved:
        return
    now = utcnow()
    connection = db.session.connection()
    dialect = connection.dialect
    if dialect.name == "postgresql":
        rids, iids = (list(column) for column in zip(*moved, strict=True))
        db.session.execute(_PG_MOVE, {"rids": rids, "iids": iids, "now": now})
        return
    stamp = PersonRecord.__table__.c.updated_at.type.dialect_impl(dialect).bind_processor(dialect)
    when = stamp(now) if stamp else now
    _driver_executemany(
        "UPDATE person_records SET identity_id = ?, updated_at = ? WHERE id = ?",
        [(iid, when, rid) for rid, iid in moved],
    )


def _write_links(decided: list[_Decision], merges: list[_Merge], *, actor: User | None, email: str) -> None:
    """Insert the links, merge identities, and audit every link and merge, each in one bulk statement."""
    if not decided:
        return
    now = utcnow()
    links = RecordLink.__table__
    rows = [
        {
            "record_a_id": d.pair[0],
            "record_b_id": d.pair[1],
            "score": d.result.probability,
            "evidence": _evidence(d.result),
            "summary": d.result.summary(),
            "state": d.state,
            "review_reason": d.review_reason,
            "set_by_id": None,
            "set_at": now,
            "created_at": now,
            "version_id": 1,
        }
        for d in decided
    ]
    link_ids = insert_returning_ids(links, rows)
    for decision, link_id in zip(decided, link_ids, strict=True):
        decision.link_id = link_id
    root: dict[int, int] = {}
    if merges:
        root = {m.merged: m.keep for m in merges}
        for merged in root:
            while root.get(root[merged]) is not None and root[merged] != merged:
                root[merged] = root[root[merged]]
        _merge_identities(sorted(root.items()))  # the session is expired once below
    merge_of = {id(m.decision): m for m in merges}
    entries: list[tuple[str, str, str, dict]] = []
    for d in decided:
        details = {"records": list(d.pair), "score": round(d.result.probability, 6)}
        if d.state is LinkState.PENDING and d.review_reason:
            entries.append(("link.chain_blocked", "record_links", str(d.link_id),
                            {"reason": d.review_reason.split(": ", 1)[-1]}))
            continue
        if d.state is LinkState.PENDING:
            entries.append(("link.queued_for_review", "record_links", str(d.link_id), details))
            continue
        entries.append(("link.automatic", "record_links", str(d.link_id), details))
        merge = merge_of.get(id(d))
        if merge is not None:
            entries.append(("identity.merged", "identities", str(merge.keep),
                            {"merged": merge.merged, "link": d.link_id}))
    record_many(actor, entries, email=email)
    if not merges:
        return
    db.session.expire_all()  # once, not once per join: records' identities changed underneath the session
    moved = {rid for m in merges for rid in m.left + m.right}
    with_history = _records_with_history(moved)
    if not with_history:
        return
    today = dt.date.today()
    for m in merges:
        if with_history & set(m.left + m.right):
            alert_on_new_link(
                [db.session.get(PersonRecord, r) for r in m.left],
                [db.session.get(PersonRecord, r) for r in m.right],
                db.session.get(Identity, root.get(m.keep, m.keep)),
                today=today,
            )


_PG_MERGE = (
    "UPDATE identities AS i SET merged_into_id = m.keep FROM unnest(CAST(:merged AS integer[]),"
    " CAST(:keep AS integer[])) AS m(merged, keep) WHERE i.{} = m.merged"
)


def _merge_identities(pairs: list[tuple[int, int]]) -> None:
    """Each merged identity (merged, final keep) points at its keep, and so do identities merged into it
    before; the keeps are final (never merged themselves), so set-wise is the same as pair by pair."""
    if db.session.get_bind().dialect.name == "postgresql":
        merged, keep = (list(column) for column in zip(*pairs, strict=True))
        for column in ("id", "merged_into_id"):
            db.session.execute(text(_PG_MERGE.format(column)), {"merged": merged, "keep": keep})
        return
    for column in ("id", "merged_into_id"):
        _driver_executemany(
            f"UPDATE identities SET merged_into_id = ? WHERE {column} = ?",  # noqa: S608 (two constants)
            [(keep, merged) for merged, keep in pairs],
        )


def _records_with_history(ids: set[int]) -> set[int]:
    """Records holding anything an alert could be about (decisions, complaints, police items)."""
    found: set[int] = set()
    for model in (Sanction, Complaint, IntelligenceItem):
        for chunk in _chunks(sorted(ids)):
            found.update(
                db.session.scalars(select(model.person_record_id).where(among(model.person_record_id, chunk)))
            )
    return found
