"""The decision form: each type reveals its own fields, every error links to its own field, penalty points
are counted over the authority's rolling period with a warning at its threshold."""

import datetime as dt
import re

from sqlalchemy import func, select

from licensing.auth.models import Role
from licensing.db import db
from licensing.sanctions.models import Sanction, SanctionType
from tests.factories import authority, clock_date
from tests.sanctions.test_decisions import _d, _licensed, _revocation

TODAY = clock_date(__name__)


def _points(licence_id: int, points: str, on: dt.date | None = None) -> dict:
    on = on or TODAY  # read as the test runs, not fixed when the module was imported
    return {
        **_revocation(licence_id),
        "decision": "penalty_points",
        "grounds": "road_safety",
        "points": points,
        "decided_on": _d(on),
        "effective_on": _d(on),
        "narrative": "Parked on a taxi rank zig-zag.",
    }


def test_each_decision_type_reveals_only_its_own_fields(app, login):
    with app.app_context():
        record, _ = _licensed("WDC", "WDC-PH-9101")
        record_id = record.id
    page = login(Role.LICENSING_OFFICER, "WDC").get(f"/records/{record_id}/decision").get_data(as_text=True)
    reveals = re.findall(r'data-aria-controls="(conditional-decision[-\d]*)"', page)
    assert len(reveals) == 4  # grant, suspension, conditions, penalty points
    # The reveals hold the type-specific fields, and nothing else is inside them.
    conditional = "".join(
        re.findall(
            r'govuk-radios__conditional.*?(?=<div class="govuk-radios__item">|</fieldset>)', page, re.S
        )
    )
    for field in ("new_licence_number", "ends_on", "points", 'id="conditions"'):
        assert field in conditional
    for shared in ('name="grounds"', 'name="decision_maker"', 'name="narrative"'):
        assert shared not in conditional


def test_each_missing_field_is_reported_on_that_field(app, login):
    with app.app_context():
        record, licence = _licensed("WDC", "WDC-PH-9201")
        record_id, licence_id = record.id, licence.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    cases = [
        ({"grounds": ""}, "grounds", "Select the grounds for the decision"),
        ({"licence_id": "0"}, "licence_id", "Select the licence this decision concerns"),
        ({"decision": "conditions", "conditions": ""}, "conditions", "Enter the conditions"),
        ({"decision": "penalty_points", "points": ""}, "points", "Enter the number of penalty points"),
        ({"decision": "penalty_points", "points": "40"}, "points", "Penalty points must be between 1 and 12"),
        (
            {"effective_on": _d(TODAY - dt.timedelta(days=5)), "decided_on": _d(TODAY)},
            "effective_on",
            "The effective date cannot be before the decision date",
        ),
    ]
    for change, field, message in cases:
        response = officer.submit(f"/records/{record_id}/decision", {**_revocation(licence_id), **change})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, change
        link = re.search(rf'<a href="#([\w-]+)"[^>]*>{re.escape(message)}</a>', page)
        assert link, (change, message)
        assert link.group(1).startswith(field), (change, link.group(1))
        assert f'id="{field}-error"' in page, change
    with app.app_context():
        assert db.session.scalar(select(func.count(Sanction.id))) == 0


def test_penalty_points_are_recorded_and_tallied_with_a_warning_at_the_threshold(app, login):
    with app.app_context():
        record, licence = _licensed("WDC", "WDC-PH-9301")
        wdc = authority("WDC")
        wdc.penalty_points_threshold, wdc.penalty_points_period_months = 6, 12
        db.session.commit()
        record_id, licence_id = record.id, licence.id
    officer = login(Role.LICENSING_OFFICER, "WDC")
    old = TODAY - dt.timedelta(days=400)  # outside the 12-month period: not counted
    for points, on in (("3", old), ("3", TODAY), ("2", TODAY)):
        response = officer.submit(f"/records/{record_id}/decision", _points(licence_id, points, on))
        assert response.status_code == 302, response.get_data(as_text=True)
    form = officer.get(f"/records/{record_id}/decision").get_data(as_text=True)
    assert "has 5 penalty points from Wycombe District Council in the last 12 months" in form
    assert "The threshold is 6" in form and 'id="points-warning"' not in form
    response = officer.submit(
        f"/records/{record_id}/decision", _points(licence_id, "1"), follow_redirects=True
    )
    assert "now has 6 penalty points in 12 months: at or over Wycombe District Council" in response.get_data(
        as_text=True
    )
    assert 'id="points-warning"' in officer.get(f"/records/{record_id}/decision").get_data(as_text=True)
    with app.app_context():
        points = db.session.scalars(
            select(Sanction.points)
            .where(Sanction.sanction_type == SanctionType.PENALTY_POINTS)
            .order_by(Sanction.id)
        ).all()
        assert points == [3, 3, 2, 1]
