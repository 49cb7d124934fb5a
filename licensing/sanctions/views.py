import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from licensing.auth.permissions import LICENSING_OFFICERS, roles_required
from licensing.db import db
from licensing.licences.models import Licence, LicenceType
from licensing.people.access import own_record
from licensing.sanctions.forms import DecisionForm
from licensing.sanctions.models import AppealOutcome, GroundsCategory, SanctionType
from licensing.sanctions.services import GRANT, DecisionInput, penalty_points_tally, record_decision
from licensing.web import run_service

# Which field a rule the service enforces is about, so its error links to that field.
RULE_FIELDS = (
    ("effective date", "effective_on"),
    ("decision date", "decided_on"),
    ("must end", "ends_on"),
    ("grounds", "grounds"),
    ("licence number", "new_licence_number"),
    ("licence", "licence_id"),
    ("conditions", "conditions"),
    ("penalty points", "points"),
)

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
    today = dt.date.today()
    if form.validate_on_submit():
        decision = GRANT if form.decision.data == GRANT else SanctionType(form.decision.data)
        data = DecisionInput(
            decision=decision,
            decided_on=form.decided_on.data,
            effective_on=form.effective_on.data,
            ends_on=form.ends_on.data,
            decision_maker=form.decision_maker.data,
            narrative=form.narrative.data,
            points=form.points.data,
            conditions=(
                form.grant_conditions.data if decision == GRANT else form.conditions.data
            )
            or "",
            grounds=GroundsCategory(form.grounds.data) if form.grounds.data else None,
            licence=db.session.get(Licence, form.licence_id.data) if form.licence_id.data else None,
            new_licence_type=LicenceType(form.new_licence_type.data) if form.new_licence_type.data else None,
            new_licence_number=form.new_licence_number.data or "",
            appeal_outcome=AppealOutcome(form.appeal_outcome.data),
            safeguarding_training_on=form.safeguarding_training_on.data,
        )

        def field_for(message: str):
            name = next((field for words, field in RULE_FIELDS if words in message.lower()), "decision")
            return getattr(form, name)

        done, _ = run_service(lambda: record_decision(record, data, actor=current_user, today=today),
                              field=field_for, once=form.form_token,
                              success=f"Decision recorded for {record.full_name}")
        if done:
            tally = penalty_points_tally(record, today)
            if decision is SanctionType.PENALTY_POINTS and tally.reached:
                flash(
                    f"{record.full_name} now has {tally.points} penalty points in {tally.period_months} "
                    f"months: at or over {record.authority.name}'s threshold of {tally.threshold}",
                    "warning",
                )
            return redirect(url_for("people.person", identity_id=record.identity_id))
    return render_template(
        "sanctions/decision.html",
        form=form,
        record=record,
        title="Record a decision",
        tally=penalty_points_tally(record, today),
    ), 400 if form.errors else 200
