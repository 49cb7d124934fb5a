"""Round 7 quality changes (bench/results/matching_round7_quality.txt), each with a pair that now links and a
look-alike that still does not."""

import csv
from dataclasses import replace

import pytest

from licensing.matching import CountedFrequencies, MatchRecord, MatchSettings, Scorer, match_file, prepare
from licensing.matching.batch import REQUIRED_COLUMNS
from licensing.matching.compare import compare_names
from licensing.matching.frequencies import UniformFrequencies

FILE_PRIOR = MatchSettings(prior=5e-4)  # a file's estimated prior, as match_file sets it
NEIGHBOURS = 2  # two more records at the postcode (and birth date): the old rule sent this pair to review


def rec(
    record_id,
    forenames="Olivia",
    surname="Wheatley",
    dob="1942-10-07",
    pc="4575",
    line="5 Crisp Circuit",
    **extra,
):
    return MatchRecord(
        record_id,
        forenames=forenames,
        surname=surname,
        date_of_birth=dob,
        postcodes=(pc,),
        address_lines=(line,),
        **extra,
    )


def _address_weight(scorer, a, b):
    assessment = scorer.assess(prepare(a), prepare(b))
    assert assessment.levels[-1] == "same_address"
    return assessment.weights[-1]


# --- the same house: a postcode's frequency is measured against the average postcode, not the house ---


def test_average_postcode_leaves_the_same_address_weight_whole():
    settings = MatchSettings()
    weight = _address_weight(Scorer(settings, UniformFrequencies()), rec("a"), rec("b"))
    assert weight == pytest.approx(settings.levels["address"]["same_address"].weight)


def test_a_common_postcode_still_lowers_the_same_address_weight():
    settings = MatchSettings()
    office = [
        rec(f"o{i}", forenames=f"Name{i}", surname=f"Other{i}", line=f"{i} Depot Road") for i in range(300)
    ]
    others = [rec(f"x{i}", forenames=f"Name{i}", surname=f"Else{i}", pc=f"{1000 + i}") for i in range(700)]
    frequencies = CountedFrequencies.from_records(office + others)
    common = _address_weight(Scorer(settings, frequencies), rec("a"), rec("b"))
    rare = _address_weight(Scorer(settings, frequencies), rec("a", pc="1005"), rec("b", pc="1005"))
    assert common < rare - 3
    assert rare == pytest.approx(settings.levels["address"]["same_address"].weight)


def test_counts_given_to_a_scorer_after_it_is_built_still_weigh_the_postcode():
    # The import builds one Scorer and gives it each record's counts in turn.
    settings = MatchSettings()
    office = [
        rec(f"o{i}", forenames=f"Name{i}", surname=f"Other{i}", line=f"{i} Depot Road") for i in range(300)
    ]
    frequencies = CountedFrequencies.from_records(office)
    later = Scorer(settings)
    later.frequencies = frequencies
    built_with = _address_weight(Scorer(settings, frequencies), rec("a"), rec("b"))
    assert _address_weight(later, rec("a"), rec("b")) == pytest.approx(built_with)
    assert built_with < settings.levels["address"]["same_address"].weight - 3


def _small_file(*pair, neighbours=0):
    """A 5,000-record file like FEBRL's: every postcode held by a handful of records (the pair's by
    ``neighbours`` more)."""
    others = [
        rec(f"n{i}", forenames=f"Near{i}", surname=f"Next{i}", pc="2007", line=f"{i} Road")
        for i in range(neighbours)
    ]
    others += _filler(5000, forenames=400)
    return Scorer(FILE_PRIOR, CountedFrequencies.from_records(others + list(pair)))


def test_same_house_same_birth_date_changed_surname_links_in_a_small_file():
    # FEBRL3 rec-1407: one woman's records, the surname replaced; the house and birth date agree.
    a = rec("a", pc="2007", national_insurance="5051083")
    b = rec("b", surname="Winfield", pc="2007", national_insurance="8745098")
    assert _small_file(a, b, neighbours=NEIGHBOURS).assess(prepare(a), prepare(b)).decision == "link"


def test_twins_at_one_house_with_two_present_forenames_stay_unlinked():
    a, b = rec("a", forenames="Jaden", surname="Giordano"), rec("b", forenames="Maddison", surname="Giordano")
    assessment = _small_file(a, b).assess(prepare(a), prepare(b))
    assert assessment.decision == "review"
    assert "twins" in assessment.guard


