"""Fellegi-Sunter scoring: one path for search, linking and match-file.

``Scorer.assess`` puts a prepared pair into one level per field, sums the levels' weights (adjusted for how
common the agreeing value is) and decides. ``score_prepared`` adds the plain-word explanation; the batch
and search use ``assess`` alone. Decision policy, whatever the weights say:

* The calibrated match probability decides: at or above ``auto_link_threshold`` a pair links, at or above
  ``review_threshold`` it goes to an officer.
* Vetoes: a level marked ``veto`` (two different valid NI numbers, licence numbers DVLA issued to two
  people) is hard evidence of two people; such a pair never links automatically (``contradicts``).
* Guards send a pair that would link to review instead:
  - nothing but names and an address agree (no date of birth or identifier evidence): a father and son
    with one name at one address;
  - forenames only alike (a typo, a Jaro-Winkler match, initials) or different with the same date of birth and
    no agreeing identifier: twins are often named alike (Amir and Amin). A forename missing on one side is
    held too, unless the file's counts show one forename only with that surname and birth date (match_file).
    Not held either: forenames one letter apart where the file's counts show a slip (one spelling no other
    record writes, Cobuy / Coby), or identity numbers (not valid NI) two edits apart in a file whose numbers
    are rarely that close by chance;
  - a date of birth only nearly the same (a slip) with no identifier and no shared address (house);
  - an identifier only one character off and a date of birth not the same: two slips at once, or two
    people with close numbers (firm names and a date one slip off link, but with valid NI numbers, issued
    in sequence where one lives, only at the same house);
  - no identifier the same on both records (numbers that could have been issued in sequence: NI or other
    numbers at most ``compare.ISSUE_GAP`` apart in value, licence numbers one initial apart; or a licence
    number on one record that fits the other's surname, birth date and sex) with the same date of birth and
    forenames that differ or are only alike: twins' numbers are often issued in sequence; a slip elsewhere in
    one number still links;
  - namesakes: names and date of birth agree with no agreeing identifier or address, and the register
    holds enough people with that full name for a namesake born that day to be plausible (term
    frequencies, ``MatchSettings.namesake_limit``).
* A pair whose date of birth is the same and whose names agree in part (surname at some level, a
  forename in common) goes at least to review: an officer cannot be told apart from it by the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .caches import BoundedCache
from .compare import (
    T_FUZZY,
    NameComparison,
    compare_address,
    compare_dl,
    compare_dob,
    compare_names,
    compare_ni,
    compare_sex,
    learned_variant,
    letters_one_apart,
    licences_issued_in_sequence,
    numbers_issued_in_sequence,
    numbers_two_apart,
    surnames_one_apart,
    token_level,
)
from .frequencies import NameFrequencies, UniformFrequencies
from .records import MatchRecord, PreparedRecord, prepare
from .settings import DEFAULT_LEVELS, FIELD_LABELS, MatchSettings

__all__ = [
    "Assessment",
    "DEFAULT_SETTINGS",
    "FIELDS",
    "FieldEvidence",
    "LinkScorer",
    "MatchResult",
    "Scorer",
    "match_probability",
    "pair_weight",
    "score_pair",
    "score_prepared",
]

DEFAULT_SETTINGS = MatchSettings()

LINK, REVIEW, NO_LINK = "link", "review", "no_link"
FIELDS = ("dl", "ni", "dob", "surname", "forenames", "sex", "address")
_IDENTIFIED_DL = frozenset({"exact", "check_differs", "typo", "cross_consistent"})
_IDENTIFIED_NI = frozenset({"exact", "typo", "text_exact", "text_transposed", "text_typo"})
_EXACT_DL = frozenset({"exact", "check_differs"})
_EXACT_NI = frozenset({"exact", "text_exact"})
_DOB_SUPPORTS = frozenset({"exact", "exact_text", "transposed", "typo", "year_off"})
_DOB_SAME = frozenset({"exact", "exact_text"})
_ADDRESS_AGREES = frozenset({"same_address", "postcode"})
_NAME_NOT_AGREEING = frozenset({"different", "missing", "initials"})
_FORENAMES_LOOSE = frozenset({"fuzzy", "similar", "alike", "initials", "different", "missing"})
_FORENAMES_FOR_CHANGE = frozenset({"exact", "variant", "diminutive", "subset"})
# Forenames that differ or are only alike: not an initial of the other or a name missing on one side.
_FORENAMES_TWINS = frozenset({"fuzzy", "similar", "alike", "different"})
_NAME_FIRM = frozenset({"exact", "variant", "diminutive"})
_TEXT_NEAR = ("text_transposed", "text_typo")  # numbers one edit apart, at least one not a valid NI number
_NEAR_NI = frozenset({"typo", *_TEXT_NEAR})
_TWINS_NEAR = "Review: numbers one character apart and forenames that differ, as twins' can be"
_TWINS_ONE_SIDED = (
    "Review: a licence number on one record only, as a twin's would fit, and forenames that differ"
)
_MAX_TF_DELTAS = 100_000
SUMMARY_SEPARATOR = " · "
_SLIP_SHARE = 0.05  # a misspelling is carried by at most this share of the records spelling the name right


def counts_show_slip(rare: float, common: float) -> bool:
    """Whether a spelling carried by `rare` records beside one carried by `common` is a slip of it: the right
    spelling is written by several, the slip by no other record or at most one in twenty as many (Joshau 3,
    Joshua 148). Twins get two names each common in its own right (Justin and Dustin)."""
    return common >= 3 and rare <= max(1.0, common * _SLIP_SHARE)


def counts_show_two_names(rare: float, common: float) -> bool:
    """Whether two spellings one letter apart are two names: each carried by several records and neither a
    slip of the other by `counts_show_slip` (Manjit and Ranjit)."""
    return rare >= 3 and not counts_show_slip(rare, common)


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    """One field's contribution: its level, weight in bits, and a plain sentence for a licensing officer."""

    field: str
    level: str
    weight: float
    text: str  # "Date of birth: the same (rare: 1 in 20,000)"

    @property
    def label(self) -> str:
        """The field as an officer names it ("Date of birth")."""
        return FIELD_LABELS.get(self.field, self.field)


