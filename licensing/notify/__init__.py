"""Email to authorities' shared mailboxes: new alerts, incoming requests and replies.

An email carries only a reference and a link, never intelligence text or personal details, because mailboxes
are shared and mail is forwarded. Messages are queued as the rows are flushed and sent only after the
transaction commits, so a rolled-back change sends nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, current_app
from flask_mailman import EmailMessage, Mail
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from licensing.alerts.models import Alert
from licensing.authorities.models import Authority
from licensing.requests.models import InformationRequest, RequestKind

mail = Mail()
log = logging.getLogger(__name__)
OUTBOX = "licensing_outbox"


@dataclass(frozen=True)
class Notice:
    to: str
    subject: str
    body: str


def _mailbox(authority: Authority | None) -> str:
    """Where an authority's notices go: its shared mailbox, else (for a force) its point of contact."""
    if authority is None:
        return ""
    return authority.shared_mailbox or (authority.contact_email if authority.is_police else "")


def _link(path: str) -> str:
    return current_app.config["SERVICE_URL"].rstrip("/") + path


def alert_notice(alert: Alert, authority: Authority) -> Notice:
    path = "/home" if authority.is_police else "/alerts"
    return Notice(
        _mailbox(authority),
        f"New alert ALERT-{alert.id} in the licensing intelligence register",
        f"There is a new alert for {authority.name}, reference ALERT-{alert.id}.\n\n"
        f"Sign in to read it: {_link(path)}\n\n"
        "This email does not contain the details. Do not reply to it.",
    )


def request_notice(item: InformationRequest, authority: Authority, *, reply: bool) -> Notice:
    what = "A reply to your request" if reply else f"A new {RequestKind(item.kind).label.lower()}"
    return Notice(
        _mailbox(authority),
        f"{'Reply to' if reply else 'New'} request REQ-{item.id} in the licensing intelligence register",
        f"{what} is waiting for {authority.name}, reference REQ-{item.id}.\n\n"
        f"Sign in to read it: {_link(f'/requests/{item.id}')}\n\n"
        "This email does not contain the details. Do not reply to it.",
    )


def _queue(session: Session, notice: Notice) -> None:
    if notice.to:
        session.info.setdefault(OUTBOX, []).append(notice)


def _collect(session: Session, flush_context) -> None:
    """After each flush: notices for new alerts, new requests and requests just replied to."""
    for obj in session.new:
        if isinstance(obj, Alert):
            authority = session.get(Authority, obj.authority_id)
            if _mailbox(authority):
                _queue(session, alert_notice(obj, authority))
        elif isinstance(obj, InformationRequest):
            authority = session.get(Authority, obj.to_authority_id)
            if _mailbox(authority):
                _queue(session, request_notice(obj, authority, reply=False))
    for obj in session.dirty:
        if isinstance(obj, InformationRequest):
            history = inspect(obj).attrs.replied_on.history
            authority = session.get(Authority, obj.from_authority_id)
            if (
                history.added
                and history.added[0] is not None
                and not (history.deleted and history.deleted[0])
                and _mailbox(authority)
            ):
                _queue(session, request_notice(obj, authority, reply=True))


def _send(session: Session) -> None:
    notices = session.info.pop(OUTBOX, [])
    if not notices:
        return
    try:
        with mail.get_connection() as connection:
            for notice in notices:
                EmailMessage(notice.subject, notice.body, to=[notice.to], connection=connection).send()
    except Exception:  # noqa: BLE001  a mail outage must not undo or fail the committed work
        log.exception("Could not send %d notification emails", len(notices))


def _discard(session: Session, *args) -> None:
    session.info.pop(OUTBOX, None)


def init_app(app: Flask) -> None:
    app.config.setdefault("SERVICE_URL", "http://127.0.0.1:5000")
    app.config.setdefault("MAIL_DEFAULT_SENDER", "noreply@licensing-register.invalid")
    mail.init_app(app)
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_commit", _send)
        event.listen(Session, "after_rollback", _discard)
