"""Variant spellings found by the spelling key (not in the tables), gated so they cannot join twins or a
father and son."""

from licensing.matching import MatchRecord, score_pair
from licensing.matching.compare import T_NONE, T_VARIANT, learned_variant, token_level, variant_spellings
from licensing.matching.normalise import parse_name, phonetic, skeleton


def _rec(rid, forenames, surname, dob, ni=""):
    return MatchRecord(
        rid,
        forenames=forenames,
        surname=surname,
        date_of_birth=dob,
        postcodes=("HP13 6AB",),
        address_lines=("12 High St",),
        national_insurance=ni,
    )


def _token(name):
    return parse_name(name)[0]


def test_the_spelling_key_finds_variants_the_tables_lack_but_not_table_or_doubled_letter_ones():
    assert learned_variant(_token("Javed"), _token("Jawed"))
    assert learned_variant(_token("Akhtar"), _token("Akther"))
    assert not learned_variant(_token("Rehman"), _token("Rahman"))  # one transliteration family
    assert not learned_variant(_token("Khurram"), _token("Khuram"))  # a doubled letter
    assert not learned_variant(_token("Javed"), _token("Javed"))
    assert not learned_variant(_token("Javed"), _token("Imran"))


def test_a_learned_surname_variant_links_with_the_same_forenames_and_date_of_birth():
    a, b = _rec("1", "Imran", "Akhtar", "1980-03-05"), _rec("2", "Imran", "Akther", "1980-03-05")
    result = score_pair(a, b)
    surname = next(e for e in result.evidence if e.field == "surname")
    assert surname.level == "variant"
    assert result.decision == "link", result.guard


def test_learned_forename_variants_link_when_an_identifier_agrees():
    a = _rec("1", "Javed", "Akhtar", "1980-03-05", ni="AB123456C")
    b = _rec("2", "Jawed", "Akther", "1980-03-05", ni="AB123456C")
    assert score_pair(a, b).decision == "link"


def test_twins_with_forenames_alike_only_by_sound_go_to_review_not_link():
    # Javed and Jawad at one address with one birth date and nothing else: twins' names are often this close.
    a, b = _rec("1", "Javed", "Akhtar", "1980-03-05"), _rec("2", "Jawad", "Akhtar", "1980-03-05")
    result = score_pair(a, b)
    assert result.probability >= 0.999
    assert result.decision == "review"
    assert "sound" in result.guard
    same = score_pair(_rec("1", "Javed", "Akhtar", "1980-03-05"), _rec("2", "Jawed", "Akther", "1980-03-05"))
    assert same.decision == "review"


def test_a_father_and_son_with_learned_variant_names_do_not_link():
    father = _rec("1", "Javed", "Akhtar", "1955-03-05")
    son = _rec("2", "Jawed", "Akther", "1980-03-05")
    assert score_pair(father, son).decision == "no_link"


def test_variant_spellings_offer_the_spellings_the_phonetic_code_keeps_apart():
    """Akther is Akhtar by the spelling key but not by the phonetic code of the blocking keys: a search looks
    for it among the spellings the register holds. Each offered spelling keeps the skeleton and length, and
    none shares the typed name's phonetic code (the keys already meet those)."""
    akhtar = _token("Akhtar")
    offered = variant_spellings(akhtar)
    assert "akther" in offered
    assert all(skeleton(w) == akhtar.skeleton and len(w) == len(akhtar.canon) for w in offered)
    assert all(phonetic(w) != phonetic(akhtar.canon) for w in offered)
    assert all(token_level(akhtar, _token(w)) in (T_VARIANT, T_NONE) for w in offered)
    assert variant_spellings(_token("Ali")) == set()  # too short for a spelling key