@dataclass(slots=True)
class MatchResult:
    """The engine's view of one pair: probability, summed weight, per-field evidence and decision."""

    probability: float
    match_weight: float  # sum of field weights in bits (log2 Bayes factors), prior not included
    evidence: list[FieldEvidence]
    decision: str  # "link" | "review" | "no_link"
    contradicts: bool  # hard evidence of two different people (a veto)
    conflicts: tuple[str, ...] = field(default=())  # reasons these two must not share a cluster
    strong: bool = False  # an identifier or the date of birth supports the pair
    guard: str = ""  # why a pair the probability would link went to review instead

    @property
    def explanation(self) -> list[str]:
        """One plain sentence per compared field, strongest evidence first (fields on one record only
        skipped)."""
        sentences = [e.text for e in self.evidence if e.level != "missing"]
        return sentences + ([self.guard] if self.guard else [])

    def summary(self) -> str:
        """The explanation as one line, sentences separated by " · "."""
        return SUMMARY_SEPARATOR.join(self.explanation)

    def level(self, field_name: str) -> str:
        """The level a field landed in ("missing" if not compared)."""
        for e in self.evidence:
            if e.field == field_name:
                return e.level
        return "missing"


def guard_of_summary(summary: str) -> str:
    """The guard's sentence that ends a stored summary (``Assessment.summary``); "" when no guard held the
    pair. Every guard's sentence starts "Review: "."""
    last = (summary or "").rpartition(SUMMARY_SEPARATOR)[2]
    return last if last.startswith("Review: ") else ""


def _probability(settings: MatchSettings, match_weight: float) -> float:
    log_odds = settings.prior_weight + match_weight
    if log_odds > 60:
        return 1.0
    if log_odds < -60:
        return 0.0
    odds = 2.0**log_odds
    return odds / (1.0 + odds)


def match_probability(settings: MatchSettings, match_weight: float) -> float:
    """The match probability for a summed match weight (prior plus evidence), as score_pair reports it."""
    return _probability(settings, match_weight)


def _tf_delta(settings: MatchSettings, field_name: str, frequency: float | None) -> float:
    """Splink-style term-frequency adjustment: log2(u_average / u_value), u_value floored."""
    if frequency is None:
        return 0.0
    u_avg = settings.levels[field_name]["exact"].u
    floor = min(settings.tf_minimum_u, u_avg)
    return math.log2(u_avg / min(1.0, max(frequency, floor)))


