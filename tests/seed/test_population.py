"""Tests for the synthetic population generator and benchmark writer (seed/)."""

import csv
import hashlib
import io
import itertools
import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from seed import names as N
from seed.benchmark import (
    HARD_PAIRS_HEADER,
    RECORDS_HEADER,
    TRUTH_HEADER,
    main,
    write_benchmark,
    write_records_csv,
    write_truth_csv,
)
from seed.population import (
    AUTHORITIES,
    DEFAULT_SEED,
    HARD_CASE_KINDS,
    MATCH_KINDS,
    NON_MATCH_KINDS,
    dvla_prefix,
    dvla_surname_stem,
    generate_population,
    is_valid_ni,
)

N_DEMO = 3000
GUARANTEED_RECORDS_PER_KIND = 30
GUARANTEED_PAIRS_PER_KIND = 20


@pytest.fixture(scope="module")
def pop():
    return generate_population(N_DEMO)


def _csv_hash(population) -> str:
    buf = io.StringIO()
    write_records_csv(population, buf)
    write_truth_csv(population, buf)
    return hashlib.sha256(buf.getvalue().encode("utf-8")).hexdigest()


# -- independent checks of the DOMAIN.md identifier rules --------------------
_NI_RE = re.compile(r"^[A-Z]{2}[0-9]{6}[A-D]$")


def _ni_ok(ni: str) -> bool:
    if not _NI_RE.match(ni):
        return False
    a, b = ni[0], ni[1]
    if a in "DFIQUV" or b in "DFIQUV" or b == "O":
        return False
    return ni[:2] not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def _dvla_ok(dvla: str, surname: str, dob: date, sex: str, forenames: str) -> bool:
    if len(dvla) != 16 or not re.match(r"^[A-Z9]{5}[0-9]{6}[A-Z9]{2}[0-9][A-Z0-9]{2}$", dvla):
        return False
    letters = "".join(c for c in N.ascii_fold(surname).upper() if c.isalpha())
    if letters.startswith("MAC"):
        letters = "MC" + letters[3:]
    if dvla[:5] != (letters + "99999")[:5]:
        return False
    month = dob.month + (50 if sex == "F" else 0)
    if dvla[5:11] != f"{str(dob.year)[2]}{month:02d}{dob.day:02d}{str(dob.year)[3]}":
        return False
    initials = [N.ascii_fold(t)[0].upper() for t in forenames.split()[:2]]
    return dvla[11:13] == ("".join(initials) + "99")[:2]


# -- generation ----------------------------------------------------------------
def test_exact_record_count_and_unique_ids(pop):
    assert len(pop.records) == N_DEMO
    ids = [r.record_id for r in pop.records]
    assert len(set(ids)) == N_DEMO
    assert ids == sorted(ids)
    assert all(pop.record(i).record_id == i for i in ids[:50])
    refs = [r.authority_reference for r in pop.records]
    assert len(set(refs)) == N_DEMO
    assert all(ref.startswith(r.authority_code + "-") for ref, r in zip(refs, pop.records, strict=False))


@pytest.mark.parametrize("n", [0, 1, 7, 150])
def test_small_sizes(n):
    p = generate_population(n)
    assert len(p.records) == n
    assert sum(len(x.record_ids) for x in p.people) == n


def test_reproducible_same_seed_byte_identical():
    assert _csv_hash(generate_population(N_DEMO)) == _csv_hash(generate_population(N_DEMO))


def test_different_seed_differs():
    assert _csv_hash(generate_population(N_DEMO, seed=DEFAULT_SEED + 1)) != \
        _csv_hash(generate_population(N_DEMO))


def test_records_per_person_distribution(pop):
    sizes = Counter(len(p.record_ids) for p in pop.people)
    single_share = sizes[1] / len(pop.people)
    assert 0.55 <= single_share <= 0.70
    multi_authority = pop.multi_authority_people()
    assert len(multi_authority) >= 200  # "hundreds" at demo scale
    assert 0.15 <= len(multi_authority) / len(pop.people) <= 0.32
    # some authorities hold the same person twice
    within = 0
    for p in pop.people:
        auths = [pop.record(r).authority_code for r in p.record_ids]
        if len(auths) != len(set(auths)):
            within += 1
    assert within >= 50


def test_hard_cases_present(pop):
    counts = pop.hard_case_counts()
    assert set(counts) == set(HARD_CASE_KINDS)
    for kind in HARD_CASE_KINDS:
        assert counts[kind] >= GUARANTEED_RECORDS_PER_KIND, (kind, counts)
    pair_counts = Counter(kind for _a, _b, kind, _m in pop.hard_pairs())
    for kind in HARD_CASE_KINDS:
        assert pair_counts[kind] >= GUARANTEED_PAIRS_PER_KIND, (kind, pair_counts)


