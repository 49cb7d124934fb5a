"""Search as an officer meets it: names whose tokens share a phonetic code, blank stored dates, changed
surnames,
clan names, initials, ages, and a count of everyone who matched rather than a silent cut."""

import datetime as dt

import pytest
from sqlalchemy import select

from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.register import search
from licensing.register.search import SearchCriteria, search_people
from tests.factories import arranged, make_person, make_user

REASON = {"reason": "Application CDC/2026/0101"}


def _results(client, **fields):
    response = client.submit("/search", {**REASON, **fields})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "forenames, surname",
    [("John", "Jones"), ("Hassan", "Hussain"), ("Ahmed", "Ahmad"), ("Mohamed", "Mohamed"), ("Ali", "Ali")],
)
def test_names_whose_tokens_share_a_phonetic_code_are_found(app, login, forenames, surname):
    with arranged(app):
        make_person("WDC", forenames=forenames, surname=surname, date_of_birth=dt.date(1981, 7, 14))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    assert f"{forenames} {surname}" in _results(
        officer, forenames=forenames, surname=surname, date_of_birth=["14", "7", "1981"]
    )
    assert f"{forenames} {surname}" in _results(officer, forenames=forenames, surname=surname)


def test_a_stored_record_with_no_date_of_birth_is_found_when_the_officer_types_one(app, login):
    with arranged(app):
        make_person("WDC", forenames="Kamran", surname="Sadiq", date_of_birth=None)
    page = _results(
        login(Role.LICENSING_OFFICER), forenames="Kamran", surname="Sadiq", date_of_birth=["2", "2", "1984"]
    )
    assert "Kamran Sadiq" in page


def test_a_changed_surname_is_found_by_forenames_and_date_of_birth(app, login):
    with arranged(app):
        make_person("WDC", forenames="Yasmin", surname="Begum", sex="F", date_of_birth=dt.date(1982, 8, 5))
    page = _results(
        login(Role.LICENSING_OFFICER), forenames="Yasmin", surname="Khan", date_of_birth=["5", "8", "1982"]
    )
    assert "Yasmin Begum" in page


@pytest.mark.parametrize("clan", ["Syed", "Chaudhry", "Sheikh", "Mirza"])
def test_a_clan_name_searched_alone_finds_the_people_who_carry_it(app, login, clan):
    with arranged(app):
        make_person("WDC", forenames="Imran", surname=clan, date_of_birth=dt.date(1979, 1, 2))
    assert f"Imran {clan}" in _results(login(Role.LICENSING_OFFICER), surname=clan)


def test_an_initial_and_a_surname_find_the_person(app, login):
    with arranged(app):
        make_person("WDC", forenames="Mohammed", surname="Khan", date_of_birth=dt.date(1979, 1, 2))
    assert "Mohammed Khan" in _results(login(Role.LICENSING_OFFICER), forenames="M", surname="Khan")


def test_an_impossible_age_is_refused(app, login):
    page = _results(login(Role.LICENSING_OFFICER), surname="Khan", approximate_age="200")
    assert "Approximate age must be a whole number between 16 and 100" in page


def test_more_than_a_page_of_matches_says_how_many(app, login):
    with arranged(app):
        for day in range(1, 31):
            make_person("WDC", forenames="Zubair", surname="Awan", date_of_birth=dt.date(1970, 1, day))
    page = _results(login(Role.LICENSING_OFFICER), forenames="Zubair", surname="Awan")
    assert "30 people found" in page and "page 1 of 2" in page
    assert page.count("Zubair Awan</a>") == 25


