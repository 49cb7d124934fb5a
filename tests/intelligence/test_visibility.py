"""Only police see intelligence text; others see the sanitised summary where handling allows, else a
marker."""

import pytest

from licensing.auth.models import Role
from tests.factories import arranged, join_records, make_intelligence, make_person

FULL = "Informant X saw the subject with a 14-year-old at 2am."
SUMMARY = "Police hold safeguarding information about this person."
MARKER = "Police hold information: contact the point of contact"


@pytest.fixture
def subject(app, county):
    """A Wycombe driver whose police record carries one intelligence item, built per test by `handling`."""

    def build(**intel):
        with arranged(app):
            driver = make_person("WDC", forenames="Tariq", surname="Mehmood")
            police = make_person("TVP", forenames="Tariq", surname="Mehmood")
            make_intelligence(police, **intel)
            return join_records(driver, police)

    return build


def _page(client, identity_id):
    client.submit(f"/people/{identity_id}/reason", {"reason": "Visibility test case 42"})
    return client.get(f"/people/{identity_id}").get_data(as_text=True)


@pytest.mark.parametrize("role, authority, handling, recipients, expected", [
    (Role.POLICE_SPOC, None, "C", (), FULL),
    (Role.LICENSING_OFFICER, "WDC", "P", (), SUMMARY),
    (Role.TRANSPORT_OFFICER, None, "P", (), SUMMARY),
    (Role.LICENSING_OFFICER, "WDC", "C", ("WDC",), SUMMARY),
    (Role.LICENSING_OFFICER, "CDC", "C", ("WDC",), MARKER),
    (Role.TRANSPORT_OFFICER, None, "C", ("WDC",), MARKER),
])
def test_intelligence_visibility_by_role_and_handling_code(
    login, subject, role, authority, handling, recipients, expected
):
    identity_id = subject(handling=handling, recipients=recipients)
    page = _page(login(role, authority), identity_id)
    assert expected in page
    if role is not Role.POLICE_SPOC:
        assert FULL not in page
        assert "TVP/2026" not in page  # the force reference is police-only too


def test_conditions_travel_with_the_shared_summary(login, subject):
    identity_id = subject(handling="C", recipients=("WDC",), conditions="Not to be disclosed to the subject")
    page = _page(login(Role.LICENSING_OFFICER, "WDC"), identity_id)
    assert SUMMARY in page and "Not to be disclosed to the subject" in page


def test_withdrawn_intelligence_is_not_shown_outside_the_police(login, subject):
    identity_id = subject(status="withdrawn")
    page = _page(login(Role.LICENSING_OFFICER, "WDC"), identity_id)
    assert SUMMARY not in page and MARKER not in page and FULL not in page


def test_intelligence_text_is_escaped(login, subject):
    identity_id = subject(full_text="<script>alert(1)</script>{{7*7}}")
    page = _page(login(Role.POLICE_SPOC), identity_id)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page and "<script>alert(1)" not in page
