"""Fellegi-Sunter scoring: sum each field's weight, adjust for how common the value is, decide.

Decision policy (enforced here, whatever the weights say):

* Only strong evidence links automatically: an agreeing licence number, an agreeing NI number,
  or an exact date of birth. Names alone, however well they agree, never link.
* An exact date of birth without an agreeing identifier only counts as strong when both the
  surname and the forenames agree at some level (not different, missing or initials only):
  twins share a surname, a birth date and an address, and must not be merged automatically.
* A woman's changed surname (``changed``: every known sex is F, forenames agree, surnames differ,
  as after marriage) counts as agreeing for that rule; the probability must still reach the
  threshold, which in practice needs a shared address or an identifier as well.
* A pair with hard evidence of two different people (a different valid NI number, or licence
  numbers DVLA issued to two people) is flagged ``contradicts`` and is never linked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .compare import (
    NameComparison,
    compare_address,
    compare_dl,
    compare_dob,
    compare_names,
    compare_ni,
    compare_sex,
)
from .frequencies import NameFrequencies, UniformFrequencies
from .records import MatchRecord, PreparedRecord, prepare
from .settings import FIELD_LABELS, MatchSettings

__all__ = [
    "FieldEvidence",
    "LinkScorer",
    "MatchResult",
    "score_pair",
    "score_prepared",
    "pair_weight",
    "DEFAULT_SETTINGS",
]

DEFAULT_SETTINGS = MatchSettings()

LINK, REVIEW, NO_LINK = "link", "review", "no_link"
_STRONG_DL = frozenset({"exact"})
_STRONG_NI = frozenset({"exact"})
_STRONG_DOB = frozenset({"exact", "exact_text"})
_NAME_NOT_AGREEING = frozenset({"different", "missing", "initials"})


def _is_strong(dl: str, ni: str, dob: str, names: NameComparison) -> bool:
    """An agreeing identifier, or an exact DOB with both surname and forenames agreeing."""
    if dl in _STRONG_DL or ni in _STRONG_NI:
        return True
    return (
        dob in _STRONG_DOB
        and names.surname not in _NAME_NOT_AGREEING
        and names.forenames not in _NAME_NOT_AGREEING
    )


_CONTRADICT_DL = frozenset({"conflict_14th", "different"})
_CONTRADICT_NI = frozenset({"different"})


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    """One field's contribution: its level, weight in bits, and a sentence for a licensing officer."""

    field: str
    level: str
    weight: float
    text: str


@dataclass(slots=True)
class MatchResult:
    """The engine's view of one pair: probability, summed weight, per-field evidence and decision."""

    probability: float
    match_weight: float  # sum of field weights in bits (log2 Bayes factors), prior not included
    evidence: list[FieldEvidence]
    decision: str  # "link" | "review" | "no_link"
    contradicts: bool  # hard evidence of two different people
    conflicts: tuple[str, ...] = field(default=())  # reasons these two must not share a cluster
    strong: bool = False  # an identifier or exact DOB agrees (required for "link")

    def summary(self) -> str:
        """The evidence as one line: "surname: agrees, common (1 in 40) · DOB: day and month transposed"."""
        return " · ".join(e.text for e in self.evidence if e.level != "missing")

    def level(self, field_name: str) -> str:
        """The level a field landed in ("missing" if not compared)."""
        for e in self.evidence:
            if e.field == field_name:
                return e.level
        return "missing"


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


def _name_frequencies(
    names: NameComparison, frequencies: NameFrequencies | None
) -> tuple[float | None, float | None]:
    if frequencies is None:
        return None, None
    sur = frequencies.surname_frequency(names.surname_key) if names.surname_key else None
    fore = None
    if names.forename_tokens:
        # The rarest agreeing token's frequency: conservative, since forename tokens are correlated.
        fore = min(frequencies.forename_frequency(t) for t in names.forename_tokens)
    return sur, fore


_FORENAMES_FOR_CHANGE = frozenset({"exact", "variant", "diminutive", "subset"})


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


def _with_sex(names: NameComparison, pa: PreparedRecord, pb: PreparedRecord) -> NameComparison:
    """A woman's differing surname with agreeing forenames is the ``changed`` level (marriage)."""
    if names.surname == "different" and names.forenames in _FORENAMES_FOR_CHANGE and _both_female(pa, pb):
        return replace(names, surname="changed", surname_key="")
    return names