def test_the_next_page_shows_the_next_people_and_is_audited_with_the_reason(app, login):
    with arranged(app):
        people = [
            make_person("WDC", forenames="Zubair", surname="Awan", date_of_birth=dt.date(1970, 1, day))
            for day in range(1, 31)
        ]
        ids = [p.identity_id for p in people]
    officer = login(Role.LICENSING_OFFICER)
    first = _results(officer, forenames="Zubair", surname="Awan")
    assert 'name="page" value="2" rel="next"' in first and 'rel="prev"' not in first
    second = _results(officer, forenames="Zubair", surname="Awan", page="2")
    assert "30 people found" in second and "page 2 of 2" in second
    assert second.count("Zubair Awan</a>") == 5 and 'name="page" value="1" rel="prev"' in second
    assert 'rel="next"' not in second
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.searched").order_by(AuditEvent.id)
        ).all()
        assert [e.details["page"] for e in events] == [1, 2]
        assert all(e.reason == REASON["reason"] for e in events)
        assert events[1].details["terms"] == {"forenames": "Zubair", "surname": "Awan"}
        # The two pages together show every one of the 30, each once.
        assert sorted(events[0].details["results"] + events[1].details["results"]) == sorted(ids)


@pytest.mark.parametrize(
    "stored, typed",
    [
        (("Wali", "Sultani"), {"forenames": "Wali", "surname": "Sutlani"}),  # two letters swapped
        (("Jakub", "Lewandowski"), {"forenames": "Jakvb", "surname": "Lewandowski"}),  # a letter changed
        (("John", "Wright"), {"forenames": "Wright", "surname": "Jon"}),  # swapped order and a letter dropped
        (("Nicholas", "Edwards"), {"surname": "Edards"}),  # a surname alone, a letter dropped
    ],
)
def test_a_name_with_a_typo_is_found_without_a_date_of_birth(app, login, stored, typed):
    with arranged(app):
        make_person("WDC", forenames=stored[0], surname=stored[1], date_of_birth=dt.date(1975, 6, 3))
        make_person("WDC", forenames="Tariq", surname="Mahmood", date_of_birth=dt.date(1975, 6, 3))
    page = _results(login(Role.LICENSING_OFFICER), **typed)
    assert f"{stored[0]} {stored[1]}</a>" in page and "Tariq Mahmood" not in page


def test_swapped_names_with_a_changed_surname_are_found_by_the_date_of_birth(app, login):
    with arranged(app):
        make_person(
            "WDC", forenames="Amanda", surname="Robinson", sex="F", date_of_birth=dt.date(1971, 12, 12)
        )
    page = _results(
        login(Role.LICENSING_OFFICER), forenames="Ward", surname="Amanda", date_of_birth=["12", "12", "1971"]
    )
    assert "Amanda Robinson</a>" in page


def test_a_slip_in_the_birth_year_still_finds_the_person(app, login):
    with arranged(app):
        make_person("WDC", forenames="Shakeel Ahmed", surname="Khan", date_of_birth=dt.date(1965, 2, 21))
    page = _results(
        login(Role.LICENSING_OFFICER),
        forenames="Shakeel Ahmed",
        surname="Khan",
        date_of_birth=["21", "2", "1964"],
    )
    assert "Shakeel Ahmed Khan</a>" in page


def test_namesakes_the_engine_scores_alike_are_ordered_by_the_spelling_typed(app, login):
    with arranged(app):
        # Created first, so an order by identity would put this spelling first.
        make_person("WDC", forenames="Mohammad Ali", surname="Iqbal", date_of_birth=dt.date(1971, 9, 8))
        make_person("CDC", forenames="Muhammad Ali", surname="Iqbal", date_of_birth=dt.date(1966, 3, 2))
    page = _results(login(Role.LICENSING_OFFICER), forenames="Muhamamd Ali", surname="Iqbal")
    assert page.index("Muhammad Ali Iqbal</a>") < page.index("Mohammad Ali Iqbal</a>")


def test_namesakes_the_engine_scores_alike_are_ordered_by_the_age_typed(app, login):
    year = dt.date.today().year
    with arranged(app):
        # Both within the age tolerance; the one created first is three years off the typed age.
        older = make_person("WDC", forenames="Tahir", surname="Ali", date_of_birth=dt.date(year - 47, 1, 5))
        nearer = make_person("WDC", forenames="Tahir", surname="Ali", date_of_birth=dt.date(year - 45, 1, 5))
        ids = [older.identity_id, nearer.identity_id]
    _results(login(Role.LICENSING_OFFICER), forenames="Tahir", surname="Ali", approximate_age="44")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.searched")).one()
        assert event.details["results"] == [ids[1], ids[0]]


