"""Group linked pairs into identities without chaining two different people together.

Union-find over the linked pairs, strongest first, with "cannot link" constraints: when A~B and
B~C are links but A and C carry evidence of being different people (a different NI number, a
DVLA 14th-character conflict, a different sex, clearly different dates of birth, or a strongly
negative score), the two groups are not merged. Both are marked ``needs_review`` with the reason,
so a licensing officer decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .frequencies import NameFrequencies
from .records import MatchRecord
from .score import LINK, MatchResult, score_pair
from .settings import MatchSettings

__all__ = ["Cluster", "find_clusters"]


@dataclass(slots=True)
class Cluster:
    """One proposed identity: its records, the links that hold it together, and any review flag."""

    record_ids: tuple[str, ...]
    needs_review: bool = False
    reasons: tuple[str, ...] = ()
    links: tuple[tuple[str, str, float], ...] = field(default=())


def find_clusters(
    edges: Iterable[tuple[str, str, MatchResult]],
    *,
    records: Mapping[str, MatchRecord] | None = None,
    settings: MatchSettings | None = None,
    frequencies: NameFrequencies | None = None,
    link_decisions: tuple[str, ...] = (LINK,),
    max_cross_checks: int = 400,
) -> list[Cluster]:
    """Union linked pairs into clusters, refusing any merge that would join two records in conflict.

    ``edges`` may include non-link results: their conflicts become constraints. With ``records``,
    members of two groups about to merge that were never compared are scored against each other
    first (up to ``max_cross_checks`` pairs per merge).
    """
    results: dict[tuple[str, str], MatchResult] = {}
    for a, b, result in edges:
        if a == b:
            continue
        results[(a, b) if a < b else (b, a)] = result

    cannot: dict[str, dict[str, str]] = {}

    def add_conflict(x: str, y: str, reason: str) -> None:
        cannot.setdefault(x, {})[y] = reason
        cannot.setdefault(y, {})[x] = reason

    for (a, b), result in results.items():
        if result.contradicts or result.conflicts:
            add_conflict(a, b, "; ".join(result.conflicts) or "contradicting evidence")

    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    links: dict[str, list[tuple[str, str, float]]] = {}
    reasons: dict[str, list[str]] = {}

    def find(x: str) -> str:
        if x not in parent:
            parent[x] = x
            members[x] = [x]
            links[x] = []
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def conflict_between(ra: str, rb: str) -> tuple[str, str, str] | None:
        checks = 0
        for x in members[ra]:
            known = cannot.get(x, {})
            for y in members[rb]:
                if y in known:
                    return x, y, known[y]
                pair = (x, y) if x < y else (y, x)
                if records is not None and pair not in results and x in records and y in records:
                    if checks >= max_cross_checks:
                        continue
                    checks += 1
                    result = score_pair(records[x], records[y], settings, frequencies)
                    results[pair] = result
                    if result.contradicts or result.conflicts:
                        reason = "; ".join(result.conflicts) or "contradicting evidence"
                        add_conflict(x, y, reason)
                        return x, y, reason
        return None

    linked = [(pair, r) for pair, r in results.items() if r.decision in link_decisions and not r.contradicts]
    linked.sort(key=lambda item: (-item[1].match_weight, item[0]))
    for (a, b), result in linked:
        ra, rb = find(a), find(b)
        if ra == rb:
            links[ra].append((a, b, result.probability))
            continue
        clash = conflict_between(ra, rb)
        if clash:
            x, y, why = clash
            note = f"{a} and {b} look like one person, but {x} and {y} cannot be: {why}"
            reasons.setdefault(ra, []).append(note)
            reasons.setdefault(rb, []).append(note)
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
        links[ra].extend(links.pop(rb))
        links[ra].append((a, b, result.probability))
        reasons.setdefault(ra, []).extend(reasons.pop(rb, []))

    clusters = []
    for root, ids in members.items():
        why = tuple(dict.fromkeys(reasons.get(root, [])))
        if len(ids) < 2 and not why:
            continue
        clusters.append(
            Cluster(
                record_ids=tuple(sorted(ids)),
                needs_review=bool(why),
                reasons=why,
                links=tuple(sorted(links[root])),
            )
        )
    clusters.sort(key=lambda c: c.record_ids)
    return clusters
