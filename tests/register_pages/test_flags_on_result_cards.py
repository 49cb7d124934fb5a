"""The search page's result cards carry each person's flags from every kind of history held by any of their
records, and loading them costs the same few statements however many of the people shown hold history."""

import datetime as dt
import re

from sqlalchemy import event

from licensing.auth.models import Role
from licensing.db import db
from tests.conftest import postgresql_only
from tests.factories import arranged, join_records, make_intelligence, make_person
from tests.licences.factories import make_badge, make_complaint, make_licence, make_sanction
from tests.statements import tables_read

REASON = "Renewal check 2026/4411"


def _cards(page: str) -> dict[int, str]:
    """identity id -> the text of its result card."""
    cards = page.split('<div class="govuk-summary-card">')[1:]
    return {int(re.search(r'href="/people/(\d+)', card).group(1)): card for card in cards}


def _person(surname: str, forenames: str):
    """One person with a record at Wycombe and one at Chiltern; history is added to the Chiltern one."""
    wycombe = make_person("WDC", forenames=forenames, surname=surname, date_of_birth=dt.date(1975, 3, 9))
    chiltern = make_person("CDC", forenames=forenames, surname=surname, date_of_birth=dt.date(1975, 3, 9))
    join_records(wycombe, chiltern)
    return chiltern


def test_each_kind_of_history_on_another_authoritys_record_flags_the_card(app, login):
    with arranged(app):
        sanctioned = _person("Quarrington", "Abel")
        make_sanction(sanctioned, sanction_type="revocation", grounds="safeguarding")
        complained = _person("Quarrington", "Basil")
        make_complaint(complained)
        make_complaint(complained, received_on=dt.date.today() - dt.timedelta(days=30))
        lapsed = _person("Quarrington", "Cyril")
        make_badge(lapsed, update_service_subscribed=False)
        police = _person("Quarrington", "Dermot")
        make_intelligence(police)
        plain = _person("Quarrington", "Edwin")
        make_licence(plain, status="granted")
        hidden = make_person("TVP", forenames="Fergus", surname="Quarrington",
                             date_of_birth=dt.date(1975, 3, 9))
        ids = {name: r.identity_id for name, r in
               (("abel", sanctioned), ("basil", complained), ("cyril", lapsed), ("dermot", police),
                ("edwin", plain))}
        hidden_id = hidden.identity_id
    page = login(Role.LICENSING_OFFICER, "WDC").submit(
        "/search", {"reason": REASON, "surname": "Quarrington"}).get_data(as_text=True)
    cards = _cards(page)
    assert set(cards) == set(ids.values()) and hidden_id not in cards
    assert "Revoked by Chiltern District Council on " in cards[ids["abel"]]
    assert "2 sexual or safeguarding complaints in 24 months across 1 authority" in cards[ids["basil"]]
    assert "DBS Update Service subscription lapsed" in cards[ids["cyril"]]
    assert "Police information shared with you" in cards[ids["dermot"]]
    assert "app-flag-list" not in cards[ids["edwin"]]
    for card in cards.values():  # both records, each with its authority and postcode
        assert "Wycombe District Council: " in card and "Chiltern District Council: " in card
        assert "HP11 2BZ" in card


def _reads(app, client, surname: str) -> list[str]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):  # reads: the grants and audit row are writes
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.submit("/search", {"reason": REASON, "surname": surname}).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(_cards(page)) >= 2
    return seen


def _arrange_two_and_six(app):
    # Both surnames' people hold the same kinds of history (a collection nobody shown holds is not read).
    with arranged(app):
        make_sanction(_person("Quennell", "Abel"))
        basil = _person("Quennell", "Basil")
        make_complaint(basil)
        make_badge(basil, update_service_subscribed=False)
        for forenames in ("Abel", "Basil"):
            make_sanction(_person("Quilliam", forenames))
        for forenames in ("Cyril", "Dermot", "Edwin", "Fergus"):
            record = _person("Quilliam", forenames)
            make_complaint(record)
            make_badge(record, update_service_subscribed=False)


def test_flags_for_more_people_cost_no_more_reads(app, login):
    _arrange_two_and_six(app)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    two = _reads(app, officer, "Quennell")
    six = _reads(app, officer, "Quilliam")
    assert len(six) == len(two)


HISTORY_TABLES = ("identities", "sanctions", "complaints", "intelligence_items", "dbs_certificates", "badges",
                  "licences")


@postgresql_only
def test_on_postgresql_the_history_reads_are_the_same_statements_for_two_people_and_six(app, login):
    """One text however many people (= ANY(array), not IN with one placeholder each), so psycopg prepares each
    once per connection and the server does not parse and plan it again for every number of people."""
    _arrange_two_and_six(app)
    officer = login(Role.LICENSING_OFFICER, "WDC")

    def history(surname: str) -> set[str]:
        return {s for s in _reads(app, officer, surname) if tables_read(s, HISTORY_TABLES)}

    two, six = history("Quennell"), history("Quilliam")
    # The identities with their records, then the history: decisions and complaints in one statement, badges
    # and certificates in another.
    assert len(two) == 3, two
    assert two == six


def test_result_cards_read_their_records_and_history_as_plain_rows(app, login):
    # A page of results built some two hundred ORM objects (records, authorities, addresses, licences,
    # badges, certificates, decisions) only to read them: half of a search's CPU. They are plain rows now,
    # and the flags, the police marker and what a police officer may read come out the same.
    with arranged(app):
        make_sanction(_person("Quarrington", "Abel"), sanction_type="revocation", grounds="safeguarding")
        make_badge(_person("Quarrington", "Cyril"), update_service_subscribed=False)
        make_intelligence(_person("Quarrington", "Dermot"))
    loaded: list[str] = []

    def count(instance, context):
        loaded.append(type(instance).__name__)

    for role, authority in ((Role.LICENSING_OFFICER, "WDC"), (Role.POLICE_SPOC, "TVP")):
        client = login(role, authority)
        event.listen(db.Model, "load", count, propagate=True)
        try:
            response = client.submit("/search", {"reason": REASON, "surname": "Quarrington"})
        finally:
            event.remove(db.Model, "load", count)
        page = response.get_data(as_text=True)
        assert "Revoked by Chiltern District Council on " in page
        assert "DBS Update Service subscription lapsed" in page
        assert "Police information shared with you" in page
    # The signed-in user (and its authority) are the only objects a search page builds.
    assert set(loaded) <= {"User", "Authority"}, loaded
    assert loaded.count("Authority") <= 2, loaded


def test_a_search_runs_its_other_names_and_recipients_statements_as_built_once(app, login):
    # The candidates' other names and the police items' recipients were read with statements built (and
    # cache-keyed) again on every search: building them cost more than running them.
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

    with arranged(app):
        police = _person("Quarrington", "Dermot")
        make_intelligence(police)
        _person("Quarrington", "Edwin")
    officer = login(Role.LICENSING_OFFICER, "WDC")
    ran: list = []

    def record(state):
        ran.append(state.statement)

    event.listen(Session, "do_orm_execute", record)
    try:
        for _ in range(2):
            page = officer.submit("/search", {"reason": REASON, "surname": "Quarrington"})
            page = page.get_data(as_text=True)
            assert "Police information shared with you" in page
    finally:
        event.remove(Session, "do_orm_execute", record)
    for table in ("person_names", "intelligence_recipients"):
        reads = [s for s in ran if isinstance(s, Select) and f"FROM {table}" in str(s)]
        assert len(reads) == 2 and reads[0] is reads[1], (table, reads)
