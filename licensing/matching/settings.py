"""Match settings: m and u probabilities per field level, the prior and the decision thresholds.

Fellegi-Sunter in one paragraph (after Splink's ``fellegi_sunter.md``): for each field, a pair of
records falls into one comparison *level* (e.g. "DOB: day and month transposed"). ``m`` is the
probability of that level when the two records are the same person; ``u`` the probability when
they are two different people picked at random. The level's *match weight* is ``log2(m/u)``. The
weights are added to the prior log-odds; the sum converts back to a probability.

How the defaults were derived (no labelled register data was available; re-estimate with
``estimate_parameters_em`` once reviewed links exist):

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
a thousand links, on top of the hard rule that only an agreeing licence or NI number, or an exact
date of birth, may link automatically. ``review_threshold`` 0.5 sends pairs that are more likely than
not the same person to a licensing officer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

__all__ = ["Level", "MatchSettings", "DEFAULT_LEVELS", "FIELD_LABELS"]


@dataclass(frozen=True, slots=True)
class Level:
    """One comparison level: its m and u probabilities and whether term frequencies adjust it."""

    m: float
    u: float
    tf: bool = False  # agreement weighted by how common the value is

    @property
    def weight(self) -> float:
        """log2(m/u), the Bayes factor in bits."""
        return math.log2(self.m / self.u)


FIELD_LABELS = {
    "dl": "licence no.",
    "ni": "NI number",
    "dob": "DOB",
    "surname": "surname",
    "forenames": "forenames",
    "sex": "sex",
    "address": "address",
}

# field -> level -> Level. Levels are listed from strongest agreement to strongest disagreement.
DEFAULT_LEVELS: dict[str, dict[str, Level]] = {
    "dl": {
        "exact": Level(0.92, 1e-8),
        "check_differs": Level(0.01, 1e-7),  # first 14 agree: the check letters were mistyped
        "typo": Level(0.02, 1e-6),  # one character wrong or two swapped
        "name_change": Level(0.02, 0.02),  # only the surname part differs: neutral (new surname?)
        "conflict_14th": Level(2e-6, 0.5),  # conditional u, see module docstring; contradicts
        "different": Level(0.001, 0.999),  # both valid, not a typo: contradicts
        "different_unverified": Level(0.05, 0.999),  # at least one invalid number
        "cross_consistent": Level(0.9, 0.5),  # one number, consistent with the other's name/DOB/sex
        "cross_inconsistent": Level(0.03, 0.9),  # one number, contradicts the other's DOB or sex
        "cross_unclear": Level(1.0, 1.0),
        "missing": Level(1.0, 1.0),
    },
    "ni": {
        "exact": Level(0.90, 1e-7),
        "typo": Level(0.02, 1e-5),
        "different": Level(0.0001, 0.9999),  # both valid: contradicts (one number per person for life)
        "different_unverified": Level(0.04, 0.99),
        "missing": Level(1.0, 1.0),
    },
    "dob": {
        "exact": Level(0.93, 1 / 18_000, tf=True),
        "exact_text": Level(0.93, 1e-4),  # not a valid date, same text on both
        "transposed": Level(0.01, 1 / 36_000),
        "typo": Level(0.03, 25 / 18_000),
        "year_off": Level(0.01, 2 / 18_000),
        "different": Level(0.02, 0.998),
        "missing": Level(1.0, 1.0),
    },
    "surname": {
        "exact": Level(0.85, 1 / 200, tf=True),
        "variant": Level(0.06, 1 / 150, tf=True),
        "partial": Level(0.03, 1 / 100, tf=True),  # one part of a compound surname missing
        "reordered": Level(0.03, 1 / 150, tf=True),  # found among the other record's forenames
        "fuzzy": Level(0.02, 1 / 100),
        # Two women whose forenames agree but whose surnames differ: for women a differing surname
        # is routine (marriage), so m is conditional on that (about 1 in 4 pairs of one woman's
        # records), u as for "different". Also counts as agreeing for the exact-DOB rule.
        "changed": Level(0.25, 0.97),
        "different": Level(0.05, 0.97),
        "missing": Level(1.0, 1.0),
    },
    "forenames": {
        "exact": Level(0.70, 1 / 300, tf=True),
        "variant": Level(0.10, 1 / 200, tf=True),
        "diminutive": Level(0.03, 1 / 600, tf=True),
        "subset": Level(0.08, 1 / 150, tf=True),  # a middle name, or a leading Muhammad, missing
        "fuzzy": Level(0.03, 1 / 100),
        "initials": Level(0.02, 1 / 30),
        "different": Level(0.04, 0.95),
        "missing": Level(1.0, 1.0),
    },
    "sex": {
        "agree": Level(0.98, 0.5),
        "differ": Level(0.01, 0.5),
        "missing": Level(1.0, 1.0),
    },
    "address": {
        "same_address": Level(0.30, 5e-5),  # shared postcode and house number in the histories
        "postcode": Level(0.35, 2e-4),  # shared postcode in the histories
        "sector": Level(0.10, 0.01),
        "district": Level(0.10, 0.05),
        "different": Level(0.25, 0.94),
        "missing": Level(1.0, 1.0),
    },
}


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

    def __post_init__(self) -> None:
        if not 0 < self.prior < 1:
            raise ValueError("prior must be between 0 and 1")
        if not 0 < self.review_threshold <= self.auto_link_threshold < 1:
            raise ValueError("need 0 < review_threshold <= auto_link_threshold < 1")
        # Cached weights: the hot path looks up floats, not Level objects.
        weights = {f: {k: lvl.weight for k, lvl in lv.items()} for f, lv in self.levels.items()}
        object.__setattr__(self, "_weights", weights)

    @property
    def weights(self) -> dict[str, dict[str, float]]:
        """field -> level -> log2(m/u)."""
        return self._weights  # type: ignore[attr-defined]

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds."""
        return math.log2(self.prior / (1 - self.prior))

    def with_levels(self, **changes: dict[str, Level]) -> MatchSettings:
        """A copy with some fields' levels replaced (e.g. after EM estimation)."""
        levels = {f: dict(lv) for f, lv in self.levels.items()}
        for name, lv in changes.items():
            levels[name] = {**levels.get(name, {}), **lv}
        return replace(self, levels=levels)

    def weight_for_probability(self, probability: float) -> float:
        """The sum of field weights needed to reach a probability (handy for pruning)."""
        return math.log2(probability / (1 - probability)) - self.prior_weight