def test_hard_cases_scale_up():
    p = generate_population(12000, seed=7)
    counts = p.hard_case_counts()
    for kind in HARD_CASE_KINDS:
        assert counts[kind] >= 3 * GUARANTEED_RECORDS_PER_KIND, (kind, counts)


def test_ni_numbers_valid_and_unique(pop):
    nis = [p.national_insurance for p in pop.people]
    assert all(_ni_ok(ni) for ni in nis), [ni for ni in nis if not _ni_ok(ni)][:5]
    assert len({ni[:8] for ni in nis}) == len(nis)
    for r in pop.records:
        assert r.national_insurance in ("", pop.person(r.true_person_id).national_insurance)


def test_dvla_numbers_valid_and_consistent(pop):
    seen = {}
    for p in pop.people:
        assert _dvla_ok(p.driving_licence_number, p.surname, p.date_of_birth, p.sex, p.forenames), p
        for old_sn, old in zip(p.previous_surnames, p.previous_driving_licence_numbers, strict=False):
            assert _dvla_ok(old, old_sn, p.date_of_birth, p.sex, p.forenames)
        for d in (p.driving_licence_number,) + p.previous_driving_licence_numbers:
            assert d not in seen
            seen[d] = p.person_id
    # two people agreeing on the first 13 characters differ in the 14th
    by_head = defaultdict(set)
    for d in seen:
        by_head[d[:13]].add(d[13])
    heads = defaultdict(int)
    for d in seen:
        heads[d[:13]] += 1
    for head, n in heads.items():
        assert len(by_head[head]) == n
    for r in pop.records:
        p = pop.person(r.true_person_id)
        assert r.driving_licence_number in (("", p.driving_licence_number)
                                            + p.previous_driving_licence_numbers)


def test_identifier_helpers():
    assert dvla_surname_stem("MacDonald") == "MCDON"
    assert dvla_surname_stem("O'Brien") == "OBRIE"
    assert dvla_surname_stem("Ali") == "ALI99"
    assert dvla_surname_stem("Wiśniewska") == "WISNI"
    assert dvla_prefix("Khan", date(1975, 3, 7), "M", "Muhammad Asif") == "KHAN9703075MA"
    assert dvla_prefix("Begum", date(1981, 11, 23), "F", "Rina") == "BEGUM861231R9"
    assert is_valid_ni("AB123456C")
    for bad in ("BG123456A", "AO123456A", "DA123456A", "AB123456E", "AB12345C", "ab123456c"):
        assert not is_valid_ni(bad)


def test_name_group_mix(pop):
    groups = Counter(r.name_group for r in pop.records)
    share = groups["south_asian"] / len(pop.records)
    assert 0.72 <= share <= 0.83, groups
    # many different people called Muhammad (any spelling) Khan
    mk = {r.true_person_id for r in pop.records
          if r.forenames.split()[:1] and r.forenames.split()[0] in N.MUHAMMAD_FAMILY
          and r.surname.casefold() == "khan"}
    assert len(mk) >= 40
    drivers = [pop.person(r.true_person_id) for r in pop.records if r.role_hint == "driver"]
    male = sum(1 for p in drivers if p.sex == "M") / len(drivers)
    assert male >= 0.9
    pas = [r for r in pop.records if r.role_hint == "passenger_assistant"]
    assert sum(1 for r in pas if r.sex == "F") / len(pas) >= 0.4


def test_mahmood_is_not_muhammad():
    for name in ("Mahmood", "Mehmood", "Mahmud", "Mahmoud"):
        assert not set(N.SPELLING_VARIANTS[name]) & set(N.MUHAMMAD_FAMILY)


def test_true_pairs_consistent(pop):
    by_person = defaultdict(list)
    for r in pop.records:
        by_person[r.true_person_id].append(r.record_id)
    expected = set()
    for ids in by_person.values():
        for a, b in itertools.combinations(ids, 2):
            expected.add(frozenset((a, b)))
    assert pop.true_pairs() == expected
    for p in pop.people:
        assert sorted(p.record_ids) == sorted(by_person[p.person_id])


def test_pair_kinds(pop):
    for a, b, kind, is_match in pop.hard_pairs():
        assert pop.is_match(a, b) == is_match
        assert pop.pair_kind(a, b) == kind
        assert pop.hard_case_of(frozenset((a, b))) == kind
        if is_match:
            assert kind in MATCH_KINDS
        else:
            assert kind in NON_MATCH_KINDS


def test_hard_groups(pop):
    kinds = Counter(g.kind for g in pop.hard_groups)
    for kind in NON_MATCH_KINDS:
        assert kinds[kind] >= 8
    for g in pop.hard_groups:
        people = [pop.person(pid) for pid in g.person_ids]
        assert len({p.national_insurance for p in people}) == len(people)
        assert len({p.driving_licence_number for p in people}) == len(people)
        if g.kind == "common_name":
            assert len({(p.forenames, p.surname) for p in people}) == 1
            assert len({p.date_of_birth for p in people}) >= 2
        elif g.kind == "same_name_same_dob":
            assert len({p.surname for p in people}) == 1
            assert len({p.date_of_birth for p in people}) == 1
            shown = {pop.record(r).forenames for p in people for r in p.record_ids
                     if not pop.record(r).variations}
            assert len(shown) <= 1
        elif g.kind == "father_son":
            father, son = people
            assert father.is_father_of == son.person_id and son.father_id == father.person_id
            assert father.surname == son.surname
            assert father.addresses[0] == son.addresses[0]
            gap = (son.date_of_birth - father.date_of_birth).days / 365.25
            assert 19 <= gap <= 37


