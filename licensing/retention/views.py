"""The retention review page and retain-or-dispose decisions; the subject access export."""

import datetime as dt

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from licensing.auth.permissions import ADMINISTRATORS, roles_required
from licensing.authorities.models import Authority
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.people.models import PersonRecord
from licensing.people.services import resolve_identity
from licensing.retention import services, subject_access
from licensing.retention.forms import RetentionDecisionForm, SubjectAccessForm
from licensing.retention.models import ItemType, RetentionOutcome

bp = Blueprint("retention", __name__, url_prefix="/retention")

NAV_ITEMS = [("retention.review", "Retention review", services.RETENTION_REVIEWERS),
             ("retention.subject_access_request", "Subject access", ADMINISTRATORS)]
ITEM_TYPES = {t.value: t for t in ItemType}


@bp.get("/")
@roles_required(*services.RETENTION_REVIEWERS)
def review():
    today = dt.date.today()
    items = services.due_items(current_user, today)
    db.session.commit()
    return render_template("retention/review.html", items=items, limit=services.LIST_LIMIT, today=today,
                           title="Retention review")


@bp.route("/<item_type>/<int:item_id>", methods=["GET", "POST"])
@roles_required(*services.RETENTION_REVIEWERS)
def decide(item_type: str, item_id: int):
    kind = ITEM_TYPES.get(item_type)
    item = services.load_item(kind, item_id, current_user) if kind else None
    if item is None:
        abort(404)
    today = dt.date.today()
    form = RetentionDecisionForm()
    if form.validate_on_submit():
        try:
            if form.outcome.data == RetentionOutcome.RETAIN.value:
                services.retain(kind, item, review_on=form.review_on.data, rationale=form.rationale.data,
                                actor=current_user, today=today)
                message = f"Retained until {form.review_on.data:%d %B %Y}"
            else:
                services.dispose(kind, item, rationale=form.rationale.data, actor=current_user, today=today)
                message = "Disposed of: the record is deleted and the decision is logged"
        except RuleViolation as error:
            db.session.rollback()
            form.outcome.errors = [str(error)]
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("retention.review"))
    status = 400 if form.errors else 200
    return render_template(
        "retention/decide.html", form=form, kind=kind, item=item,
        description=services.describe(kind, item), rule=services.rule_text(kind, item.authority),
        due_on=services.due_on(kind, item), today=today, title="Retention decision"), status


@bp.route("/subject-access", methods=["GET", "POST"])
@roles_required(*ADMINISTRATORS)
def subject_access_request():
    form = SubjectAccessForm()
    form.authority.choices = [SelectChoice("", "Choose an authority")] + [
        SelectChoice(a.code, a.name) for a in db.session.scalars(select(Authority).order_by(Authority.name))]
    if not form.validate_on_submit():
        return render_template("retention/subject_access.html", form=form, found=None,
                               title="Subject access"), 400 if form.errors else 200
    record = db.session.scalar(select(PersonRecord).join(PersonRecord.authority).where(
        Authority.code == form.authority.data, PersonRecord.authority_reference == form.reference.data))
    identity = resolve_identity(record.identity_id) if record else None
    if identity is None:
        form.reference.errors = ["No record with that reference is held by that authority"]
        return render_template("retention/subject_access.html", form=form, found=None,
                               title="Subject access"), 404
    found, export = subject_access.disclose(identity, form.file_format.data, actor=current_user,
                                            reason=form.reason.data, today=dt.date.today())
    db.session.commit()
    if export is None:
        return render_template("retention/subject_access.html", form=form, found=found,
                               headers=subject_access.HEADERS, title="Subject access")
    response = Response(export.content, mimetype=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
