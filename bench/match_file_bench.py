"""Time match_file on a synthetic register: python bench/match_file_bench.py [N] [--workers W].

Generates N records (default 1,000,000) of people drawn mostly from common Pakistani-heritage
names (the worst case for blocking: many different Muhammad Khans), with about 30% of people
holding 2-3 records across sources with realistic noise (spelling variants, dropped Muhammad,
transposed DOB, missing NI, typos). Reports time, peak memory, and precision/recall of the
automatic links against the known truth.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from licensing.matching.batch import match_file  # noqa: E402

MALE = ["Muhammad", "Mohammed", "Mohammad", "Mohd", "Asif", "Tariq", "Imran", "Zahid", "Sajid", "Khalid",
        "Naveed", "Kashif", "Adeel", "Bilal", "Usman", "Umar", "Ali", "Hamza", "Faisal", "Shahid", "Waqas",
        "Arshad", "Nadeem", "Zubair", "Amjad", "Rizwan", "Abdul Rahman", "Mahmood", "Iqbal", "Javed",
        "John", "David", "Michael", "Stephen", "Paul", "Mark", "Darren", "Lee", "Tomasz", "Piotr"]
MIDDLE = ["Asif", "Tariq", "Imran", "Akram", "Aslam", "Nawaz", "Sarwar", "Rafiq", "Arif", "Shafiq", ""]
FEMALE = ["Fatima", "Ayesha", "Nasreen", "Shazia", "Sarah", "Emma", "Samina", "Rubina", "Kausar"]
SURNAMES = (
    ["Khan"] * 12
    + ["Hussain"] * 8
    + ["Ahmed"] * 7
    + ["Ali"] * 7
    + ["Iqbal"] * 5
    + ["Mahmood"] * 5
    + ["Rehman"] * 4
    + ["Shah"] * 4
    + [
        "Akhtar",
        "Aslam",
        "Butt",
        "Bibi",
        "Begum",
        "Rashid",
        "Javed",
        "Malik",
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Kowalski",
        "Nowak",
        "Qureshi",
        "Raja",
        "Mirza",
        "Sheikh",
        "Chaudhry",
        "Anwar",
        "Saleem",
        "Yousaf",
        "Zaman",
        "Latif",
    ]
)
VARIANT = {"Muhammad": ["Mohammed", "Mohd", "Md", "Mohammad"], "Mohammed": ["Muhammad", "Mohamed"],
           "Hussain": ["Hussein", "Husain"], "Ahmed": ["Ahmad"], "Rehman": ["Rahman"], "Mahmood": ["Mehmood"],
           "Yousaf": ["Yusuf"], "Chaudhry": ["Choudhry"]}
NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
SOURCES = ["AV", "CH", "SB", "WY", "CC", "TVP"]
AREAS = ["HP", "SL", "OX", "MK", "LU", "RG"]


def _ni(rng: random.Random) -> str:
    while True:
        prefix = rng.choice(NI_FIRST) + rng.choice(NI_SECOND)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            return f"{prefix}{rng.randrange(10**6):06d}{rng.choice('ABCD')}"


def _person(rng: random.Random) -> dict:
    male = rng.random() < 0.9
    fore = rng.choice(MALE) if male else rng.choice(FEMALE)
    if male and fore in ("Muhammad", "Mohammed", "Mohammad", "Mohd") or rng.random() < 0.3:
        mid = rng.choice(MIDDLE)
        fore = f"{fore} {mid}".strip() if mid else fore
    year = rng.randint(1950, 2002)
    if rng.random() < 0.15:
        dob = dt.date(year, 1, 1)  # unknown birth dates recorded as 1 January
    else:
        dob = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    area = rng.choice(AREAS)
    postcode = f"{area}{rng.randint(1, 20)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"  # noqa: E501
    return {
        "forenames": fore,
        "surname": rng.choice(SURNAMES),
        "dob": dob.isoformat(),
        "ni": _ni(rng),
        "postcode": postcode,
        "line": f"{rng.randint(1, 200)} {rng.choice(['High St', 'Park Rd', 'Church Lane'])}",
        "town": "Wycombe",
    }


def _noisy(rng: random.Random, p: dict) -> dict:
    r = dict(p)
    words = r["forenames"].split()
    if words and words[0] in VARIANT and rng.random() < 0.4:
        words[0] = rng.choice(VARIANT[words[0]])
    if len(words) > 1 and words[0] in ("Muhammad", "Mohammed", "Mohd", "Md") and rng.random() < 0.2:
        words = words[1:]
    r["forenames"] = " ".join(words)
    if r["surname"] in VARIANT and rng.random() < 0.3:
        r["surname"] = rng.choice(VARIANT[r["surname"]])
    roll = rng.random()
    if roll < 0.03:
        y, m, d = r["dob"].split("-")
        if int(d) <= 12:
            r["dob"] = f"{y}-{d}-{m}"
    elif roll < 0.05:
        r["dob"] = r["dob"].replace("-", "")[:7] + "9"  # messy raw value
    if rng.random() < 0.35:
        r["ni"] = ""
    if rng.random() < 0.3:
        r["postcode"], r["line"] = _person(rng)["postcode"], "1 New Road"
    return r


def generate(path: Path, n: int, seed: int = 7) -> set[tuple[str, str]]:
    """Write n records; return the true same-person pairs."""
    rng = random.Random(seed)
    truth: set[tuple[str, str]] = set()
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["record_id", "source", "forenames", "surname", "date_of_birth", "address_line", "town",
                    "postcode", "national_insurance", "extra"])
        person = 0
        while written < n:
            p = _person(rng)
            copies = 1 if rng.random() < 0.7 else rng.choice((2, 2, 3))
            copies = min(copies, n - written)
            ids = []
            for c in range(copies):
                r = p if c == 0 else _noisy(rng, p)
                rid = f"R{written:07d}"
                ids.append(rid)
                w.writerow(
                    [
                        rid,
                        rng.choice(SOURCES),
                        r["forenames"],
                        r["surname"],
                        r["dob"],
                        r["line"],
                        r["town"],
                        r["postcode"],
                        r["ni"],
                        "",
                    ]
                )
                written += 1
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    truth.add((min(ids[i], ids[j]), max(ids[i], ids[j])))
            person += 1
    return truth


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        t0 = time.monotonic()
        truth = generate(src, args.n)
        print(
            f"generated {args.n:,} records in {time.monotonic() - t0:.1f}s ({len(truth):,} true pairs)",
            file=sys.stderr,
        )
        t0 = time.monotonic()
        report = match_file(src, out, workers=args.workers)
        elapsed = time.monotonic() - t0
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with open(out, encoding="utf-8") as fh:
            found = {(r["id_a"], r["id_b"]) for r in csv.DictReader(fh)}
        tp = len(found & truth)
        print(report, file=sys.stderr)
        print(
            f"match_file: {elapsed:.1f}s, {args.n / elapsed:,.0f} records/s; peak RSS {peak_self:,.0f} MB "
            f"(largest worker {peak_children:,.0f} MB); links {len(found):,}, precision "
            f"{tp / max(1, len(found)):.4f}, recall {tp / max(1, len(truth)):.4f} (of all true pairs; pairs without "  # noqa: E501
            f"an identifier or exact DOB cannot link automatically by policy)"
        )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
