import datetime as dt

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from licensing.audit.forms import AuditFilterForm
from licensing.audit.sentences import KINDS, describe, filter_events_for_auditors
from licensing.audit.services import record
from licensing.auth.models import User
from licensing.auth.permissions import AUDIT_READERS, roles_required
from licensing.authorities.services import all_authorities
from licensing.db import db
from licensing.exports.tabular import csv_bytes

bp = Blueprint("audit", __name__, url_prefix="/audit")
EXPORT_LIMIT = 50_000


def _filtered():
    """The filter form from the query string and the query it selects."""
    form = AuditFilterForm(request.args)
    users = db.session.scalars(select(User).order_by(User.name)).all()
    form.user.choices = [SelectChoice("", "Any user")] + [
        SelectChoice(str(u.id), f"{u.name} ({u.authority.name})") for u in users
    ]
    form.authority.choices = [SelectChoice("", "Any authority")] + [
        SelectChoice(a.code, a.name) for a in all_authorities()
    ]
    form.kind.choices = [SelectChoice("", "Any kind")] + [
        SelectChoice(k, label) for k, (label, _) in KINDS.items()
    ]
    query = filter_events_for_auditors()
    if request.args and form.validate():
        query = filter_events_for_auditors(
            user_id=int(form.user.data) if form.user.data else None,
            authority_code=form.authority.data or "",
            person=form.person.data or "",
            kind=form.kind.data or "",
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
    return form, query


def _filters_used() -> dict:
    return {k: v for k, v in request.args.items() if k != "page" and v}

NAV_ITEMS: list = [("audit.events", "Audit trail", AUDIT_READERS)]


@bp.get("/")
@roles_required(*AUDIT_READERS)
def events():
    form, query = _filtered()
    page = db.paginate(
        query,
        page=max(request.args.get("page", 1, type=int), 1),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    lines = describe(list(page.items))
    record(current_user, "audit.read", details={"filters": _filters_used()})
    db.session.commit()
    return render_template("audit/events.html", form=form, page=page, lines=lines, title="Audit trail"), (
        400 if form.errors else 200
    )


@bp.get("/export.csv")
@roles_required(*AUDIT_READERS)
def export():
    """Every event the filters select, for auditors: the sentence plus the stored fields."""
    form, query = _filtered()
    events = list(db.session.scalars(query.limit(EXPORT_LIMIT)))
    rows = [
        (
            line.event.occurred_at.isoformat(timespec="seconds"),
            line.sentence,
            line.reason,
            line.event.user_email,
            line.event.role,
            line.event.authority_code,
            line.event.action,
            line.event.subject_type,
            line.event.subject_id,
            line.event.ip_address,
        )
        for line in describe(events)
    ]
    record(current_user, "audit.exported", details={"filters": _filters_used(), "rows": len(rows)})
    db.session.commit()
    body = csv_bytes(
        [
            "When (UTC)",
            "What happened",
            "Reason",
            "User email",
            "Role",
            "Authority",
            "Action",
            "Subject type",
            "Subject id",
            "IP address",
        ],
        rows,
    )
    name = f"audit-{dt.date.today().isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