def _both_female(pa: PreparedRecord, pb: PreparedRecord) -> bool:
    """True when every sex known for the pair (recorded, or encoded in a licence number) is F."""
    seen = False
    for p in (pa, pb):
        for sex in (p.sex, p.dl_parsed.sex if p.dl_parsed is not None else ""):
            if sex:
                if sex != "F":
                    return False
                seen = True
    return seen


@dataclass(slots=True)
class Assessment:
    """Levels, weights and decision for one pair: everything but the words."""

    levels: tuple[str, ...]  # one per FIELDS entry
    weights: tuple[float, ...]
    names: NameComparison
    match_weight: float
    probability: float
    decision: str
    contradicts: bool
    strong: bool
    guard: str
    frequencies: tuple[float | None, float | None, float | None]  # surname, forenames, DOB


def _twins_numbers(pa: PreparedRecord, pb: PreparedRecord, dl: str, ni: str) -> str:
    """The twins guard's reason when no number is the same on both records and those they hold are as twins'
    would be (issued in sequence, or a licence number on one record only); "" for a slip in one number."""
    if (ni in _NEAR_NI and numbers_issued_in_sequence(pa.ni_core, pb.ni_core)) or (
        dl == "typo" and licences_issued_in_sequence(pa.dl, pb.dl)
    ):
        return _TWINS_NEAR
    return _TWINS_ONE_SIDED if dl == "cross_consistent" else ""


