"""The retention review page and retain-or-dispose decisions; the subject access export."""

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from licensing.auth.permissions import roles_required
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.retention import services
from licensing.retention.forms import RetentionDecisionForm
from licensing.retention.models import ItemType, RetentionOutcome

bp = Blueprint("retention", __name__, url_prefix="/retention")

NAV_ITEMS = [("retention.review", "Retention review", services.RETENTION_REVIEWERS)]
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