def test_father_and_son_at_one_house_stay_unlinked():
    a = rec("a", forenames="Mohammed", surname="Khan", dob="1950-04-02")
    b = rec("b", forenames="Mohammed", surname="Khan", dob="1975-04-02")
    assert _small_file(a, b).assess(prepare(a), prepare(b)).decision != "link"


# --- match_file counts as the register does: the pair's own records do not make a value common ---


def test_own_records_are_left_out_of_the_counts():
    freq = CountedFrequencies.from_records(
        [rec("a"), rec("b")] + [rec(f"x{i}", surname=f"Other{i}", dob="1990-01-01") for i in range(98)]
    )
    freq.own_records = 2
    assert freq.dob_frequency("1942-10-07") == pytest.approx(freq.dob_frequency("2001-01-01"))
    assert (
        freq.surname_frequency(prepare(rec("a")).names[0].surname_key) < freq.surname_frequency("zzzz") * 1.01
    )
    assert freq.dob_frequency("1990-01-01") > 10 * freq.dob_frequency("2001-01-01")


def _file_scorer(records, own_records):
    freq = CountedFrequencies.from_records(records)
    freq.own_records = own_records
    return Scorer(FILE_PRIOR, freq)


def _filler(n=3000, forenames=300):
    """n unrelated records with `forenames` distinct forenames among them."""
    return [
        rec(
            f"f{i}",
            forenames=f"Given{i % forenames}",
            surname=f"Family{i}",
            dob=f"19{10 + i % 80}-0{1 + i % 9}-1{i % 9}",
            pc=f"{2000 + i % 2000}",
            line=f"{i % 90} Some Street",
        )
        for i in range(n)
    ]


# One person's three records (FEBRL3 rec-1407): the surname and the (not NI) number replaced on one.
PERSON = [
    rec("org", national_insurance="5051083", pc="2007"),
    rec("dup0", national_insurance="5051083", pc="2007"),
    rec("dup1", surname="Winfield", national_insurance="8745098", pc="2007"),
]


def test_a_record_whose_birth_date_only_its_own_person_holds_links_in_a_file():
    records = _filler() + PERSON
    pair = (prepare(PERSON[1]), prepare(PERSON[2]))
    assert _file_scorer(records, own_records=0).assess(*pair).decision == "review"  # counted as before
    assert _file_scorer(records, own_records=2).assess(*pair).decision == "link"


def test_twins_in_a_file_stay_unlinked_when_own_records_are_left_out():
    twins = [
        rec("t1", forenames="Jaden", surname="Giordano", national_insurance="4378319", pc="2007"),
        rec("t2", forenames="Maddison", surname="Giordano", national_insurance="7118072", pc="2007"),
    ]
    assessment = _file_scorer(_filler() + twins, own_records=2).assess(prepare(twins[0]), prepare(twins[1]))
    assert assessment.decision == "review" and "twins" in assessment.guard


# --- a forename missing on one side: absence of evidence, unless the file shows a twin to confuse it with ---


def _counted(records):
    freq = CountedFrequencies(own_records=2)
    freq.add_all([prepare(r) for r in records])
    return Scorer(FILE_PRIOR, freq)


NAMED = rec(
    "named", forenames="Amber", surname="Webb", dob="1947-07-15", pc="6156", line="25 Toolambi Street"
)
NAMELESS = rec(
    "nameless", forenames="", surname="Webb", dob="1947-07-15", pc="6156", line="25 Toolambi Street"
)
TWIN = rec("twin", forenames="Ruby", surname="Webb", dob="1947-07-15", pc="6156", line="25 Toolambi Street")


def test_a_missing_forename_links_when_the_file_writes_one_forename_with_that_surname_and_date():
    assert (
        _counted(_filler() + [NAMED, NAMELESS]).assess(prepare(NAMED), prepare(NAMELESS)).decision == "link"
    )


def test_a_missing_forename_stays_with_an_officer_when_the_file_holds_a_twin():
    scorer = _counted(_filler() + [NAMED, NAMELESS, TWIN])
    for other in (NAMED, TWIN):
        assessment = scorer.assess(prepare(other), prepare(NAMELESS))
        assert assessment.decision == "review" and "twins" in assessment.guard
    assert scorer.assess(prepare(NAMED), prepare(TWIN)).decision == "review"


