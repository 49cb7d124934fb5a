"""Scorer.conflicts, the join rule's shortcut, says exactly what Scorer.result's conflicts say."""

import itertools

from licensing.matching import CountedFrequencies, MatchRecord, MatchSettings, Scorer, prepare
from licensing.people.identity import first_contradiction
from seed.population import generate_population


def _records(n: int) -> list[MatchRecord]:
    out = []
    for r in generate_population(n, seed=8).records:
        out.append(
            MatchRecord(
                r.record_id,
                forenames=r.forenames,
                surname=r.surname,
                other_names=tuple(r.other_names),
                date_of_birth=r.date_of_birth.isoformat(),
                sex=r.sex,
                postcodes=tuple(a.postcode for a in r.addresses),
                address_lines=tuple(a.line1 for a in r.addresses),
                national_insurance=r.national_insurance,
                driving_licence_number=r.driving_licence_number,
            )
        )
    return out


def test_conflicts_agree_with_the_full_result_on_every_pair():
    by_id = {r.record_id: prepare(r) for r in _records(300)}
    frequencies = CountedFrequencies()
    for r in by_id.values():
        frequencies.add_prepared(r)
    true_pairs = generate_population(300, seed=8).true_pairs()
    # Every true pair (mostly no conflict) and a slice of all pairs (mostly conflicting).
    pairs = [tuple(sorted(p)) for p in true_pairs] + list(itertools.combinations(sorted(by_id), 2))[:5000]
    seen = {True: 0, False: 0}
    for freq in (None, frequencies):
        scorer = Scorer(MatchSettings(), freq)
        for a, b in pairs:
            expected = scorer.result(by_id[a], by_id[b]).conflicts
            assert scorer.conflicts(by_id[a], by_id[b]) == expected, (a, b)
            seen[bool(expected)] += 1
    assert seen[True] > 100 and seen[False] > 100


def test_the_join_rule_takes_a_pair_already_scored_from_the_caller():
    same = _records(300)[0]
    known = {1: same, 2: same}
    settings = MatchSettings()
    assert first_contradiction([1], [2], known, set(), settings, None) == ""
    told = first_contradiction([1], [2], known, set(), settings, None, scored={(1, 2): ("told apart",)})
    assert told == "records 1 and 2 conflict: told apart"
    assert first_contradiction([1], [2], known, {(1, 2)}, settings, None) == (
        "records 1 and 2 were judged different people"
    )


def _imran(dob: str, sex: str = "M", **numbers) -> MatchRecord:
    return MatchRecord(dob, forenames="Imran", surname="Hussain", date_of_birth=dob, sex=sex,
                       postcodes=("HP11 2PU",), address_lines=("12 Desborough Road",), **numbers)


def test_a_birth_date_or_sex_that_differs_is_weighed_not_a_contradiction():
    # The one rule (score.keeps_apart): a veto, or summed evidence below cluster_conflict_weight.
    scorer = Scorer(MatchSettings())
    same = {"national_insurance": "JT123456A", "driving_licence_number": "HUSSA802205I99XY"}
    one_man = prepare(_imran("1985-02-20", **same)), prepare(_imran("1987-09-14", sex="F", **same))
    assert scorer.result(*one_man).decision == "link"
    assert scorer.conflicts(*one_man) == ()
    # Names and address only: held for review by its probability, but not evidence of two people either.
    names_only = prepare(_imran("1985-02-20")), prepare(_imran("1987-09-14"))
    assert scorer.result(*names_only).decision == "review" and scorer.conflicts(*names_only) == ()
    two_men = prepare(_imran("1985-02-20", national_insurance="JT123456A")), prepare(
        _imran("1985-02-20", national_insurance="NP222222B")
    )
    (reason,) = scorer.conflicts(*two_men)
    assert reason.endswith("two different valid numbers: two different people")
