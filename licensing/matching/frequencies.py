"""How common a name or birth date is, for term-frequency adjusted match weights.

The app implements ``NameFrequencies`` from database counts; ``CountedFrequencies`` counts an
in-memory collection (tests, batch files); ``UniformFrequencies`` gives every value the same
frequency, which leaves the settings' average u unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from .records import MatchRecord, PreparedRecord, prepare

__all__ = ["CountedFrequencies", "NameFrequencies", "UniformFrequencies"]


@runtime_checkable
class NameFrequencies(Protocol):
    """Frequencies in (0, 1] of canonical values (as produced by ``normalise``)."""

    def surname_frequency(self, surname_key: str) -> float:
        """Share of records whose canonical surname is this (e.g. "khan", "abd+rahman")."""
        ...

    def forename_frequency(self, token: str) -> float:
        """Share of records with this canonical forename token (e.g. "muhammad")."""
        ...

    def dob_frequency(self, iso_dob: str) -> float:
        """Share of records with this date of birth (1 January is common for people born abroad)."""
        ...


@dataclass(frozen=True, slots=True)
class UniformFrequencies:
    """Every value equally common: the settings' average u values apply unchanged."""

    surname: float = 1 / 200
    forename: float = 1 / 300
    dob: float = 1 / 18_000
    postcode: float = 2e-4

    def surname_frequency(self, surname_key: str) -> float:
        return self.surname

    def forename_frequency(self, token: str) -> float:
        return self.forename

    def dob_frequency(self, iso_dob: str) -> float:
        return self.dob

    def postcode_frequency(self, postcode: str) -> float:
        return self.postcode


@dataclass(slots=True)
class CountedFrequencies:
    """Frequencies counted from records, smoothed towards a baseline so small samples stay sane.

    freq = (count + k * base) / (total + k): with few records every value sits near the
    baseline; with many, the observed share dominates.
    """

    surnames: Counter = field(default_factory=Counter)
    forenames: Counter = field(default_factory=Counter)
    dobs: Counter = field(default_factory=Counter)
    postcodes: Counter = field(default_factory=Counter)
    total: int = 0
    pseudo_count: float = 200.0
    baseline: UniformFrequencies = field(default_factory=UniformFrequencies)
    # Records of the pair being scored that the counts include: match_file counts every record of its file, so
    # 2, as the register's own counts do (people.identity, own_records=2). A value only the pair and its other
    # duplicates hold is not common: the chance that someone else has it is what the weight needs.
    own_records: int = 0
    # (surname key, birth date) -> the first forenames written with them, counted only where a record of the
    # file has no forename there (add_all). None until counted: the twins guard then stands for such records.
    born_alike: dict | None = None

    @classmethod
    def from_records(cls, records: Iterable[MatchRecord], pseudo_count: float = 200.0) -> CountedFrequencies:
        """Count canonical surnames, forename tokens and DOBs over records (each record counted once)."""
        freq = cls(pseudo_count=pseudo_count)
        for record in records:
            freq.add(record)
        return freq

    def add(self, record: MatchRecord) -> None:
        """Count one record."""
        self.add_prepared(prepare(record))

    def add_prepared(self, prepared: PreparedRecord) -> None:
        """Count one already prepared record."""
        self.total += 1
        surnames = {n.surname_key for n in prepared.names if n.family}
        forenames = {t.canon for n in prepared.names for t in n.given if not t.is_initial}
        self.surnames.update(surnames)
        self.forenames.update(forenames)
        if prepared.dob_iso:
            self.dobs[prepared.dob] += 1
        postcodes = prepared.postcodes + prepared.postcode_texts
        self.postcodes.update(postcodes if len(postcodes) < 2 else set(postcodes))

    def add_all(self, prepared: Iterable[PreparedRecord]) -> None:
        """Count many prepared records, as ``add_prepared`` one by one would: each distinct name and postcode
        list is taken apart once (a file repeats its names many times); and the forenames born alike."""
        if not isinstance(prepared, list | tuple):
            prepared = list(prepared)  # read twice
        names: dict[int, tuple] = {}
        name_counts: Counter = Counter()
        places: Counter = Counter()
        for p in prepared:
            self.total += 1
            name_counts[p.names_id] += 1
            names[p.names_id] = p.names
            if p.dob_iso:
                self.dobs[p.dob] += 1
            places[p.postcodes + p.postcode_texts] += 1
        for names_id, count in name_counts.items():
            forms = names[names_id]
            for key in {n.surname_key for n in forms if n.family}:
                self.surnames[key] += count
            for token in {t.canon for n in forms for t in n.given if not t.is_initial}:
                self.forenames[token] += count
        for postcodes, count in places.items():
            for pc in postcodes if len(postcodes) < 2 else set(postcodes):
                self.postcodes[pc] += count
        nameless = {i for i, forms in names.items() if not any(n.given for n in forms)}
        self._count_born_alike(prepared, nameless)

    def _count_born_alike(self, prepared: list[PreparedRecord], nameless: set[int]) -> None:
        """The forenames written with each surname and birth date that a record with no forename holds: one
        forename there means no twin in the file. Only records without a forename start an entry (few), and
        only records born on such a date are looked at again."""
        born: dict[tuple[str, str], set[str]] = {}
        if nameless:
            for p in prepared:
                if p.names_id in nameless and p.dob_iso:
                    for n in p.names:
                        if n.surname_key:
                            born[(n.surname_key, p.dob)] = set()
        dobs = {dob for _, dob in born}
        if dobs:
            for p in prepared:
                if p.dob in dobs and p.dob_iso:
                    for n in p.names:
                        given = born.get((n.surname_key, p.dob))
                        if given is not None:
                            given.update(t.canon for t in n.given[:1] if not t.is_initial)
        self.born_alike = born

    def forenames_born_alike(self, surname_key: str, iso_dob: str) -> set[str] | None:
        """The first forenames the file writes with this surname and birth date (None: not counted)."""
        if self.born_alike is None:
            return None
        return self.born_alike.get((surname_key, iso_dob))

    def _smooth(self, count: int, base: float) -> float:
        return min(1.0, (count + self.pseudo_count * base) / (self.total + self.pseudo_count))

    def surname_frequency(self, surname_key: str) -> float:
        return self._smooth(
            max(self.surnames.get(surname_key, 0) - self.own_records, 0), self.baseline.surname
        )

    def forename_frequency(self, token: str) -> float:
        return self._smooth(max(self.forenames.get(token, 0) - self.own_records, 0), self.baseline.forename)

    def dob_frequency(self, iso_dob: str) -> float:
        return self._smooth(max(self.dobs.get(iso_dob, 0) - self.own_records, 0), self.baseline.dob)

    def forename_count(self, token: str) -> int:
        """How many records carry this canonical forename token (optional in the protocol: it tells a slip
        nobody else writes from a name other people carry)."""
        return self.forenames.get(token, 0)

    def postcode_frequency(self, postcode: str) -> float:
        """Share of records with this postcode (optional in the protocol: an office address many records
        give is no evidence that two of them are one person). The pair's own two records are not counted,
        so in a
        small file a shared household postcode is not mistaken for a common one."""
        return self._smooth(max(self.postcodes.get(postcode, 0) - 2, 0), self.baseline.postcode)
