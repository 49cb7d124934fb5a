from sqlalchemy import select

from licensing.alerts.models import Alert
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from tests.factories import arranged, join_records
from tests.sanctions.test_decisions import _badged, _licensed, _revocation


def _revoked_elsewhere(app, login):
    with arranged(app):
        wycombe, licence = _licensed("WDC", "WDC-PH-8001", forenames="Rizwan", surname="Sadiq")
        identity_id = join_records(wycombe, _badged(forenames="Rizwan", surname="Sadiq"))
        record_id, licence_id = wycombe.id, licence.id
    login(Role.LICENSING_OFFICER, "WDC").submit(f"/records/{record_id}/decision", _revocation(licence_id))
    return identity_id


def test_alert_shows_on_home_and_is_acknowledged_with_the_action_taken(app, login):
    identity_id = _revoked_elsewhere(app, login)
    transport = login(Role.TRANSPORT_OFFICER)
    home = transport.get("/home").get_data(as_text=True)
    assert "1 unacknowledged alert" in home and f"/people/{identity_id}" in home
    with app.app_context():
        alert_id = db.session.scalar(select(Alert.id))
    assert transport.submit(f"/alerts/{alert_id}/acknowledge", {"action_taken": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(Alert, alert_id).acknowledged_at is None
    transport.submit(f"/alerts/{alert_id}/acknowledge", {"action_taken": "Badge suspended pending review"})
    with app.app_context():
        alert = db.session.get(Alert, alert_id)
        assert (
            alert.action_taken == "Badge suspended pending review"
            and alert.acknowledged_by.role is Role.TRANSPORT_OFFICER
        )
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "alert.acknowledged"))
    assert "unacknowledged" not in transport.get("/home").get_data(as_text=True)


def test_an_authority_cannot_see_or_acknowledge_another_authoritys_alert(app, login):
    _revoked_elsewhere(app, login)
    with app.app_context():
        alert_id = db.session.scalar(select(Alert.id))
    other = login(Role.LICENSING_OFFICER, "SBDC")
    assert other.submit(f"/alerts/{alert_id}/acknowledge", {"action_taken": "Not mine"}).status_code == 404
    assert "Rizwan" not in other.get("/alerts").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Alert, alert_id).acknowledged_at is None
