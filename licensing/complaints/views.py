import datetime as dt

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from licensing.auth.permissions import COUNCIL_OFFICERS, roles_required
from licensing.complaints.forms import ComplaintForm
from licensing.complaints.models import ComplaintCategory, ComplaintSource
from licensing.complaints.services import ComplaintInput, record_complaint
from licensing.people.access import own_record
from licensing.web import run_service

bp = Blueprint("complaints", __name__)


@bp.route("/records/<int:record_id>/complaints/new", methods=["GET", "POST"])
@roles_required(*COUNCIL_OFFICERS)
def new_complaint(record_id: int):
    record = own_record(record_id, current_user) or abort(404)
    form = ComplaintForm()
    if form.validate_on_submit():
        data = ComplaintInput(
            received_on=form.received_on.data,
            source=ComplaintSource(form.source.data),
            category=ComplaintCategory(form.category.data),
            narrative=form.narrative.data,
            occurred_on=form.occurred_on.data,
            place=form.place.data or "",
            vehicle_registration=form.vehicle_registration.data or "",
            operator_name=form.operator_name.data or "",
            substantiated={"yes": True, "no": False}.get(form.substantiated.data),
            outcome=form.outcome.data or "",
            complainant_name=form.complainant_name.data or "",
            complainant_contact=form.complainant_contact.data or "",
        )
        done, _ = run_service(
            lambda: record_complaint(record, data, actor=current_user, today=dt.date.today()),
            field=form.received_on,
            once=form.form_token,
            success=f"Complaint recorded against {record.full_name}",
        )
        if done:
            return redirect(url_for("people.person", identity_id=record.identity_id))
    return render_template("complaints/new.html", form=form, record=record, title="Record a complaint"), (
        400 if form.errors else 200)
