"""Rank a large candidate block cheaply before the full scoring: the best candidates by evidence, not by id.

Search fetches every record sharing a key with the query (ids and a few columns only), and this picks the ones
worth scoring in full: name similarity over canonical tokens for the whole block in one vectorised
``rapidfuzz.process.cdist`` call, plus the date of birth and how many keys each shares.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from .normalise import parse_name

__all__ = ["canonical_name", "rank_candidates"]


def canonical_name(forenames: str, surname: str) -> str:
    """A full name as sorted canonical tokens, so spelling variants and swapped order compare equal."""
    tokens = [t.canon.replace("+", "") for t in parse_name(f"{forenames} {surname}")]
    return " ".join(sorted(tokens))


def rank_candidates(
    query_name: str,
    query_dob: str,
    candidates: Sequence[tuple[int, str, str, str, int]],
    limit: int,
) -> list[int]:
    """Ids of the ``limit`` best candidates; each candidate is (id, forenames, surname, ISO dob or "", shared keys)."""
    if len(candidates) <= limit:
        return [c[0] for c in candidates]
    names = [canonical_name(c[1], c[2]) for c in candidates]
    if query_name:
        similarity = process.cdist([query_name], names, scorer=fuzz.token_set_ratio, workers=1)[0]
    else:
        similarity = [0.0] * len(candidates)
    scored = []
    for (record_id, _, _, dob, shared), sim in zip(candidates, similarity, strict=True):
        dob_points = (
            60 if query_dob and dob == query_dob else (15 if query_dob and dob[:4] == query_dob[:4] else 0)
        )
        scored.append((-(float(sim) + dob_points + 5 * shared), record_id))
    scored.sort()
    return [record_id for _, record_id in scored[:limit]]