def _field_levels(pa: PreparedRecord, pb: PreparedRecord, settings: MatchSettings):
    w = settings.weights
    names = _with_sex(compare_names(pa, pb, w), pa, pb)
    return (
        names,
        compare_dl(pa, pb),
        compare_ni(pa, pb),
        compare_dob(pa, pb),
        compare_sex(pa, pb),
        compare_address(pa, pb),
    )


def _name_weights(names: NameComparison, settings: MatchSettings, frequencies: NameFrequencies | None):
    """(surname weight, forename weight, surname frequency, forename frequency) with TF adjustment."""
    levels = settings.levels
    w = settings.weights
    sur_f, fore_f = _name_frequencies(names, frequencies)
    sur_w = w["surname"][names.surname]
    if levels["surname"][names.surname].tf:
        sur_w += _tf_delta(settings, "surname", sur_f)
    fore_w = w["forenames"][names.forenames]
    if levels["forenames"][names.forenames].tf:
        fore_w += _tf_delta(settings, "forenames", fore_f)
    return sur_w, fore_w, sur_f, fore_f


def _weights(pa, pb, settings, frequencies, parts):
    names, dl, ni, dob, sex, addr = parts
    w = settings.weights
    sur_w, fore_w, sur_f, fore_f = _name_weights(names, settings, frequencies)
    dob_f = frequencies.dob_frequency(pa.dob) if (frequencies is not None and dob == "exact") else None
    dob_w = w["dob"][dob] + (_tf_delta(settings, "dob", dob_f) if dob == "exact" else 0.0)
    return (
        w["dl"][dl],
        w["ni"][ni],
        dob_w,
        sur_w,
        fore_w,
        w["sex"][sex],
        w["address"][addr],
    ), (sur_f, fore_f, dob_f)


def pair_weight(
    pa: PreparedRecord,
    pb: PreparedRecord,
    settings: MatchSettings,
    frequencies: NameFrequencies | None = None,
) -> tuple[float, bool, bool]:
    """(match_weight, strong, contradicts) without building evidence objects."""
    parts = _field_levels(pa, pb, settings)
    weights, _ = _weights(pa, pb, settings, frequencies, parts)
    names, dl, ni, dob, _, _ = parts
    strong = _is_strong(dl, ni, dob, names)
    contradicts = dl in _CONTRADICT_DL or ni in _CONTRADICT_NI
    return sum(weights), strong, contradicts


class LinkScorer:
    """Batch fast path: the weight of a pair if it can link automatically, else None.

    Same levels, weights and policy as ``score_prepared``; it stops as soon as the pair cannot
    link (no strong evidence, or a contradiction) and caches name weights per pair of names.
    """

    def __init__(self, settings: MatchSettings, frequencies: NameFrequencies | None = None) -> None:
        self.settings = settings
        self.frequencies = frequencies
        self.w = settings.weights
        self.name_cache: dict[tuple[int, int], tuple[float, bool, float | None]] = {}
        w = self.w
        self._changed_delta = (
            w["surname"].get("changed", w["surname"]["different"]) - w["surname"]["different"]
        )
        self.dob_cache: dict[str, float] = {}

    def __call__(self, pa: PreparedRecord, pb: PreparedRecord) -> float | None:
        w = self.w
        dl = compare_dl(pa, pb)
        if dl in _CONTRADICT_DL:
            return None
        ni = compare_ni(pa, pb)
        if ni in _CONTRADICT_NI:
            return None
        dob = compare_dob(pa, pb)
        identified = dl in _STRONG_DL or ni in _STRONG_NI
        if not identified and dob not in _STRONG_DOB:
            return None
        key = (pa.names_id, pb.names_id)
        cached = self.name_cache.get(key)
        if cached is None:
            names = compare_names(pa, pb, w)
            sur_w, fore_w, _, _ = _name_weights(names, self.settings, self.frequencies)
            agreeing = names.surname not in _NAME_NOT_AGREEING and names.forenames not in _NAME_NOT_AGREEING
            # A differing surname that becomes "changed" if the pair turns out to be two women.
            changeable = names.surname == "different" and names.forenames in _FORENAMES_FOR_CHANGE
            cached = (sur_w + fore_w, agreeing, changeable)
            if len(self.name_cache) > 2_000_000:
                self.name_cache.clear()
            self.name_cache[key] = cached
        name_w, agreeing, changeable = cached
        if changeable and _both_female(pa, pb):
            name_w += self._changed_delta
            agreeing = True
        if not identified and not agreeing:
            return None
        dob_w = w["dob"][dob]
        if dob == "exact" and self.frequencies is not None:
            delta = self.dob_cache.get(pa.dob)
            if delta is None:
                delta = self.dob_cache[pa.dob] = _tf_delta(
                    self.settings, "dob", self.frequencies.dob_frequency(pa.dob)
                )
            dob_w += delta
        return (
            w["dl"][dl] + w["ni"][ni] + dob_w + name_w
            + w["sex"][compare_sex(pa, pb)] + w["address"][compare_address(pa, pb)]
        )