def test_another_last_digit_of_the_birth_year_still_finds_the_person(app, login):
    with arranged(app):
        make_person("WDC", forenames="Muhammad Atif", surname="Aslam", date_of_birth=dt.date(1973, 12, 23))
    page = _results(
        login(Role.LICENSING_OFFICER),
        forenames="Muhammad Atif",
        surname="Aslam",
        date_of_birth=["23", "12", "1977"],
    )
    assert "Muhammad Atif Aslam</a>" in page


@pytest.mark.parametrize(
    "typed, stored",
    [
        # A slip in the surname and in the day: no exact key is shared (round 8's name_dob miss).
        (("Mustafa Aden", "Ahmd", ["1", "10", "1978"]), ("Mustafa", "Ahmed", dt.date(1978, 10, 7))),
        # The names the other way round, spelt another way, and a slip in the day (round 8's swap_dob miss).
        (("Mirza", "Wakar", ["1", "7", "1972"]), ("Waqar", "Mirza", dt.date(1972, 7, 5))),
    ],
)
def test_a_name_slip_with_a_date_slip_is_found_by_name_and_date_of_birth(app, login, typed, stored):
    forenames, surname, born = stored
    elder = born.replace(year=born.year - 30)
    with arranged(app):
        make_person("WDC", forenames=forenames, surname=surname, date_of_birth=born)
        # The same name one slip away but born decades apart: not a candidate for this date.
        make_person("WDC", forenames=forenames, surname=surname, date_of_birth=elder)
    page = _results(
        login(Role.LICENSING_OFFICER), forenames=typed[0], surname=typed[1], date_of_birth=typed[2]
    )
    assert f"{forenames} {surname}, born {born.strftime('%d %B %Y')}" in page
    assert f"born {elder.strftime('%d %B %Y')}" not in page


@pytest.mark.parametrize("age", [None, "55"])
def test_a_diminutive_forename_finds_the_person_recorded_under_the_formal_name(app, login, age):
    """Ted and Edward are coded apart by the keys: the query is also searched as Edward. The Ted Taylor
    recorded as typed still ranks first."""
    year = dt.date.today().year
    with arranged(app):
        make_person("WDC", forenames="Edward", surname="Taylor", date_of_birth=dt.date(year - 56, 12, 3))
        make_person("CDC", forenames="Ted", surname="Taylor", date_of_birth=dt.date(year - 54, 6, 1))
    typed = {"forenames": "Ted", "surname": "Taylor"} | ({"approximate_age": age} if age else {})
    page = _results(login(Role.LICENSING_OFFICER), **typed)
    assert "Edward Taylor</a>" in page
    assert page.index("Ted Taylor</a>") < page.index("Edward Taylor</a>")


def _ranked_names(page: str, *names: str) -> list[str]:
    """The given full names in the order the results page shows them (each must be shown)."""
    return sorted(names, key=lambda name: page.index(f"{name}</a>"))


def test_a_forename_slip_no_other_record_writes_ranks_above_a_dropped_middle_name(app, login):
    """Paum, written by no other record beside several Pauls, is a slip of Paul: Paum Joseph Smith is nearer
    Paul Joseph Smith than Paul Smith is. (Paul Smith used to rank first, read through the names typed the
    other way round, with Paul counted as a rare surname.)"""
    year = dt.date.today().year
    with arranged(app):
        for n, forenames in enumerate(["Paul", "Paul", "Paul Andrew", "Paul David"]):
            born = dt.date(year - 35, 1, n + 2)
            make_person("WDC", forenames=forenames, surname="Smith", date_of_birth=born)
        for n in range(30):  # Smith common, as it is: Paul is far rarer as a surname
            make_person("WDC", forenames="John", surname="Smith", date_of_birth=dt.date(1950, 2, n % 28 + 1))
        make_person("CDC", forenames="Paum Joseph", surname="Smith", date_of_birth=dt.date(year - 36, 3, 7))
    page = _results(
        login(Role.LICENSING_OFFICER), forenames="Paul Joseph", surname="Smith", approximate_age="35"
    )
    assert _ranked_names(page, "Paum Joseph Smith", "Paul Smith")[0] == "Paum Joseph Smith"


