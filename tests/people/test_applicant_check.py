import datetime as dt

from sqlalchemy import select

from licensing.auth.models import Role
from licensing.db import db
from licensing.people.models import ApplicantCheck, Nr3sOutcome
from tests.factories import arranged, make_person


def test_officer_checks_an_applicant_and_records_the_nr3s_search(app, login):
    with arranged(app):
        make_person("WDC", forenames="Muhammad Asif", surname="Khan", date_of_birth=dt.date(1979, 3, 4),
                    national_insurance="JT123456A")
    officer = login(Role.LICENSING_OFFICER, "CDC")
    response = officer.submit("/check", {"applicant_reference": "CDC/PH/2026/0042", "forenames": "Mohd Asif",
                                         "surname": "Khan", "date_of_birth": ["4", "3", "1979"]})
    assert response.status_code == 302
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Muhammad Asif Khan" in page and "Wycombe District Council" in page
    response = officer.submit(
        response.headers["Location"],
        {
            "findings": "Licensed at Wycombe, nothing adverse",
            "nr3s_outcome": "match_found",
            "nr3s_reference": "",
        },
    )
    assert response.status_code == 400 and "Enter the NR3S reference" in response.get_data(as_text=True)
    check_url = f"/checks/{db_id(app)}"
    officer.submit(
        check_url, {"findings": "Licensed at Wycombe, nothing adverse", "nr3s_outcome": "no_match"}
    )
    with app.app_context():
        check = db.session.scalar(select(ApplicantCheck))
        assert check.nr3s_outcome is Nr3sOutcome.NO_MATCH and check.applicant_reference == "CDC/PH/2026/0042"
        assert len(check.identity_ids) == 1
    assert login(Role.LICENSING_OFFICER, "WDC").get(check_url).status_code == 404


def db_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(ApplicantCheck.id))