def decide(settings: MatchSettings, probability: float, strong: bool, contradicts: bool) -> str:
    """Apply thresholds and the policy: link needs strong evidence and no contradiction."""
    if probability >= settings.auto_link_threshold and strong and not contradicts:
        return LINK
    if probability >= settings.review_threshold:
        return REVIEW
    return NO_LINK


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
    parts = _field_levels(pa, pb, settings)
    weights, (sur_f, fore_f, dob_f) = _weights(pa, pb, settings, frequencies, parts)
    names, dl, ni, dob, sex, addr = parts
    show_freq = frequencies is not None and not isinstance(frequencies, UniformFrequencies)
    texts = (
        _dl_text(dl),
        _ni_text(ni),
        _dob_text(dob, pa, pb, dob_f if show_freq else None, settings),
        _surname_text(names, sur_f if show_freq else None, settings),
        _forename_text(names, fore_f if show_freq else None, settings),
        _sex_text(sex),
        _address_text(addr, pa, pb),
    )
    fields = ("dl", "ni", "dob", "surname", "forenames", "sex", "address")
    levels = (dl, ni, dob, names.surname, names.forenames, sex, addr)
    evidence = [
        FieldEvidence(f, lv, round(wt, 3), tx)
        for f, lv, wt, tx in zip(fields, levels, weights, texts, strict=False)
    ]
    # Strongest evidence first, so the summary leads with what decided it.
    evidence.sort(key=lambda e: (e.level == "missing", -abs(e.weight)))
    match_weight = sum(weights)
    probability = _probability(settings, match_weight)
    strong = _is_strong(dl, ni, dob, names)
    contradicts = dl in _CONTRADICT_DL or ni in _CONTRADICT_NI
    conflicts = []
    if dl in _CONTRADICT_DL:
        conflicts.append(_dl_text(dl))
    if ni in _CONTRADICT_NI:
        conflicts.append(_ni_text(ni))
    if sex == "differ":
        conflicts.append("sex: differs")
    if dob == "different" and pa.dob_iso and pb.dob_iso:
        conflicts.append(f"DOB: differs ({pa.dob} / {pb.dob})")
    if dl == "cross_inconsistent":
        conflicts.append(_dl_text(dl))
    if not conflicts and match_weight < settings.cluster_conflict_weight:
        conflicts.append(f"scores {match_weight:.1f} bits against each other")
    return MatchResult(
        probability=probability,
        match_weight=match_weight,
        evidence=evidence,
        decision=decide(settings, probability, strong, contradicts),
        contradicts=contradicts,
        conflicts=tuple(conflicts),
        strong=strong,
    )


# --- explanation text -----------------------------------------------------------------------


def _freq_note(frequency: float | None, settings: MatchSettings) -> str:
    if frequency is None or frequency <= 0:
        return ""
    one_in = max(1, round(1 / frequency))
    if frequency >= settings.common_value_frequency:
        return f", common (1 in {one_in:,})"
    if frequency < settings.rare_value_frequency:
        return f", rare (1 in {one_in:,})"
    return f" (1 in {one_in:,})"


def _show(tokens) -> str:
    return " ".join(t.raw.title() for t in tokens)


def _differing(pairs) -> tuple[str, str]:
    left = [x for x, y in pairs if x.raw != y.raw]
    right = [y for x, y in pairs if x.raw != y.raw]
    return _show(left), _show(right)