def test_a_name_one_letter_from_the_typed_one_but_common_in_its_own_right_ranks_below_the_typed_name(
    app, login
):
    """Ranjit is one letter from Manjit, but several records write each: two names, not a slip. Manjit Grewal
    (a middle name left out) ranks above Ranjit Singh Grewal for Manjit Singh Grewal."""
    with arranged(app):
        for n in range(1, 4):
            make_person("WDC", forenames="Ranjit Singh", surname="Grewal", date_of_birth=dt.date(1962, 10, n))
            make_person("WDC", forenames="Manjit Kaur", surname="Dhillon", date_of_birth=dt.date(1970, 1, n))
        make_person("CDC", forenames="Manjit", surname="Grewal", date_of_birth=dt.date(1988, 6, 28))
    page = _results(login(Role.LICENSING_OFFICER), forenames="Manjit Singh", surname="Grewal")
    assert _ranked_names(page, "Manjit Grewal", "Ranjit Singh Grewal")[0] == "Manjit Grewal"


def test_an_abdul_compound_with_a_slip_in_its_second_part_is_found_as_that_name(app, login):
    """Abdul Ryuf is Abdul Rauf with a slip: "Abdul" does not make it a recognised name that never agrees
    loosely. It ranks above Abdul Rahim Rehman, a different name."""
    year = dt.date.today().year
    with arranged(app):
        make_person("WDC", forenames="Abdul Rahim", surname="Rehman", date_of_birth=dt.date(year - 60, 1, 2))
        make_person("CDC", forenames="Abdul Ryuf", surname="Rehmaan", date_of_birth=dt.date(year - 60, 4, 8))
    page = _results(
        login(Role.LICENSING_OFFICER), forenames="Abdul Rauf", surname="Rehman", approximate_age="60"
    )
    assert _ranked_names(page, "Abdul Ryuf Rehmaan", "Abdul Rahim Rehman")[0] == "Abdul Ryuf Rehmaan"


def test_a_three_letter_slip_of_a_forename_others_write_finds_the_person_with_the_names_swapped(app, login):
    """Jhn, written by no record beside several Johns, is a slip of John: Baker Jhn finds John Baker above
    Jason Baker recorded with his names the other way round (Baker as his forename)."""
    with arranged(app):
        for n in range(1, 4):
            make_person("WDC", forenames="John", surname="Smith", date_of_birth=dt.date(1970, 3, n))
        make_person("WDC", forenames="Baker", surname="Jason", date_of_birth=dt.date(1989, 5, 17))
        make_person("CDC", forenames="John", surname="Baker", date_of_birth=dt.date(1966, 2, 5))
    page = _results(login(Role.LICENSING_OFFICER), forenames="Baker", surname="Jhn")
    assert _ranked_names(page, "John Baker", "Baker Jason")[0] == "John Baker"


def test_a_name_written_as_two_words_with_a_slip_finds_it_written_as_one(app, login):
    """Agdul Majid is Abdulmajid with a space and a slip (and here the names the other way round): found
    above Javed Ali, who only shares the forename Javed."""
    with arranged(app):
        make_person("WDC", forenames="Javed", surname="Ali", date_of_birth=dt.date(1980, 2, 7))
        make_person("CDC", forenames="Abdulmajid", surname="Javed", date_of_birth=dt.date(1979, 4, 14))
    page = _results(login(Role.LICENSING_OFFICER), forenames="Javed", surname="AGDUL MAJID")
    assert _ranked_names(page, "Abdulmajid Javed", "Javed Ali")[0] == "Abdulmajid Javed"


