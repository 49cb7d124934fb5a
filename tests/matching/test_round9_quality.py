"""Round 9 quality changes (bench/results/matching_round9_quality.txt), each with a pair that now links and a
look-alike that still does not: year digits swapped, a silent h, a surname split by a stray space whose second
part is an honorific ("Crou Ch"), a street written with a space lost, and a shared house number with a
postcode that is not a UK postcode."""


import pytest

from licensing.matching import CountedFrequencies, MatchSettings, Scorer, prepare
from licensing.matching.compare import compare_address, compare_dob, compare_names, token_level
from licensing.matching.normalise import parse_full_name, parse_name
from tests.matching.test_round7_quality import FILE_PRIOR, _filler, rec


def _counted(records, settings=FILE_PRIOR):
    freq = CountedFrequencies(own_records=2)
    freq.add_all([prepare(r) for r in records])
    return Scorer(settings, freq)


def _decide(records, a, b):
    return _counted(_filler() + records).assess(prepare(a), prepare(b))


# --- the year's digits swapped (FEBRL3 rec-482: 1918 / 1981, the same day and month) ---


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("1918-07-01", "1981-07-01", "typo"),  # two adjacent year digits swapped
        ("1964-07-01", "1946-07-01", "different"),  # 18 years: a generation, so two people
        ("1989-07-01", "1998-07-01", "typo"),  # nine years: no parent and child
        ("1957-07-01", "1975-07-01", "different"),  # a father and son born on one day and month
        ("1947-07-01", "1974-07-01", "different"),  # 27 years
        ("1950-07-01", "1980-07-01", "different"),  # one digit, 30 years: a father and son
        ("1918-07-01", "1919-07-01", "year_off"),
        ("1918-07-01", "1981-07-02", "different"),  # the day differs too
    ],
)
def test_swapped_year_digits(left, right, level):
    a, b = prepare(rec("a", dob=left)), prepare(rec("b", dob=right))
    assert compare_dob(a, b) == level


FRAHN = dict(surname="Frahn", pc="2570", line="5 Solomon Crescent")


def test_a_year_swapped_record_links_to_its_person():
    person = [
        rec(f"lauren{i}", forenames="Lauren", dob="1918-07-01", national_insurance="3134475", **FRAHN)
        for i in range(3)
    ]
    stray = rec("laurex", forenames="Laurex", dob="1981-07-01", national_insurance="7840203", **FRAHN)
    assessment = _decide(person + [stray], person[0], stray)
    assert assessment.levels[2] == "typo"
    assert assessment.decision == "link"


def test_a_father_and_son_a_generation_apart_on_one_day_and_month_stay_unlinked():
    # Jake Westbrook born 1957 and his son born 1975 on the same day, at one house, numbers unrelated.
    house = dict(surname="Westbrook", pc="2074", line="15 Booroondara Street")
    father = rec("father", forenames="Jake", dob="1957-11-15", national_insurance="2330929", **house)
    son = rec("son", forenames="Jake", dob="1975-11-15", national_insurance="3733536", **house)
    assessment = _decide([father, son], father, son)
    assert assessment.levels[2] == "different"
    assert assessment.decision != "link"


def test_a_year_swap_with_no_shared_house_goes_to_an_officer():
    stray = rec(
        "laurex",
        forenames="Lauren",
        dob="1981-07-01",
        national_insurance="7840203",
        surname="Frahn",
        pc="6000",
        line="9 Other Road",
    )
    person = rec("lauren", forenames="Lauren", dob="1918-07-01", national_insurance="3134475", **FRAHN)
    assessment = _decide([person, stray], person, stray)
    assert assessment.levels[2] == "typo"
    assert assessment.decision == "review"


# --- a silent h after c, g or t: one name however spelt (FEBRL3 rec-1857, Micaela / Michaela) ---


@pytest.mark.parametrize(
    "left, right, variant",
    [
        ("micaela", "michaela", True),
        ("megan", "meghan", True),
        ("tomas", "thomas", True),
        ("fatima", "fathima", True),
        ("asa", "asha", False),  # an h after s is a letter: two names
        ("dustin", "justin", False),
        ("farhan", "faran", False),  # an h after r is a letter
    ],
)
def test_a_silent_h_is_a_spelling_variant(left, right, variant):
    (x,), (y,) = parse_name(left), parse_name(right)
    assert (token_level(x, y) == 1) is variant  # T_VARIANT


THRUSSELL = dict(surname="Thrussell", dob="1925-06-08", pc="6728", line="27 Markell Place")


