"""Match a whole CSV file against itself: every pair of records judged to be one person.

``python -m licensing.matching.batch INPUT.csv OUTPUT.csv`` (the app wires the same function to
``flask --app licensing match-file``).

Input: UTF-8 (a BOM is fine) with a header naming at least ``REQUIRED_COLUMNS`` in any order;
``driving_licence_number`` and ``sex`` are optional; other columns are ignored. Output:
``id_a,id_b,score`` for each pair the engine links automatically, ``id_a < id_b``, sorted. The links are
joined into people (``clusters=True``): if A links to B and B to C, A and C are written too, unless some pair
across the two groups contradicts (see ``_clusters``). With
``review_path``, the pairs an officer should look at (between the review and auto-link thresholds, or
held back by a guard or a veto) go to a second file with the same columns plus ``reason``.

The m probabilities and the match rate are estimated from the file's own candidate pairs by EM
(``estimate=True``; see ``em.py``), u stays as documented in ``settings.py`` except for identity numbers
(how often two records share a number, and how often two people's numbers of another scheme are one edit
apart, are counted from the file: ``_identifier_u``), and name and birth-date frequencies are counted from the
file.

Structural faults (missing column, ragged line, blank or duplicate record_id, no header, bytes
that are not UTF-8, an oversized field) raise ``BatchError`` naming the line, and no output file
is written: output goes to a temporary file renamed into place only at the end. Messy values (a
date like 19551192, an invalid NI number) are kept as text, compared as text, and counted.
"""

from __future__ import annotations

import csv
import gc
import os
import pickle
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import IO, TextIO

import numpy as np

from licensing.exports.tabular import neutralise

from .blocking import MAX_KEY_LENGTH, BatchKeys, batch_keys
from .compare import compare_dob, near_number_level
from .em import NEAR_MAX_VALUES, estimate_parameters_em, exact_agreement_u, near_agreement_counts, posteriors
from .frequencies import CountedFrequencies
from .records import PreparedRecord, prepare_row, release_row_caches
from .score import DEFAULT_SETTINGS, FIELDS, LINK, Scorer, _probability, keeps_apart
from .settings import MatchSettings

__all__ = ["BatchError", "BatchReport", "REQUIRED_COLUMNS", "match_file", "main"]

