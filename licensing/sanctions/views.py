import datetime as dt

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from licensing.auth.permissions import LICENSING_OFFICERS, roles_required
from licensing.db import db
from licensing.licences.models import Licence, LicenceType
from licensing.people.access import own_record
from licensing.sanctions.forms import DecisionForm
from licensing.sanctions.models import AppealOutcome, GroundsCategory, SanctionType
from licensing.sanctions.services import GRANT, DecisionInput, record_decision
from licensing.web import run_service

bp = Blueprint("sanctions", __name__)


@bp.route("/records/<int:record_id>/decision", methods=["GET", "POST"])
@roles_required(*LICENSING_OFFICERS)
def record_decision_view(record_id: int):
    record = own_record(record_id, current_user) or abort(404)
    form = DecisionForm()
    form.licence_id.choices = [SelectChoice(0, "None or a new licence")] + [
        SelectChoice(lic.id, f"{lic.licence_type.label} {lic.number} ({lic.status.value})")
        for lic in record.licences
    ]
    if form.validate_on_submit():
        data = DecisionInput(
            decision=GRANT if form.decision.data == GRANT else SanctionType(form.decision.data),
            decided_on=form.decided_on.data,
            effective_on=form.effective_on.data,
            ends_on=form.ends_on.data,
            decision_maker=form.decision_maker.data,
            narrative=form.narrative.data,
            conditions=form.conditions.data or "",
            grounds=GroundsCategory(form.grounds.data) if form.grounds.data else None,
            licence=db.session.get(Licence, form.licence_id.data) if form.licence_id.data else None,
            new_licence_type=LicenceType(form.new_licence_type.data) if form.new_licence_type.data else None,
            new_licence_number=form.new_licence_number.data or "",
            appeal_outcome=AppealOutcome(form.appeal_outcome.data),
        )
        done, _ = run_service(
            lambda: record_decision(record, data, actor=current_user, today=dt.date.today()),
            field=form.decision,
            once=form.form_token,
            success=f"Decision recorded for {record.full_name}",
        )
        if done:
            return redirect(url_for("people.person", identity_id=record.identity_id))
    return render_template("sanctions/decision.html", form=form, record=record, title="Record a decision"), (
        400 if form.errors else 200)