class Scorer:
    """The one scoring path. Holds the settings and frequencies for a run; name comparisons are cached on the
    settings object, keyed by the two records' name ids (bounded)."""

    def __init__(
        self,
        settings: MatchSettings | None = None,
        frequencies: NameFrequencies | None = None,
        *,
        slips_by_counts: bool = False,
    ) -> None:
        self.settings = settings or DEFAULT_SETTINGS
        # Search: the counts judge forenames one letter apart both ways. Two names (``counts_show_two_names``)
        # are only "alike", so Ranjit Singh Grewal does not outrank Manjit Grewal for Manjit Singh Grewal; a
        # slip of three letters (Jhn beside many Johns) is one as at four. Linking keeps its levels, guards.
        self._slips_by_counts = slips_by_counts
        self._slip_letters = 3 if slips_by_counts else 4
        self.frequencies = frequencies
        self.w = self.settings.weights
        self._tf = {f: {k for k, lv in levels.items() if lv.tf} for f, levels in self.settings.levels.items()}
        self._cache: BoundedCache = self.settings.name_cache  # type: ignore[attr-defined]
        self._vetoes = {
            f: {k for k, lv in levels.items() if lv.veto} for f, levels in self.settings.levels.items()
        }
        self._postcode_u = self.settings.levels["address"]["postcode"].u
        # match_file counts how often two people's numbers of another scheme are one edit apart (batch.py);
        # only a count below the documented u lifts the two-slips guard for them.
        ni_levels = self.settings.levels["ni"]
        self._rare_near = frozenset(k for k in _TEXT_NEAR if ni_levels[k].u < DEFAULT_LEVELS["ni"][k].u)
        self._near_numbers_rare = "text_typo" in self._rare_near
        # The most two names can add (best level of each, at the largest term-frequency lift): a pair whose
        # other fields leave it below review even with this cannot be anything but no_link (``decide``).
        self._names_most = self._most("surname") + self._most("forenames")
        self._tf_deltas: BoundedCache[tuple[str, float | None], float] = BoundedCache(_MAX_TF_DELTAS)

    def _delta(self, field_name: str, frequency: float | None) -> float:
        """``_tf_delta`` with this scorer's settings, once per field and frequency: a file's pairs repeat the
        frequencies of its common dates and names. Bounded; emptying it only costs recomputation."""
        key = (field_name, frequency)
        found = self._tf_deltas.get(key)
        if found is None:
            found = self._tf_deltas.put(key, _tf_delta(self.settings, field_name, frequency))
        return found

    def _most(self, field_name: str) -> float:
        settings = self.settings
        u = settings.levels[field_name]["exact"].u
        lift = math.log2(u / min(settings.tf_minimum_u, u))
        return max(
            self.w[field_name][k] + (lift if k in self._tf[field_name] else 0.0)
            for k in settings.levels[field_name]
        )

    def _names(self, pa: PreparedRecord, pb: PreparedRecord) -> NameComparison:
        key = (pa.names_id, pb.names_id)
        names = self._cache.get(key)
        if names is None:
            names = self._cache.put(key, compare_names(pa, pb, self.w))
        if names.surname == "different" and self._slips_by_counts:
            slipped = self._surname_slip(names)
            if slipped:
                names = replace(names, surname="fuzzy", surname_key="", surname_pairs=(slipped,))
        if names.surname == "different" and names.forenames in _FORENAMES_FOR_CHANGE and _both_female(pa, pb):
            names = replace(names, surname="changed", surname_key="")
        if names.forenames == "different" and self._file_slip(names):
            names = replace(names, forenames="fuzzy")
        elif self._slips_by_counts and names.forenames == "fuzzy" and self._two_names(names):
            names = replace(names, forenames="alike")
        return names

    def _surname_slip(self, names: NameComparison):
        """Surnames one letter apart (see surnames_one_apart) where the counts show the rarer spelling, not a
        recognised name, is a slip of the other (Sah 4 beside Shah 2,444): search reads them as one surname
        slipped ("fuzzy"), where linking keeps them apart. None without surname counts."""
        count = getattr(self.frequencies, "surname_count", None)
        if count is None or names.left is None or names.right is None:
            return None
        pair = surnames_one_apart(names.left, names.right, self._slip_letters)
        if pair is None:
            return None
        (lo, rare), (hi, _) = sorted(((count(t.canon), t) for t in pair), key=lambda c: c[0])
        return pair if not rare.known and counts_show_slip(lo, hi) else None

    def _two_names(self, names: NameComparison) -> bool:
        """Some forename pair one edit apart (not a known spelling) whose spellings the counts show are two
        names."""
        count = getattr(self.frequencies, "forename_count", None)
        if count is None:
            return False
        return any(
            counts_show_two_names(*sorted((count(x.canon), count(y.canon))))
            for x, y in names.forename_pairs
            if token_level(x, y) == T_FUZZY
        )

    def _file_slip(self, names: NameComparison) -> bool:
        """Forenames one letter apart (spaces aside) where the file's counts show a slip: one side's spelling
        is written by no other record (or by at most a twentieth as many), the other side's by several
        (Cobuy 1, Coby 5). Short names are otherwise two names (Amir, Amin). False without counts, as for
        ``_slipped``."""
        count = getattr(self.frequencies, "forename_count", None)
        x, y = names.left, names.right
        if count is None or x is None or y is None:
            return False
        if not letters_one_apart(x.given, y.given, self._slip_letters):
            return False
        xs = {t.canon for t in x.given} - {t.canon for t in y.given}
        ys = {t.canon for t in y.given} - {t.canon for t in x.given}
        if not xs or not ys:
            return False
        for rare, common in ((xs, ys), (ys, xs)):
            if counts_show_slip(max(count(t) for t in rare), min(count(t) for t in common)):
                return True
        return False

    def _name_frequencies(self, names: NameComparison) -> tuple[float | None, float | None]:
        freq = self.frequencies
        if freq is None:
            return None, None
        sur = freq.surname_frequency(names.surname_key) if names.surname_key else None
        fore = None
        if names.forename_tokens:
            # The rarest agreeing token's frequency: conservative, since forename tokens are correlated.
            fore = min(freq.forename_frequency(t) for t in names.forename_tokens)
        return sur, fore

    def assess(self, pa: PreparedRecord, pb: PreparedRecord) -> Assessment:
        """Levels, weights, probability and decision for a prepared pair."""
        return self._assess(
            pa,
            pb,
            compare_dl(pa, pb),
            compare_ni(pa, pb),
            compare_dob(pa, pb),
            compare_sex(pa, pb),
            compare_address(pa, pb),
        )

    def decide(self, pa: PreparedRecord, pb: PreparedRecord) -> Assessment | None:
        """``assess``, or None when the pair is no_link whatever its names say (the batch's many candidate
        pairs with a differing date of birth and nothing else in common): the names, the costly part, are
        then not compared. Decisions are those of ``assess``: a new rule that sends a pair below the review
        threshold to review (as ``_look_alike`` does) must be excluded here too."""
        dl, ni, dob = compare_dl(pa, pb), compare_ni(pa, pb), compare_dob(pa, pb)
        sex, addr = compare_sex(pa, pb), compare_address(pa, pb)
        settings, w = self.settings, self.w
        contradicts = dl in self._vetoes["dl"] or ni in self._vetoes["ni"]
        if contradicts or not (settings.review_look_alikes and dob in _DOB_SAME):
            dob_w = w["dob"][dob]
            if dob == "exact" and self.frequencies is not None:
                dob_w += self._delta("dob", self.frequencies.dob_frequency(pa.dob))
            # The address weight is only ever lowered by its postcode's frequency, so its level's is a bound.
            most = w["dl"][dl] + w["ni"][ni] + dob_w + w["sex"][sex] + w["address"][addr] + self._names_most
            if _probability(settings, most + 1e-6) < settings.review_threshold:
                return None
        return self._assess(pa, pb, dl, ni, dob, sex, addr)

    def _assess(
        self, pa: PreparedRecord, pb: PreparedRecord, dl: str, ni: str, dob: str, sex: str, addr: str
    ) -> Assessment:
        settings, w, tf = self.settings, self.w, self._tf
        names = self._names(pa, pb)
        sur_f, fore_f = self._name_frequencies(names)
        sur_w = w["surname"][names.surname]
        if names.surname in tf["surname"]:
            sur_w += self._delta("surname", sur_f)
        fore_w = w["forenames"][names.forenames]
        if names.forenames in tf["forenames"]:
            fore_w += self._delta("forenames", fore_f)
        dob_f = None
        dob_w = w["dob"][dob]
        if dob == "exact" and self.frequencies is not None:
            dob_f = self.frequencies.dob_frequency(pa.dob)
            dob_w += self._delta("dob", dob_f)
        addr_w = w["address"][addr]
        # Read at use, like the other counts: the import gives its scorer each record's counts in turn.
        postcode_frequency = None
        if addr in _ADDRESS_AGREES:
            postcode_frequency = getattr(self.frequencies, "postcode_frequency", None)
        if postcode_frequency is not None:
            shared = set(pa.postcodes or pa.postcode_texts) & set(pb.postcodes or pb.postcode_texts)
            if shared:
                # Only ever down: a postcode many records give (an office, a depot) says little. Measured
                # against the average postcode's u: a house number agreeing as well keeps its own evidence.
                frequency = max(postcode_frequency(pc) for pc in shared)
                addr_w += min(0.0, math.log2(self._postcode_u / max(frequency, 1e-9)))
        levels = (dl, ni, dob, names.surname, names.forenames, sex, addr)
        weights = (w["dl"][dl], w["ni"][ni], dob_w, sur_w, fore_w, w["sex"][sex], addr_w)
        match_weight = sum(weights)
        probability = _probability(settings, match_weight)
        contradicts = dl in self._vetoes["dl"] or ni in self._vetoes["ni"]
        identified = dl in _IDENTIFIED_DL or ni in _IDENTIFIED_NI
        strong = identified or dob in _DOB_SUPPORTS
        guard = ""
        if probability >= settings.auto_link_threshold and not contradicts:
            if not identified:
                guard = self._guard(names, dob, addr, (sur_f, fore_f, dob_f), (pa, pb))
            elif (
                dl not in _EXACT_DL
                and ni not in _EXACT_NI
                and dob in _DOB_SAME
                and self._twins_forenames(names)
                and (twins := _twins_numbers(pa, pb, dl, ni))
            ):
                # Twins' numbers are often issued in sequence, and a licence number on one record fits a
                # twin's surname, birth date and sex as well: no proof of one person when the forenames
                # differ, whatever the file's chance counts say.
                guard = twins
            elif (
                dl not in _EXACT_DL
                and ni not in _EXACT_NI
                and ni not in self._rare_near
                and dob not in _DOB_SAME
                and dob != "missing"
                and not self._one_person_slipped_twice(names, ni, dob, addr)
            ):
                # A transposed or otherwise moved date with a close number stays with an officer: a licence
                # number spells out the birth date, so a father and son named alike hold numbers one character
                # apart, and numbers issued in sequence are one digit apart. Unless the file's own counts show
                # that its numbers (of a scheme other than NI) are rarely one edit apart by chance.
                guard = "Review: an identifier and the date of birth both differ slightly: two typing slips, or two people"  # noqa: E501
        if contradicts or guard:
            decision = REVIEW if probability >= settings.review_threshold or guard else NO_LINK
        elif probability >= settings.auto_link_threshold:
            decision = LINK
        elif probability >= settings.review_threshold or (
            settings.review_look_alikes and self._look_alike(names, dob)
        ):
            decision = REVIEW
        else:
            decision = NO_LINK
        return Assessment(
            levels,
            weights,
            names,
            match_weight,
            probability,
            decision,
            contradicts,
            strong,
            guard,
            (sur_f, fore_f, dob_f),
        )

    def _guard(self, names: NameComparison, dob: str, addr: str, freqs, pair=()) -> str:
        """Why a pair the probability would link must go to review instead ("" when it may link)."""
        if dob not in _DOB_SUPPORTS:
            return "Review: only names and an address agree, as for a father and son"
        if dob not in _DOB_SAME and addr != "same_address":
            return (
                "Review: the date of birth differs slightly, and no identifier or shared address confirms it"
            )
        if (
            dob in _DOB_SAME
            and names.forenames in _FORENAMES_LOOSE
            and not self._slip(names)
            and not self._no_twin_in_file(names, pair)
            and not (pair and self._near_numbers_rare and numbers_two_apart(*pair))
        ):
            return "Review: the forenames differ or are only alike, as twins' names can be"
        if dob in _DOB_SAME and self._alike_by_sound(names):
            return (
                "Review: the forenames are alike only by their sound (no table joins them), "
                "as twins' names can be"
            )
        if (
            dob in _DOB_SAME
            and addr not in _ADDRESS_AGREES
            and self._namesakes(names, freqs) >= self.settings.namesake_limit
        ):
            return "Review: a common name and date of birth, and nothing else to tell two people apart"
        return ""

    @staticmethod
    def _one_person_slipped_twice(names: NameComparison, ni: str, dob: str, addr: str) -> bool:
        """A date of birth one slip off and a number one character off, with firm names, read as one person's
        two slips. Valid NI numbers are issued in sequence around the 16th birthday where one lives, so two
        people born days apart in one area hold NI numbers one digit apart: the two slips are then correlated,
        and only the same house (not a common postcode) confirms one person."""
        if dob != "typo" or names.surname not in _NAME_FIRM or names.forenames not in _NAME_FIRM:
            return False
        return ni != "typo" or addr == "same_address"

    def _alike_by_sound(self, names: NameComparison) -> bool:
        """Some forename pair alike only by its sound (a learned variant no table joins), not a slip."""
        return any(learned_variant(x, y) and not self._slipped(x, y) for x, y in names.forename_pairs)

    def _twins_forenames(self, names: NameComparison) -> bool:
        """Forenames that differ or are only alike (a slip the counts show aside), or alike only by sound:
        as twins' names can be."""
        return (names.forenames in _FORENAMES_TWINS and not self._slip(names)) or self._alike_by_sound(names)

    def _no_twin_in_file(self, names: NameComparison, pair) -> bool:
        """A forename missing on one side is absence of evidence, not a twin's other name: the twins guard
        lets it link when the file's counts show at most one forename written with these surnames and this
        birth date (no twin there to confuse it with). Without counts (the register) the guard stands."""
        born = getattr(self.frequencies, "forenames_born_alike", None)
        if names.forenames != "missing" or born is None or not pair or not pair[0].dob_iso:
            return False
        seen: set[str] = set()
        for p in pair:
            for n in p.names:
                given = born(n.surname_key, p.dob) if n.surname_key else None
                if given is None:
                    return False
                seen |= given
        return len(seen) <= 1

    def _slip(self, names: NameComparison) -> bool:
        """Forenames one letter apart where one spelling is carried by no other record and the other by
        several: a typing slip (Cathwrine for Catherine), not a twin's name, which other people carry too.
        Needs counts from the file or register (``forename_count``); without them the twins guard stands."""
        count = getattr(self.frequencies, "forename_count", None)
        if names.forenames != "fuzzy" or count is None:
            return False
        slipped = [(x, y) for x, y in names.forename_pairs if x.canon != y.canon]
        if not slipped:
            return self._file_slip(names)
        return all(self._slipped(x, y) for x, y in slipped)

    def _slipped(self, x, y) -> bool:
        """One spelling carried by several records and the other by no other record, or by at most one in
        twenty as many (Joshau 3, Joshua 148): a slip repeated across a file. Twins get two names each common
        in its own right (Justin and Dustin, Javed and Jawad). False without counts."""
        count = getattr(self.frequencies, "forename_count", None)
        if count is None:
            return False
        lo, hi = sorted((count(x.canon), count(y.canon)))
        return counts_show_slip(lo, hi)

    def _namesakes(self, names: NameComparison, freqs) -> float:
        """Other people expected in the register with this full name and date of birth."""
        levels = self.settings.levels
        sur_f, fore_f, dob_f = freqs
        size = getattr(self.frequencies, "total", 0) or self.settings.register_size
        return (
            size
            * (sur_f or levels["surname"]["exact"].u)
            * (fore_f or levels["forenames"]["exact"].u)
            * (dob_f or levels["dob"]["exact"].u)
        )

    @staticmethod
    def _look_alike(names: NameComparison, dob: str) -> bool:
        """Same date of birth and names that agree in part: an officer should look, whatever the
        probability."""
        return (
            dob in _DOB_SAME
            and names.surname not in _NAME_NOT_AGREEING
            and names.forenames not in ("different", "missing")
        )

    def result(
        self, pa: PreparedRecord, pb: PreparedRecord, assessed: Assessment | None = None
    ) -> MatchResult:
        """assess plus the plain-word evidence; given the pair's assessment, the pair is not scored again."""
        a = assessed if assessed is not None else self.assess(pa, pb)
        freq = self.frequencies
        show = freq is not None and not isinstance(freq, UniformFrequencies)
        sur_f, fore_f, dob_f = a.frequencies if show else (None, None, None)
        evidence = [
            FieldEvidence(
                f,
                lv,
                round(wt, 3),
                _sentence(
                    self.settings,
                    f,
                    lv,
                    pa,
                    pb,
                    a.names,
                    {"surname": sur_f, "forenames": fore_f, "dob": dob_f},
                ),
            )
            for f, lv, wt in zip(FIELDS, a.levels, a.weights, strict=True)
        ]
        # Strongest evidence first, so the explanation leads with what decided it.
        evidence.sort(key=lambda e: (e.level == "missing", -abs(e.weight)))
        vetoed = {e.field: e.text for e in evidence if e.level in self._vetoes.get(e.field, ())}
        conflicts = [
            vetoed[f]
            if f in vetoed
            else f"The evidence is {-a.match_weight:.0f} bits against these being one person"
            for f, _ in self._conflict_kinds(a, [(e.field, e.level) for e in evidence])
        ]
        return MatchResult(
            probability=a.probability,
            match_weight=a.match_weight,
            evidence=evidence,
            decision=a.decision,
            contradicts=a.contradicts,
            conflicts=tuple(conflicts),
            strong=a.strong,
            guard=a.guard,
        )

    def _conflict_kinds(
        self, a: Assessment, fields_levels: list[tuple[str, str]] | None = None
    ) -> list[tuple[str, str]]:
        """(field, level) of each reason the pair may not share a cluster (``keeps_apart``), vetoes in the
        order given; ("weight", "") when only the summed evidence is against it."""
        if not keeps_apart(a.contradicts, a.match_weight, self.settings):
            return []
        pairs = fields_levels if fields_levels is not None else zip(FIELDS, a.levels, strict=True)
        return [(f, lv) for f, lv in pairs if lv in self._vetoes.get(f, ())] or [("weight", "")]

    def conflicts(self, pa: PreparedRecord, pb: PreparedRecord) -> tuple[str, ...]:
        """``result(pa, pb).conflicts``, with the words built only for a pair that has any."""
        a = self.assess(pa, pb)
        apart = keeps_apart(a.contradicts, a.match_weight, self.settings)
        return self.result(pa, pb, a).conflicts if apart else ()


