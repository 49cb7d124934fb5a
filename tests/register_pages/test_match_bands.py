"""Bands come from the linking thresholds themselves, whatever they are set to."""

import pytest

from licensing.matching.bands import BandKind, match_band
from licensing.matching.settings import MatchSettings


@pytest.mark.parametrize("review, auto", [(0.5, 0.999), (0.2, 0.9), (0.7, 0.95)])
def test_bands_follow_the_linking_thresholds(review, auto):
    settings = MatchSettings(review_threshold=review, auto_link_threshold=auto)
    assert match_band(auto, settings).kind is BandKind.STRONG
    assert match_band((review + auto) / 2, settings).kind is BandKind.POSSIBLE
    assert match_band(review, settings).kind is BandKind.POSSIBLE
    below = match_band(review / 2, settings)
    assert below.kind is BandKind.WEAK and not below.shows_probability
    assert not match_band(auto, settings).shows_probability
    assert match_band(review, settings).shows_probability


def test_a_shown_probability_is_never_rounded_to_certainty():
    settings = MatchSettings()
    near_certain = match_band(settings.auto_link_threshold - 1e-9, settings)
    assert near_certain.kind is BandKind.POSSIBLE and near_certain.percentage != "100.0%"