def test_a_missing_forename_stays_with_an_officer_without_the_files_counts():
    # The register's counts (people.identity) carry no such table: the guard stands there.
    freq = CountedFrequencies.from_records(_filler() + [NAMED, NAMELESS])
    freq.own_records = 2
    assessment = Scorer(FILE_PRIOR, freq).assess(prepare(NAMED), prepare(NAMELESS))
    assert assessment.decision == "review" and "twins" in assessment.guard


def _csv(path, records):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(REQUIRED_COLUMNS)
        for r in records:
            out.writerow(
                [
                    r.record_id,
                    "F",
                    r.forenames,
                    r.surname,
                    r.date_of_birth,
                    r.address_lines[0],
                    "",
                    r.postcodes[0],
                    r.national_insurance,
                ]
            )
    return path


def _links(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return {(row["id_a"], row["id_b"]) for row in csv.DictReader(fh)}


ELSEWHERE = dict(postcodes=("3070",), address_lines=("26 Lance Hill Avenue",))


def test_match_file_links_the_nameless_record_but_never_joins_twins_through_one(tmp_path):
    # One file: a person with a nameless second record (links), and twins with a nameless record of one of
    # them (the file cannot say which twin: nothing links, so the twins are not joined through it).
    filler = _filler(1500)
    dups = [
        replace(r, record_id=r.record_id + "-dup") for r in filler[:600]
    ]  # EM needs true pairs to learn from
    twins = [
        replace(NAMED, record_id="t-amber", surname="Tilley", date_of_birth="1961-02-03", **ELSEWHERE),
        replace(TWIN, record_id="t-ruby", surname="Tilley", date_of_birth="1961-02-03", **ELSEWHERE),
        replace(NAMELESS, record_id="t-nameless", surname="Tilley", date_of_birth="1961-02-03", **ELSEWHERE),
    ]
    src = _csv(tmp_path / "in.csv", filler + dups + [NAMED, NAMELESS] + twins)
    out = tmp_path / "links.csv"
    match_file(src, out, progress=None)
    links = _links(out)
    assert ("named", "nameless") in links
    assert not {p for p in links if "t-amber" in p or "t-ruby" in p or "t-nameless" in p}


# --- a stray space inside a forename: "Soph Ie" is "Sophie", not a twin's other name ---


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("Soph Ie", "Sophie", "variant"),
        ("Luc Y", "Lucy", "variant"),
        ("Dustin", "Justin", "fuzzy"),  # one letter: twins-shaped, the guard decides
        ("Amir", "Amin", "different"),  # two names, short and one letter apart
        ("Luc Ian", "Lucy", "different"),  # joined they differ: not a stray space
        ("Agdul Majid", "Abdulmajid", "fuzzy"),  # a stray space and a slip, eight letters or more
        ("Al Ix", "Alex", "different"),  # too short to call a slip
    ],
)
def test_forenames_joined_across_a_stray_space(left, right, level):
    a, b = prepare(rec("a", forenames=left)), prepare(rec("b", forenames=right))
    assert compare_names(a, b, MatchSettings().weights).forenames == level


def test_a_stray_space_links_and_a_twin_does_not():
    split = rec("split", forenames="Soph Ie", surname="Nicolle", national_insurance="7186634", pc="2007")
    whole = rec("whole", forenames="Sophie", surname="Nicolle", national_insurance="7492384", pc="2007")
    twin = rec("twin", forenames="Chloe", surname="Nicolle", national_insurance="3108870", pc="2007")
    scorer = _counted(_filler() + [split, whole, twin])
    assert scorer.assess(prepare(split), prepare(whole)).decision == "link"
    assessment = scorer.assess(prepare(whole), prepare(twin))
    assert assessment.decision == "review" and "twins" in assessment.guard


def test_forenames_born_alike_are_counted_from_any_iterable():
    records = [prepare(r) for r in _filler(50) + [NAMED, NAMELESS, TWIN]]
    freq = CountedFrequencies(own_records=2)
    freq.add_all(iter(records))
    key = prepare(NAMED).names[0].surname_key
    assert freq.forenames_born_alike(key, "1947-07-15") == {"amber", "ruby"}


def test_a_scorer_built_without_settings_scores_with_the_defaults():
    # Scorer() is documented to fall back on the default settings; it read the absent settings' levels.
    defaults = _address_weight(Scorer(MatchSettings()), rec("a"), rec("b"))
    assert _address_weight(Scorer(), rec("a"), rec("b")) == defaults