def keeps_apart(contradicts: bool, match_weight: float, settings: MatchSettings) -> bool:
    """The one rule for two records that may not share a person (a cluster), in the register's joins and
    match_file's: hard evidence of two people (a veto), or a summed weight below ``cluster_conflict_weight``.
    A birth date, sex or licence number that differs is evidence weighed in that sum, not a veto: held as a
    contradiction, it sent 1,030 pairs of one person to review in a 100,000-row import and kept no look-alike
    apart (bench/results/cluster_rule_round15_clusterrule15.txt)."""
    return contradicts or match_weight < settings.cluster_conflict_weight


class LinkScorer(Scorer):
    """Batch use of the one path: (weight, decision) for a pair, or None when it goes nowhere."""

    def __call__(self, pa: PreparedRecord, pb: PreparedRecord) -> tuple[float, str] | None:
        a = self.assess(pa, pb)
        return None if a.decision == NO_LINK else (a.match_weight, a.decision)


def pair_weight(
    pa: PreparedRecord,
    pb: PreparedRecord,
    settings: MatchSettings,
    frequencies: NameFrequencies | None = None,
) -> tuple[float, bool, bool]:
    """(match_weight, strong, contradicts) without building evidence text."""
    a = Scorer(settings, frequencies).assess(pa, pb)
    return a.match_weight, a.strong, a.contradicts


