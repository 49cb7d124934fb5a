"""Match bands: strong, possible or weak, from the same thresholds that decide linking.

A percentage shown beside every hit reads as a calibrated probability even where it is not one (a search
query is a partial record, scored against a national prior). So pages show the band, and the probability
only where it carries meaning: between the review and auto-link thresholds, where a person decides.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from licensing.matching.settings import MatchSettings

__all__ = ["Band", "BandKind", "match_band"]


class BandKind(enum.StrEnum):
    STRONG = "strong"
    POSSIBLE = "possible"
    WEAK = "weak"


@dataclass(frozen=True)
class Band:
    kind: BandKind
    label: str
    colour: str  # GOV.UK tag colour
    probability: float
    shows_probability: bool

    @property
    def percentage(self) -> str:
        """The probability as a page shows it: one decimal place, never rounded up to 100% or down to 0%."""
        value = min(max(self.probability * 100, 0.1), 99.9)
        return f"{value:.1f}%"


_LOOKS = {
    BandKind.STRONG: ("Strong match", "green"),
    BandKind.POSSIBLE: ("Possible match", "yellow"),
    BandKind.WEAK: ("Weak match", "grey"),
}


def match_band(probability: float, settings: MatchSettings) -> Band:
    """Strong at or above the auto-link threshold, possible from the review threshold, weak below it."""
    if probability >= settings.auto_link_threshold:
        kind = BandKind.STRONG
    elif probability >= settings.review_threshold:
        kind = BandKind.POSSIBLE
    else:
        kind = BandKind.WEAK
    label, colour = _LOOKS[kind]
    return Band(kind, label, colour, probability, shows_probability=kind is BandKind.POSSIBLE)
