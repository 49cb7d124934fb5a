"""The engine's one bounded cache (licensing.matching.caches): every table that remembers work uses it."""

import pytest

from licensing.matching import compare, normalise, records, score
from licensing.matching.caches import BoundedCache
from licensing.matching.records import MatchRecord, prepare
from licensing.matching.score import Scorer
from licensing.matching.settings import MatchSettings


def test_a_full_cache_empties_itself_before_the_next_entry_goes_in():
    cache = BoundedCache(3)
    for key in "abc":
        assert cache.put(key, key.upper()) == key.upper()
    assert dict(cache) == {"a": "A", "b": "B", "c": "C"}
    cache.put("d", "D")
    assert dict(cache) == {"d": "D"}  # emptied at the cap, then the new entry


def test_get_or_compute_works_a_value_out_once_and_remembers_it():
    calls = []

    def double(n):
        calls.append(n)
        return 2 * n

    cache = BoundedCache(2)
    assert cache.get_or_compute("x", double, 4) == 8
    assert cache.get_or_compute("x", double, 4) == 8
    assert calls == [4]
    assert cache.get_or_compute("y", double, 5) == 10
    assert cache.get_or_compute("z", double, 0) == 0  # a third key: the table was emptied first
    assert dict(cache) == {"z": 0}
    assert cache.get_or_compute("z", double, 0) == 0  # a falsy value is still a hit
    assert calls == [4, 5, 0]


def test_a_cache_needs_room():
    with pytest.raises(ValueError):
        BoundedCache(0)


def test_every_table_of_the_engine_is_a_bounded_cache_with_its_cap():
    settings = MatchSettings(name_cache_size=7)
    tables = [
        (records._name_ids, records.MAX_NAME_IDS),
        (records._names_by_text, records.MAX_NAME_IDS),
        (records._licences, records.MAX_NAME_IDS),
        (records._national_insurance, records.MAX_NAME_IDS),
        (records._house_keys, records.MAX_NAME_IDS),
        (records._sexes, records.MAX_NAME_IDS),
        (compare._stems_by_names, compare.MAX_STEMS),
        (compare._token_matches, compare.MAX_TOKEN_MATCHES),
        (normalise._token_tuples, normalise.MAX_TOKEN_TUPLES),
        (settings.name_cache, 7),
        (Scorer(settings)._tf_deltas, score._MAX_TF_DELTAS),
    ]
    for table, cap in tables:
        assert isinstance(table, BoundedCache) and table.cap == cap


def test_scoring_with_a_tiny_name_cache_gives_the_same_results():
    # The name cache empties itself over and over; every pair is still scored as with room to spare.
    names = [("Asif", "Khan"), ("Imran", "Khan"), ("John", "Smith"), ("Jon", "Smyth"), ("Sarah", "Jones")]
    people = [
        prepare(MatchRecord(str(i), forenames=fore, surname=sur, date_of_birth=f"1980-01-0{i % 2 + 1}"))
        for i, (fore, sur) in enumerate(names)
    ]
    pairs = [(a, b) for a in people for b in people]
    roomy = Scorer(MatchSettings())
    tiny = Scorer(MatchSettings(name_cache_size=2))
    assert [tiny.assess(a, b) for a, b in pairs] == [roomy.assess(a, b) for a, b in pairs]
    assert 0 < len(tiny.settings.name_cache) <= 2
