"""A search reads its candidates in few statements: the keys' holder counts, and the candidates with their
evidence and scoring columns, in one; PostgreSQL runs them without JIT compilation (which stalled searches for
seconds)."""

import datetime as dt
import re

from sqlalchemy import text

from licensing.auth.models import Role
from licensing.db import db
from licensing.register.search import MAX_SEARCH_CANDIDATES
from tests.conftest import postgresql_only
from tests.factories import arranged, make_person
from tests.licences.factories import make_licence, make_sanction
from tests.statements import recorded_statements, tables_read

REASON = {"reason": "Application CDC/2026/0102"}


@postgresql_only
def test_postgresql_connections_run_without_jit(app):
    with app.app_context():
        # A fresh pooled connection and one reused: the setting comes with the connection, not a statement.
        assert db.session.scalar(text("SHOW jit")) == "off"
        db.session.remove()
        db.engine.dispose()
        assert db.session.scalar(text("SHOW jit")) == "off"


def test_a_name_search_reads_its_candidates_in_one_statement(app, login):
    # More holders of the common part of the name than are scored, so the candidates are cut by evidence:
    # the holder counts of every key came one statement per name-pair prefix, and the kept candidates' columns
    # in two more statements after the evidence; then the holder counts in a statement before the evidence.
    with arranged(app):
        for n in range(MAX_SEARCH_CANDIDATES + 10):
            make_person("WDC", forenames="Mohammed", surname="Latif",
                        date_of_birth=dt.date(1960 + n % 30, 1 + n % 12, 1 + n % 28))
        make_person("WDC", forenames="Mohammed Sohail", surname="Latif", date_of_birth=dt.date(1971, 3, 9))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    with recorded_statements(app) as statements:
        response = officer.submit("/search", {**REASON, "forenames": "Mohammed Sohail", "surname": "Latif"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.find(">Mohammed Sohail Latif</a>") >= 0
    assert page.find(">Mohammed Sohail Latif</a>") < page.find(">Mohammed Latif</a>")
    reads = [s for s in statements if "FROM blocking_keys" in s or "blocking_keys.person_record_id" in s]
    assert len(reads) == 1, reads
    # The scored candidates' columns came with the evidence: no later read of person records by a list of ids
    # before the shown hits'.
    by_ids = [s for s in statements if s.startswith("SELECT person_records.id, person_records.identity_id")]
    assert by_ids == []


def test_a_search_reads_the_term_counts_and_the_total_in_one_statement(app, login):
    # The register's total came in a statement of its own before the query's name and date counts.
    with arranged(app):
        make_person("WDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1982, 6, 14))
        make_person("CDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1982, 6, 14))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    with recorded_statements(app) as statements:
        response = officer.submit("/search", {**REASON, "forenames": "Imran", "surname": "Hussain",
                                              "date_of_birth": ["14", "6", "1982"]})
    assert response.status_code == 200
    assert ">Imran Hussain</a>" in response.get_data(as_text=True)
    counts = [s for s in statements if _reads_term_counts(s)]
    assert len(counts) == 1, counts


def test_the_shown_hits_records_come_with_their_addresses_in_one_statement(app, login):
    with arranged(app):
        make_person("WDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1982, 6, 14),
                    postcode="WR1 2AB")
    officer = login(Role.LICENSING_OFFICER, "CDC")
    with recorded_statements(app) as statements:
        response = officer.submit("/search", {**REASON, "forenames": "Imran", "surname": "Hussain"})
    assert response.status_code == 200
    assert "WR1 2AB" in response.get_data(as_text=True)
    assert [s for s in statements if s.startswith("SELECT addresses.")] == []


def test_a_search_reads_the_counts_of_names_read_the_other_way_round_with_the_rest(app, login):
    # Records whose names meet the query's only when its forenames are read as a surname: the scorer asked
    # for those counts one statement each (a token, then the set of them, as a surname).
    with arranged(app):
        make_person("WDC", forenames="Ahmed", surname="Tahir", date_of_birth=dt.date(1975, 2, 3))
        make_person("WDC", forenames="Tahir", surname="Mohammed", date_of_birth=dt.date(1981, 7, 9))
        make_person("CDC", forenames="Tahir Ahmed", surname="Mohammed", date_of_birth=dt.date(1969, 1, 12))
        make_person("CDC", forenames="Mohammed Tahir", surname="Ahmed", date_of_birth=dt.date(1990, 5, 30))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    with recorded_statements(app) as statements:
        response = officer.submit("/search", {**REASON, "forenames": "Mohamed Tahir", "surname": "Ahmed"})
    assert response.status_code == 200
    assert ">Mohammed Tahir Ahmed</a>" in response.get_data(as_text=True)
    counts = [s for s in statements if _reads_term_counts(s)]
    assert len(counts) == 1, counts


def test_a_search_reads_the_counts_of_its_candidates_surnames_a_typo_away_in_one_statement(app, login):
    # Whether Sah is a slip of Shah is read from both surnames' counts: the candidates' surnames one typo from
    # the typed one (Sah, Shaw) come in one statement after the candidates, not one each, and not as every
    # spelling a typo away (hundreds) on every search.
    with arranged(app):
        for n in range(1, 4):
            make_person("WDC", forenames="Tariq", surname="Shah", date_of_birth=dt.date(1970, 3, n))
        make_person("CDC", forenames="Imran", surname="Sah", date_of_birth=dt.date(1984, 5, 19))
        make_person("CDC", forenames="Imran", surname="Shaw", date_of_birth=dt.date(1985, 1, 9))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    with recorded_statements(app) as statements:
        response = officer.submit("/search", {**REASON, "forenames": "Imran", "surname": "Shah"})
    assert response.status_code == 200
    assert "Shah and Sah differ by one letter" in response.get_data(as_text=True)
    counts = [s for s in statements if _reads_term_counts(s)]
    assert len(counts) == 2, counts


def _reads_term_counts(statement: str) -> bool:
    """A read of the name and date counts, as term_counts' array join or as one count read lazily."""
    return statement.lstrip().startswith("SELECT") and (
        "JOIN term_counts" in statement or "FROM term_counts" in statement
    )


def test_the_candidates_authorities_come_with_their_columns_and_still_hide_police_records(app, login):
    # The candidates' authorities (for who may see a record, and the engine's source) were a statement of
    # their own after the evidence.
    with arranged(app):
        make_person("WDC", forenames="Kamran", surname="Zaidi", date_of_birth=dt.date(1979, 4, 2))
        make_person("TVP", forenames="Kamran", surname="Zaidi", date_of_birth=dt.date(1963, 8, 20))
    terms = {**REASON, "forenames": "Kamran", "surname": "Zaidi"}
    officer = login(Role.LICENSING_OFFICER, "CDC")
    with recorded_statements(app) as statements:
        page = officer.submit("/search", terms).get_data(as_text=True)
    # The dates as shown: a bare "1963" can be in the page's random nonce or CSRF token, or a user's number.
    assert "born 02 April 1979" in page
    assert all(shown not in page for shown in ("20 August 1963", "20 Aug 1963", "1963-08-20"))
    assert [s for s in statements if s.lstrip().startswith("SELECT authorities.")] == []
    police = login(Role.POLICE_SPOC, "TVP")
    page = police.submit("/search", terms).get_data(as_text=True)
    assert "born 02 April 1979" in page and "born 20 August 1963" in page


def test_a_name_search_looking_one_typo_away_reads_each_stage_in_one_statement(app, login):
    # Few holders of the name as typed, so the search looks again one letter apart: the keys' holder counts
    # and the candidates were two statements for each stage.
    with arranged(app):
        make_person("WDC", forenames="Mustafa", surname="Ahmed", date_of_birth=dt.date(1978, 10, 7))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    with recorded_statements(app) as statements:
        page = officer.submit("/search", {**REASON, "forenames": "Mustafa", "surname": "Ahmd"}).get_data(
            as_text=True)
    assert ">Mustafa Ahmed</a>" in page
    reads = [s for s in statements if "FROM blocking_keys" in s]
    assert len(reads) == 2, reads


@postgresql_only
def test_on_postgresql_a_search_with_a_date_of_birth_sends_its_exact_keys_as_one_parameter(app, login):
    # Sixty keys for a name with a date of birth were sixty placeholders, and psycopg parses a statement of
    # more than fifty afresh on every search instead of from its cache.
    with arranged(app):
        make_person("WDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1982, 6, 14))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    with recorded_statements(app) as statements:
        page = officer.submit("/search", {**REASON, "forenames": "Imran", "surname": "Hussain",
                                          "date_of_birth": ["14", "6", "1982"]}).get_data(as_text=True)
    assert ">Imran Hussain</a>" in page
    reads = [s for s in statements if "FROM blocking_keys" in s]
    assert reads and all(read.count("%s") <= 50 for read in reads), reads


def test_the_shown_records_are_read_once_and_history_only_for_people_it_can_flag(app, login):
    # The shown hits' records were read twice: with their addresses, then again with their identities for
    # the flags. A licence alone flags nothing (without a DBS certificate or a standing decision), so a
    # person holding only licences has none of their history read.
    with arranged(app):
        licensed = make_person("WDC", forenames="Idris", surname="Qadri", date_of_birth=dt.date(1971, 2, 5),
                               postcode="HP13 6AA")
        make_licence(licensed, status="granted", number="PH88001")
        revoked = make_person("CDC", forenames="Ilyas", surname="Qadri", date_of_birth=dt.date(1968, 9, 1),
                              postcode="HP12 4BB")
        make_sanction(revoked, sanction_type="revocation", grounds="safeguarding")
    officer = login(Role.LICENSING_OFFICER, "WDC")
    with recorded_statements(app) as statements:
        page = officer.submit("/search", {**REASON, "surname": "Qadri"}).get_data(as_text=True)
    assert ">Idris Qadri</a>" in page and ">Ilyas Qadri</a>" in page
    assert "HP13 6AA" in page and "HP12 4BB" in page
    assert "Revoked by" in page
    loads = [s for s in statements if s.startswith(("SELECT identities.", "SELECT person_records."))]
    assert len(loads) == 1 and loads[0].startswith("SELECT identities."), loads
    assert [s for s in statements if s.startswith("SELECT addresses.")] == []
    assert [s for s in statements if s.startswith("SELECT sanctions.")], statements
    # Idris's licence would flag nothing, and Ilyas's record holds none: no licence is read.
    assert [s for s in statements if "licences" in tables_read(s, ["licences"])] == []


def test_a_surname_alone_reads_its_slips_counts_with_the_scorings_in_one_statement(app, login, monkeypatch):
    # The counts of the spellings one typo from the surname (its slips) were a statement before the
    # scoring's own counts; Cooher is still a slip of Cooper and listed with them, Hooper is not.
    from licensing.register import search

    monkeypatch.setattr(search, "MAX_SEARCH_CANDIDATES", 5)
    with arranged(app):
        for n in range(8):
            make_person("WDC", forenames=f"Zubair{'abcdefgh'[n]}", surname="Cooper",
                        date_of_birth=dt.date(1970 + n, 1, 2))
        make_person("WDC", forenames="Jason", surname="Cooher", date_of_birth=dt.date(1967, 5, 27))
        for forenames in ("Anna", "Brian"):
            make_person("WDC", forenames=forenames, surname="Hooper", date_of_birth=dt.date(1975, 3, 3))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    for listed in (True, False):  # the surname's holders listed page by page, or few enough to rank
        monkeypatch.setattr(search, "MAX_SEARCH_CANDIDATES", 5 if listed else 120)
        with recorded_statements(app) as statements:
            page = officer.submit("/search", {**REASON, "surname": "Cooper"}).get_data(as_text=True)
        assert "Jason Cooher" in page and "Zubaira Cooper" in page
        assert ("Hooper" in page) is not listed  # a name of its own; ranked, it is a weak typo match
        counts = [s for s in statements if _reads_term_counts(s)]
        assert len(counts) == 1, counts


def test_a_search_page_builds_the_match_settings_for_its_bands_once(app, login, monkeypatch):
    # Each hit's band built the whole match settings again (every weight worked out) for two thresholds.
    from licensing.people import identity

    with arranged(app):
        for n in range(6):
            make_person("WDC", forenames="Bilal", surname="Rafiq", date_of_birth=dt.date(1970 + n, 5, 2))
    built = []
    real = identity.match_settings

    def counted():
        built.append(1)
        return real()

    monkeypatch.setattr(identity, "match_settings", counted)
    officer = login(Role.LICENSING_OFFICER, "CDC")
    page = officer.submit("/search", {**REASON, "surname": "Rafiq"}).get_data(as_text=True)
    assert page.count('data-band="') == 6
    # One for the scoring, one for the bands.
    assert len(built) <= 2, len(built)


def test_a_search_and_a_person_page_read_the_signed_in_user_through_its_proxy_a_few_times(app, login,
                                                                                          monkeypatch):
    # The domain code was handed the current_user proxy: every read of the viewer's role or authority, for
    # each candidate and each record shown, looked the signed-in user up again.
    import flask_login.utils

    with arranged(app):
        for n in range(8):
            make_person("WDC", forenames="Bilal", surname="Rafiq", date_of_birth=dt.date(1970 + n, 5, 2))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    lookups = []
    real = flask_login.utils._get_user

    def counted():
        lookups.append(1)
        return real()

    monkeypatch.setattr(flask_login.utils, "_get_user", counted)
    page = officer.submit("/search", {**REASON, "surname": "Rafiq"}).get_data(as_text=True)
    assert page.count('data-band="') == 8
    searched = len(lookups)
    link = re.search(r'href="(/people/\d+\?grant=\d+)"', page).group(1)
    lookups.clear()
    assert "Bilal Rafiq" in officer.get(link).get_data(as_text=True)
    # What is left is the frame's (the sign-in checks, the navigation): 11 and 10 here, against 53 and 21.
    assert searched <= 15 and len(lookups) <= 14, (searched, len(lookups))


@postgresql_only
def test_on_postgresql_a_surname_search_sends_its_term_counts_as_text_not_lists(app, login):
    # A surname alone asks for the counts of its few hundred spellings a typo away; as two lists psycopg
    # dumped them element by element in Python, on every such search.
    from sqlalchemy import event

    with arranged(app):
        make_person("WDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1982, 6, 14))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "JOIN term_counts" in statement:
            sent.append(parameters)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        page = officer.submit("/search", {**REASON, "surname": "Hussain"}).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert ">Imran Hussain</a>" in page
    lists = [value for parameters in sent for value in parameters.values() if isinstance(value, list)]
    assert sent and lists == [], sent


def test_term_counts_reads_one_pair_an_empty_term_and_a_term_holding_the_separator(app, county):
    from licensing.people.identity import TERM_SEPARATOR, term_counts

    with arranged(app):
        make_person("WDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1982, 6, 14))
        make_person("CDC", forenames="Imran", surname="Hussain", date_of_birth=dt.date(1982, 6, 14))
    with app.app_context():
        total = term_counts([("total", "")])
        assert total == {("total", ""): 2}
        both = term_counts([("total", ""), ("surname", "hussain"), ("surname", f"odd{TERM_SEPARATOR}one")])
        assert both == {("total", ""): 2, ("surname", "hussain"): 2}
        spread = term_counts([("surname", "hussain"), ("surname", "hussein"), ("forename", "imran")])
        assert spread == {("surname", "hussain"): 2, ("forename", "imran"): 2}

def _eight_rafiqs_and_two_lindqvists(app, login):
    """Eight people of one surname, two of another, and an officer of another district ready to search."""
    with arranged(app):
        for n in range(8):
            make_person("WDC", forenames="Bilal", surname="Rafiq", date_of_birth=dt.date(1970 + n, 5, 2))
        for n in range(2):
            make_person("WDC", forenames="Tariq", surname="Lindqvist", date_of_birth=dt.date(1970 + n, 5, 2))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    officer.fetch_csrf("/search")
    return officer


def test_a_search_page_builds_the_person_link_once_however_many_people_it_lists(app, login, monkeypatch):
    # Each hit's link was a url_for of its own (a fifth of the results' rendering); the route is built once,
    # each id and grant put in it, the same links as url_for makes, under a script root too.
    from flask import url_for
    from werkzeug.routing import MapAdapter

    officer = _eight_rafiqs_and_two_lindqvists(app, login)
    builds: dict[str, int] = {}
    real = MapAdapter.build
    for surname, listed in (("Rafiq", 8), ("Lindqvist", 2)):
        def counted(self, endpoint, *args, surname=surname, **kwargs):
            if endpoint == "people.person":
                builds[surname] = builds.get(surname, 0) + 1
            return real(self, endpoint, *args, **kwargs)

        monkeypatch.setattr(MapAdapter, "build", counted)
        page = officer.submit("/search", {**REASON, "surname": surname},
                              environ_overrides={"SCRIPT_NAME": "/register"}).get_data(as_text=True)
        monkeypatch.setattr(MapAdapter, "build", real)
        links = re.findall(r'href="([^"]*/people/[^"]*)"', page)
        assert len(links) == listed
        with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/register"}):
            for link in links:
                identity_id, grant = re.fullmatch(r"/register/people/(\d+)\?grant=(\d+)", link).groups()
                assert link == url_for("people.person", identity_id=int(identity_id), grant=int(grant))
    assert builds == {"Rafiq": 1, "Lindqvist": 1}, builds


def test_a_search_page_yields_each_result_card_as_one_piece(app, login):
    # Each piece the results block yields passes up through base.html's blocks (a generator resumed at each
    # level), and a card was some forty pieces: a card is now built as one string (the result_card macro).
    import sys

    officer = _eight_rafiqs_and_two_lindqvists(app, login)
    resumed: dict[str, int] = {}
    for surname, listed in (("Rafiq", 8), ("Lindqvist", 2)):
        count = 0

        def counted(frame, event, arg):
            nonlocal count
            code = frame.f_code
            if event == "call" and code.co_name == "block_body" and code.co_filename.endswith("search.html"):
                count += 1

        sys.setprofile(counted)
        try:
            page = officer.submit("/search", {**REASON, "surname": surname}).get_data(as_text=True)
        finally:
            sys.setprofile(None)
        assert page.count('data-band="') == listed
        resumed[surname] = count
    assert resumed["Rafiq"] - resumed["Lindqvist"] <= 2 * (8 - 2), resumed


def test_a_surname_search_works_out_its_slip_and_variant_spellings_once(app, login, monkeypatch):
    # The spellings one typo from the surname, and those the engine may read as it, were each worked out
    # twice a search: for the counts read with the scoring's, then again for the slips and the typo stage.
    from licensing.people import identity
    from licensing.register import search

    with arranged(app):
        make_person("WDC", forenames="Bilal", surname="Quraishi", date_of_birth=dt.date(1970, 5, 2))
    officer = login(Role.LICENSING_OFFICER, "CDC")
    edits, variants = [], []
    real_edits, real_variants = identity.one_edit_spellings, search.variant_spellings
    monkeypatch.setattr(identity, "one_edit_spellings", lambda word: edits.append(word) or real_edits(word))
    monkeypatch.setattr(search, "variant_spellings",
                        lambda token: variants.append(token) or real_variants(token))
    page = officer.submit("/search", {**REASON, "surname": "Quraishi"}).get_data(as_text=True)
    assert "Bilal Quraishi" in page
    assert len(edits) <= 2, edits  # the counted spelling and the spelling as typed
    assert len(variants) <= 1, variants  # the one surname token
