"""Rebuild every record's stored blocking keys and the term counts under the code's keying rules.

Keys and counts are derived from a record's names, dates and identifiers when it is written (index_record, the
import). When the rules that derive them change (matching.keying_fingerprint), a register built before keeps
the old ones, and its records are no longer found, or linked, under the new ones: this recomputes them with
the same functions, in one transaction. Links are left as they are."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, text

from licensing.db import db
from licensing.matching import keying_fingerprint, prepare
from licensing.people.identity import frequency_terms, record_keys, stored_match_records
from licensing.people.models import BlockingKey, PersonRecord, RegisterSetting, TermCount

KEYING_RULES = "keying_rules"  # the register_settings row holding the fingerprint the keys were built with
CHUNK = 500


def stored_keying_fingerprint() -> str | None:
    return db.session.scalar(select(RegisterSetting.value).where(RegisterSetting.name == KEYING_RULES))


def keys_are_stale() -> bool:
    """Whether the stored keys and counts were built under other rules than the code's: a register with
    records and another fingerprint, or none (built before fingerprints were kept)."""
    if stored_keying_fingerprint() == keying_fingerprint():
        return False
    return db.session.scalar(select(PersonRecord.id).limit(1)) is not None


def mark_keys_current() -> None:
    """Record that the stored keys and counts follow the code's rules."""
    setting = db.session.get(RegisterSetting, KEYING_RULES)
    if setting is None:
        db.session.add(RegisterSetting(name=KEYING_RULES, value=keying_fingerprint()))
    else:
        setting.value = keying_fingerprint()
    db.session.flush()


def mark_keys_current_if_fresh() -> None:
    """Before keys are written in bulk (an import): an empty register's keys will follow the code's rules; a
    stale register's stay stale (its older records keep their old keys) until rebuilt."""
    if not keys_are_stale() and stored_keying_fingerprint() != keying_fingerprint():
        mark_keys_current()


@dataclass
class RekeyReport:
    records: int = 0
    records_changed: int = 0
    keys_added: int = 0
    keys_removed: int = 0
    counts_added: int = 0
    counts_changed: int = 0
    counts_removed: int = 0
    fingerprint_before: str | None = None
    fingerprint: str = ""

    def summary(self) -> str:
        return (
            f"Rebuilt the keys of {self.records:,} records under keying rules {self.fingerprint} (were "
            f"{self.fingerprint_before or 'not recorded'}): {self.records_changed:,} records' keys changed, "
            f"{self.keys_added:,} keys added, {self.keys_removed:,} removed; term counts "
            f"{self.counts_added:,} added, {self.counts_changed:,} changed, {self.counts_removed:,} removed."
        )


_DELETE_KEY = (
    BlockingKey.__table__.delete()
    .where(BlockingKey.person_record_id == bindparam("rid"))
    .where(BlockingKey.key == bindparam("k"))
)
_DELETE_COUNT = (
    TermCount.__table__.delete()
    .where(TermCount.kind == bindparam("k"))
    .where(TermCount.term == bindparam("t"))
)


def rebuild_keys(
    *, chunk: int | None = None, progress: Callable[[int, int], None] | None = None
) -> RekeyReport:
    """Recompute every record's keys (identity.record_keys) and the term counts (identity.frequency_terms)
    from its stored fields, write only what differs, and record the fingerprint. Never commits: the caller
    commits the whole, or rolls it back. `progress(done, total)` after each chunk of records."""
    report = RekeyReport(fingerprint_before=stored_keying_fingerprint(), fingerprint=keying_fingerprint())
    if db.session.get_bind().dialect.name == "postgresql":
        # Saves wait for the rebuild (searches do not): a record written meanwhile would be counted twice.
        db.session.execute(text("LOCK TABLE blocking_keys, term_counts IN EXCLUSIVE MODE"))
    ids = list(db.session.scalars(select(PersonRecord.id).order_by(PersonRecord.id)))
    chunk = chunk or CHUNK
    counts: Counter = Counter()
    for start in range(0, len(ids), chunk):
        chunk_ids = ids[start : start + chunk]
        records = stored_match_records(chunk_ids)
        stored: dict[int, set[str]] = defaultdict(set)
        held = select(BlockingKey.key, BlockingKey.person_record_id)
        for key, record_id in db.session.execute(held.where(BlockingKey.person_record_id.in_(chunk_ids))):
            stored[record_id].add(key)
        removed, added = [], []
        for record_id in chunk_ids:
            prepared = prepare(records[record_id])
            counts.update(frequency_terms(prepared))
            keys = record_keys(prepared)
            gone, new = stored[record_id] - keys, keys - stored[record_id]
            removed += [{"rid": record_id, "k": key} for key in sorted(gone)]
            added += [{"person_record_id": record_id, "key": key} for key in sorted(new)]
            report.records_changed += bool(gone or new)
        if removed:
            db.session.execute(_DELETE_KEY, removed)
        if added:
            db.session.execute(insert(BlockingKey.__table__), added)
        report.keys_added += len(added)
        report.keys_removed += len(removed)
        report.records += len(chunk_ids)
        if progress:
            progress(report.records, len(ids))
    _write_counts(counts, report)
    mark_keys_current()
    return report


def _write_counts(counts: Counter, report: RekeyReport) -> None:
    """Make term_counts hold exactly `counts`: rows no record carries any longer are removed."""
    stored = {(kind, term): n for kind, term, n in db.session.execute(
        select(TermCount.kind, TermCount.term, TermCount.count))}
    changed = {term: n for term, n in counts.items() if stored.get(term) != n}
    removed = [term for term in stored if term not in counts]
    report.counts_added = sum(term not in stored for term in changed)
    report.counts_changed = len(changed) - report.counts_added
    report.counts_removed = len(removed)
    rewritten = [{"k": kind, "t": term} for kind, term in [*removed, *(t for t in changed if t in stored)]]
    if rewritten:
        db.session.execute(_DELETE_COUNT, rewritten)
    if changed:
        rows = [{"kind": kind, "term": term, "count": n} for (kind, term), n in sorted(changed.items())]
        db.session.execute(insert(TermCount.__table__), rows)
    db.session.flush()