def _surname_text(n: NameComparison, freq: float | None, settings: MatchSettings) -> str:
    label = FIELD_LABELS["surname"]
    x = _show(n.left.family) if n.left else ""
    y = _show(n.right.family) if n.right else ""
    level = n.surname
    if level == "exact":
        return f"{label}: agrees{_freq_note(freq, settings)}"
    if level == "variant":
        a, b = _differing(n.surname_pairs)
        return f"{label}: {a or x} ~ {b or y} (spelling variant){_freq_note(freq, settings)}"
    if level == "partial":
        return f"{label}: {x} / {y} (part of the surname missing){_freq_note(freq, settings)}"
    if level == "reordered":
        return f"{label}: name order differs ({n.left.display.title()} / {n.right.display.title()}){_freq_note(freq, settings)}"  # noqa: E501
    if level == "fuzzy":
        return f"{label}: {x} ~ {y} (similar spelling)"
    if level == "changed":
        return f"{label}: differs ({x} / {y}), forenames agree: a woman's changed surname (marriage?)"
    if level == "different":
        return f"{label}: differs ({x} / {y})"
    return f"{label}: missing"


def _forename_text(n: NameComparison, freq: float | None, settings: MatchSettings) -> str:
    label = FIELD_LABELS["forenames"]
    x = _show(n.left.given) if n.left else ""
    y = _show(n.right.given) if n.right else ""
    level = n.forenames
    if n.surname == "reordered" and level not in ("missing", "different"):
        agreed = _show(x for x, _ in n.forename_pairs) or "-"
        return f"{label}: {agreed} agrees in a different position (name order differs){_freq_note(freq, settings)}"  # noqa: E501
    if level == "exact":
        return f"{label}: agree{_freq_note(freq, settings)}"
    if level == "variant":
        a, b = _differing(n.forename_pairs)
        if not a:
            return f"{label}: {x} / {y} (same names, different order){_freq_note(freq, settings)}"
        return f"{label}: {a} ~ {b} (spelling variant){_freq_note(freq, settings)}"
    if level == "diminutive":
        a, b = _differing(n.forename_pairs)
        return f"{label}: {a} ~ {b} (short form){_freq_note(freq, settings)}"
    if level == "subset":
        return f"{label}: {x} / {y} (a name missing on one side){_freq_note(freq, settings)}"
    if level == "fuzzy":
        a, b = _differing(n.forename_pairs)
        return f"{label}: {a} ~ {b} (similar spelling)"
    if level == "initials":
        return f"{label}: initials only ({x} / {y})"
    if level == "different":
        return f"{label}: differ ({x} / {y})"
    return f"{label}: missing"


def _dob_text(
    level: str, pa: PreparedRecord, pb: PreparedRecord, freq: float | None, settings: MatchSettings
) -> str:
    label = FIELD_LABELS["dob"]
    return {
        "exact": f"{label}: agrees{_freq_note(freq, settings)}",
        "exact_text": f"{label}: same text ({pa.dob!r}, not a valid date)",
        "transposed": f"{label}: day and month transposed",
        "typo": f"{label}: one digit differs ({pa.dob} / {pb.dob})",
        "year_off": f"{label}: year differs by one",
        "different": f"{label}: differs ({pa.dob} / {pb.dob})",
    }.get(level, f"{label}: missing")


def _dl_text(level: str) -> str:
    label = FIELD_LABELS["dl"]
    return (
        label
        + ": "
        + {
            "exact": "agrees",
            "check_differs": "agrees except the last two characters",
            "typo": "one character differs (typo?)",
            "name_change": "differs only in the surname part (name change?)",
            "conflict_14th": "same name, birth date and initials but a different 14th character — different people",  # noqa: E501
            "different": "differs — different people",
            "different_unverified": "differs (at least one is not a valid number)",
            "cross_consistent": "on one record only; fits the other record's surname, DOB and sex",
            "cross_inconsistent": "on one record only; does not fit the other record's DOB or sex",
            "cross_unclear": "on one record only",
        }.get(level, "missing")
    )


def _ni_text(level: str) -> str:
    label = FIELD_LABELS["ni"]
    return label + ": " + {
        "exact": "agrees",
        "typo": "one character differs (typo?)",
        "different": "differs — different people",
        "different_unverified": "differs (at least one is not a valid number)",
    }.get(level, "missing")


def _sex_text(level: str) -> str:
    return "sex: " + {"agree": "agrees", "differ": "differs"}.get(level, "missing")


def _address_text(level: str, pa: PreparedRecord, pb: PreparedRecord) -> str:
    label = FIELD_LABELS["address"]
    if level in ("same_address", "postcode"):
        shared = sorted(set(pa.postcodes) & set(pb.postcodes))
        what = "same address" if level == "same_address" else "shared postcode"
        return f"{label}: {what} {', '.join(shared)}"
    return label + ": " + {
        "sector": "same postcode sector",
        "district": "same postcode district",
        "different": "no shared postcode",
    }.get(level, "missing")
