"""The team's working lists: badges expiring, DBS status checks due, safeguarding training due."""

import datetime as dt
import re

from licensing.auth.models import Role
from licensing.badges.services import latest_start_for
from licensing.db import db
from licensing.licences.models import BadgeStatus
from licensing.licences.rules import add_months
from tests.factories import arranged, clock_date, make_person
from tests.licences.factories import make_badge

TODAY = clock_date(__name__)


def _numbers(page: str) -> list[str]:
    return re.findall(r'href="/badges/\d+">([^<]+)</a>', page)


def _make(app, number: str, **kwargs) -> None:
    with arranged(app):
        make_badge(make_person("BCC-CT"), number=number, **kwargs)


def test_badges_expiring_in_the_next_60_days_by_default(app, login, county):
    _make(app, "EXP030", expires_on=TODAY + dt.timedelta(days=30))
    _make(app, "EXP000", expires_on=TODAY)
    _make(app, "EXP090", expires_on=TODAY + dt.timedelta(days=90))
    _make(app, "EXPGONE", expires_on=TODAY - dt.timedelta(days=1))
    _make(app, "EXPSUSP", expires_on=TODAY + dt.timedelta(days=10), status=BadgeStatus.SUSPENDED)
    officer = login(Role.TRANSPORT_OFFICER)
    page = officer.get("/badges/due").get_data(as_text=True)
    assert _numbers(page) == ["EXP000", "EXP030"]
    page = officer.get("/badges/due?list=expiring&days=100").get_data(as_text=True)
    assert _numbers(page) == ["EXP000", "EXP030", "EXP090"]


def test_lists_filter_by_operator_and_reject_bad_filters(app, login, county):
    _make(app, "OPA", expires_on=TODAY + dt.timedelta(days=5), operator_name="Amersham Taxis")
    _make(app, "OPB", expires_on=TODAY + dt.timedelta(days=6), operator_name="Marlow Executive Travel")
    officer = login(Role.TRANSPORT_OFFICER)
    page = officer.get("/badges/due?list=expiring&operator=Marlow+Executive+Travel").get_data(as_text=True)
    assert _numbers(page) == ["OPB"]
    for query in ("days=0", "days=abc", "operator=Nobody", "list=everything"):
        response = officer.get(f"/badges/due?{query}")
        assert response.status_code == 400, query


def test_dbs_status_checks_due_within_30_days_or_overdue(app, login, county):
    _make(app, "DBSOVER", last_status_check_on=add_months(TODAY, -7))
    _make(app, "DBSSOON", last_status_check_on=add_months(TODAY, -6) + dt.timedelta(days=20))
    _make(app, "DBSFINE", last_status_check_on=add_months(TODAY, -2))
    _make(
        app,
        "DBSNEVER",
        dbs_issued_on=TODAY - dt.timedelta(days=300),
        issued_on=TODAY - dt.timedelta(days=200),
    )
    _make(app, "DBSNONE", with_dbs=False)
    _make(app, "DBSSUSP", last_status_check_on=add_months(TODAY, -9), status=BadgeStatus.SUSPENDED)
    page = login(Role.TRANSPORT_OFFICER).get("/badges/due?list=dbs").get_data(as_text=True)
    assert _numbers(page) == ["DBSNONE", "DBSNEVER", "DBSOVER", "DBSSOON"]
    assert "No certificate recorded" in page and "Overdue" in page and "Due soon" in page


def test_safeguarding_training_due_within_60_days_of_three_years(app, login, county):
    _make(app, "SGOLD", safeguarding_training_on=add_months(TODAY, -36) + dt.timedelta(days=10))
    _make(app, "SGDUE", safeguarding_training_on=add_months(TODAY, -36) + dt.timedelta(days=50))
    _make(app, "SGFINE", safeguarding_training_on=add_months(TODAY, -36) + dt.timedelta(days=90))
    page = login(Role.TRANSPORT_OFFICER).get("/badges/due?list=safeguarding").get_data(as_text=True)
    assert _numbers(page) == ["SGOLD", "SGDUE"]


def test_lists_are_paginated_and_show_only_the_officers_own_badges(app, login, county):
    app.config["PAGE_SIZE"] = 2
    for n in range(3):
        _make(app, f"PAGE{n}", expires_on=TODAY + dt.timedelta(days=n + 1))
    officer = login(Role.TRANSPORT_OFFICER)
    first = officer.get("/badges/due").get_data(as_text=True)
    assert _numbers(first) == ["PAGE0", "PAGE1"] and "3 badges" in first and "Page 1 of 2" in first
    assert _numbers(officer.get("/badges/due?page=2").get_data(as_text=True)) == ["PAGE2"]
    with app.app_context():
        from licensing.authorities.models import Authority, AuthorityKind

        db.session.add(Authority(code="OCC-CT", name="Oxfordshire Client Transport",
                                 kind=AuthorityKind.CLIENT_TRANSPORT))
        db.session.commit()
    assert _numbers(login(Role.TRANSPORT_OFFICER, "OCC-CT").get("/badges/due").get_data(as_text=True)) == []


def test_badge_menu_entries_follow_the_role(app, login, county):
    # The menu shows the Badges group; its pages are listed beneath it on the group's pages.
    officer = login(Role.TRANSPORT_OFFICER).get("/badges/check").get_data(as_text=True)
    assert "Check a badge" in officer and "Issue a badge" in officer and "Badges due" in officer
    police = login(Role.POLICE_SPOC).get("/badges/check").get_data(as_text=True)
    assert "Badges" in police and "Issue a badge" not in police and "Badges due" not in police
    admin = login(Role.ADMINISTRATOR).get("/home").get_data(as_text=True)
    assert "Check a badge" not in admin


def test_forms_render_with_labels(app, login, county):
    _make(app, "FORM1")
    officer = login(Role.TRANSPORT_OFFICER)
    for url in ("/badges/check", "/badges/new", "/badges/due"):
        response = officer.get(url)
        assert response.status_code == 200, url
    page = officer.get("/badges/new").get_data(as_text=True)
    for label in ("DBS certificate number", "Date the DBS certificate was issued", "both barred lists",
                  "Date the first character reference was received", "Date the English test was passed",
                  "Date of safeguarding training", "Operator", "Badge type"):
        assert label in page, label


def test_latest_start_for_matches_add_months_on_every_day():
    """latest_start_for(cutoff, m) is the last day whose add_months(day, m) <= cutoff, month ends included."""
    for months in (6, 36):
        for offset in range(0, 800):
            cutoff = dt.date(2027, 1, 1) + dt.timedelta(days=offset)
            latest = latest_start_for(cutoff, months)
            assert add_months(latest, months) <= cutoff < add_months(latest + dt.timedelta(days=1), months), (
                cutoff
            )