def test_a_spelling_the_register_holds_that_the_phonetic_keys_code_apart_is_found(app, login, monkeypatch):
    """Akther is Akhtar by the engine's spelling key, but their phonetic codes differ, so no name key brings
    them together: the search looks for the spellings the register holds (learned from the data, not the
    tables). Akhtar Azhar, typed the other way round, finds Azhar Ashraf Akther above Azhar Akhar, a name
    only one letter from the typed one. Without that, only the typo keys of Azhar would find him, among
    every Azhar A. (a register's thousands, here more than the few candidates allowed)."""
    monkeypatch.setattr(search, "MAX_SEARCH_CANDIDATES", 3)
    with arranged(app):
        make_person("WDC", forenames="Azhar", surname="Akhar", date_of_birth=dt.date(1980, 2, 7))
        for n, surname in enumerate(["Akbar", "Akram", "Anwar", "Asghar"]):
            make_person("WDC", forenames="Azhar", surname=surname, date_of_birth=dt.date(1981, 3, n + 1))
        make_person("CDC", forenames="Azhar Ashraf", surname="Akther", date_of_birth=dt.date(1976, 8, 26))
    page = _results(login(Role.LICENSING_OFFICER), forenames="Akhtar", surname="Azhar")
    assert _ranked_names(page, "Azhar Ashraf Akther", "Azhar Akhar")[0] == "Azhar Ashraf Akther"



def test_a_surname_slip_no_other_record_writes_outranks_a_surname_common_in_its_own_right(app, county):
    """Sah, written by one record beside several Shahs, is a slip of Shah: Imran Sah is a nearer fit for Imran
    Shah than Imran Shaw, whose surname several records write (two surnames, not a slip). Search only:
    linking keeps Sah and Shah apart."""
    with arranged(app):
        for n in range(1, 4):
            make_person("WDC", forenames="Tariq", surname="Shah", date_of_birth=dt.date(1970, 3, n))
            make_person("WDC", forenames="Peter", surname="Shaw", date_of_birth=dt.date(1960, 4, n))
        make_person("CDC", forenames="Imran", surname="Shaw", date_of_birth=dt.date(1985, 1, 9))
        make_person("CDC", forenames="Imran", surname="Sah", date_of_birth=dt.date(1984, 5, 19))
        officer = make_user(Role.LICENSING_OFFICER)
        hits = search_people(
            SearchCriteria(forenames="Imran", surname="Shah"), viewer=officer, today=dt.date(2026, 11, 1)
        )
        score = {hit.display_name: hit.score for hit in hits}
        assert score["Imran Sah"] > score["Imran Shaw"]
        slipped = next(hit for hit in hits if hit.display_name == "Imran Sah")
        assert "Shah and Sah differ by one letter" in slipped.explanation


def test_pervaiz_shah_typed_the_other_way_round_finds_pervez_sah(app, login):
    """The last name-only miss at 100,000 records: Shah Pervaiz typed for Pervez Sah (two slips and the
    names the other way round). Pervaiz is a spelling of Pervez (the variant table; without it they are only
    spelt alike) and Sah, beside several Shahs, a slip of Shah (the counts): Pervez Sah outranks Perveen Shah
    (another name) and Pervez Shaw (whose surname several records write: two surnames, not a slip)."""
    with arranged(app):
        for n in range(1, 4):
            make_person("WDC", forenames="Tariq", surname="Shah", date_of_birth=dt.date(1970, 3, n))
            make_person("WDC", forenames="Peter", surname="Shaw", date_of_birth=dt.date(1960, 4, n))
        make_person("CDC", forenames="Perveen", surname="Shah", sex="F", date_of_birth=dt.date(1983, 2, 3))
        make_person("CDC", forenames="Pervez", surname="Shaw", date_of_birth=dt.date(1981, 7, 4))
        make_person("CDC", forenames="Pervez", surname="Sah", date_of_birth=dt.date(1984, 5, 19))
    page = _results(login(Role.LICENSING_OFFICER), forenames="Shah", surname="Pervaiz")
    assert _ranked_names(page, "Pervez Sah", "Perveen Shah", "Pervez Shaw")[0] == "Pervez Sah"
    assert "Pervaiz and Pervez are spellings of one name" in page
    assert "Shah and Sah differ by one letter, probably a typing slip" in page
