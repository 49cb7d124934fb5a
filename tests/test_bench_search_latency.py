"""bench/search_latency.py's count of the people who fit a query as well as its target does."""

import datetime as dt
from types import SimpleNamespace

from bench import search_latency as bench
from licensing.register.search import SearchCriteria


def _record(person: str, forenames: str, surname: str):
    return SimpleNamespace(
        true_person_id=person,
        forenames=forenames,
        surname=surname,
        date_of_birth=dt.date(1970, 1, 1),
        authority_code="WDC",
    )


def test_namesakes_count_the_typed_name_with_as_many_words_more_as_the_targets_name_has():
    """Jones Anthony typed for Anthony Matthew Jones: Anthony David Jones fits as well as the target (all that
    was typed, and one word more), so he counts; Anthony Jones counts as before; Anthony Paul Mark Jones (two
    words more) and Anthony Smith do not. The count before round 12 (wider=False) left out longer names."""
    records = [
        _record("target", "Anthony Matthew", "Jones"),  # record 1: the target
        _record("p1", "Anthony", "Jones"),
        _record("p2", "Anthony David", "Jones"),
        _record("p3", "Anthony Paul Mark", "Jones"),
        _record("p4", "Anthony", "Smith"),
        _record("p5", "David Anthony", "Jones"),  # the same words in another order
    ]
    bench._TRUE_PERSON.update({i + 1: r.true_person_id for i, r in enumerate(records)})
    by = bench._people_by_name_and_date(records)
    typed = SearchCriteria(forenames="Jones", surname="Anthony")
    target_name = bench._name_key("Anthony Matthew", "Jones")
    assert bench._namesakes(by, "swap_only", typed, 1, target_name) == 3  # p1, p2, p5
    assert bench._namesakes(by, "swap_only", typed, 1, target_name, wider=False) == 1  # p1
    # A target written as typed: the longer names fit less well than it does, and are not counted.
    assert bench._namesakes(by, "swap_only", typed, 2, bench._name_key("Anthony", "Jones")) == 0
