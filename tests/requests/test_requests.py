import datetime as dt

from sqlalchemy import select

from licensing.auth.models import Role
from licensing.db import db
from licensing.requests.models import InformationRequest
from licensing.requests.working_days import add_working_days
from tests.factories import arranged, join_records, make_person


def test_working_days_skip_weekends_and_england_bank_holidays():
    # Friday 19 Dec 2025 + 5 working days skips the weekend, Christmas Day and Boxing Day.
    assert add_working_days(dt.date(2025, 12, 19), 5) == dt.date(2025, 12, 30)
    # Thursday 17 Apr 2025 + 1 skips Good Friday and the weekend and Easter Monday.
    assert add_working_days(dt.date(2025, 4, 17), 1) == dt.date(2025, 4, 22)
    # The August bank holiday is England's (last Monday), not Scotland's (first Monday).
    assert add_working_days(dt.date(2026, 8, 28), 1) == dt.date(2026, 9, 1)
    assert add_working_days(dt.date(2026, 7, 31), 1) == dt.date(2026, 8, 3)


def _pair(app):
    with arranged(app):
        wycombe = make_person("WDC", forenames="Amjad", surname="Bashir")
        chiltern = make_person("CDC", forenames="Amjad", surname="Bashir")
        return join_records(wycombe, chiltern)


def test_information_request_runs_on_a_20_working_day_clock_and_the_reply_is_attached(app, login):
    identity_id = _pair(app)
    chiltern = login(Role.LICENSING_OFFICER, "CDC")
    with app.app_context():
        wdc_id = db.session.scalar(select(InformationRequest.id))  # none yet
        assert wdc_id is None
        from tests.factories import authority
        wdc = authority("WDC").id
    response = chiltern.submit(f"/requests/new?identity_id={identity_id}", {
        "kind": "information_request", "to_authority_id": str(wdc),
        "details": "Please send the reasons for your 2025 suspension."})
    assert response.status_code == 302
    with app.app_context():
        sent = db.session.scalar(select(InformationRequest))
        assert sent.due_on == add_working_days(dt.date.today(), 20)
        request_id = sent.id
    wycombe = login(Role.LICENSING_OFFICER, "WDC")
    assert "Request for information" in wycombe.get("/requests").get_data(as_text=True)
    assert wycombe.submit(f"/requests/{request_id}", {"reply": ""}).status_code == 400
    assert (
        wycombe.submit(
            f"/requests/{request_id}", {"reply": "Suspended for 3 months: road safety."}
        ).status_code
        == 302
    )
    with app.app_context():
        replied = db.session.get(InformationRequest, request_id)
        assert replied.replied_on == dt.date.today() and "road safety" in replied.reply
    assert chiltern.submit(f"/requests/{request_id}", {"reply": "I am not the recipient"}).status_code == 400
    assert login(Role.LICENSING_OFFICER, "SBDC").get(f"/requests/{request_id}").status_code == 404


def test_out_of_area_referral_is_due_in_10_working_days_and_shows_overdue(app, login):
    identity_id = _pair(app)
    with arranged(app):
        from tests.factories import authority, make_user

        officer = make_user(Role.LICENSING_OFFICER, authority="CDC")
        referral = InformationRequest(
            kind="out_of_area_referral",
            identity_id=identity_id,
            from_authority_id=authority("CDC").id,
            to_authority_id=authority("WDC").id,
            details="Concern",
            requested_by_id=officer.id,
            sent_on=dt.date.today() - dt.timedelta(days=30),
            due_on=add_working_days(dt.date.today() - dt.timedelta(days=30), 10),
        )
        db.session.add(referral)
        db.session.commit()
    home = login(Role.LICENSING_OFFICER, "WDC").get("/home").get_data(as_text=True)
    assert "Out-of-area referral from Chiltern District Council" in home and "Overdue" in home


def test_request_to_an_authority_without_a_record_or_to_self_is_refused(app, login):
    identity_id = _pair(app)
    with app.app_context():
        from tests.factories import authority

        sbdc, cdc = authority("SBDC").id, authority("CDC").id
    officer = login(Role.LICENSING_OFFICER, "CDC")
    for target in (sbdc, cdc, 99999):
        response = officer.submit(
            f"/requests/new?identity_id={identity_id}",
            {"kind": "information_request", "to_authority_id": str(target), "details": "x"},
        )
        assert response.status_code == 400
    assert officer.get("/requests/new?identity_id=99999").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(InformationRequest.id)) is None
