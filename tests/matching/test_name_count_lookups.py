"""name_count_lookups: the name counts a comparison with a query can ask for, read before it in one statement
(the search's). Whatever the other record, the scorer asks for none outside them but that record's own
surname."""

from licensing.matching import (
    MatchRecord,
    MatchSettings,
    Scorer,
    UniformFrequencies,
    name_count_lookups,
    prepare,
)

QUERY = MatchRecord("query", forenames="Mohamed Tahir", surname="Ahmed")
OTHERS = [
    ("Ahmed", "Tahir"), ("Tahir", "Mohammed"), ("Tahir Ahmed", "Mohammed"), ("Mohammed Tahir", "Ahmed"),
    ("Muhammad", "Ahmed Tahir"), ("Tahir", "Ahmed"), ("M Tahir", "Ahmad"), ("Mohammed", "Tahir-Ahmed"),
    ("Ahmed Mohamed", "Tahir"), ("Taher", "Mohd Ahmed"),
]


class _Asked:
    """Uniform frequencies that note each name count asked for."""

    def __init__(self) -> None:
        self.uniform = UniformFrequencies()
        self.asked: set[tuple[str, str]] = set()

    def surname_frequency(self, surname_key: str) -> float:
        self.asked.add(("surname", surname_key))
        return self.uniform.surname_frequency(surname_key)

    def forename_frequency(self, token: str) -> float:
        self.asked.add(("forename", token))
        return self.uniform.forename_frequency(token)

    def dob_frequency(self, iso_dob: str) -> float:
        return self.uniform.dob_frequency(iso_dob)

    def postcode_frequency(self, postcode: str) -> float:
        return self.uniform.postcode_frequency(postcode)


def test_the_scorer_asks_for_no_name_count_outside_the_lookups_but_the_other_records_surname():
    query = prepare(QUERY)
    swapped = prepare(MatchRecord("query", forenames=QUERY.surname, surname=QUERY.forenames))
    every: set[tuple[str, str]] = set()
    for forenames, surname in OTHERS:
        other = prepare(MatchRecord("other", forenames=forenames, surname=surname))
        for side in (query, swapped):
            frequencies = _Asked()
            Scorer(MatchSettings(), frequencies).assess(side, other)
            own = {("surname", form.surname_key) for form in other.names}
            assert frequencies.asked - own <= name_count_lookups(side), (forenames, surname)
            every |= frequencies.asked - own
    # The readings that ask for a forename, or a set of tokens, as a surname were met.
    assert ("surname", "muhammad") in every and any(" " in term for kind, term in every if kind == "surname")