def test_variations_are_real(pop):
    for r in pop.records:
        p = pop.person(r.true_person_id)
        if "transposed_dob" in r.variations:
            d = p.date_of_birth
            assert r.date_of_birth == date(d.year, d.day, d.month) and d.day != d.month
        if "changed_surname" in r.variations:
            assert r.surname in p.previous_surnames
        if not r.variations and r.authority_code != "TVP":
            assert r.date_of_birth == p.date_of_birth
            assert r.surname == p.surname
        if r.variations == () and p.hard_case is None:
            assert r.forenames == p.forenames
    married = [p for p in pop.people if p.previous_surnames and len(p.record_ids) >= 2]
    with_alias = sum(1 for p in married for r in p.record_ids if pop.record(r).other_names)
    assert married and with_alias >= 5


def test_contact_details_are_synthetic(pop):
    pc = re.compile(r"^(HP|SL|MK)[0-9]{1,2} [0-9][ABD-HJLNP-UW-Z]{2}$")
    for r in pop.records:
        assert r.phone == "" or re.match(r"^07700 900[0-9]{3}$", r.phone)
        assert r.email == "" or re.match(r"^[a-z0-9.]+@example\.(com|org)$", r.email)
        for a in r.addresses:
            assert pc.match(a.postcode), a.postcode
        froms = [a.from_date for a in r.addresses]
        assert froms == sorted(froms, reverse=True)
        assert r.authority_code in AUTHORITIES


def test_role_hint_matches_authority(pop):
    for r in pop.records:
        if r.authority_code == "TVP":
            assert r.role_hint == "police_subject"
        elif r.authority_code == "BCC-CT":
            assert r.role_hint in ("driver", "passenger_assistant")
        else:
            assert r.role_hint == "driver"


def test_missing_identifiers_share(pop):
    blank = sum(1 for r in pop.records if not r.national_insurance or not r.driving_licence_number)
    assert 0.06 <= blank / len(pop.records) <= 0.15


def test_seed_package_does_not_import_licensing():
    import pathlib
    for f in pathlib.Path(N.__file__).parent.glob("*.py"):
        assert "licensing" not in re.findall(r"^\s*(?:from|import)\s+(\S+)", f.read_text(), re.M)


# -- benchmark files -----------------------------------------------------------
def test_benchmark_files(pop, tmp_path):
    paths = write_benchmark(pop, tmp_path / "bench")
    for path, header in ((paths.records, RECORDS_HEADER), (paths.truth, TRUTH_HEADER),
                         (paths.hard_pairs, HARD_PAIRS_HEADER)):
        raw = path.read_bytes()
        assert b"\r\n" not in raw
        assert raw.decode("utf-8").split("\n", 1)[0] == ",".join(header)
    with open(paths.records, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(pop.records)
    messy = 0
    for row, rec in zip(rows, pop.records, strict=False):
        assert row["record_id"] == rec.record_id
        assert row["source"] == rec.authority_code
        assert row["driving_licence_number"] == rec.driving_licence_number
        if row["date_of_birth"] != rec.date_of_birth.isoformat() or \
                row["national_insurance"] != rec.national_insurance:
            messy += 1
        if not rec.national_insurance:
            assert row["national_insurance"] == ""
    assert 1 <= messy <= 0.02 * len(rows)
    with open(paths.truth, encoding="utf-8", newline="") as fh:
        truth = list(csv.DictReader(fh))
    assert [(t["record_id"], t["person_id"]) for t in truth] == \
        [(r.record_id, r.true_person_id) for r in pop.records]
    with open(paths.hard_pairs, encoding="utf-8", newline="") as fh:
        pairs = list(csv.DictReader(fh))
    person_of = {t["record_id"]: t["person_id"] for t in truth}
    kinds = Counter()
    for p in pairs:
        assert p["is_match"] in ("0", "1")
        assert (person_of[p["id_a"]] == person_of[p["id_b"]]) == (p["is_match"] == "1")
        kinds[p["kind"]] += 1
    assert set(kinds) == set(HARD_CASE_KINDS)


def test_benchmark_cli_reproducible(tmp_path, capsys):
    for d in ("a", "b"):
        assert main(["--records", "500", "--out", str(tmp_path / d), "--seed", "20261122"]) == 0
    capsys.readouterr()
    for name in ("records.csv", "truth.csv", "hard_pairs.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
