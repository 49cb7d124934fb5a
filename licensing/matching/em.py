"""Estimate m probabilities (and the match rate) from unlabelled candidate pairs by EM.

As in Splink: u probabilities are kept fixed (they are better estimated from random pairs), and expectation-
maximisation fits m per field level and the proportion of true matches among the candidate pairs.
``match_file`` runs it on the file's own candidate pairs (``estimate=True``, the default), with each m kept
within a factor of 8 of the documented default. A council re-estimates the register's values by exporting its
records to the match-file CSV and running ``match_file`` (or this function on the candidate pairs' levels from
``Scorer.assess``), and reviews the result before adopting it with ``MatchSettings.with_levels``.
"""

from __future__ import annotations

import math
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from typing import TypeVar

from rapidfuzz.distance import OSA

from .records import MatchRecord, prepare
from .score import FIELDS, Scorer
from .settings import Level, MatchSettings

__all__ = [
    "comparison_levels",
    "estimate_parameters_em",
    "exact_agreement_u",
    "near_agreement_counts",
    "posteriors",
]

# Levels whose m stays as set: "missing" carries no information, and a veto's m is a judgement about
# keying errors that a file with few such pairs cannot estimate.
_FIXED = frozenset({"missing"})
T = TypeVar("T")


def comparison_levels(a: MatchRecord, b: MatchRecord, settings: MatchSettings) -> dict[str, str]:
    """The level each field lands in for one pair (the input EM works on)."""
    return dict(zip(FIELDS, Scorer(settings).assess(prepare(a), prepare(b)).levels, strict=True))


def estimate_parameters_em(
    pairs: Iterable[Mapping[str, str] | tuple[MatchRecord, MatchRecord] | tuple[str, ...]],
    settings: MatchSettings | None = None,
    *,
    iterations: int = 25,
    start_match_rate: float = 0.1,
    floor: float = 1e-6,
    fields: tuple[str, ...] = FIELDS,
) -> tuple[MatchSettings, float]:
    """Fit m per field level by EM over candidate pairs; return (new settings, estimated match rate).

    ``pairs`` are level dicts (from ``comparison_levels``), tuples of level names in ``FIELDS`` order, or
    record pairs. Identical vectors are counted once with a multiplicity, so a million pairs cost little.
    """
    settings = settings or MatchSettings()
    vectors: Counter = Counter()
    for p in pairs:
        if isinstance(p, Mapping):
            vectors[tuple(p.get(f, "missing") for f in FIELDS)] += 1
        elif p and isinstance(p[0], MatchRecord):
            vectors[tuple(comparison_levels(p[0], p[1], settings)[f] for f in FIELDS)] += 1
        else:
            vectors[tuple(p)] += 1
    if not vectors:
        return settings, start_match_rate
    index = [FIELDS.index(f) for f in fields]
    m = {f: {lv: level.m for lv, level in settings.levels[f].items()} for f in fields}
    u = {f: {lv: level.u for lv, level in settings.levels[f].items()} for f in fields}
    total = sum(vectors.values())
    rate = start_match_rate
    for _ in range(iterations):
        totals = {f: dict.fromkeys(m[f], 0.0) for f in fields}
        weight_sum = 0.0
        for vector, count in vectors.items():
            log_m, log_u = math.log(rate), math.log(1 - rate)
            for f, i in zip(fields, index, strict=True):
                lv = vector[i]
                if lv in _FIXED:
                    continue
                log_m += math.log(max(m[f][lv], floor))
                log_u += math.log(max(u[f][lv], floor))
            posterior = 1.0 / (1.0 + math.exp(max(-50.0, min(50.0, log_u - log_m))))
            weight_sum += posterior * count
            for f, i in zip(fields, index, strict=True):
                totals[f][vector[i]] += posterior * count
        rate = min(max(weight_sum / total, floor), 1 - floor)
        for f, counts in totals.items():
            informative = sum(v for lv, v in counts.items() if lv not in _FIXED)
            if informative <= 0:
                continue
            for lv, v in counts.items():
                if lv not in _FIXED:
                    m[f][lv] = max(v / informative, floor)
    changes = {
        f: {
            lv: Level(m[f][lv], level.u, level.tf, level.text, level.veto, level.condition)
            for lv, level in settings.levels[f].items()
            if lv not in _FIXED
        }
        for f in fields
    }
    return settings.with_levels(**changes), rate


def posteriors(vectors: Iterable[tuple[str, ...]], settings: MatchSettings, rate: float) -> list[float]:
    """P(one person) for level vectors (``FIELDS`` order) among pairs whose match share is ``rate``."""
    w = settings.weights
    base = math.log2(rate / (1 - rate))
    out = []
    for vector in vectors:
        log_odds = base + sum(w[f][lv] for f, lv in zip(FIELDS, vector, strict=True))
        out.append(1.0 / (1.0 + 2.0 ** -max(-60.0, min(60.0, log_odds))))
    return out


def exact_agreement_u(
    counts: Iterable[int], match_share: float, all_pairs: float, *, chance_floor: float = 3.0
) -> float:
    """u for "the same value" counted in the file: the pairs that share a value, less the share judged to be
    one person, over all pairs. Never below ``chance_floor`` pairs (3: the 95% bound when none is seen), so a
    file where no two people happen to share an identifier still leaves room for one that does."""
    agreeing = sum(c * (c - 1) / 2 for c in counts if c > 1)
    chance = max(agreeing * (1.0 - match_share), chance_floor)
    return min(1.0, chance / max(all_pairs, 1.0))


def _one_deletion_keys(value: str) -> set[str]:
    return {value} | {value[:i] + value[i + 1 :] for i in range(len(value))}


NEAR_MAX_VALUES = 200_000  # near_agreement_counts gives up on more distinct values than this


def near_agreement_counts(
    holders: Mapping[str, Sequence[T]],
    counted: Container[str] | None = None,
    *,
    max_values: int = NEAR_MAX_VALUES,
    kind: Callable[[str, str], str] = lambda x, y: "near",
    apart: Callable[[T, T], bool] = operator.ne,
) -> Counter[str] | None:
    """Pairs of records whose values are one edit apart (a character changed, added, dropped, or two swapped)
    and whose tags show two people (``apart``; by default tags that differ, e.g. two birth dates), so the
    closeness is chance, counted by ``kind`` of closeness (a swap or another slip). ``holders`` maps each
    value to its records' tags. With ``counted``, only pairs where at least one value is in it: only those
    values' one-deletion keys are indexed, and every value probes the index (checked with OSA). None when
    there are more than ``max_values`` distinct values (the caller keeps its default)."""
    if len(holders) > max_values:
        return None
    index: dict[str, list[str]] = defaultdict(list)
    for value in holders:
        if counted is None or value in counted:
            for key in _one_deletion_keys(value):
                index[key].append(value)
    counts: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for x in holders:
        for key in _one_deletion_keys(x):
            for y in index.get(key, ()):
                pair = (x, y) if x < y else (y, x)
                if x == y or pair in seen:
                    continue
                seen.add(pair)
                if OSA.distance(x, y, score_cutoff=1) <= 1:
                    n = sum(1 for a in holders[x] for b in holders[y] if apart(a, b))
                    if n:
                        counts[kind(x, y)] += n
    return counts