REQUIRED_COLUMNS = (
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
OPTIONAL_COLUMNS = ("driving_licence_number", "sex")
MAX_BLOCK = 5000  # a key shared by more records than this is too common to be evidence
_LOOSE_PREFIXES = frozenset({"nm:", "ad:", "dbi:", "dbf:", "dbn:", "idd:"})
MAX_LOOSE_BLOCK = 100  # the same for the looser keys (names with part of the date, a household, initials)
# "dbn:" (the date of birth with one name) and "dbi:" (with both initials) are kept only for a name or pair of
# initials carried by at most this share of the file's records, or this many: a common name (Khan, Mohammed)
# with a birth date makes blocks that grow with the square of the file (at 1,000,000 records "dbn:" gave 6.3
# of 7.0 million pairs and no link). A new surname still meets on "dbf:" (the forenames with the date).
_DATE_NAME_PREFIXES = frozenset({"dbn:", "dbi:"})
MAX_DBN_SHARE = 1 / 200
MIN_DBN_LIMIT = 2000
_PAIR_CHUNK = 4_000_000  # pairs expanded at once from blocks of one size
_SCORE_CHUNK = 100_000  # pairs turned into Python ints at once while scoring
_PARENT_KEY_SHARE = 0.7  # the main process's run of records for blocking keys against a key worker's 1
MAX_CLUSTER = 50  # links never join more records than this into one person (a chain of slips would run on)

_prepare_row = prepare_row  # one name and one address a row: no MatchRecord in between, no LRU cache


class BatchError(Exception):
    """A structural fault in the input file; the message names the line."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}")


@dataclass(slots=True)
class BatchReport:
    """What a batch run did: counts, warnings per kind, timings."""

    records: int = 0
    candidate_pairs: int = 0
    links: int = 0
    implied_links: int = 0  # of ``links``: pairs joined through other links into one person
    reviews: int = 0
    review_path: str = ""
    estimated_match_rate: float | None = None
    warnings: dict[str, int] = field(default_factory=dict)
    oversized_blocks: int = 0
    seconds: float = 0.0
    phase_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of this process per phase
    phase_wall: dict[str, float] = field(default_factory=dict)  # wall seconds per phase (beyond CPU: waiting)
    worker_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of the forked workers per phase
    output_path: str = ""

    def warn(self, kind: str) -> None:
        self.warnings[kind] = self.warnings.get(kind, 0) + 1

    def __str__(self) -> str:
        warned = ", ".join(f"{k}: {v}" for k, v in sorted(self.warnings.items())) or "none"
        return (
            f"{self.records} records, {self.candidate_pairs} pairs compared, {self.links} links "
            f"({self.implied_links} of them through other links) in {self.seconds:.1f}s; "
            f"warnings: {warned}\n{self.summary()}"
        )

    def summary(self) -> str:
        """The officer time a file will cost: how many pairs linked and how many wait for review."""
        where = f" (written to {self.review_path})" if self.review_path else ""

        def pairs(n: int) -> str:
            return f"{n:,} pair" + ("" if n == 1 else "s")

        return f"Auto-linked: {pairs(self.links)}. Sent to review: {pairs(self.reviews)}{where}."


class _Progress:
    """Plain-text progress on a stream with carriage-return updates (no dependency)."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.last = 0.0

    def show(self, phase: str, done: int, total: int | None = None, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        if total:
            width = 30
            filled = int(width * done / total)
            text = f"\r{phase}: [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        else:
            text = f"\r{phase}: {done:,}"
        self.stream.write(text.ljust(70))
        self.stream.flush()

    def end(self) -> None:
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()


def _decoded_lines(handle: IO[bytes]) -> Iterator[str]:
    """Decode line by line so an undecodable byte is reported with its line number."""
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BatchError(
                number,
                f"bytes that are not UTF-8 (at byte {exc.start + 1} of the line); "
                "save the file as 'CSV UTF-8' and try again",
            ) from None


def _read_records(path: Path, report: BatchReport, progress: _Progress) -> list[PreparedRecord]:
    prepared: list[PreparedRecord] = []
    first_line: dict[str, int] = {}
    with open(path, "rb") as handle:
        reader = csv.reader(_decoded_lines(handle))
        try:
            header = next(reader, None)
            while header is not None and not any(h.strip() for h in header):
                header = next(reader, None)  # leading blank lines
            if header is None:
                raise BatchError(1, "the file is empty; expected a header row: " + ",".join(REQUIRED_COLUMNS))
            header_line = reader.line_num
            names = [h.strip().lower() for h in header]
            seen: set[str] = set()
            for name in names:
                if name and name in seen:
                    raise BatchError(header_line, f"column {name!r} appears twice in the header")
                seen.add(name)
            missing = [c for c in REQUIRED_COLUMNS if c not in seen]
            if missing:
                raise BatchError(header_line, "missing column(s): " + ", ".join(missing))
            col = {name: i for i, name in enumerate(names)}
            width = len(names)
            i_id, i_src, i_fore, i_sur, i_dob = (col[c] for c in REQUIRED_COLUMNS[:5])
            i_line, i_pc, i_ni = col["address_line"], col["postcode"], col["national_insurance"]
            i_dl = col.get("driving_licence_number")
            i_sex = col.get("sex")
            for row in reader:
                line = reader.line_num
                if not row:
                    continue  # blank line
                if len(row) != width:
                    raise BatchError(line, f"expected {width} fields as in the header, found {len(row)}")
                record_id = row[i_id].strip()
                if not record_id:
                    raise BatchError(line, "record_id is blank")
                if record_id in first_line:
                    raise BatchError(
                        line, f"duplicate record_id {record_id!r} (first on line {first_line[record_id]})"
                    )
                first_line[record_id] = line
                dob = row[i_dob].strip()
                ni = row[i_ni].strip()
                pc = row[i_pc].strip()
                dl = row[i_dl].strip() if i_dl is not None else ""
                p = _prepare_row(
                    record_id,
                    row[i_fore].strip(),
                    row[i_sur].strip(),
                    dob,
                    row[i_sex].strip() if i_sex is not None else "",
                    pc,
                    row[i_line].strip() if pc else "",
                    ni,
                    dl,
                )
                if dob and not p.dob_iso:
                    report.warn("date_of_birth_not_iso")
                elif dob and p.dob != dob:  # read as a date, but not written as yyyy-mm-dd
                    report.warn("date_of_birth_reformatted")  # e.g. 13/10/1966, read as 1966-10-13
                if ni and not p.ni_valid:
                    report.warn("national_insurance_invalid")
                if pc and not p.postcodes:
                    report.warn("postcode_invalid")
                if dl and p.dl_parsed is None:
                    report.warn("driving_licence_invalid")
                prepared.append(p)
                if len(prepared) % 1000 == 0:
                    progress.show("reading", len(prepared))
        except csv.Error as exc:
            raise BatchError(reader.line_num or 1, f"cannot read CSV: {exc}") from None
    progress.show("reading", len(prepared), force=True)
    return prepared


def _is_loose(key: str) -> bool:
    return key[:3] in _LOOSE_PREFIXES or key[:4] in _LOOSE_PREFIXES


def _block_pairs(hashes: array, owners: array, cap: int, report: BatchReport) -> list[np.ndarray]:
    """Pair codes (i * 2**32 + j, i < j) of every block of 2..cap records sharing a key hash.

    Keys are grouped by sorting their hashes; blocks of one size are expanded together through numpy's
    upper-triangle indices, so no Python object is made per block member."""
    h = np.frombuffer(hashes, dtype=np.int64)
    if not len(h):
        return []
    order = np.argsort(h, kind="stable")  # stable: owners stay ascending within a block
    h = h[order]
    o = np.frombuffer(owners, dtype=np.int32)[order].astype(np.int64)
    del order
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    sizes = np.diff(np.append(starts, len(h)))
    del h
    report.oversized_blocks += int((sizes > cap).sum())
    keep = (sizes >= 2) & (sizes <= cap)
    starts, sizes = starts[keep], sizes[keep]
    out = []
    for size in np.unique(sizes).tolist():
        a, b = np.triu_indices(size, 1)
        block_starts = starts[sizes == size]
        chunk = max(1, _PAIR_CHUNK // len(a))  # bound the memory of one expansion
        for c in range(0, len(block_starts), chunk):
            members = o[block_starts[c : c + chunk, None] + np.arange(size)]
            left, right = members[:, a].ravel(), members[:, b].ravel()
            distinct = left != right  # two keys of one record with the same hash
            out.append((left[distinct] << 32) | right[distinct])
    return out


def _candidate_pairs(
    prepared: list[PreparedRecord], report: BatchReport, thorough: bool = False
) -> np.ndarray:
    """Every pair of records sharing a blocking key, as sorted unique codes i * 2**32 + j with i < j."""
    keys = _FileKeys(thorough)
    keys.gather(prepared, 0, len(prepared))
    return keys.pairs(prepared, report)


class _FileKeys:
    """The blocking keys of a run of a file's records, gathered so that runs gathered apart (by forked
    workers) join into those of the whole file: ``a.merge(b)``, b's records after a's, gives the keys one
    ``gather`` over both runs gives, in the same order and with the same ids, so the pairs are the same.

    Every (key hash, record) is gathered into flat arrays (the many keys only one record holds cost 12 bytes
    each, not a dictionary entry); the looser keys (names with part of the date, a household, initials) are
    kept apart because a smaller block of them is already too common to be evidence."""

    def __init__(self, thorough: bool = False) -> None:
        self.thorough = thorough
        self.strict_h, self.strict_o = array("q"), array("i")
        self.loose_h, self.loose_o = array("q"), array("i")
        self.name_h, self.name_o, self.name_code = array("q"), array("i"), array("q")
        self.dob_ids: dict[str, int] = {"": -1}
        self.name_parts: list[list[int]] = []
        self.part_ids: dict[str, int] = {}
        self.dated = _DatedKeys()
        self.record_dob, self.record_names, self.record_iso = array("q"), array("q"), array("q")

    def gather(self, prepared: list[PreparedRecord], start: int, stop: int) -> None:
        """The keys of records start..stop-1 (after those gathered so far)."""
        strict_h, strict_o, loose_h, loose_o = self.strict_h, self.strict_o, self.loose_h, self.loose_o
        if self.thorough:
            name_h, name_o, name_code = self.name_h, self.name_o, self.name_code
            for i in range(start, stop):
                for k in set(batch_keys(prepared[i], thorough=True)):
                    if k[:4] in _DATE_NAME_PREFIXES:
                        name_h.append(hash(k))
                        name_o.append(i)
                        name_code.append(hash(k[:4] + k.rpartition(":")[2]))  # "dbn:khn", "dbi:mk"
                    elif _is_loose(k):
                        loose_h.append(hash(k))
                        loose_o.append(i)
                    else:
                        strict_h.append(hash(k))
                        strict_o.append(i)
            return
        # The same keys sorted by kind where they are made (BatchKeys.grouped), so nothing is tested per key.
        # The date with two names, most of the keys, is made below as integers (_date_pair_keys), not strings;
        # so are the date with initials, forenames or one name (_DatedKeys).
        keys = BatchKeys()
        grouped = keys.grouped
        dob_of, dob_ids = keys.dob_part, self.dob_ids
        names_of: dict[int, int] = {}  # PreparedRecord.names_id -> row of name_parts
        name_parts, part_ids, dated = self.name_parts, self.part_ids, self.dated
        record_dob, record_names, record_iso = self.record_dob, self.record_names, self.record_iso
        for i in range(start, stop):
            p = prepared[i]
            dob = dob_of(p)
            dob_id = dob_ids.get(dob)
            if dob_id is None:
                dob_id = dob_ids[dob] = len(dob_ids) - 1
            record_dob.append(dob_id)
            row = names_of.get(p.names_id)
            if row is None:
                row = names_of[p.names_id] = len(name_parts)
                parts = keys.date_pair_parts(p)
                name_parts.append([part_ids.setdefault(part, len(part_ids)) for part in parts])
                dated.add_row(keys.dated_parts(p))
            record_names.append(row)
            if dob_id >= 0 and not dob.startswith("dob:"):
                dated.add_text_date(i, dob_id, dob, keys.dated_parts(p))  # a date kept as text: rare
                record_iso.append(-1)
            else:
                record_iso.append(dob_id)
            strict, loose, _ = grouped(p, date_pairs=False, deletions=False, dated=False)
            if len(strict) > 1:
                strict = set(strict)
            strict_h.extend(map(hash, strict))
            strict_o.extend([i] * len(strict))
            if len(loose) > 1:
                loose = set(loose)
            loose_h.extend(map(hash, loose))
            loose_o.extend([i] * len(loose))

    def merge(self, later: _FileKeys) -> None:
        """Append the keys ``later`` gathered for the records after this run's. Its ids of dates, name parts
        and dated parts are renumbered into this run's, new ones numbered in the order ``later`` met them: as
        one gather over both runs numbers them."""
        for mine, theirs in (
            (self.strict_h, later.strict_h),
            (self.strict_o, later.strict_o),
            (self.loose_h, later.loose_h),
            (self.loose_o, later.loose_o),
            (self.name_h, later.name_h),
            (self.name_o, later.name_o),
            (self.name_code, later.name_code),
        ):
            mine.extend(theirs)
        if self.thorough:
            return
        dob_ids = self.dob_ids
        dob_map = np.array(  # later's date id + 1 -> this run's (the blank date is -1 in both, and first)
            [dob_ids.setdefault(dob, len(dob_ids) - 1) for dob in later.dob_ids], dtype=np.int64
        )
        part_map = [self.part_ids.setdefault(part, len(self.part_ids)) for part in later.part_ids]
        offset = len(self.name_parts)
        self.name_parts.extend([part_map[part] for part in row] for row in later.name_parts)
        self.record_dob.frombytes(dob_map[np.frombuffer(later.record_dob, dtype=np.int64) + 1].tobytes())
        self.record_iso.frombytes(dob_map[np.frombuffer(later.record_iso, dtype=np.int64) + 1].tobytes())
        self.record_names.frombytes((np.frombuffer(later.record_names, dtype=np.int64) + offset).tobytes())
        self.dated.merge(later.dated, dob_map)

    def pairs(self, prepared: list[PreparedRecord], report: BatchReport) -> np.ndarray:
        """The candidate pairs of the whole file from its gathered keys (empties the keys)."""
        n, thorough = len(prepared), self.thorough
        report.oversized_blocks = 0
        parts = _block_pairs(self.strict_h, self.strict_o, MAX_BLOCK, report)
        self.strict_h = self.strict_o = None
        if not thorough:
            date_h, date_o = _date_pair_keys(self.record_dob, self.record_names, self.name_parts)
            self.record_dob = self.name_parts = self.part_ids = self.dob_ids = None
            parts += _block_pairs(date_h, date_o, MAX_BLOCK, report)
            del date_h, date_o
        loose_h, loose_o = self.loose_h, self.loose_o
        self.loose_h = self.loose_o = None
        if thorough:
            name_h, name_o = _keep_rare_names(self.name_h, self.name_o, self.name_code, dbn_limit(n))
            loose_h.extend(name_h)
            loose_o.extend(name_o)
            del name_h, name_o
        else:
            dated_h, dated_o = self.dated.keys(self.record_iso, self.record_names, dbn_limit(n))
            self.record_iso = self.record_names = self.dated = None
            parts += _block_pairs(dated_h, dated_o, MAX_LOOSE_BLOCK, report)
            del dated_h, dated_o
        self.name_h = self.name_o = self.name_code = None
        parts += _block_pairs(loose_h, loose_o, MAX_LOOSE_BLOCK, report)
        del loose_h, loose_o
        if not thorough:
            deletion_h, deletion_o = _deletion_keys([p.ni_core for p in prepared])
            parts += _block_pairs(deletion_h, deletion_o, MAX_LOOSE_BLOCK, report)
            del deletion_h, deletion_o
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return sorted_unique(np.concatenate(parts))


def sorted_unique(codes: np.ndarray) -> np.ndarray:
    """``np.unique`` of a 1-d array made for this call (sorted in place): sorted, each value once. By a sort
    and a comparison of neighbours: numpy 2.4's np.unique took seconds where this takes a fraction of one (the
    9,000,000 pair codes of 1,000,000 records; bench/results/match_file_round12_matchcpu12.txt)."""
    codes.sort()
    first = np.empty(len(codes), dtype=bool)
    first[:1] = True
    np.not_equal(codes[1:], codes[:-1], out=first[1:])
    return codes[first]


class _DatedKeys:
    """The keys "dbi:", "dbf:" and "dbn:" (the date with both initials, the forenames, one name; see
    BatchKeys.grouped) of a whole file as integers date id * width + part id, where a part id stands for the
    key's kind and its name part as the 64-character cut leaves it. A date part has one id, so equal keys give
    equal integers and different keys different ones; these keys are blocked apart from the others. "dbi:"
    and "dbn:" are kept only for a name (or initials) at most ``dbn_limit`` records carry, counted per name
    part as for the strings ("dbn:khn", "dbi:mk")."""

    _PREFIXES = ("dbi:", "dbf:", "dbn:")
    _ISO_ROOM = MAX_KEY_LENGTH - len("dbi:") - len("dob:yyyy-mm-dd") - 1  # what the cut leaves a name part

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], int] = {}  # (prefix, name part as cut) -> part id
        self.code_of: list[int] = []  # part id -> id of its name code ("dbn:khn"), -1 for "dbf:"
        self.codes: dict[str, int] = {}
        self.rows: list[list[int]] = []  # per distinct name: part ids of a record with a yyyy-mm-dd date
        self.text_h, self.text_o, self.text_d = array("q"), array("i"), array("q")  # dates kept as text

    def _part(self, prefix: str, part: str) -> int:
        found = self.ids.get((prefix, part))
        if found is None:
            found = self.ids[(prefix, part)] = len(self.code_of)
            code = -1
            if prefix != "dbf:":
                code = self.codes.setdefault(prefix + part.rpartition(":")[2], len(self.codes))
            self.code_of.append(code)
        return found

    def _parts(self, dated_parts, room: int) -> list[int]:
        return sorted(
            {
                self._part(prefix, part[:room])
                for prefix, parts in zip(self._PREFIXES, dated_parts, strict=True)
                for part in parts
            }
        )

    def add_row(self, dated_parts) -> None:
        self.rows.append(self._parts(dated_parts, self._ISO_ROOM))

    def add_text_date(self, owner: int, dob_id: int, dob: str, dated_parts) -> None:
        for part in self._parts(dated_parts, MAX_KEY_LENGTH - len("dbi:") - len(dob) - 1):
            self.text_h.append(part)
            self.text_o.append(owner)
            self.text_d.append(dob_id)

    def merge(self, later: _DatedKeys, dob_map: np.ndarray) -> None:
        """Append ``later``'s rows and text dates, its part ids renumbered into these (``dob_map``: its
        date id + 1 -> this file's)."""
        part_map = np.array([self._part(*key) for key in later.ids], dtype=np.int64)  # in later's id order
        self.rows.extend(sorted(part_map[row].tolist()) for row in later.rows)
        text_h = part_map[np.frombuffer(later.text_h, dtype=np.int64)]
        text_o = np.frombuffer(later.text_o, dtype=np.int32)
        order = np.lexsort((text_h, text_o))  # a record's parts ascending, as add_text_date gives them
        self.text_h.frombytes(text_h[order].tobytes())
        self.text_o.frombytes(text_o[order].tobytes())
        self.text_d.frombytes(dob_map[np.frombuffer(later.text_d, dtype=np.int64)[order] + 1].tobytes())

    def keys(self, record_iso: array, record_names: array, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """(keys, owners) of every record, "dbi:" and "dbn:" of common names left out."""
        width = max(len(self.code_of), 1)
        keys, owners = _date_pair_keys(record_iso, record_names, self.rows, width)
        text = np.frombuffer(self.text_h, dtype=np.int64)
        keys = np.concatenate((keys, np.frombuffer(self.text_d, dtype=np.int64) * width + text))
        owners = np.concatenate((owners, np.frombuffer(self.text_o, dtype=np.int32)))
        code = np.array(self.code_of, dtype=np.int64)[keys % width]
        named = code >= 0
        if named.any():
            named_codes = code[named]  # ids 0.. of the name codes: counted by bincount, not np.unique's sort
            keep = np.ones(len(keys), dtype=bool)
            keep[named] = np.bincount(named_codes)[named_codes] <= limit
            keys, owners = keys[keep], owners[keep]
        return keys, owners


def _date_pair_keys(
    record_dob: array, record_names: array, name_parts: list[list[int]], width: int | None = None
):
    """The keys "<date part>:<code>:<initial>" (BatchKeys.date_pair_parts) of every record with a date, as
    integers date id * parts + part id with their owners: equal keys give equal integers, and these keys are
    blocked apart from the others (no other kind of key can equal one), so the blocks are those of the
    strings."""
    dob = np.frombuffer(record_dob, dtype=np.int64)
    rows = np.frombuffer(record_names, dtype=np.int64)
    sizes = np.fromiter((len(x) for x in name_parts), dtype=np.int64, count=len(name_parts))
    flat = np.fromiter((part for x in name_parts for part in x), dtype=np.int64, count=int(sizes.sum()))
    first = np.concatenate(([0], np.cumsum(sizes)[:-1])) if len(sizes) else sizes
    counts = np.where(dob >= 0, sizes[rows], 0)
    owners = np.repeat(np.arange(len(dob), dtype=np.int32), counts)
    ends = np.cumsum(counts)
    at = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64) - np.repeat(ends - counts, counts)
    at += np.repeat(first[rows], counts)
    if width is None:
        width = max(int(flat.max()) + 1 if len(flat) else 1, 1)
    keys = dob[owners] * width + flat[at]
    return keys, owners


_BASE = 37  # 36 symbols (A-Z, 0-9) as digits 1..36: strings of any length up to 7 get distinct integers


def _deletion_keys(cores: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The "idd:" keys (an identity number of 6 or more characters with one character left out, each place
    in turn; BatchKeys.grouped) of every record, as integers with their owners: the number without character
    k written in base 37. These keys are blocked apart from the others, so equal keys give equal integers and
    the blocks are those of the strings. A record's repeated keys (a doubled character) count once, as in its
    set of keys."""
    keys, owners = [], []
    digit = np.zeros(128, dtype=np.int64)
    digit[np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", dtype=np.uint8)] = np.arange(1, 37)
    lengths = np.fromiter(map(len, cores), dtype=np.int64, count=len(cores))
    for length in range(6, 9):  # ni_core keeps at most 8 characters
        rows = np.flatnonzero(lengths == length)
        if not len(rows):
            continue
        text = "".join(cores[i] for i in rows.tolist()).encode("ascii")
        chars = digit[np.frombuffer(text, dtype=np.uint8)].reshape(len(rows), length)
        if not chars.all():  # normalise_ni keeps only A-Z and 0-9
            raise ValueError("an identity number with a character other than A-Z or 0-9")
        # Without character k: the characters before it (prefix) shifted past those after it (suffixes[k]).
        suffixes = [np.zeros(len(rows), dtype=np.int64)]
        for k in range(length - 1, 0, -1):
            suffixes.append(suffixes[-1] + chars[:, k] * _BASE ** (length - 1 - k))
        suffixes.reverse()
        dropped = np.empty((len(rows), length), dtype=np.int64)
        prefix = np.zeros(len(rows), dtype=np.int64)
        for k in range(length):
            dropped[:, k] = prefix * _BASE ** (length - 1 - k) + suffixes[k]
            prefix = prefix * _BASE + chars[:, k]
        # Leaving out k or k + 1 gives one number exactly when the two characters are equal (a run of one
        # character gives one key, however long the run).
        first = np.ones_like(dropped, dtype=bool)
        first[:, 1:] = chars[:, 1:] != chars[:, :-1]
        keys.append(dropped[first])
        owners.append(np.repeat(rows.astype(np.int32), first.sum(axis=1)))
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    return np.concatenate(keys), np.concatenate(owners)


def dbn_limit(records: int) -> int:
    """How many records of a file may carry a name (or initials) for its "dbn:" ("dbi:") keys to be kept."""
    return max(MIN_DBN_LIMIT, int(records * MAX_DBN_SHARE))


def _keep_rare_names(hashes: array, owners: array, codes: array, limit: int) -> tuple[array, array]:
    """The keys (hashes, owners) whose name code at most ``limit`` records carry."""
    if not len(codes):
        return hashes, owners
    code = np.frombuffer(codes, dtype=np.int64)
    _, inverse, counts = np.unique(code, return_inverse=True, return_counts=True)
    keep = counts[inverse] <= limit
    if keep.all():
        return hashes, owners
    kept_h, kept_o = array("q"), array("i")
    kept_h.frombytes(np.frombuffer(hashes, dtype=np.int64)[keep].tobytes())
    kept_o.frombytes(np.frombuffer(owners, dtype=np.int32)[keep].tobytes())
    return kept_h, kept_o


def _split(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return codes >> 32, codes & 0xFFFFFFFF


def _score_range(
    prepared: list[PreparedRecord],
    pairs: np.ndarray,
    settings: MatchSettings,
    frequencies: CountedFrequencies,
    progress: _Progress,
) -> tuple[list[tuple[int, int, float, str]], int]:
    """Score candidate pairs in their order: links and reviews, pair count."""
    scorer = Scorer(settings, frequencies)
    decide = scorer.decide
    found: list[tuple[int, int, float, str]] = []
    total = len(pairs)
    for start in range(0, total, _SCORE_CHUNK):
        left, right = _split(pairs[start : start + _SCORE_CHUNK])
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            a = decide(prepared[i], prepared[j])
            if a is not None and a.decision != "no_link":
                found.append(
                    (i, j, a.match_weight, "" if a.decision == LINK else (a.guard or _why_review(a)))
                )
        progress.show("matching", min(start + _SCORE_CHUNK, total), total)
    return found, total


def _why_review(a) -> str:
    if a.contradicts:
        return "Review: an identifier contradicts the rest of the evidence"
    if a.probability >= 0.5:
        return f"Review: {a.probability:.1%} likely to be one person"
    return "Review: the same date of birth and names that agree in part"


def estimate_settings(
    prepared,
    pairs: np.ndarray,
    settings: MatchSettings,
    frequencies,
    *,
    sample: int = 10_000,
    identifier_counts: _IdentifierCounts | None = None,
) -> tuple[MatchSettings, float]:
    """m by EM over the candidate pairs of up to ``sample`` records spread through the file, and the prior
    from
    the estimated share of true pairs among all candidate pairs (u and the thresholds stay as set)."""
    n = len(prepared)
    step = max(1, n // sample)
    assess = Scorer(settings, frequencies).assess
    left, right = _split(pairs)
    sampled = left % step == 0
    vectors = [
        assess(prepared[i], prepared[j]).levels
        for i, j in zip(left[sampled].tolist(), right[sampled].tolist(), strict=True)
    ]
    del left, right, sampled
    if len(vectors) < 200:
        return settings, settings.prior  # too few pairs to estimate anything
    estimated, rate = estimate_parameters_em(vectors, settings, iterations=20, start_match_rate=0.3)
    # The prior is the share of all pairs in this file that are one person: the estimated share of true pairs
    # among the sampled candidates, times candidates per pair. Never below the national default; never above
    # 1 in 1,000, so a file of near-duplicates cannot make chance agreement look like identity.
    all_pairs = n * (n - 1) / 2
    prior = min(max(rate * len(vectors) * step / all_pairs, settings.prior), 1e-3)
    bounded = _bounded(estimated, settings)
    counts = identifier_counts or _identifier_counts(prepared)
    return replace(_identifier_u(counts, vectors, bounded, rate, all_pairs), prior=prior), rate


_TWO_BIRTH_DATES = frozenset({"different", "year_only"})  # date levels that are not one date with a slip


@dataclass(slots=True)
class _IdentifierCounts:
    """What ``_identifier_u`` counts from the records alone (not the candidate pairs), so a key worker can
    count it while the main process makes the pairs: per level ("exact" for valid NI numbers, "text_exact"
    for the others), how many records hold each number held more than once, in first-met order; and the
    near-number counts of ``near_agreement_counts`` (None when there are too many numbers to count)."""

    shared: dict[str, list[int]]
    near: Counter | None


def _identifier_counts(prepared) -> _IdentifierCounts:
    shared = {}
    for level, valid in (("exact", True), ("text_exact", False)):
        counts = Counter(p.ni_core for p in prepared if p.ni_core and p.ni_valid is valid)
        shared[level] = [c for c in counts.values() if c > 1]  # a number held once adds no pair
    # "One character apart, at least one not a valid NI number": how often records whose birth dates are two
    # people's (not one date with a slip) hold such numbers one edit apart, swaps and other slips counted
    # apart. A 7-digit scheme leaves few; a sequential one many.
    if len({p.ni_core for p in prepared if p.ni_core and p.dob_iso}) > NEAR_MAX_VALUES:
        return _IdentifierCounts(shared, None)  # too many numbers to count (a list per number is memory)
    holders: dict[str, list[PreparedRecord]] = {}
    for p in prepared:
        if p.ni_core and p.dob_iso:
            holders.setdefault(p.ni_core, []).append(p)
    near = near_agreement_counts(
        holders,
        {p.ni_core for p in prepared if p.ni_core and not p.ni_valid},
        kind=near_number_level,
        apart=lambda a, b: compare_dob(a, b) in _TWO_BIRTH_DATES,
        max_values=NEAR_MAX_VALUES,
    )
    return _IdentifierCounts(shared, near)


def _identifier_u(
    counted: _IdentifierCounts, vectors, settings: MatchSettings, rate: float, all_pairs: float
) -> MatchSettings:
    """u of "the same NI number" (valid, or compared as text) counted from the file: how many pairs share a
    number, less those the candidate pairs say are one person. A scheme where family members share a number
    shows it here; one where nobody does earns its full weight. Kept within 8 bits of the documented u.
    u of a near number (``_identifier_counts``) within 4 bits below and 8 above."""
    ni = FIELDS.index("ni")
    changes = {}
    for level in ("exact", "text_exact"):
        at_level = [v for v in vectors if v[ni] == level]
        share = sum(posteriors(at_level, settings, rate)) / len(at_level) if at_level else 1.0
        default = settings.levels["ni"][level]
        u = exact_agreement_u(counted.shared[level], share, all_pairs)
        changes[level] = replace(default, u=min(max(u, default.u / 256), min(1.0, default.u * 256)))
    if counted.near is not None:
        for level in ("text_transposed", "text_typo"):
            default = settings.levels["ni"][level]
            u = max(counted.near[level], 3.0) / max(all_pairs, 1.0)
            changes[level] = replace(default, u=min(max(u, default.u / 16), min(1.0, default.u * 256)))
    return settings.with_levels(ni=changes)


def _bounded(estimated: MatchSettings, settings: MatchSettings, factor: float = 8.0) -> MatchSettings:
    """EM's m values kept within a factor of 8 of the documented ones (3 bits either way), so an odd or small
    file (one surname, one postcode) cannot turn a level's meaning round. Vetoes keep their m. A factor of 4
    held FEBRL's heavily corrupted files at the bound on most disagreement levels."""
    changes = {}
    for f, levels in settings.levels.items():
        changes[f] = {}
        for name, level in levels.items():
            if level.veto or name == "missing":
                continue
            m = min(max(estimated.levels[f][name].m, level.m / factor), min(1.0, level.m * factor))
            changes[f][name] = replace(level, m=m)
    return settings.with_levels(**changes)


def _clusters(
    found: list[tuple[int, int, float, str]],
    prepared: list[PreparedRecord],
    settings: MatchSettings,
    frequencies: CountedFrequencies,
    max_cluster: int = MAX_CLUSTER,
) -> tuple[list[tuple[int, int, float, str]], int]:
    """Join the automatic links into people (connected components) and return every pair inside one as a link.

    Links are taken strongest first (Kruskal), so a pair implied through others gets the weight of the weakest
    link joining them. Two groups are not joined when any pair across them is evidence of two people
    (``score.keeps_apart``, the register's rule too: a veto, or a summed weight below
    ``cluster_conflict_weight``) or when the person would exceed ``max_cluster`` records; the link itself is
    still written. Review pairs that end inside one person are dropped. A pair
    across two groups that is itself a link is judged by the weight scoring found (a link has no veto); only
    the others are assessed (99.6% of the pairs checked at 200,000 records)."""
    assess = Scorer(settings, frequencies).assess
    parent = list(range(len(prepared)))
    members: dict[int, list[int]] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Groups only grow, so two groups once kept apart are tried again whenever another link joins them: each
    # pair's verdict is worked out once.
    verdicts: dict[int, bool] = {}

    def conflicting(x: int, y: int) -> bool:
        pair = (x, y) if x < y else (y, x)
        weight = direct.get(pair)
        if weight is not None:  # a link: scoring found its weight, and a link never contradicts
            return keeps_apart(False, weight, settings)
        code = (pair[0] << 32) | pair[1]
        verdict = verdicts.get(code)
        if verdict is None:
            a = assess(prepared[x], prepared[y])
            verdict = verdicts[code] = keeps_apart(a.contradicts, a.match_weight, settings)
        return verdict

    links = sorted((f for f in found if not f[3]), key=lambda f: -f[2])
    direct = {((i, j) if i < j else (j, i)): weight for i, j, weight, _ in links}
    out = list(links)
    implied = 0
    for i, j, weight, _ in links:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        a, b = members.get(ri, [ri]), members.get(rj, [rj])
        if len(a) + len(b) > max_cluster:
            continue
        if len(a) * len(b) > 1 and any(conflicting(x, y) for x in a for y in b):
            continue
        for x in a:
            for y in b:
                pair = (x, y) if x < y else (y, x)
                if pair not in direct:
                    out.append((pair[0], pair[1], weight, ""))
                    implied += 1
        parent[ri] = rj
        members[rj] = a + b
        members.pop(ri, None)
    for f in found:
        if f[3] and find(f[0]) != find(f[1]):
            out.append(f)
    return out, implied


class _KeyWorkers:
    """Forked workers that gather the blocking keys of the later runs of records while this process counts
    the name frequencies and gathers the first run (``first`` records; smaller by ``_PARENT_KEY_SHARE``, for
    the frequencies). They share the records copy-on-write and exit once their work is sent, so the pages
    they copied (reference counts) are freed before the scoring workers fork.

    With ``extras``, the first worker also counts the identifiers for the estimate (they need the records, not
    the pairs), before its keys: counted after them, beside this process making the pairs, the two processes'
    memory peaked together (2.17 GB at 1,000,000 records)."""

    def __init__(
        self, prepared: list[PreparedRecord], thorough: bool, workers: int, extras: bool = False
    ) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        n = len(prepared)
        self.first = int(n * _PARENT_KEY_SHARE / (_PARENT_KEY_SHARE + workers - 1))
        bounds = [self.first + (n - self.first) * w // (workers - 1) for w in range(workers)]
        self.readers, self.procs = [], []
        self.extras = extras
        for start, stop in zip(bounds, bounds[1:], strict=False):
            r, wr = ctx.Pipe(duplex=False)

            def child(start=start, stop=stop, wr=wr, extras=extras and not self.readers):
                counts = _identifier_counts(prepared) if extras else None
                keys = _FileKeys(thorough)
                keys.gather(prepared, start, stop)
                wr.send_bytes(pickle.dumps(keys, protocol=pickle.HIGHEST_PROTOCOL))
                if extras:
                    wr.send_bytes(pickle.dumps(counts, protocol=pickle.HIGHEST_PROTOCOL))
                wr.close()

            proc = ctx.Process(target=child, daemon=True)
            proc.start()
            wr.close()
            self.readers.append(r)
            self.procs.append(proc)

    def _receive(self, w: int):
        try:
            return pickle.loads(self.readers[w].recv_bytes())  # noqa: S301  (our own forked worker)
        except EOFError:  # the worker died before sending
            self.procs[w].join()
            raise RuntimeError(f"matching worker failed with exit code {self.procs[w].exitcode}") from None

    def _ended(self, w: int) -> None:
        """Wait for worker w to exit; a worker that did not exit cleanly fails the run."""
        proc = self.procs[w]
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"matching worker failed with exit code {proc.exitcode}")

    def join(self, keys: _FileKeys) -> None:
        """Merge the workers' keys after ``keys`` (the first run's), run by run: the keys of one gather."""
        for w in range(len(self.procs)):
            later = self._receive(w)
            if not (self.extras and w == 0):
                self._ended(w)
            keys.merge(later)

    def identifier_counts(self) -> _IdentifierCounts:
        """The first worker's identifier counts (with ``extras``, after ``join``), once it has exited."""
        counts = self._receive(0)
        self._ended(0)
        return counts

    def close(self) -> None:
        """Stop any worker still running (this process failed before joining them)."""
        for r, proc in zip(self.readers, self.procs, strict=True):
            r.close()
            if proc.is_alive():
                proc.terminate()
            proc.join()


def _score_parallel(prepared, pairs, settings, frequencies, workers, progress, clock: _PhaseClock):
    """Fork workers that share the prepared records copy-on-write; each scores one run of the sorted pairs.

    Pairs are sorted by their first record, so the run a worker takes from the end holds only records from
    some point on: reference counting copies only the pages of the records a process reads, and a worker
    never reads the records before its run. The runs hold equal numbers of pairs."""
    import multiprocessing as mp
    import pickle

    ctx = mp.get_context("fork")
    bounds = [len(pairs) * w // workers for w in range(workers + 1)]
    readers, procs = [], []
    for w in range(1, workers):
        r, wr = ctx.Pipe(duplex=False)

        def child(run=pairs[bounds[w] : bounds[w + 1]], wr=wr):
            result = _score_range(prepared, run, settings, frequencies, _Progress(None))
            wr.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            wr.close()

        proc = ctx.Process(target=child, daemon=True)
        proc.start()
        wr.close()
        readers.append(r)
        procs.append(proc)
    found, compared = _score_range(prepared, pairs[: bounds[1]], settings, frequencies, progress)
    clock.lap("scoring")
    for r, proc in zip(readers, procs, strict=True):
        more, count = pickle.loads(r.recv_bytes())  # noqa: S301  (our own forked worker)
        found.extend(more)  # the runs in order: the pairs in the order one process finds them
        compared += count
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"matching worker failed with exit code {proc.exitcode}")
    return found, compared


def match_file(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    settings: MatchSettings | None = None,
    progress: TextIO | None = sys.stderr,
    workers: int | None = None,
    review_path: str | os.PathLike | None = None,
    estimate: bool = True,
    thorough: bool = False,
    clusters: bool = True,
) -> BatchReport:
    """Find every pair of records in one CSV that are the same person; write id_a,id_b,score (and the pairs
    for review to ``review_path``)."""
    started = time.monotonic()
    settings = settings or DEFAULT_SETTINGS
    input_path, output_path = Path(input_path), Path(output_path)
    report = BatchReport(output_path=str(output_path))
    bar = _Progress(progress)
    if not input_path.is_file():
        raise FileNotFoundError(f"no such input file: {input_path}")

    # Millions of long-lived small objects: the cyclic GC would rescan them again and again while
    # they are built and joined (none of them form cycles), and after the fork it would write to every page
    # the workers share copy-on-write. Off for the whole run (at 1,000,000 records it cost seconds in the
    # clusters alone), frozen while scoring.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _match(
            input_path, output_path, settings, report, bar, workers, review_path, estimate, thorough, clusters
        )
    finally:
        gc.unfreeze()
        if gc_was_enabled:
            gc.enable()
    report.seconds = time.monotonic() - started
    return report


def _match(
    input_path, output_path, settings, report, bar, workers, review_path, estimate, thorough, clusters
) -> None:
    """match_file's phases, with the cyclic GC off."""
    clock = _PhaseClock(report.phase_cpu, report.phase_wall, report.worker_cpu)
    prepared = _read_records(input_path, report, bar)
    release_row_caches()
    report.records = len(prepared)
    clock.lap("read")

    if workers is None:
        # One process by default: at 1,000,000 records two forked workers took 1.90 GB against one process's
        # 1.34 (round 12; reference counting copies the pages of every record a worker reads), within the 2 GB
        # budget by little; their wall time is still to be measured on a quiet machine
        # (bench/results/match_file_round12_matchworkers12.txt).
        workers = 1
    parallel = workers > 1 and sys.platform != "win32"
    keys = _FileKeys(thorough)
    identifier_counts = None
    if parallel:
        _release_free_heap()
        gc.freeze()
        key_workers = _KeyWorkers(prepared, thorough, workers, extras=estimate)
        try:
            frequencies = _frequencies(prepared)
            clock.lap("frequencies")
            keys.gather(prepared, 0, key_workers.first)
            clock.lap("keys")
            key_workers.join(keys)
            if estimate:
                identifier_counts = key_workers.identifier_counts()
            clock.lap("keys wait")
        finally:
            key_workers.close()
            gc.unfreeze()
        clock.workers("keys")
        pairs = keys.pairs(prepared, report)
        del keys
        clock.lap("pairs")
    else:
        frequencies = _frequencies(prepared)
        clock.lap("frequencies")
        keys.gather(prepared, 0, len(prepared))
        clock.lap("keys")
        pairs = keys.pairs(prepared, report)
        del keys
        clock.lap("pairs")
    if estimate:
        settings, report.estimated_match_rate = estimate_settings(
            prepared, pairs, settings, frequencies, identifier_counts=identifier_counts
        )
    clock.lap("estimate")
    if parallel:
        _release_free_heap()
        gc.freeze()
        found, compared = _score_parallel(prepared, pairs, settings, frequencies, workers, bar, clock)
        gc.unfreeze()
        clock.lap("scoring wait")
        clock.workers("scoring")
    else:
        found, compared = _score_range(prepared, pairs, settings, frequencies, bar)
        clock.lap("scoring")
    bar.show("matching", len(pairs), len(pairs), force=True)
    del pairs
    bar.end()
    report.candidate_pairs = compared

    if clusters:
        found, report.implied_links = _clusters(found, prepared, settings, frequencies)
        clock.lap("clusters")
    rows, reviews = [], []
    for i, j, weight, reason in found:
        a, b = prepared[i].record_id, prepared[j].record_id
        if b < a:
            a, b = b, a
        (reviews if reason else rows).append((a, b, _probability(settings, weight), reason))
    _sort_by_ids(rows)
    _sort_by_ids(reviews)
    report.links = len(rows)
    report.reviews = len(reviews)
    _write_pairs(output_path, rows, with_reason=False)
    if review_path is not None:
        report.review_path = str(review_path)
        _write_pairs(Path(review_path), reviews, with_reason=True)
    clock.lap("write")


def _sort_by_ids(rows: list[tuple[str, str, float, str]]) -> None:
    """Sort rows by (id_a, id_b), each pair once, as sorting the tuples would: by string keys in two stable
    passes, which compare strings directly where tuples compare through their items (a quarter less CPU)."""
    rows.sort(key=itemgetter(1))
    rows.sort(key=itemgetter(0))


def _frequencies(prepared: list[PreparedRecord]) -> CountedFrequencies:
    frequencies = CountedFrequencies(own_records=2)  # as the register counts for two stored records
    frequencies.add_all(prepared)
    return frequencies


def _release_free_heap() -> None:
    """Hand the C heap's free pages back to the system before forking (glibc's malloc_trim; elsewhere
    nothing): what the earlier phases freed stays mapped otherwise. At 1,000,000 records this took two
    workers' peak from 2.04 to 1.90 GB."""
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):
        pass


