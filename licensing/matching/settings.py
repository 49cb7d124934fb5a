"""Match settings: m and u probabilities per field level, the prior and the decision thresholds.

Fellegi-Sunter in one paragraph (after Splink's ``fellegi_sunter.md``): for each field, a pair of
records falls into one comparison *level* (e.g. "DOB: day and month transposed"). ``m`` is the
probability of that level when the two records are the same person; ``u`` the probability when
they are two different people picked at random. The level's *match weight* is ``log2(m/u)``. The
weights are added to the prior log-odds; the sum converts back to a probability.

How the defaults were derived (no labelled register data was available). ``match_file`` re-estimates m from
the file being matched by EM (``em.py``, bounded to a factor of 8 either way) and the prior from the estimated
share of true pairs; the register uses these documented values until a council adopts its own estimates:

* **u** comes from how often unrelated people agree by chance. A birth date spread over about
  50 birth years gives 1/18,000 for an exact DOB. Surname and forename u are the average chance
  that two random people in this register share the value (sum of squared frequencies): the
  county's drivers are mostly of Pakistani heritage, where a handful of names dominate, so the
  averages are set high (1 in 200 for surnames, 1 in 300 for forenames). With name frequencies
  from the register, u is replaced by the value's own frequency (term-frequency adjustment, as in
  Splink's ``term_frequencies.py``): agreeing on "Khan" (1 in 12 here) is worth about 3.4 bits;
  on a surname held by 1 in 20,000, about 13 bits.
* **m** comes from error-rate assumptions for records of one person: an identifier keyed on both
  records and typed correctly (licence number 92%, NI number 90%); DOB typed correctly 93%, with
  transposed day/month about 1%, a one-digit slip 3%; surname spelled identically 85%, as a
  transliteration variant 6% (forenames 70% / 10%, since Mohd vs Muhammad is routine); a changed
  surname (marriage) or a different name order 3-5%.
* Where a level restates other fields, u is taken *conditional* on those fields agreeing, because
  the independence assumption fails. A licence number's first 13 characters are computed from
  surname, DOB, sex and initials, so two numbers that agree on those 13 but differ in the 14th
  character (DVLA's tie-break between two people) carry u = 0.5 and m = 0.000002: about -18 bits,
  enough to cancel the agreeing surname, initials, DOB and sex that the 13 characters imply, and
  the pair is flagged as contradicting. Two valid NI
  numbers that differ by more than a typo get m = 0.0001 (one number per person for life; the
  residue is keying errors the typo level misses): about -13 bits, and also contradict.
* A woman's surname that differs between two records whose forenames agree gets its own level
  (``changed``, m = 0.25 instead of 0.05): marriage makes that routine for women and rare for men.
  The pair counts as female only when every sex on the records or encoded in their licence
  numbers says F. When both licence numbers agree on everything but the surname part
  (``name_change``), the licence level is neutral: the surname level already carries the change.
* The prior (one in a million) is the chance that two random records in a national register of
  about a million person records belong to one person (about 1.5 records per person). It is
  deliberately national: at county scale it only makes automatic links harder.

Decision thresholds: ``auto_link_threshold`` 0.999 means at most about one wrong automatic merge in
a thousand links; vetoes and guards (``score.py``) hold back pairs the probability alone would link.
``review_threshold`` 0.5 sends pairs that are more likely than not the same person to a licensing officer,
and pairs with the same date of birth and names agreeing in part go to review whatever the odds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .caches import BoundedCache

__all__ = ["Level", "MatchSettings", "DEFAULT_LEVELS", "FIELD_LABELS"]


@dataclass(frozen=True, slots=True)
class Level:
    """One comparison level: m and u, whether term frequencies adjust it, its explanation and any veto.

    ``text`` is the plain sentence an officer reads when a pair lands here; ``{a}`` and ``{b}`` are the two
    values as written and ``{note}`` how common the agreeing value is. ``condition`` says in words when a
    pair lands here (the comparison functions in ``compare.py`` test the conditions, strongest first).
    ``veto``: hard evidence of two different people, so the pair never links automatically.
    """

    m: float
    u: float
    tf: bool = False  # agreement weighted by how common the value is
    text: str = ""
    veto: bool = False
    condition: str = ""

    @property
    def weight(self) -> float:
        """log2(m/u), the Bayes factor in bits."""
        return math.log2(self.m / self.u)


# Field names are short keys in stored evidence; officers only ever see these labels.
FIELD_LABELS = {
    "dl": "Driving licence number",
    "ni": "National Insurance number",
    "dob": "Date of birth",
    "surname": "Surname",
    "forenames": "Forenames",
    "sex": "Sex",
    "address": "Address",
}

_SAME = "the same{note}"
_SLIP = "one character differs ({a} and {b}), probably a typing slip"
_MISSING = "not on both records"
L = Level

# field -> level -> Level. Levels are listed from strongest agreement to strongest disagreement.
DEFAULT_LEVELS: dict[str, dict[str, Level]] = {
    "dl": {
        "exact": L(0.92, 1e-8, text="the same", condition="the same number"),
        "check_differs": L(
            0.01,
            1e-7,
            text="the same except the last two characters",
            condition="first 14 characters agree: the check letters were mistyped",
        ),
        "typo": L(0.02, 1e-6, text=_SLIP, condition="one character wrong or two swapped"),
        "name_change": L(
            0.02,
            0.02,
            text="differs only in the surname part, as after a change of name",
            condition="only the surname part differs: neutral",
        ),
        "conflict_14th": L(
            2e-6,
            0.5,
            veto=True,
            text="the same name, birth date and initials but a different 14th character: DVLA "
            "issued these numbers to two different people",
            condition="first 13 characters agree, the 14th differs (conditional u)",
        ),
        "different": L(
            0.001,
            0.999,
            veto=True,
            text="two different valid numbers: two different people",
            condition="both valid, not a typo",
        ),
        "different_unverified": L(
            0.05,
            0.999,
            text="differs ({a} and {b}); at least one is not a valid number",
            condition="differ by more than one character, at least one invalid",
        ),
        "cross_consistent": L(
            0.9,
            0.5,
            text="on one record only; it fits the other record's surname, date of birth and sex",
            condition="one number, consistent with the other",
        ),
        "cross_inconsistent": L(
            0.03,
            0.9,
            text="on one record only; it does not fit the other record's date of birth or sex",
            condition="one number, contradicts the other",
        ),
        "cross_unclear": L(1.0, 1.0, text="on one record only", condition="one number, nothing to check"),
        "missing": L(1.0, 1.0, text=_MISSING, condition="neither record has one"),
    },
    "ni": {
        "exact": L(0.90, 1e-7, text="the same", condition="the same valid number (suffix letter ignored)"),
        "typo": L(0.02, 1e-5, text=_SLIP, condition="valid numbers one character apart"),
        "text_exact": L(
            0.85,
            1e-5,
            text="the same ({a}), though not a valid NI number",
            condition="the same text, not a valid NI number",
        ),
        "text_transposed": L(
            0.02,
            1e-5,
            text="two characters swapped ({a} and {b}), probably a typing slip; not a valid NI number",
            condition="two adjacent characters swapped, at least one not a valid NI number (by chance a swap "
            "is about a tenth as likely as another one-character difference)",
        ),
        "text_typo": L(
            0.05,
            1e-4,
            text=_SLIP + "; not a valid NI number",
            condition="one character changed, added or dropped, at least one not a valid NI number",
        ),
        "different": L(
            0.0001,
            0.9999,
            veto=True,
            text="two different valid numbers: two different people",
            condition="both valid and different: one number per person for life",
        ),
        "different_unverified": L(
            0.04,
            0.99,
            text="differs ({a} and {b}); at least one is not a valid number",
            condition="differ by more than one character, at least one invalid",
        ),
        "missing": L(1.0, 1.0, text=_MISSING),
    },
    "dob": {
        "exact": L(0.93, 1 / 18_000, tf=True, text=_SAME, condition="the same date"),
        "exact_text": L(
            0.93,
            1e-4,
            text="the same text ({a}), not a valid date",
            condition="not a valid date, same text on both",
        ),
        "transposed": L(
            0.01,
            1 / 36_000,
            text="day and month transposed ({a} and {b})",
            condition="same year, day and month swapped",
        ),
        "typo": L(
            0.03,
            25 / 18_000,
            text="one digit differs or two are swapped ({a} and {b})",
            condition="one digit wrong or two digits swapped (the year's too: 1918 / 1981)",
        ),
        "year_off": L(0.01, 2 / 18_000, text="the same day and month, the year differs by one ({a} and {b})"),
        "year_only": L(
            0.02,
            1 / 50,
            text="only the year is the same ({a} and {b})",
            condition="same year, day and month differ",
        ),
        "different": L(0.01, 0.978, text="differs ({a} and {b})"),
        "missing": L(1.0, 1.0, text=_MISSING),
    },
    "surname": {
        "exact": L(0.85, 1 / 200, tf=True, text=_SAME),
        "variant": L(
            0.06,
            1 / 150,
            tf=True,
            text="{a} and {b} are spellings of one name{note}",
            condition="one transliteration family, or doubled letters, a final h or a silent h after c, g, t",
        ),
        "partial": L(
            0.03,
            1 / 100,
            tf=True,
            text="{a} and {b}: part of the surname is missing on one side{note}",
            condition="one part of a compound surname missing",
        ),
        "reordered": L(
            0.03,
            1 / 150,
            tf=True,
            text="the name order differs ({a} and {b}){note}",
            condition="found among the other record's forenames",
        ),
        "fuzzy": L(
            0.03,
            1 / 300,
            text="{a} and {b} differ by one letter, probably a typing slip",
            condition="one letter added, dropped, changed or two swapped",
        ),
        "similar": L(
            0.02,
            1 / 120,
            text="{a} and {b} are spelt very alike",
            condition="Jaro-Winkler similarity at least 0.92",
        ),
        "alike": L(0.01, 1 / 40, text="{a} and {b} are spelt alike", condition="Jaro-Winkler at least 0.85"),
        # Two women whose forenames agree but whose surnames differ: for women a differing surname
        # is routine (marriage), so m is conditional on that (about 1 in 4 pairs of one woman's records).
        "changed": L(
            0.25,
            0.97,
            text="{a} and {b} differ while the forenames agree: a woman's changed surname, as after marriage",
            condition="every known sex is F, forenames agree, surnames differ",
        ),
        "different": L(0.04, 0.94, text="differs ({a} and {b})"),
        "missing": L(1.0, 1.0, text=_MISSING),
    },
    "forenames": {
        "exact": L(0.70, 1 / 300, tf=True, text=_SAME),
        "variant": L(
            0.10,
            1 / 200,
            tf=True,
            text="{a} and {b} are spellings of one name{note}",
            condition="one transliteration family, the same names in another order, or spellings apart only "
            "by doubled letters, a final h or a silent h after c, g or t (Michaela / Micaela)",
        ),
        "diminutive": L(0.03, 1 / 600, tf=True, text="{a} is a short form of {b}{note}"),
        "subset": L(
            0.08,
            1 / 150,
            tf=True,
            text="{a} and {b}: a name is left out on one side{note}",
            condition="a middle name, or a leading Muhammad, missing",
        ),
        "fuzzy": L(
            0.04,
            1 / 300,
            text="{a} and {b} differ by one letter, probably a typing slip",
            condition="one letter apart (two from 9 letters), 5 letters or more; shorter names, or letters "
            "one apart across a space or hyphen, only where the file's counts show a slip (score._file_slip)",
        ),
        "similar": L(
            0.02,
            1 / 120,
            text="{a} and {b} are spelt very alike",
            condition="Jaro-Winkler similarity at least 0.92",
        ),
        "alike": L(0.01, 1 / 40, text="{a} and {b} are spelt alike", condition="Jaro-Winkler at least 0.85"),
        "initials": L(0.02, 1 / 30, text="only initials to compare ({a} and {b}); they agree"),
        "different": L(0.04, 0.93, text="differ ({a} and {b})"),
        "missing": L(1.0, 1.0, text=_MISSING),
    },
    "sex": {
        "agree": L(0.98, 0.5, text="the same"),
        "differ": L(0.01, 0.5, text="differs"),
        "missing": L(1.0, 1.0, text=_MISSING),
    },
    "address": {
        "same_address": L(
            0.30,
            5e-5,
            text="the same address ({a})",
            condition="a shared postcode and house number in the address histories (a postcode that is not a "
            "valid UK postcode, compared as text: with the house number or the street alike)",
        ),
        "postcode": L(0.35, 2e-4, text="the same postcode ({a})", condition="a shared postcode"),
        "street": L(
            0.10,
            1e-3,
            text="the same street ({a}) with a different or unreadable postcode",
            condition="first address lines alike (word by word, or letter by letter without the spaces), "
            "in one postcode district or with postcodes that are not valid UK postcodes",
        ),
        "sector": L(0.10, 0.01, text="the same postcode sector ({a} and {b})"),
        "district": L(0.10, 0.05, text="the same postcode district ({a} and {b})"),
        "different": L(0.15, 0.94, text="no address in common"),
        "missing": L(1.0, 1.0, text=_MISSING),
    },
}
del L


@dataclass(frozen=True, eq=False)
class MatchSettings:
    """Everything that tunes the engine: level probabilities, prior, thresholds, TF limits."""

    levels: dict[str, dict[str, Level]] = field(default_factory=lambda: DEFAULT_LEVELS)
    prior: float = 1e-6  # P(two random records are one person), national register scale
    auto_link_threshold: float = 0.999  # probability at or above which a pair links without review
    review_threshold: float = 0.5  # probability at or above which a pair is proposed for review
    tf_minimum_u: float = 1e-4  # a value's frequency is floored here so rare typos don't dominate
    common_value_frequency: float = 1 / 500  # at or above: the explanation says "common (1 in N)"
    rare_value_frequency: float = 1 / 5000  # below: the explanation says "rare"
    cluster_conflict_weight: float = -6.0  # a pair summing below this (bits) must not share a cluster
    # Namesake guard: a pair that agrees on name and date of birth with no identifier or address agreeing
    # links
    # only if fewer than this many *other* people in the register are expected to share that full name and
    # date of birth (register size x surname, forename and birth-date frequencies). Otherwise: review.
    namesake_limit: float = 0.02
    review_look_alikes: bool = True  # same date of birth and names agreeing in part: review whatever the odds
    register_size: int = 1_000_000  # used for the guard when the frequencies do not say how many records
    name_cache_size: int = 500_000  # pairs of names whose comparison one settings object remembers

    def __post_init__(self) -> None:
        if not 0 < self.prior < 1:
            raise ValueError("prior must be between 0 and 1")
        if not 0 < self.review_threshold <= self.auto_link_threshold < 1:
            raise ValueError("need 0 < review_threshold <= auto_link_threshold < 1")
        # Cached weights: the hot path looks up floats, not Level objects.
        weights = {f: {k: lvl.weight for k, lvl in lv.items()} for f, lv in self.levels.items()}
        object.__setattr__(self, "_weights", weights)
        # Name comparisons depend only on these weights, so the cache lives and dies with this object.
        object.__setattr__(self, "name_cache", BoundedCache(self.name_cache_size))
        object.__setattr__(self, "_prior_weight", math.log2(self.prior / (1 - self.prior)))

    @property
    def weights(self) -> dict[str, dict[str, float]]:
        """field -> level -> log2(m/u)."""
        return self._weights  # type: ignore[attr-defined]

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds."""
        return self._prior_weight  # type: ignore[attr-defined]

    def with_levels(self, **changes: dict[str, Level]) -> MatchSettings:
        """A copy with some fields' levels replaced (e.g. after EM estimation)."""
        levels = {f: dict(lv) for f, lv in self.levels.items()}
        for name, lv in changes.items():
            levels[name] = {**levels.get(name, {}), **lv}
        return replace(self, levels=levels)

    def weight_for_probability(self, probability: float) -> float:
        """The sum of field weights needed to reach a probability (handy for pruning)."""
        return math.log2(probability / (1 - probability)) - self.prior_weight
