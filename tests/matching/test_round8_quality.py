"""Round 8 quality changes (bench/results/matching_round8_quality.txt), each with a pair that now links and a
look-alike that still does not: forename slips the file's counts show, identity numbers two edits apart, and a
stray space in a surname."""

from dataclasses import replace

import pytest

from licensing.matching import CountedFrequencies, MatchSettings, Scorer, match_file, prepare
from licensing.matching.compare import compare_names, letters_one_apart, numbers_two_apart
from licensing.matching.normalise import parse_name
from tests.matching.test_round7_quality import FILE_PRIOR, _csv, _filler, _links, rec


def _counted(records, settings=FILE_PRIOR):
    freq = CountedFrequencies(own_records=2)
    freq.add_all([prepare(r) for r in records])
    return Scorer(settings, freq)


def _person(forenames, n, **fields):
    """n records of one person, as FEBRL writes them (the same number on each)."""
    return [rec(f"{forenames}{i}", forenames=forenames, **fields) for i in range(n)]


HOUSE = dict(surname="Berry", dob="1926-05-18", pc="3078", line="27 Heagney Crescent")


# --- letters one edit apart, spaces and hyphens aside ---


@pytest.mark.parametrize(
    "left, right, apart",
    [
        ("Cobuy", "Coby", True),
        ("Tyan", "Tynan", True),
        ("Lachlq-Njohn", "Lachlan-John", True),  # the hyphen moved and a letter slipped
        ("Amir", "Amin", False),  # Amin is a recognised name: two names, not a slip
        ("Abe", "Abel", False),  # too short to call
        ("Coby", "Coby", False),  # the same
        ("Jack", "Tate", False),
    ],
)
def test_letters_one_apart(left, right, apart):
    assert letters_one_apart(parse_name(left), parse_name(right)) is apart


def test_short_forenames_one_letter_apart_stay_different_without_the_files_counts():
    a, b = prepare(rec("a", forenames="Cobuy", **HOUSE)), prepare(rec("b", forenames="Coby", **HOUSE))
    assert compare_names(a, b, MatchSettings().weights).forenames == "different"
    assert Scorer(FILE_PRIOR).assess(a, b).levels[4] == "different"


# --- a forename slip the file shows: one spelling nobody else writes, the other several records write ---


def test_a_forename_slip_the_file_shows_links():
    # FEBRL3 rec-941 / rec-838: "Cobuy" on one record, "Coby" on five; the same birth date and house.
    person = _person("Coby", 5, national_insurance="1390881", **HOUSE)
    slip = rec("slip", forenames="Cobuy", national_insurance="5230360", **HOUSE)
    scorer = _counted(_filler() + person + [slip])
    assessment = scorer.assess(prepare(person[0]), prepare(slip))
    assert assessment.levels[4] == "fuzzy"
    assert assessment.decision == "link"


def test_twins_with_short_names_one_letter_apart_stay_unlinked():
    # Coby and Cody each written by several records: two people's names, not a slip.
    coby = _person("Coby", 3, national_insurance="1390881", **HOUSE)
    cody = _person("Cody", 3, national_insurance="7838917", **HOUSE)
    scorer = _counted(_filler() + coby + cody)
    assessment = scorer.assess(prepare(coby[0]), prepare(cody[0]))
    assert assessment.levels[4] == "different"
    assert assessment.decision == "review"


def test_a_recognised_name_written_once_is_not_a_slip():
    amin = _person("Amin", 4, national_insurance="1390881", **HOUSE)
    amir = rec("amir", forenames="Amir", national_insurance="7838917", **HOUSE)
    assessment = _counted(_filler() + amin + [amir]).assess(prepare(amin[0]), prepare(amir))
    assert assessment.levels[4] == "different" and assessment.decision == "review"


def test_a_moved_hyphen_with_a_slipped_letter_links():
    # FEBRL3 rec-876: "Lachlq-Njohn" once, "Lachlan-John" on five records.
    fields = dict(surname="Rivers", dob="1996-09-04", pc="4313", line="5 Perier Place")
    person = _person("Lachlan-John", 5, national_insurance="8718844", **fields)
    slip = rec("slip", forenames="Lachlq-Njohn", national_insurance="8009557", **fields)
    assert _counted(_filler() + person + [slip]).assess(prepare(person[0]), prepare(slip)).decision == "link"