def score_pair(
    a: MatchRecord,
    b: MatchRecord,
    settings: MatchSettings | None = None,
    frequencies: NameFrequencies | None = None,
) -> MatchResult:
    """Score two records: per-field levels and weights, probability, decision and explanation."""
    return score_prepared(prepare(a), prepare(b), settings or DEFAULT_SETTINGS, frequencies)


def score_prepared(
    pa: PreparedRecord,
    pb: PreparedRecord,
    settings: MatchSettings,
    frequencies: NameFrequencies | None = None,
) -> MatchResult:
    """score_pair for records already prepared."""
    return Scorer(settings, frequencies).result(pa, pb)


# --- explanation text: each level's own sentence, filled with the two values ---------------------


def _freq_note(frequency: float | None, settings: MatchSettings) -> str:
    if frequency is None or frequency <= 0:
        return ""
    one_in = max(1, round(1 / frequency))
    if frequency >= settings.common_value_frequency:
        return f" (common: 1 in {one_in:,})"
    if frequency < settings.rare_value_frequency:
        return f" (rare: 1 in {one_in:,})"
    return f" (1 in {one_in:,})"


def _show(tokens) -> str:
    return " ".join(t.raw.title() for t in tokens)


def _name_values(field_name: str, n: NameComparison) -> tuple[str, str]:
    if n.left is None or n.right is None:
        return "", ""
    if n.surname == "reordered":
        return n.left.display.title(), n.right.display.title()
    pairs = n.surname_pairs if field_name == "surname" else n.forename_pairs
    whole = (n.left.family, n.right.family) if field_name == "surname" else (n.left.given, n.right.given)
    level = n.surname if field_name == "surname" else n.forenames
    if level in ("variant", "diminutive", "fuzzy", "similar", "alike") and pairs:
        left = [x for x, y in pairs if x.raw != y.raw]
        right = [y for x, y in pairs if x.raw != y.raw]
        if left:
            return _show(left), _show(right)
    return _show(whole[0]), _show(whole[1])


