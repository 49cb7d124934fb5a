from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from licensing.alerts.forms import AcknowledgeForm
from licensing.alerts.models import Alert
from licensing.alerts.services import acknowledge_alert, authority_alerts
from licensing.auth.permissions import COUNCIL_OFFICERS, roles_required
from licensing.db import db
from licensing.web import run_service

bp = Blueprint("alerts", __name__)

NAV_ITEMS = [("alerts.inbox", "Alerts", COUNCIL_OFFICERS)]


@bp.get("/alerts")
@roles_required(*COUNCIL_OFFICERS)
def inbox():
    page = db.paginate(
        authority_alerts(current_user.authority_id),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("alerts/inbox.html", page=page, form=AcknowledgeForm(), title="Alerts")


@bp.post("/alerts/<int:alert_id>/acknowledge")
@roles_required(*COUNCIL_OFFICERS)
def acknowledge(alert_id: int):
    alert = db.session.get(Alert, alert_id)
    if alert is None or alert.authority_id != current_user.authority_id:
        abort(404)
    form = AcknowledgeForm()
    if form.validate_on_submit():
        run_service(lambda: acknowledge_alert(alert, action_taken=form.action_taken.data, actor=current_user),
                    success="Alert acknowledged")
    else:
        flash("Enter the action taken to acknowledge the alert", "error")
    return redirect(url_for("alerts.inbox"))
