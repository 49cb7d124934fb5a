"""Helpers for tests of match-file's pairing and counting: candidate pairs two ways, near numbers added up."""

from licensing.matching import batch
from licensing.matching.blocking import batch_keys
from licensing.matching.em import near_agreement_counts
from licensing.matching.records import PreparedRecord


def pairs_by_keys(prepared: list[PreparedRecord]) -> set[tuple[int, int]]:
    """Every pair of records that share a batch key: what the pairing means."""
    owners: dict[str, set[int]] = {}
    for i, p in enumerate(prepared):
        for key in batch_keys(p):
            owners.setdefault(key, set()).add(i)
    return {(i, j) for held in owners.values() for i in held for j in held if i < j}


def pairs_by_batch(prepared: list[PreparedRecord]) -> tuple[set[tuple[int, int]], int]:
    """match-file's candidate pairs, and how many codes it made (one per pair when none repeats)."""
    codes = batch._candidate_pairs(prepared, batch.BatchReport())
    left, right = batch._split(codes)
    return set(zip(left.tolist(), right.tolist(), strict=True)), len(codes)


def near_agreement_pairs(holders, counted=None, **options):
    """em.near_agreement_counts with every kind of closeness added up."""
    counts = near_agreement_counts(holders, counted, **options)
    return None if counts is None else sum(counts.values())