def _values(
    field_name: str, pa: PreparedRecord, pb: PreparedRecord, names: NameComparison
) -> tuple[str, str]:
    if field_name in ("surname", "forenames"):
        return _name_values(field_name, names)
    if field_name == "dob":
        return pa.dob, pb.dob
    if field_name == "ni":
        return pa.ni, pb.ni
    if field_name == "dl":
        return pa.dl, pb.dl
    if field_name == "address":
        shared = sorted(set(pa.postcodes) & set(pb.postcodes)) or sorted(
            set(pa.postcode_texts) & set(pb.postcode_texts)
        )
        if shared:
            return ", ".join(shared).upper(), ""
        if (
            pa.street
            and pb.street
            and not (pa.postcodes and pb.postcodes and pa.postcodes[0][:-2] == pb.postcodes[0][:-2])
        ):
            return pa.street.title(), pb.street.title()
        return (pa.postcodes or pa.postcode_texts or ("",))[0].upper(), (
            pb.postcodes or pb.postcode_texts or ("",)
        )[0].upper()
    return "", ""


def _sentence(
    settings: MatchSettings,
    field_name: str,
    level: str,
    pa: PreparedRecord,
    pb: PreparedRecord,
    names: NameComparison,
    freqs: dict,
) -> str:
    """The level's own sentence, filled in: "Surname: Hussein and Hussain are spellings of one name"."""
    template = settings.levels[field_name][level].text or level.replace("_", " ")
    a, b = _values(field_name, pa, pb, names)
    note = _freq_note(freqs.get(field_name), settings)
    return f"{FIELD_LABELS[field_name]}: {template.format(a=a, b=b, note=note)}"
