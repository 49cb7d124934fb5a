"""Synthetic population of taxi drivers, badge holders and police subjects.

Pure Python and standard library only: no Flask, no database, and nothing from
``licensing``.  ``generate_population(n_records, seed)`` builds people (the
ground truth) and the records that four district councils, the county
client-transport team and the police hold about them, with realistic variation
between one person's records and labelled hard cases for benchmarking the
matching engine.

Every name is a random combination of entries from ``seed.names``; NI numbers
are random valid-format numbers, phone numbers come from the Ofcom drama range
(07700 900000-900999) and e-mail addresses are at example.com / example.org.

The same seed gives byte-identical output.  Generation is light enough for a
million records in well under a minute.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from seed import names as N

DEFAULT_SEED = 20261122
REFERENCE_DATE = date(2026, 11, 22)  # "today" for ages and address dates

DISTRICTS = ("AVDC", "CDC", "SBDC", "WDC")
COUNTY_TRANSPORT = "BCC-CT"
POLICE = "TVP"
AUTHORITIES = DISTRICTS + (COUNTY_TRANSPORT, POLICE)

ROLES = ("driver", "passenger_assistant", "police_subject")
NAME_GROUPS = ("south_asian", "other")
NAME_ORIGINS = {
    "pakistani": "south_asian", "sikh": "south_asian", "hindu": "south_asian",
    "bangladeshi": "south_asian", "white_british": "other", "eastern_european": "other",
    "somali": "other", "afghan": "other",
}

# Hard cases.  Non-matching kinds are about DIFFERENT people who look alike;
# matching kinds are variations between records of the SAME person.
NON_MATCH_KINDS = ("common_name", "same_name_same_dob", "father_son")
MATCH_KINDS = ("changed_surname", "name_order_swap", "transliteration", "transposed_dob", "typo")
_MATCH_KIND_RANK = {k: i for i, k in enumerate(MATCH_KINDS)}
HARD_CASE_KINDS = ("common_name", "same_name_same_dob", "father_son", "name_order_swap",
                   "transliteration", "changed_surname", "transposed_dob", "typo")

# Variation name (as listed in SyntheticRecord.variations) -> hard-case kind.
VARIATION_KIND = {
    "transliteration": "transliteration",
    "compound_form": "transliteration",
    "name_typo": "typo",
    "dob_typo": "typo",
    "transposed_dob": "transposed_dob",
    "name_order_swap": "name_order_swap",
    "changed_surname": "changed_surname",
}
# Other variation names that may appear: middle_name, title, diminutive,
# address_change, junior_suffix, senior_suffix.

# ---------------------------------------------------------------------------
# Identifiers: NI number and DVLA driving licence number
# ---------------------------------------------------------------------------
_NI_BAD_LETTERS = set("DFIQUV")
_NI_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
VALID_NI_PREFIXES = tuple(
    a + b
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if a not in _NI_BAD_LETTERS and b not in _NI_BAD_LETTERS and b != "O"
    and (a + b) not in _NI_BAD_PREFIXES
)


def is_valid_ni(ni: str) -> bool:
    """Format check per DOMAIN.md: two letters, six digits, suffix A-D."""
    return (
        len(ni) == 9
        and ni[:2] in _VALID_NI_PREFIX_SET
        and ni[2:8].isdigit()
        and ni[2:8].isascii()
        and ni[8] in "ABCD"
    )


_VALID_NI_PREFIX_SET = frozenset(VALID_NI_PREFIXES)

_STEM_CACHE: dict = {}


def dvla_surname_stem(surname: str) -> str:
    """First five letters of the surname, MAC written MC, padded with 9."""
    stem = _STEM_CACHE.get(surname)
    if stem is None:
        letters = "".join(ch for ch in N.ascii_fold(surname).upper() if "A" <= ch <= "Z")
        if letters.startswith("MAC"):
            letters = "MC" + letters[3:]
        stem = (letters[:5] + "99999")[:5]
        _STEM_CACHE[surname] = stem
    return stem


_INITIAL_CACHE: dict = {}


def _initial(token: str) -> str:
    v = _INITIAL_CACHE.get(token)
    if v is None:
        letters = [ch for ch in N.ascii_fold(token).upper() if "A" <= ch <= "Z"]
        v = letters[0] if letters else "9"
        _INITIAL_CACHE[token] = v
    return v


def dvla_initials(forenames: str) -> str:
    """Initials of the first two forenames, padded with 9."""
    parts = forenames.split()[:2]
    return (''.join(_initial(p) for p in parts) + "99")[:2]


def dvla_prefix(surname: str, dob: date, sex: str, forenames: str) -> str:
    """The first 13 characters of a DVLA number (surname, DOB/sex, initials)."""
    month = dob.month + (50 if sex == "F" else 0)
    return (f"{dvla_surname_stem(surname)}{(dob.year // 10) % 10}{month:02d}"
            f"{dob.day:02d}{dob.year % 10}{dvla_initials(forenames)}")


# ---------------------------------------------------------------------------
# Data classes
# ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    town: str
    postcode: str
    from_date: date


@dataclass(frozen=True, slots=True)
class SyntheticRecord:
    record_id: str
    authority_code: str
    true_person_id: str
    name_group: str
    hard_case: str | None
    forenames: str
    surname: str
    other_names: tuple
    date_of_birth: date
    sex: str
    addresses: tuple  # of Address, most recent first
    phone: str
    email: str
    driving_licence_number: str
    national_insurance: str
    authority_reference: str
    role_hint: str
    variations: tuple = ()  # names of the variations applied (see VARIATION_KIND)


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    person_id: str
    name_group: str
    name_origin: str
    forenames: str
    surname: str
    date_of_birth: date
    sex: str
    national_insurance: str
    driving_licence_number: str
    addresses: tuple
    phone: str
    email: str
    role: str
    record_ids: tuple
    previous_surnames: tuple = ()
    previous_driving_licence_numbers: tuple = ()
    hard_case: str | None = None
    hard_group: str | None = None
    is_father_of: str = ""
    father_id: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.forenames} {self.surname}"


@dataclass(frozen=True, slots=True)
class HardGroup:
    """Different people who are hard to tell apart (a non-matching hard case)."""
    group_id: str
    kind: str
    person_ids: tuple


# ---------------------------------------------------------------------------
# Population
# ---------------------------------------------------------------------------
def _record_kinds(record: SyntheticRecord) -> set:
    return {VARIATION_KIND[v] for v in record.variations if v in VARIATION_KIND}


class Population:
    """People (truth), records, and ground-truth helpers."""

    def __init__(self, people, records, hard_groups, seed, id_width):
        self.people: tuple = tuple(people)
        self.records: list = records  # sorted by record_id
        self.hard_groups: tuple = tuple(hard_groups)
        self.seed: int = seed
        self._id_width = id_width
        self._group_index = None

    # -- look-ups (ids are positional, so no index dicts are needed) --
    def record(self, record_id: str) -> SyntheticRecord:
        rec = self.records[int(record_id[1:]) - 1]
        if rec.record_id != record_id:
            raise KeyError(record_id)
        return rec

    def person(self, person_id: str) -> SyntheticPerson:
        p = self.people[int(person_id[1:]) - 1]
        if p.person_id != person_id:
            raise KeyError(person_id)
        return p

    def records_of(self, person_id: str) -> tuple:
        return tuple(self.record(r) for r in self.person(person_id).record_ids)

    def group(self, group_id: str) -> HardGroup:
        if self._group_index is None:
            self._group_index = {g.group_id: g for g in self.hard_groups}
        return self._group_index[group_id]

    # -- ground truth --
    def true_pairs(self) -> set:
        """All pairs of records of the same person, as frozensets of ids."""
        pairs = set()
        add = pairs.add
        for p in self.people:
            ids = p.record_ids
            n = len(ids)
            if n < 2:
                continue
            for i in range(n - 1):
                a = ids[i]
                for j in range(i + 1, n):
                    add(frozenset((a, ids[j])))
        return pairs

    def is_match(self, a_id: str, b_id: str) -> bool:
        return self.record(a_id).true_person_id == self.record(b_id).true_person_id

    def pair_kind(self, a_id: str, b_id: str) -> str | None:
        """Hard-case kind that makes this pair hard, or None.

        Same person: the hardest variation between the two records (a changed
        surname counts only when one record has the old name and the other not).
        Different people: the kind of the hard group they were made in, or
        same_name_same_dob / common_name when they happen to share a name.
        """
        ra, rb = self.record(a_id), self.record(b_id)
        if ra.true_person_id == rb.true_person_id:
            ka, kb = _record_kinds(ra), _record_kinds(rb)
            kinds = ka | kb
            if "changed_surname" in ka and "changed_surname" in kb:
                kinds.discard("changed_surname")
            for kind in MATCH_KINDS:
                if kind in kinds:
                    return kind
            return None
        pa, pb = self.person(ra.true_person_id), self.person(rb.true_person_id)
        if pa.hard_group is not None and pa.hard_group == pb.hard_group:
            return pa.hard_case
        if (pa.forenames.casefold() == pb.forenames.casefold()
                and pa.surname.casefold() == pb.surname.casefold()):
            return "same_name_same_dob" if pa.date_of_birth == pb.date_of_birth else "common_name"
        return None

    def hard_case_of(self, pair: Iterable[str]) -> str | None:
        a, b = tuple(pair)
        return self.pair_kind(a, b)

    def hard_pairs(self):
        """Labelled hard pairs: (id_a, id_b, kind, is_match), sorted.

        Non-matching: every cross-person record pair inside each hard group.
        Matching: every true pair whose pair_kind is not None.
        """
        out = []
        for g in self.hard_groups:
            recs = [self.person(pid).record_ids for pid in g.person_ids]
            for i in range(len(recs) - 1):
                for j in range(i + 1, len(recs)):
                    for a in recs[i]:
                        for b in recs[j]:
                            x, y = (a, b) if a < b else (b, a)
                            out.append((x, y, g.kind, False))
        for p in self.people:
            ids = p.record_ids
            if len(ids) < 2:
                continue
            for i in range(len(ids) - 1):
                for j in range(i + 1, len(ids)):
                    kind = self.pair_kind(ids[i], ids[j])
                    if kind is not None:
                        x, y = (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i])
                        out.append((x, y, kind, True))
        out.sort()
        return out

    # -- summaries --
    def hard_case_counts(self) -> dict:
        """Records per hard_case label."""
        counts = {k: 0 for k in HARD_CASE_KINDS}
        for r in self.records:
            if r.hard_case is not None:
                counts[r.hard_case] += 1
        return counts

    def multi_authority_people(self) -> list:
        out = []
        for p in self.people:
            if len(p.record_ids) > 1:
                auths = {self.record(r).authority_code for r in p.record_ids}
                if len(auths) > 1:
                    out.append(p)
        return out

    def summary(self) -> dict:
        sizes = {}
        for p in self.people:
            sizes[len(p.record_ids)] = sizes.get(len(p.record_ids), 0) + 1
        groups = {}
        for r in self.records:
            groups[r.name_group] = groups.get(r.name_group, 0) + 1
        pair_counts = {}
        for _a, _b, kind, match in self.hard_pairs():
            key = f"{kind}:{'match' if match else 'non_match'}"
            pair_counts[key] = pair_counts.get(key, 0) + 1
        return {
            "records": len(self.records),
            "people": len(self.people),
            "records_per_person": dict(sorted(sizes.items())),
            "multi_authority_people": len(self.multi_authority_people()),
            "name_groups": groups,
            "hard_case_records": self.hard_case_counts(),
            "hard_pairs": dict(sorted(pair_counts.items())),
        }


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------
_SUBGROUPS = N.expand([
    ("pakistani", 60), ("sikh", 6), ("hindu", 6), ("bangladeshi", 5),
    ("white_british", 13), ("eastern_european", 6), ("somali", 2), ("afghan", 2),
])
_HOME_DISTRICTS = N.expand([("WDC", 38), ("AVDC", 30), ("SBDC", 17), ("CDC", 15)])
_RECORDS_PER_PERSON = N.expand([(1, 680), (2, 220), (3, 70), (4, 22), (5, 8)])
_FOLD_CACHE: dict = {}
_YEAR_START: dict = {y: date(y, 1, 1).toordinal() for y in range(1900, 2100)}
_MUSLIM_ORIGINS = ("pakistani", "bangladeshi", "afghan", "somali")
# Weighted menu of variations for a record after a person's first.
_VARIATION_MENU = N.expand([
    ("transliteration", 22), ("name_typo", 11), ("name_order_swap", 7), ("middle_name", 14),
    ("title", 5), ("compound_form", 6), ("diminutive", 7), ("transposed_dob", 4),
    ("dob_typo", 4),
])
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_PHONES = tuple(f"07700 900{i:03d}" for i in range(1000))  # Ofcom drama range


def _fold_lower(name: str) -> str:
    v = _FOLD_CACHE.get(name)
    if v is None:
        v = "".join(ch for ch in N.ascii_fold(name).lower() if ch.isalnum())
        _FOLD_CACHE[name] = v
    return v


def _scaled(n_records: int, per_3000: float) -> int:
    x = per_3000 * n_records / 3000.0
    if n_records >= 200:
        return max(1, int(round(x)))
    return int(x)


class _Builder:
    def __init__(self, n_records: int, seed: int):
        if n_records < 0:
            raise ValueError("n_records must be >= 0")
        self.n = n_records
        self.seed = seed
        rng = random.Random(seed)
        self.rng = rng
        self.rnd = rng.random
        self.remaining = n_records
        self.width = max(7, len(str(n_records)))
        # Shuffled positions so record ids say nothing about who is who.
        positions = list(range(n_records))
        rng.shuffle(positions)
        self.positions = positions
        self.k = 0  # records made so far
        self.out = [None] * n_records
        # Authority reference numbers: affine permutation of the position.
        self.ref_mod = 10 ** max(6, len(str(n_records)))
        self.ref_mul = self._coprime(self.ref_mod)
        self.ref_add = int(self.rnd() * self.ref_mod)
        self.ni_mod = len(VALID_NI_PREFIXES) * 1_000_000
        self.ni_seen: set = set()
        self.people = []
        self.groups = []
        self.dvla_seen: dict = {}

    def _coprime(self, mod: int) -> int:
        while True:
            a = int(mod * (0.3 + 0.4 * self.rnd())) | 1
            if math.gcd(a, mod) == 1:
                return a

    def pick(self, seq):
        return seq[int(self.rnd() * len(seq))]

    # -- identifiers --
    def new_ni(self) -> str:
        # Random draw; the set of ints (dropped after the build) keeps it unique.
        seen = self.ni_seen
        mod = self.ni_mod
        rnd = self.rnd
        idx = int(rnd() * mod)
        while idx in seen:
            idx = int(rnd() * mod)
        seen.add(idx)
        prefix = VALID_NI_PREFIXES[idx // 1_000_000]
        return f"{prefix}{idx % 1_000_000:06d}{'ABCD'[int(self.rnd() * 4)]}"

    def new_dvla(self, surname, dob, sex, forenames) -> str:
        head = dvla_prefix(surname, dob, sex, forenames)
        used = self.dvla_seen.get(head, 0)
        self.dvla_seen[head] = used + 1
        digit = "9876543210"[used % 10]
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        rnd = self.rnd
        return head + digit + chars[int(rnd() * 36)] + chars[int(rnd() * 36)]

    # -- attributes --
    def dob_for_age_range(self, lo: int, hi: int) -> date:
        rnd = self.rnd
        age = lo + int((rnd() + rnd()) * 0.5 * (hi - lo + 1))
        year = REFERENCE_DATE.year - 1 - age
        days = 366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365
        return date.fromordinal(_YEAR_START[year] + int(rnd() * days))

    def names(self, origin: str, sex: str):
        """Canonical forename tokens (list) and surname for a new person."""
        rnd, pick = self.rnd, self.pick
        if origin == "pakistani":
            if sex == "M":
                r = rnd()
                if r < 0.36:
                    fn = [pick(N.MUHAMMAD_CANONICAL), pick(N.PAK_MALE_GIVEN)]
                elif r < 0.46:
                    fn = [pick(N.MUHAMMAD_CANONICAL)]
                elif r < 0.54:
                    a, b = pick(N.PAK_COMPOUNDS)
                    r2 = rnd()
                    fn = [a, b] if r2 < 0.7 else ([f"{a}-{b}"] if r2 < 0.9 else [a + b.lower()])
                elif r < 0.64:
                    fn = [pick(N.PAK_MALE_GIVEN), pick(N.FAMILY_MIDDLE_NAMES)]
                else:
                    fn = [pick(N.PAK_MALE_GIVEN)]
                sn = pick(N.PAK_SURNAMES)
                if len(fn) == 2 and fn[1] == sn:
                    fn.pop()
            else:
                fn = [pick(N.PAK_FEMALE_GIVEN)]
                if rnd() < 0.2:
                    fn.append(pick(N.PAK_FEMALE_SECOND))
                sn = pick(N.PAK_SURNAMES) if rnd() < 0.7 else pick(N.PAK_FEMALE_SURNAMES_EXTRA)
                if fn[-1] == sn and len(fn) > 1:
                    fn.pop()
            return fn, sn
        if origin == "white_british":
            if sex == "M":
                fn = [pick(N.WHITE_MALE_GIVEN)]
                if rnd() < 0.25:
                    fn.append(pick(N.WHITE_MALE_GIVEN))
            else:
                fn = [pick(N.WHITE_FEMALE_GIVEN)]
                if rnd() < 0.25:
                    fn.append(pick(N.WHITE_FEMALE_GIVEN))
            if len(fn) == 2 and fn[0] == fn[1]:
                fn.pop()
            return fn, pick(N.WHITE_SURNAMES)
        if origin == "sikh":
            given = pick(N.SIKH_MALE_GIVEN if sex == "M" else N.SIKH_FEMALE_GIVEN)
            faith = "Singh" if sex == "M" else "Kaur"
            if rnd() < 0.6:
                return [given], faith
            return [given, faith], pick(N.SIKH_FAMILY_SURNAMES)
        if origin == "hindu":
            if sex == "M":
                fn = [pick(N.HINDU_MALE_GIVEN)]
                if rnd() < 0.2:
                    fn.append(pick(N.HINDU_MIDDLE))
            else:
                fn = [pick(N.HINDU_FEMALE_GIVEN)]
            return fn, pick(N.HINDU_SURNAMES)
        if origin == "bangladeshi":
            if sex == "M":
                r = rnd()
                given = pick(N.BANGLA_MALE_GIVEN)
                if r < 0.3:
                    fn = [pick(N.MUHAMMAD_CANONICAL), given]
                else:
                    fn = [given]
                if fn[-1] == "Abdul":
                    fn.append(pick(("Karim", "Malik", "Hai", "Latif")))
                return fn, pick(N.BANGLA_SURNAMES)
            fn = [pick(N.BANGLA_FEMALE_GIVEN)]
            sn = pick(N.BANGLA_FEMALE_SURNAMES) if rnd() < 0.6 else pick(N.BANGLA_SURNAMES)
            return fn, sn
        if origin == "eastern_european":
            masc, fem = pick(N.EE_SURNAMES)
            if sex == "M":
                return [pick(N.EE_MALE_GIVEN)], masc
            return [pick(N.EE_FEMALE_GIVEN)], fem
        if origin == "somali":
            if sex == "M":
                fn = [pick(N.SOMALI_MALE_GIVEN), pick(N.SOMALI_SURNAMES)]
            else:
                fn = [pick(N.SOMALI_FEMALE_GIVEN), pick(N.SOMALI_SURNAMES)]
            sn = pick(N.SOMALI_SURNAMES)
            if fn[1] == fn[0] or fn[1] == sn:
                fn.pop()
            return fn, sn
        # afghan
        if sex == "M":
            fn = [pick(N.AFGHAN_MALE_GIVEN)]
        else:
            fn = [pick(N.AFGHAN_FEMALE_GIVEN)]
        return fn, pick(N.AFGHAN_SURNAMES)

    def married_surname(self, origin: str, current: str) -> str:
        pick = self.pick
        for _ in range(5):
            if origin in ("pakistani",):
                sn = pick(N.PAK_SURNAMES)
            elif origin == "sikh":
                sn = pick(N.SIKH_FAMILY_SURNAMES)
            elif origin == "hindu":
                sn = pick(N.HINDU_SURNAMES)
            elif origin == "bangladeshi":
                sn = pick(N.BANGLA_SURNAMES)
            elif origin == "eastern_european":
                sn = pick(N.EE_SURNAMES)[1] if self.rnd() < 0.6 else pick(N.WHITE_SURNAMES)
            elif origin == "somali":
                sn = pick(N.SOMALI_SURNAMES)
            elif origin == "afghan":
                sn = pick(N.AFGHAN_SURNAMES)
            else:
                sn = pick(N.WHITE_SURNAMES)
            if sn != current:
                return sn
        return "Smith" if current != "Smith" else "Jones"

    def address(self, district: str, not_before: int, newest: int) -> Address:
        rnd, pick = self.rnd, self.pick
        if rnd() < 0.78:
            town, outs = pick(N.DISTRICT_TOWNS[district])
        else:
            town, outs = pick(N.OUT_OF_AREA_TOWNS)
        letters = N.POSTCODE_UNIT_LETTERS
        postcode = (f"{pick(outs)} {int(rnd() * 10)}"
                    f"{letters[int(rnd() * 20)]}{letters[int(rnd() * 20)]}")
        line1 = f"{1 + int(rnd() * rnd() * 240)} {pick(N.STREET_WORDS)} {pick(N.STREET_SUFFIXES)}"
        start = newest - int(rnd() * 2900)
        if start < not_before:
            start = not_before
        return Address(line1, town, postcode, date.fromordinal(start))

    def address_history(self, district: str, dob: date) -> tuple:
        rnd = self.rnd
        r = rnd()
        count = 1 if r < 0.55 else (2 if r < 0.85 else 3)
        adult = dob.toordinal() + 6575  # about 18 years
        newest = REFERENCE_DATE.toordinal() - 30
        out = []
        for _ in range(count):
            a = self.address(district if rnd() < 0.8 else self.pick(DISTRICTS), adult, newest)
            out.append(a)
            newest = a.from_date.toordinal() - 200
            if newest <= adult:
                break
        return tuple(out)

    def contact(self, fn, sn):
        rnd = self.rnd
        phone = _PHONES[int(rnd() * 1000)]
        local = f"{_fold_lower(fn[0])}.{_fold_lower(sn)}"
        if rnd() < 0.6:
            local += str(1 + int(rnd() * 98))
        email = local + ("@example.com" if rnd() < 0.7 else "@example.org")
        return phone, email

    def authorities_for(self, role: str, home: str, n_rec: int) -> list:
        rnd, pick = self.rnd, self.pick
        if role == "driver":
            auths = [home]
        elif role == "passenger_assistant":
            auths = [COUNTY_TRANSPORT]
        else:
            auths = [POLICE]
        for _ in range(n_rec - 1):
            if rnd() < 0.33:
                auths.append(pick(auths))  # the same authority holds the person twice
                continue
            r = rnd()
            if role == "driver":
                if r < 0.45:
                    a = COUNTY_TRANSPORT
                elif r < 0.70:
                    a = POLICE
                else:
                    a = pick(DISTRICTS)
                    if a == home:
                        a = DISTRICTS[(DISTRICTS.index(home) + 1 + int(rnd() * 3)) % 4]
            elif role == "passenger_assistant":
                a = POLICE if r < 0.5 else (home if r < 0.8 else COUNTY_TRANSPORT)
            else:
                a = home if r < 0.65 else (COUNTY_TRANSPORT if r < 0.9 else POLICE)
            auths.append(a)
        return auths

    # -- variations (each returns True if it changed something) --
    def v_transliteration(self, st) -> bool:
        fn, sn = st["fn"], st["sn"]
        cands = [i for i, t in enumerate(fn) if t in N.SPELLING_VARIANTS]
        sn_ok = sn in N.SPELLING_VARIANTS
        if not cands and not sn_ok:
            return False
        n = len(cands) + (1 if sn_ok else 0)
        i = int(self.rnd() * n)
        if i < len(cands):
            j = cands[i]
            tok = fn[j]
            if tok in N.MUHAMMAD_FAMILY:
                for _ in range(4):
                    alt = self.pick(N.MUHAMMAD_RECORD_VARIANTS)
                    if alt != tok:
                        break
                else:
                    alt = self.pick(N.SPELLING_VARIANTS[tok])
            else:
                alt = self.pick(N.SPELLING_VARIANTS[tok])
            fn[j] = alt
        else:
            st["sn"] = self.pick(N.SPELLING_VARIANTS[sn])
        return True

    def v_compound_form(self, st) -> bool:
        fn = st["fn"]
        for i, t in enumerate(fn):
            if t in N.COMPOUND_PREFIXES and i + 1 < len(fn):
                nxt = fn[i + 1]
                fn[i:i + 2] = [f"{t}-{nxt}" if self.rnd() < 0.5 else t + nxt.lower()]
                return True
            for p in N.COMPOUND_PREFIXES:
                if t.startswith(p) and len(t) > len(p) + 1:
                    rest = t[len(p):].lstrip("-")
                    rest = rest[0].upper() + rest[1:]
                    if "-" in t and self.rnd() < 0.4:
                        fn[i] = p + rest.lower()
                    else:
                        fn[i:i + 1] = [p, rest]
                    return True
        return False

    def v_name_typo(self, st) -> bool:
        rnd = self.rnd
        fn = st["fn"]
        use_sn = rnd() < 0.5
        if use_sn:
            word = st["sn"]
        else:
            j = int(rnd() * len(fn))
            word = fn[j]
        n = len(word)
        if n < 4 or not word.isalpha():
            return False
        i = 1 + int(rnd() * (n - 1))
        op = rnd()
        if op < 0.35:
            c = _LOWER[int(rnd() * 26)]
            if c == word[i].lower():
                c = "e" if c != "e" else "a"
            new = word[:i] + c + word[i + 1:]
        elif op < 0.6:
            new = word[:i] + word[i + 1:]
        elif op < 0.85 and i < n - 1 and word[i] != word[i + 1]:
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            new = word[:i] + word[i] + word[i:]
        if new == word:
            return False
        if use_sn:
            st["sn"] = new
        else:
            fn[j] = new
        return True

    def v_name_order_swap(self, st) -> bool:
        fn = st["fn"]
        if len(fn) >= 2 and self.rnd() < 0.35:
            fn.append(fn.pop(0))
            return True
        sn = st["sn"]
        st["fn"] = sn.split()
        st["sn"] = " ".join(fn)
        return True

    def v_middle_name(self, st) -> bool:
        fn = st["fn"]
        origin = st["origin"]
        if len(fn) >= 2:
            if fn[0] in N.COMPOUND_PREFIXES and len(fn) == 2:
                return False
            if fn[0] in N.MUHAMMAD_FAMILY:
                fn.pop(0)
            else:
                fn.pop()
            return True
        if st["sex"] != "M":
            return False
        if origin in _MUSLIM_ORIGINS:
            if self.rnd() < 0.5 and fn[0] not in N.MUHAMMAD_FAMILY:
                fn.insert(0, self.pick(N.MUHAMMAD_RECORD_VARIANTS))
            else:
                extra = self.pick(N.FAMILY_MIDDLE_NAMES)
                if extra == st["sn"] or extra == fn[0]:
                    return False
                fn.append(extra)
            return True
        if origin == "white_british":
            extra = self.pick(N.WHITE_MALE_GIVEN)
            if extra == fn[0]:
                return False
            fn.append(extra)
            return True
        return False

    def v_title(self, st) -> bool:
        if st["origin"] not in ("pakistani", "bangladeshi", "afghan") or st["sex"] != "M":
            return False
        title = self.pick(N.TITLES)
        fn = st["fn"]
        if title == st["sn"] or title in fn:
            return False
        if self.rnd() < 0.8:
            fn.insert(0, title)
        else:
            fn.append(title)
        return True

    def v_diminutive(self, st) -> bool:
        fn = st["fn"]
        alts = N.DIMINUTIVES.get(fn[0]) if fn else None
        if not alts:
            return False
        fn[0] = self.pick(alts)
        return True

    def v_transposed_dob(self, st) -> bool:
        d = st["dob"]
        if d.day > 12 or d.day == d.month:
            return False
        st["dob"] = date(d.year, d.day, d.month)
        return True

    def v_dob_typo(self, st) -> bool:
        d = st["dob"]
        rnd = self.rnd
        for _ in range(4):
            if rnd() < 0.45:
                digit = int(rnd() * 10)
                year = d.year - d.year % 10 + digit
                if year == d.year:
                    continue
                try:
                    st["dob"] = date(year, d.month, d.day)
                except ValueError:
                    continue
                return True
            day = d.day
            if rnd() < 0.7 or day < 10:
                new_day = (day // 10) * 10 + int(rnd() * 10)
            else:
                new_day = int(rnd() * 4) * 10 + day % 10
            if new_day == day or new_day < 1:
                continue
            try:
                st["dob"] = date(d.year, d.month, new_day)
            except ValueError:
                continue
            return True
        return False

    def apply_forced(self, kind: str, st) -> str | None:
        """Apply the hard variation a forced person needs; returns its name."""
        if kind == "typo":
            order = ("name_typo", "dob_typo") if self.rnd() < 0.8 else ("dob_typo", "name_typo")
        elif kind == "transliteration":
            order = ("transliteration", "compound_form", "name_typo")
        else:
            order = (kind, "name_typo")
        for v in order:
            for _ in range(3):
                if getattr(self, "v_" + v)(st):
                    return v
        return None

    # -- people and records --
    def make_person(self, *, origin=None, sex=None, role=None, fn=None, sn=None,
                    display_fn=None, dob=None, n_rec=None, home=None, addresses=None,
                    forced=None, married=None, hard_case=None, hard_group=None,
                    is_father_of="", father_id="", junior=0.0, senior=0.0,
                    max_variations=2):
        """Make one person and their records.  Returns the person or None."""
        if self.remaining <= 0:
            return None
        rnd, pick = self.rnd, self.pick
        pindex = len(self.people)
        person_id = f"P{pindex + 1:0{self.width}d}"
        if role is None:
            r = rnd()
            role = "driver" if r < 0.84 else ("passenger_assistant" if r < 0.95 else "police_subject")
        if sex is None:
            female_share = {"driver": 0.04, "passenger_assistant": 0.65}.get(role, 0.08)
            sex = "F" if rnd() < female_share else "M"
        if origin is None:
            origin = pick(_SUBGROUPS)
        name_group = NAME_ORIGINS[origin]
        if fn is None:
            fn, sn = self.names(origin, sex)
        fn = list(fn)
        if dob is None:
            dob = self.dob_for_age_range(21, 70)
        maiden = None
        if married is None:
            married = sex == "F" and rnd() < 0.35
        if married:
            maiden = sn
            sn = self.married_surname(origin, maiden)
        forenames = " ".join(fn)
        ni = self.new_ni()
        dvla = self.new_dvla(sn, dob, sex, forenames)
        old_dvla = self.new_dvla(maiden, dob, sex, forenames) if maiden else ""
        if home is None:
            home = pick(_HOME_DISTRICTS)
        if addresses is None:
            addresses = self.address_history(home, dob)
        phone, email = self.contact(fn, sn)
        if n_rec is None:
            n_rec = pick(_RECORDS_PER_PERSON)
        if n_rec > self.remaining:
            n_rec = self.remaining
        auths = self.authorities_for(role, home, n_rec)
        base_fn = list(display_fn) if display_fn is not None else fn

        # Which record (if any) carries the old surname.
        maiden_record = -1
        if maiden and n_rec >= 2 and (forced == "changed_surname" or rnd() < 0.5):
            maiden_record = 0
        first_view = addresses
        if len(addresses) >= 2 and n_rec >= 2 and rnd() < 0.6:
            first_view = addresses[1:]

        record_ids = []
        out = self.out
        positions = self.positions
        width = self.width
        ref_mod, ref_mul, ref_add = self.ref_mod, self.ref_mul, self.ref_add
        menu = _VARIATION_MENU
        person_hard = forced if forced is not None else hard_case
        for k in range(n_rec):
            st = {"fn": list(base_fn), "sn": sn, "dob": dob, "origin": origin, "sex": sex}
            variations = []
            view = addresses
            rec_dvla = dvla
            other = ()
            if k == maiden_record:
                st["sn"] = maiden
                rec_dvla = old_dvla
                variations.append("changed_surname")
            elif maiden and rnd() < 0.5:
                other = (f"{forenames} {maiden}",)
            if k == 0:
                view = first_view
            else:
                if len(addresses) >= 2 and rnd() < 0.3:
                    view = addresses[:1]
                if view[0] is not first_view[0]:
                    variations.append("address_change")
                if forced is not None and k == 1 and forced != "changed_surname":
                    applied = self.apply_forced(forced, st)
                    if applied:
                        variations.append(applied)
                    n_var = 1 if rnd() < 0.25 else 0
                else:
                    r = rnd()
                    n_var = 0 if r < 0.35 else (1 if r < 0.8 else 2)
                    if n_var > max_variations:
                        n_var = max_variations
                chosen = []
                tries = 0
                while len(chosen) < n_var and tries < 6:
                    tries += 1
                    v = pick(menu)
                    if v in chosen or v in variations:
                        continue
                    if forced is not None and VARIATION_KIND.get(v):
                        continue  # keep forced records to their one hard variation
                    chosen.append(v)
                # name order swap last, so it swaps the already-varied name
                if "name_order_swap" in chosen:
                    chosen.remove("name_order_swap")
                    chosen.append("name_order_swap")
                for v in chosen:
                    if getattr(self, "v_" + v)(st):
                        variations.append(v)
            fn_list = st["fn"]
            if junior and rnd() < junior:
                fn_list = fn_list + ["Jr"]
                variations.append("junior_suffix")
            elif senior and rnd() < senior:
                fn_list = fn_list + ["Snr"]
                variations.append("senior_suffix")
            rec_fn = " ".join(fn_list)
            rec_sn = st["sn"]
            auth = auths[k]
            if auth == POLICE:
                role_hint = "police_subject"
                kind_code = "P"
                if rnd() < 0.6:
                    rec_sn = rec_sn.upper()
                # police aliases (men only, so a woman's other_names are always former names)
                if sex == "M" and rnd() < 0.25 and not other:
                    alias_fn = list(base_fn)
                    if alias_fn[0] in N.SPELLING_VARIANTS:
                        alias_fn[0] = pick(N.SPELLING_VARIANTS[alias_fn[0]])
                        other = (f"{' '.join(alias_fn)} {sn}",)
                    else:
                        other = (f"{sn} {' '.join(alias_fn)}",)
            elif auth == COUNTY_TRANSPORT:
                kind_code = "B"
                if role == "passenger_assistant":
                    role_hint = "passenger_assistant"
                elif role == "driver":
                    role_hint = "driver"
                else:
                    role_hint = "driver" if rnd() < 0.7 else "passenger_assistant"
            else:
                role_hint = "driver"
                kind_code = "D"
            r = rnd()
            rec_ni = "" if r < 0.055 else ni
            r = rnd()
            if r < 0.055:
                rec_dvla = ""
            rec_phone = "" if rnd() < 0.1 else phone
            rec_email = "" if rnd() < 0.25 else email
            label = hard_case
            if variations:
                kinds = [VARIATION_KIND[v] for v in variations if v in VARIATION_KIND]
                if kinds:
                    label = min(kinds, key=_MATCH_KIND_RANK.__getitem__)
            pos = positions[self.k]
            self.k += 1
            rid = f"R{pos + 1:0{width}d}"
            ref = f"{auth}-{kind_code}-{(pos * ref_mul + ref_add) % ref_mod:06d}"
            rec = SyntheticRecord(
                rid, auth, person_id, name_group, label, rec_fn, rec_sn, other, st["dob"], sex,
                view, rec_phone, rec_email, rec_dvla, rec_ni, ref, role_hint, tuple(variations),
            )
            out[pos] = rec
            record_ids.append(rid)
        self.remaining -= n_rec
        person = SyntheticPerson(
            person_id, name_group, origin, forenames, sn, dob, sex, ni, dvla, addresses,
            phone, email, role, tuple(record_ids),
            (maiden,) if maiden else (), (old_dvla,) if maiden else (),
            person_hard, hard_group, is_father_of, father_id,
        )
        self.people.append(person)
        return person

    # -- hard groups --
    def new_group(self, kind: str) -> str:
        gid = f"G{len(self.groups) + 1:06d}"
        self.groups.append([gid, kind, []])
        return gid

    def common_name(self):
        """A common full name: returns (origin, forename tokens, surname)."""
        rnd, pick = self.rnd, self.pick
        r = rnd()
        if r < 0.8:
            sn = pick(("Khan", "Khan", "Khan", "Hussain", "Ahmed", "Ali", "Iqbal", "Mahmood"))
            r2 = rnd()
            if r2 < 0.4:
                fn = [pick(N.MUHAMMAD_CANONICAL)]
            elif r2 < 0.7:
                fn = [pick(N.MUHAMMAD_CANONICAL),
                      pick(("Asif", "Imran", "Tariq", "Ali", "Shahid", "Arshad", "Naveed"))]
            else:
                fn = [pick(("Imran", "Asif", "Tariq", "Shahid", "Zahid", "Khalid", "Sajid",
                            "Nadeem", "Amjad", "Waseem"))]
            if fn[-1] == sn:
                fn = fn[:1]
            return "pakistani", fn, sn
        if r < 0.88:
            return "white_british", [pick(("John", "David", "Paul", "Mark"))], \
                pick(("Smith", "Jones", "Taylor", "Brown"))
        if r < 0.94:
            return "sikh", [pick(("Gurpreet", "Harjit", "Manjit", "Kulwinder"))], "Singh"
        return "somali", [pick(("Mohamed", "Abdi", "Ahmed"))], pick(("Abdi", "Mohamed", "Hassan"))

    def make_common_name_cluster(self):
        gid = self.new_group("common_name")
        origin, fn, sn = self.common_name()
        size = 3 + (self.rnd() < 0.4) + (self.rnd() < 0.2)
        for _ in range(size):
            p = self.make_person(origin=origin, sex="M", role="driver", fn=fn, sn=sn,
                                 n_rec=1 if self.rnd() < 0.7 else 2, married=False,
                                 hard_case="common_name", hard_group=gid, max_variations=1)
            if p is None:
                break
            self.groups[-1][2].append(p.person_id)

    def make_same_name_same_dob(self):
        gid = self.new_group("same_name_same_dob")
        origin, fn, sn = self.common_name()
        dob = self.dob_for_age_range(21, 65)
        size = 2 if self.rnd() < 0.85 else 3
        # In about a third of groups one man has a middle name that his council
        # records leave out, so the DVLA numbers differ in the initials too.
        hidden_middle = self.rnd() < 0.33 and len(fn) == 1
        for i in range(size):
            canon = fn
            if hidden_middle and i == size - 1:
                extra = self.pick(N.FAMILY_MIDDLE_NAMES)
                canon = fn + [extra if extra != sn else "Javed"]
            p = self.make_person(origin=origin, sex="M", role="driver", fn=canon, sn=sn,
                                 display_fn=fn, dob=dob, n_rec=1 if self.rnd() < 0.65 else 2,
                                 married=False, hard_case="same_name_same_dob",
                                 hard_group=gid, max_variations=1)
            if p is None:
                break
            self.groups[-1][2].append(p.person_id)

    def make_father_son(self):
        rnd, pick = self.rnd, self.pick
        gid = self.new_group("father_son")
        r = rnd()
        origin = "pakistani" if r < 0.85 else ("white_british" if r < 0.93 else "sikh")
        father_fn, sn = self.names(origin, "M")
        son_year = 1975 + int(rnd() * 30)
        gap = 20 + int(rnd() * 16)
        if son_year - gap < 1946:
            gap = son_year - 1946
        father_dob = date.fromordinal(_YEAR_START[son_year - gap] + int(rnd() * 365))
        son_dob = date.fromordinal(_YEAR_START[son_year] + int(rnd() * 365))
        mode = rnd()
        junior = senior = 0.0
        if mode < 0.5:
            # shared prefix: Muhammad Asif Khan and Muhammad Adil Khan
            if origin in ("pakistani",):
                if father_fn[0] not in N.MUHAMMAD_FAMILY or len(father_fn) < 2:
                    father_fn = [pick(N.MUHAMMAD_CANONICAL), pick(N.PAK_MALE_GIVEN)]
                other = pick(N.PAK_MALE_GIVEN)
                if other == father_fn[1]:
                    other = "Adil" if other != "Adil" else "Bilal"
                son_fn = [father_fn[0], other]
            else:
                son_fn = [self.names(origin, "M")[0][0], father_fn[0]]
        elif mode < 0.7:
            son_fn = list(father_fn)
            junior, senior = 0.5, 0.2
        else:
            pool = N.PAK_MALE_GIVEN if origin == "pakistani" else \
                (N.WHITE_MALE_GIVEN if origin == "white_british" else N.SIKH_MALE_GIVEN)
            first = pick(pool)
            if first == father_fn[-1]:
                first = pick(pool)
            son_fn = [first, father_fn[-1]]
        if son_fn[-1] == sn:
            son_fn = son_fn[:-1] if len(son_fn) > 1 else son_fn
        home = pick(_HOME_DISTRICTS)
        father_addresses = self.address_history(home, father_dob)
        shared = father_addresses[0]
        son_addresses = (shared,)
        if rnd() < 0.3:
            older = self.address(home, son_dob.toordinal() + 6575,
                                 shared.from_date.toordinal() - 200)
            if older.from_date < shared.from_date:
                son_addresses = (shared, older)
        father_index = len(self.people)
        son_id = f"P{father_index + 2:0{self.width}d}"
        father = self.make_person(origin=origin, sex="M", role="driver", fn=father_fn, sn=sn,
                                  dob=father_dob, home=home, addresses=father_addresses,
                                  n_rec=1 if rnd() < 0.6 else 2, married=False,
                                  hard_case="father_son", hard_group=gid, is_father_of=son_id,
                                  senior=senior, max_variations=1)
        if father is None:
            return
        self.groups[-1][2].append(father.person_id)
        son = self.make_person(origin=origin, sex="M", role="driver", fn=son_fn, sn=sn,
                               dob=son_dob, home=home, addresses=son_addresses,
                               n_rec=1 if rnd() < 0.6 else 2, married=False,
                               hard_case="father_son", hard_group=gid,
                               father_id=father.person_id, junior=junior, max_variations=1)
        if son is None:
            # the budget ran out: the father points at nobody
            self.people[-1] = _replace_person(father, is_father_of="")
            return
        self.groups[-1][2].append(son.person_id)

    def make_forced(self, kind: str):
        rnd, pick = self.rnd, self.pick
        n_rec = 2 if rnd() < 0.8 else 3
        if kind == "changed_surname":
            origin = pick(_SUBGROUPS)
            role = "passenger_assistant" if rnd() < 0.6 else "driver"
            return self.make_person(origin=origin, sex="F", role=role, n_rec=n_rec,
                                    married=True, forced=kind)
        if kind == "transliteration":
            # needs a name with spelling variants
            for _ in range(20):
                origin = "pakistani" if rnd() < 0.75 else pick(("bangladeshi", "eastern_european",
                                                                "somali", "sikh"))
                fn, sn = self.names(origin, "M")
                if sn in N.SPELLING_VARIANTS or any(t in N.SPELLING_VARIANTS for t in fn):
                    break
            return self.make_person(origin=origin, sex="M", fn=fn, sn=sn, n_rec=n_rec,
                                    married=False, forced=kind)
        if kind == "transposed_dob":
            month = 1 + int(rnd() * 12)
            day = 1 + int(rnd() * 11)
            if day >= month:
                day += 1
            year = REFERENCE_DATE.year - 22 - int((rnd() + rnd()) * 24)
            return self.make_person(dob=date(year, month, day), n_rec=n_rec, forced=kind,
                                    married=False)
        if kind == "typo":
            # a name long enough to mistype (4+ letters somewhere)
            return self.make_person(n_rec=n_rec, forced=kind, married=False)
        return self.make_person(n_rec=n_rec, forced=kind, married=False)

    def build(self) -> Population:
        n = self.n
        plan = []
        plan += ["common_name"] * _scaled(n, 12)
        plan += ["same_name_same_dob"] * _scaled(n, 20)
        plan += ["father_son"] * _scaled(n, 20)
        for kind in ("name_order_swap", "transliteration", "changed_surname",
                     "transposed_dob", "typo"):
            plan += [kind] * _scaled(n, 36)
        self.rng.shuffle(plan)
        for item in plan:
            if self.remaining <= 0:
                break
            if item == "common_name":
                self.make_common_name_cluster()
            elif item == "same_name_same_dob":
                self.make_same_name_same_dob()
            elif item == "father_son":
                self.make_father_son()
            else:
                self.make_forced(item)
        make_person = self.make_person
        while self.remaining > 0:
            make_person()
        groups = [HardGroup(g[0], g[1], tuple(g[2])) for g in self.groups if len(g[2]) >= 2]
        # persons whose group ended up with one member keep their label but lose the group
        kept = {g.group_id for g in groups}
        people = self.people
        for i, p in enumerate(people):
            if p.hard_group is not None and p.hard_group not in kept:
                people[i] = _replace_person(p, hard_group=None)
        self.dvla_seen.clear()
        self.ni_seen.clear()
        self.positions = None
        return Population(people, self.out, groups, self.seed, self.width)


def _replace_person(p: SyntheticPerson, **changes) -> SyntheticPerson:
    return replace(p, **changes)


def generate_population(n_records: int, seed: int = DEFAULT_SEED) -> Population:
    """Generate exactly ``n_records`` synthetic records (and their people).

    Deterministic for a given (n_records, seed).
    """
    return _Builder(int(n_records), int(seed)).build()
