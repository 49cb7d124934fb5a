"""The scorer's caches (per pair of name ids, per birth date) give what working it out afresh gives."""

from licensing.matching.frequencies import CountedFrequencies
from licensing.matching.records import MatchRecord, prepare
from licensing.matching.score import DEFAULT_SETTINGS, Scorer


def rec(record_id, forenames, surname, dob="1980-03-05", sex=""):
    return MatchRecord(record_id, forenames=forenames, surname=surname, date_of_birth=dob, sex=sex)


def test_a_scorer_given_new_counts_weighs_by_them_not_by_what_it_cached():
    a, b = prepare(rec("1", "Imran", "Khan")), prepare(rec("2", "Imran", "Khan"))
    others = [rec(f"o{i}", "Peter", f"Smith{i}", "1950-01-01") for i in range(50)]
    rare = CountedFrequencies.from_records(others)
    common = CountedFrequencies.from_records([rec(f"k{i}", "Imran", "Khan") for i in range(50)])
    scorer = Scorer(DEFAULT_SETTINGS, rare)
    first = scorer.assess(a, b)
    scorer.frequencies = common
    second = scorer.assess(a, b)
    assert second.weights == Scorer(DEFAULT_SETTINGS, common).assess(a, b).weights
    assert second.frequencies == Scorer(DEFAULT_SETTINGS, common).assess(a, b).frequencies
    assert second.match_weight < first.match_weight  # a common name and birth date say less


def test_one_pair_of_names_read_as_a_changed_surname_only_for_two_women():
    """Names are cached per pair of name ids, but a changed surname also needs both records to be women."""
    women = prepare(rec("1", "Fatima", "Khan", sex="F")), prepare(rec("2", "Fatima", "Ahmed", sex="F"))
    men = prepare(rec("3", "Fatima", "Khan", sex="M")), prepare(rec("4", "Fatima", "Ahmed", sex="M"))
    assert women[0].names_id == men[0].names_id and women[1].names_id == men[1].names_id
    scorer = Scorer(DEFAULT_SETTINGS)
    for pair in (women, men, women, men):
        cached = scorer.assess(*pair)
        fresh = Scorer(DEFAULT_SETTINGS).assess(*pair)
        assert (cached.levels, cached.weights) == (fresh.levels, fresh.weights)
        assert cached.decision == fresh.decision
    assert scorer.assess(*women).levels[3] == "changed"
    assert scorer.assess(*men).levels[3] == "different"
