"""Estimate m probabilities (and the match rate) from unlabelled candidate pairs by EM.

As in Splink: u probabilities are kept fixed (they are better estimated from random pairs), and
expectation-maximisation fits m per field level and the proportion of true matches among the
candidate pairs. Use it on blocked candidate pairs from the register, then review the result
before adopting it with ``MatchSettings.with_levels``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from .compare import compare_address, compare_dl, compare_dob, compare_names, compare_ni, compare_sex
from .records import MatchRecord, prepare
from .settings import Level, MatchSettings

__all__ = ["comparison_levels", "estimate_parameters_em"]


def comparison_levels(a: MatchRecord, b: MatchRecord, settings: MatchSettings) -> dict[str, str]:
    """The level each field lands in for one pair (the input EM works on)."""
    pa, pb = prepare(a), prepare(b)
    names = compare_names(pa, pb, settings.weights)
    return {
        "dl": compare_dl(pa, pb),
        "ni": compare_ni(pa, pb),
        "dob": compare_dob(pa, pb),
        "surname": names.surname,
        "forenames": names.forenames,
        "sex": compare_sex(pa, pb),
        "address": compare_address(pa, pb),
    }


def estimate_parameters_em(
    pairs: Iterable[Mapping[str, str] | tuple[MatchRecord, MatchRecord]],
    settings: MatchSettings | None = None,
    *,
    iterations: int = 25,
    start_match_rate: float = 0.1,
    floor: float = 1e-6,
) -> tuple[MatchSettings, float]:
    """Fit m per field level by EM over candidate pairs; return (new settings, estimated match rate).

    ``pairs`` are either level dicts (from ``comparison_levels``) or record pairs. "missing" levels
    carry no information and keep m = u = 1.
    """
    settings = settings or MatchSettings()
    vectors = [
        dict(p) if isinstance(p, Mapping) else comparison_levels(p[0], p[1], settings) for p in pairs
    ]
    if not vectors:
        return settings, start_match_rate
    m = {f: {lv: level.m for lv, level in levels.items()} for f, levels in settings.levels.items()}
    u = {f: {lv: level.u for lv, level in levels.items()} for f, levels in settings.levels.items()}
    rate = start_match_rate
    for _ in range(iterations):
        totals = {f: {lv: 0.0 for lv in levels} for f, levels in m.items()}
        weight_sum = 0.0
        for vector in vectors:
            log_m = math.log(rate)
            log_u = math.log(1 - rate)
            for f, lv in vector.items():
                if lv == "missing" or f not in m:
                    continue
                log_m += math.log(max(m[f][lv], floor))
                log_u += math.log(max(u[f][lv], floor))
            diff = max(-50.0, min(50.0, log_u - log_m))
            posterior = 1.0 / (1.0 + math.exp(diff))
            weight_sum += posterior
            for f, lv in vector.items():
                if lv != "missing" and f in totals:
                    totals[f][lv] += posterior
        rate = min(max(weight_sum / len(vectors), floor), 1 - floor)
        for f, counts in totals.items():
            informative = sum(v for lv, v in counts.items() if lv != "missing")
            if informative <= 0:
                continue
            for lv, v in counts.items():
                if lv != "missing":
                    m[f][lv] = max(v / informative, floor)
    changes = {
        f: {lv: Level(m[f][lv], level.u, level.tf) for lv, level in levels.items() if lv != "missing"}
        for f, levels in settings.levels.items()
    }
    return settings.with_levels(**changes), rate