def test_micaela_links_to_michaela_and_twins_named_dustin_and_justin_do_not():
    # Michaela written by 15 records (hers and other people's), Micaela by 2: not a slip by the counts,
    # but one name with and without its silent h.
    michaela = [
        rec(f"michaela{i}", forenames="Michaela", national_insurance="1947368", **THRUSSELL) for i in range(3)
    ]
    others = [
        rec(f"m{i}", forenames="Michaela", surname=f"Other{i}", dob=f"19{40 + i}-01-02") for i in range(12)
    ]
    micaela = rec("micaela", forenames="Micaela", national_insurance="7131335", **THRUSSELL)
    other_micaela = rec("m-x", forenames="Micaela", surname="Else", dob="1950-03-04")
    assessment = _decide(michaela + others + [micaela, other_micaela], michaela[0], micaela)
    assert assessment.levels[4] == "variant"
    assert assessment.decision == "link"
    # Twins Dustin and Justin Thrussell (each name written by other people too) stay with an officer.
    justin = [
        rec(f"justin{i}", forenames="Justin", national_insurance="1947368", **THRUSSELL) for i in range(3)
    ]
    dustin = rec("dustin", forenames="Dustin", national_insurance="7131335", **THRUSSELL)
    names = [
        rec(f"j{i}", forenames=n, surname=f"Other{i}", dob=f"19{40 + i}-01-02")
        for i, n in enumerate(["Justin"] * 6 + ["Dustin"] * 6)
    ]
    assessment = _decide(justin + names + [dustin], justin[0], dustin)
    assert assessment.levels[4] == "fuzzy"
    assert assessment.decision == "review" and "twins" in assessment.guard


# --- a surname split by a stray space keeps every part, honorific ones too (FEBRL3 rec-1848, "Crou Ch") ---


def test_the_written_surname_keeps_an_honorific_part():
    form = parse_full_name("Ella", "Crou Ch")
    assert [t.raw for t in form.family] == ["crou"]  # "ch" (Chaudhry) is soft: ignored while others remain
    assert form.family_words == ("crou", "ch")  # never discarded


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("Crou Ch", "Crouch", "variant"),  # the honorific-looking part joins back
        ("Crou", "Crouch", "different"),  # a part missing, not a space: no joined reading
        ("Syed Ali", "Ali", "exact"),  # a clan name present on one side still compares as before
    ],
)
def test_a_surname_split_across_an_honorific_joins(left, right, level):
    a, b = prepare(rec("a", surname=left)), prepare(rec("b", surname=right))
    assert compare_names(a, b, MatchSettings().weights).surname == level


CROUCH = dict(forenames="Ella", dob="1927-11-30", pc="3072", line="3 Wybalena Grove")


def test_crou_ch_links_to_crouch_by_its_number_and_a_stranger_does_not():
    person = [rec(f"crouch{i}", surname="Crouch", national_insurance="3031169", **CROUCH) for i in range(3)]
    moved = dict(CROUCH, dob="1939-10-03", pc="3027", line="3 Tieve Tara")
    stray = rec("crou-ch", surname="Crou Ch", national_insurance="3031169", **moved)
    assessment = _decide(person + [stray], person[0], stray)
    assert assessment.levels[3] == "variant"
    assert assessment.decision == "link"
    # Another Ella Crou Ch, born on another day, living elsewhere, with her own number: no link.
    stranger = rec("stranger", surname="Crou Ch", national_insurance="6213427", **moved)
    assert _decide(person + [stranger], person[0], stranger).decision == "no_link"


# --- a street written with a space lost, and a house number with a postcode that is not a UK one ---


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("37 kellewayavenue", "37 kelleway avenue", "same_address"),  # FEBRL3 rec-1076
        ("werriwacrescent", "werriwa crescent", "same_address"),
        ("53", "53 albermarle place", "same_address"),  # FEBRL3 rec-976: the same house number
        ("54", "53 albermarle place", "postcode"),  # another house in the postcode
        ("1 church road", "3 church lane", "postcode"),  # another street
    ],
)
def test_addresses_with_a_space_lost_or_only_a_house_number(left, right, level):
    a, b = prepare(rec("a", line=left, pc="4506")), prepare(rec("b", line=right, pc="4506"))
    assert compare_address(a, b) == level


def test_uk_streets_with_a_space_lost_are_one_street_in_one_district():
    def level(x, y):
        a = prepare(rec("a", line=f"4 {x}", pc="HP13 6AB"))
        return compare_address(a, prepare(rec("b", line=f"9 {y}", pc="HP13 6XY")))

    assert level("Kelleway Avenue", "Kellewayavenue") == "street"
    assert level("Kelleway Avenue", "Castle Street") == "sector"


CLARKE = dict(forenames="Sarah", dob="1914-09-08", pc="6014")


@pytest.mark.parametrize(
    "line, linked",
    [
        ("37 Kellewayavenue", True),  # the same house (and street, a space lost)
        ("12 Kellewayavenue", True),  # the same street, a space lost, in one postcode
        ("12 Kellaway Close", False),  # another house and street in the postcode: only the postcode agrees
    ],
)
def test_a_changed_surname_at_one_house_written_without_a_space_links(line, linked):
    # FEBRL3 rec-1076's shape: Sarah Green's records, and one "Sarah Clarke" with another number, the same
    # birth date and postcode (not a UK one).
    person = [
        rec(f"green{i}", surname="Green", line="37 Kelleway Avenue", national_insurance="6213427", **CLARKE)
        for i in range(3)
    ]
    stray = rec("clarke", surname="Clarke", line=line, national_insurance="9081739", **CLARKE)
    assessment = _decide(person + [stray], person[0], stray)
    assert assessment.levels[-1] == ("same_address" if linked else "postcode")
    assert (assessment.decision == "link") is linked