def test_match_file_joins_the_slipped_record_to_its_person_and_keeps_twins_apart(tmp_path):
    # FEBRL3 rec-941's shape through match_file: one link from the stray record joins it to all five; twins
    # Coby and Cody (each name written by several records) at another house share no link.
    filler = _filler(1500)
    dups = [replace(r, record_id=r.record_id + "-dup") for r in filler[:600]]  # EM needs true pairs
    person = _person("Coby", 5, national_insurance="1390881", **HOUSE)
    slip = rec("slip", forenames="Cobuy", national_insurance="5230360", **HOUSE)
    elsewhere = dict(surname="Ellis", dob="1961-02-03", pc="3070", line="26 Lance Hill Avenue")
    twins = [
        rec(f"t-coby{i}", forenames="Coby", national_insurance="7838917", **elsewhere) for i in range(3)
    ] + [rec(f"t-cody{i}", forenames="Cody", national_insurance="4378319", **elsewhere) for i in range(3)]
    src = _csv(tmp_path / "in.csv", filler + dups + person + [slip] + twins)
    out = tmp_path / "links.csv"
    match_file(src, out, progress=None)
    links = _links(out)
    assert {tuple(sorted(("slip", p.record_id))) for p in person} <= links
    across = {(a, b) for a, b in links if {a[:6], b[:6]} == {"t-coby", "t-cody"}}
    assert not across
    assert ("t-coby0", "t-coby1") in links  # the twins' own records do link


# --- identity numbers two edits apart lift the twins guard where the file's numbers are rarely that close ---

RARE_NEAR = FILE_PRIOR.with_levels(ni={"text_typo": replace(FILE_PRIOR.levels["ni"]["text_typo"], u=1e-6)})
PANTAZOPOULOS = dict(surname="Pantazopoulos", dob="1986-08-07", pc="2325", line="147 Allott Place")


def test_numbers_two_apart():
    def two(x, y):
        a, b = rec("a", national_insurance=x), rec("b", national_insurance=y)
        return numbers_two_apart(prepare(a), prepare(b))

    assert two("9030076", "9036067")
    assert not two("9030076", "9030067")  # one edit: the text_typo level
    assert not two("9030076", "1092994")
    assert not two("9030076", "")


def test_a_replaced_forename_with_a_number_two_edits_apart_links_where_such_numbers_are_rare():
    # FEBRL3 rec-918: Chloe on one record, Eboni on the others; numbers 9036067 and 9030076.
    person = _person("Eboni", 2, national_insurance="9030076", **PANTAZOPOULOS)
    other = rec("chloe", forenames="Chloe", national_insurance="9036067", **PANTAZOPOULOS)
    pair = (prepare(person[0]), prepare(other))
    records = _filler() + person + [other]
    assert _counted(records, RARE_NEAR).assess(*pair).decision == "link"
    # The documented u (a file whose numbers are often that close, e.g. issued in sequence): the guard stands.
    assert "twins" in _counted(records).assess(*pair).guard


def test_twins_with_unrelated_numbers_stay_unlinked_where_near_numbers_are_rare():
    person = _person("Eboni", 2, national_insurance="9030076", **PANTAZOPOULOS)
    twin = rec("chloe", forenames="Chloe", national_insurance="4378319", **PANTAZOPOULOS)
    assessment = _counted(_filler() + person + [twin], RARE_NEAR).assess(prepare(person[0]), prepare(twin))
    assert assessment.decision == "review" and "twins" in assessment.guard


# --- a stray space in a surname ---


@pytest.mark.parametrize(
    "left, right, level",
    [
        ("Wheat Ley", "Wheatley", "variant"),
        ("Wheat Ly", "Wheatley", "similar"),  # joined they differ: only spelt alike
    ],
)
def test_surnames_joined_across_a_stray_space(left, right, level):
    a, b = prepare(rec("a", surname=left)), prepare(rec("b", surname=right))
    assert compare_names(a, b, MatchSettings().weights).surname == level
