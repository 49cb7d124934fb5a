"""On PostgreSQL the search and person pages' reads by an array of ids or keys (`= ANY(array)`) are planned
once on a connection and run by that plan after, as the other prepared statements are: the server had planned
them afresh at every run (it kept choosing a plan made for the values, as the generic plan looked dearer)."""

import datetime as dt

import pytest
from sqlalchemy import text

from licensing.auth.models import Role
from licensing.db import db
from tests.conftest import postgresql_only
from tests.factories import arranged, join_records, make_person
from tests.licences.factories import make_licence, make_sanction

# psycopg prepares a statement on its sixth run; the server then plans the next five runs with their values
# before it may keep a generic plan. Twelve runs leave each statement at least one run on that plan.
RUNS = 12
CUSTOM_PLANS_TRIED = 5


@pytest.fixture
def app(one_connection_app):
    return one_connection_app


def _arrays_plans(app) -> dict[str, tuple[int, int]]:
    """(generic plans, custom plans) of each prepared statement that reads by `= ANY(`."""
    with app.app_context():
        rows = db.session.execute(text(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE '%= ANY%'")).all()
    return {" ".join(statement.split()): (generic, custom) for statement, generic, custom in rows}


@postgresql_only
def test_the_search_and_person_pages_array_reads_keep_one_plan(app, login):
    with arranged(app):
        records = [make_person(code, forenames="Tariq", surname="Haddad", date_of_birth=dt.date(1979, 4, 4))
                   for code in ("WDC", "CDC")]
        for record in records:
            make_licence(record, status="granted")
            make_sanction(record, sanction_type="warning", grounds="road_safety")
        db.session.commit()
        identity_id = join_records(*records)
    officer = login(Role.LICENSING_OFFICER, "WDC")
    for run in range(RUNS):
        found = officer.submit("/search", {"surname": "Haddad", "reason": f"Renewal WDC/2026/{run}"})
        assert found.status_code == 200 and "Tariq Haddad" in found.get_data(as_text=True)
        granted = officer.submit(f"/people/{identity_id}/reason", {"reason": f"Renewal WDC/2026/{run}"})
        page = officer.get(granted.headers["Location"])
        assert page.status_code == 200 and "Tariq Haddad" in page.get_data(as_text=True)
    plans = _arrays_plans(app)
    # The identities with their records, the records' history, and the search's keys and their holders.
    assert any(s.startswith("SELECT identities.id") for s in plans), plans
    assert any(s.startswith("SELECT licences.") or ' licences."id"' in s for s in plans), plans
    assert any(s.startswith("WITH holders") for s in plans), plans
    replanned = {s[:120]: counts for s, counts in plans.items()
                 if counts[0] == 0 or counts[1] > CUSTOM_PLANS_TRIED}
    assert not replanned, replanned
