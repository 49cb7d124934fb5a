from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from wtforms import SelectChoice

from licensing.audit.forms import AuditFilterForm
from licensing.audit.services import distinct_actions, filter_events, record
from licensing.auth.permissions import AUDIT_READERS, roles_required
from licensing.db import db

bp = Blueprint("audit", __name__, url_prefix="/audit")

NAV_ITEMS: list = [("audit.events", "Audit trail", AUDIT_READERS)]


@bp.get("/")
@roles_required(*AUDIT_READERS)
def events():
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", "Any action")] + [SelectChoice(a, a) for a in distinct_actions()]
    page_number = request.args.get("page", 1, type=int)
    query = filter_events()
    if request.args and form.validate():
        query = filter_events(
            action=form.action.data or "",
            user_email=form.user_email.data or "",
            authority_code=form.authority_code.data or "",
            subject_id=form.subject_id.data or "",
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
    page = db.paginate(
        query, page=max(page_number, 1), per_page=current_app.config["PAGE_SIZE"], error_out=False
    )
    record(
        current_user,
        "audit.read",
        details={"filters": {k: v for k, v in request.args.items() if k != "page"}},
    )
    db.session.commit()
    return render_template("audit/events.html", form=form, page=page, title="Audit trail")