class _PhaseClock:
    """CPU and wall seconds of this process spent in each phase of a run, written into two dicts as laps (wall
    beyond CPU is time off the CPU: waiting for a worker, page faults, the scheduler)."""

    def __init__(self, cpu: dict[str, float], wall: dict[str, float], workers: dict[str, float]) -> None:
        self.cpu, self.wall, self.worker_cpu = cpu, wall, workers
        self.last_cpu, self.last_wall = time.process_time(), time.perf_counter()
        self.last_workers = _reaped_workers_cpu()

    def lap(self, phase: str) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        self.cpu[phase] = self.cpu.get(phase, 0.0) + cpu - self.last_cpu
        self.wall[phase] = self.wall.get(phase, 0.0) + wall - self.last_wall
        self.last_cpu, self.last_wall = cpu, wall

    def workers(self, phase: str) -> None:
        """CPU seconds of the workers that exited (and were joined) since the last call: whether a worker's
        share of the work costs more than this process's."""
        now = _reaped_workers_cpu()
        self.worker_cpu[phase] = self.worker_cpu.get(phase, 0.0) + now - self.last_workers
        self.last_workers = now


def _reaped_workers_cpu() -> float:
    """User and system CPU seconds of this process's children that have exited and been waited for."""
    try:
        import resource
    except ImportError:  # not on Windows, which runs no workers
        return 0.0
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _write_pairs(path: Path, rows, *, with_reason: bool) -> None:
    """Write pairs to a temporary file renamed into place, so a failed run leaves no partial output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(("id_a", "id_b", "score") + (("reason",) if with_reason else ()))
            for a, b, score, reason in rows:
                writer.writerow(
                    (neutralise(a), neutralise(b), f"{score:.6f}") + ((reason,) if with_reason else ())
                )
        os.replace(tmp_name, path)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: python -m licensing.matching.batch INPUT.csv OUTPUT.csv."""
    import argparse

    parser = argparse.ArgumentParser(
        description="Find every pair of records in a CSV that are the same person."
    )
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes to use (default 1; more fork workers that share records copy-on-write)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--review", default=None, help="also write the pairs for an officer to review to this file"
    )
    parser.add_argument(
        "--thorough", action="store_true", help="also block on two names and part of the birth date"
    )
    parser.add_argument(
        "--pairs-only", action="store_true", help="write only pairs linked directly, not joined into people"
    )
    args = parser.parse_args(argv)
    try:
        report = match_file(
            args.input,
            args.output,
            progress=None if args.quiet else sys.stderr,
            workers=args.workers,
            review_path=args.review,
            thorough=args.thorough,
            clusters=not args.pairs_only,
        )
    except (BatchError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report, file=sys.stderr)
    return 0


if __name__ == "__main__":
    status = main()
    # The output files are complete and closed: skip the interpreter's teardown, which frees every cached
    # object one by one (seconds at 1,000,000 records). Only here, never inside match_file or main.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
