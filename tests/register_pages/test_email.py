"""Alerts, incoming requests and replies are emailed to the authority's shared mailbox through a
real SMTP server
(aiosmtpd on 127.0.0.1); the email carries a reference and a link, never names or intelligence text."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from config import TestingConfig
from licensing import create_app
from licensing.alerts.models import Alert
from licensing.auth.models import Role
from licensing.db import db
from licensing.requests.models import InformationRequest
from tests.conftest import RegisterClient
from tests.factories import arranged, authority, join_records, make_intelligence, make_person
from tests.sanctions.test_decisions import _licensed, _revocation


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, collector
    controller.stop()


@pytest.fixture
def app(database_url, smtp):
    controller, _ = smtp
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        MAIL_BACKEND="smtp",
        MAIL_SERVER=controller.hostname,
        MAIL_PORT=controller.port,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        SERVICE_URL="https://register.example.org",
    )
    app.test_client_class = RegisterClient
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _mails(collector) -> list:
    return [email.message_from_bytes(m.content, policy=email.policy.default) for m in collector.messages]


def _set_mailboxes(**boxes):
    for code, box in boxes.items():
        authority(code).shared_mailbox = box
    db.session.commit()


def test_an_alert_is_emailed_with_a_reference_and_a_link_only(app, login, smtp):
    _, collector = smtp
    with arranged(app):
        _set_mailboxes(WDC="licensing@wycombe.example.org", CDC="licensing@chiltern.example.org")
        chiltern, licence = _licensed("CDC", "CDC-PH-7701", forenames="Shahid", surname="Mirza")
        wycombe, _ = _licensed("WDC", "WDC-PH-7702", forenames="Shahid", surname="Mirza")
        join_records(chiltern, wycombe)
        record_id, licence_id = chiltern.id, licence.id
    response = login(Role.LICENSING_OFFICER, "CDC").submit(
        f"/records/{record_id}/decision", _revocation(licence_id)
    )
    assert response.status_code == 302
    with app.app_context():
        alert = db.session.scalar(select(Alert))
    [message] = _mails(collector)
    assert collector.messages[0].rcpt_tos == ["licensing@wycombe.example.org"]
    body = message.get_content()
    assert f"ALERT-{alert.id}" in message["Subject"] and "https://register.example.org/alerts" in body
    for private in ("Shahid", "Mirza", "Three similar complaints", "CDC-PH-7701", "sexual", "Revo"):
        assert private not in body and private not in message["Subject"]


def test_police_information_email_never_carries_the_text(app, login, smtp):
    _, collector = smtp
    with app.app_context():
        _set_mailboxes(WDC="licensing@wycombe.example.org")
        driver, _ = _licensed("WDC", "WDC-PH-7801", forenames="Kamran", surname="Abbasi")
        identity_id = driver.identity_id
    from tests.intelligence.factories import item_form

    police = login(Role.POLICE_SPOC)
    assert police.submit(f"/intelligence/new?identity_id={identity_id}", item_form()).status_code == 302
    [message] = _mails(collector)
    body = message.get_content()
    assert "ALERT-" in body and "Kamran" not in body and "pupils" not in body and "safeguarding" not in body


def test_requests_and_replies_are_emailed_to_each_side(app, login, smtp):
    _, collector = smtp
    with arranged(app):
        _set_mailboxes(WDC="licensing@wycombe.example.org", CDC="licensing@chiltern.example.org")
        identity_id = join_records(
            make_person("WDC", forenames="Amjad", surname="Bashir"),
            make_person("CDC", forenames="Amjad", surname="Bashir"),
        )
        wdc = authority("WDC").id
    chiltern = login(Role.LICENSING_OFFICER, "CDC")
    assert (
        chiltern.submit(
            f"/requests/new?identity_id={identity_id}",
            {
                "kind": "information_request",
                "to_authority_id": str(wdc),
                "details": "Please send the reasons for your 2025 suspension.",
            },
        ).status_code
        == 302
    )
    with app.app_context():
        request_id = db.session.scalar(select(InformationRequest.id))
    wycombe = login(Role.LICENSING_OFFICER, "WDC")
    assert (
        wycombe.submit(
            f"/requests/{request_id}", {"reply": "Suspended for 3 months: road safety."}
        ).status_code
        == 302
    )
    sent, reply = _mails(collector)
    assert collector.messages[0].rcpt_tos == ["licensing@wycombe.example.org"]
    assert collector.messages[1].rcpt_tos == ["licensing@chiltern.example.org"]
    assert f"REQ-{request_id}" in sent["Subject"] and f"/requests/{request_id}" in sent.get_content()
    assert "Reply to" in reply["Subject"]
    for message in (sent, reply):
        assert "Bashir" not in message.get_content() and "road safety" not in message.get_content()
        assert "suspension" not in message.get_content()


def test_no_mailbox_no_email_and_a_rolled_back_change_sends_nothing(app, login, smtp):
    _, collector = smtp
    with arranged(app):
        record = make_person("WDC")
        make_intelligence(make_person("TVP"))
        db.session.add(
            Alert(
                authority_id=record.authority_id,
                identity_id=record.identity_id,
                kind="decision",
                subject_type="person_records",
                subject_id=record.id,
                raised_by_authority_id=authority("CDC").id,
            )
        )
        db.session.commit()  # WDC has no shared mailbox
        _set_mailboxes(WDC="licensing@wycombe.example.org")
        db.session.add(
            Alert(
                authority_id=record.authority_id,
                identity_id=record.identity_id,
                kind="decision",
                subject_type="person_records",
                subject_id=record.id,
                raised_by_authority_id=authority("CDC").id,
            )
        )
        db.session.flush()
        db.session.rollback()
    assert collector.messages == []
