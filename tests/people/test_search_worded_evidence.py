"""The evidence on the search page is the engine's own wording for the pair that ranked the hit: the query in
the order that scored best against the record (typed, or the names the other way round)."""

import datetime as dt
from html import escape

from licensing.auth.models import Role
from licensing.db import db
from licensing.matching import MatchRecord, score_pair
from licensing.people.identity import DatabaseFrequencies, match_settings, to_match_records
from licensing.people.models import PersonRecord
from tests.factories import arranged, make_person

REASON = {"reason": "Application CDC/2026/0101"}


def _engine_words(app, record_id: int, forenames: str, surname: str) -> str:
    """score_pair's explanation for the query against the stored record, as the page joins it."""
    with app.app_context():
        record = db.session.get(PersonRecord, record_id)
        stored = to_match_records([record], with_addresses=False)[record_id]
        query = MatchRecord("query", forenames=forenames, surname=surname)
        frequencies = DatabaseFrequencies(own_records=1).preload(query)
        return " · ".join(score_pair(query, stored, match_settings(), frequencies).explanation)


def test_a_hit_found_with_the_names_the_other_way_round_is_explained_in_that_order(app, login):
    with arranged(app):
        record = make_person("WDC", forenames="John", surname="Wright", date_of_birth=dt.date(1975, 6, 3))
        make_person("WDC", forenames="Tariq", surname="Mahmood", date_of_birth=dt.date(1975, 6, 3))
        record_id = record.id
    swapped = _engine_words(app, record_id, "Jon", "Wright")
    as_typed = _engine_words(app, record_id, "Wright", "Jon")
    assert swapped != as_typed
    page = login(Role.LICENSING_OFFICER).submit(
        "/search", {**REASON, "forenames": "Wright", "surname": "Jon"}
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "John Wright</a>" in text
    assert escape(swapped) in text and escape(as_typed) not in text


def test_a_hit_found_in_the_typed_order_is_explained_in_that_order(app, login):
    with arranged(app):
        record = make_person(
            "WDC", forenames="Jakub", surname="Lewandowski", date_of_birth=dt.date(1975, 6, 3)
        )
        record_id = record.id
    as_typed = _engine_words(app, record_id, "Jakvb", "Lewandowski")
    page = login(Role.LICENSING_OFFICER).submit(
        "/search", {**REASON, "forenames": "Jakvb", "surname": "Lewandowski"}
    )
    assert page.status_code == 200 and escape(as_typed) in page.get_data(as_text=True)
