"""The police point of contact's screens: who is licensed or badged, submitting and maintaining graded
intelligence, what licensing did in response, and reviews due. Every route is police-only."""

import datetime as dt

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from licensing.auth.permissions import POLICE, roles_required
from licensing.db import commit_rendered_page, db
from licensing.forms import check_version
from licensing.intelligence.forms import (
    EditIntelligenceForm,
    IntelligenceForm,
    ItemReasonForm,
    NewSubjectIntelligenceForm,
    PoliceSearchForm,
    WithdrawForm,
)
from licensing.intelligence.models import IntelligenceItem
from licensing.intelligence.services import (
    record_item_viewed,
    responses_to,
    sharing_recipients,
    submit_intelligence,
    unshared_holders,
    update_intelligence,
    withdraw_intelligence,
)
from licensing.intelligence.services import (
    reviews_due as items_due_for_review,
)
from licensing.licences.rules import normalise_vrm
from licensing.people.access import grant_access, request_grant_id, stated_reason, visible_records
from licensing.people.services import resolve_identity
from licensing.register.police_search import police_search as find_licensed
from licensing.register.search import SearchCriteria
from licensing.web import run_service

bp = Blueprint("intelligence", __name__, url_prefix="/intelligence")

# (endpoint, menu text, roles that see it) for the service navigation.
NAV_ITEMS: list = [
    ("intelligence.police_search", "Licensed or badged?", POLICE),
    ("intelligence.new_item", "Submit intelligence", POLICE),
    ("intelligence.responses", "Responses", POLICE),
    ("intelligence.reviews_due", "Reviews due", POLICE),
]


def _form_status(form) -> int:
    return 400 if form.errors else 200


@bp.route("/search", methods=["GET", "POST"])
@roles_required(*POLICE)
def police_search():
    form = PoliceSearchForm()
    answers = None
    if form.validate_on_submit():
        criteria, vrm = SearchCriteria.from_form(form), normalise_vrm(form.vehicle_registration.data)
        answers = find_licensed(
            criteria, vrm, viewer=current_user, today=dt.date.today(), reason=form.reason.data
        )
    page = render_template(
        "intelligence/search.html", form=form, answers=answers, title="Is this person licensed or badged?"
    )
    if answers is not None:
        # After rendering, so the page reads what was loaded rather than reloading each record once expired.
        commit_rendered_page()
    return page, _form_status(form)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*POLICE)
def new_item():
    identity = None
    if request.args.get("identity_id"):
        identity = resolve_identity(request.args.get("identity_id", type=int) or 0)
        if identity is None:
            abort(404)
    form_class = IntelligenceForm if identity else NewSubjectIntelligenceForm
    # Held for the whole request: the subject's records' authorities are among them, so the page and the
    # service find them loaded rather than each reading its own (the session keeps objects only while held).
    recipients = sharing_recipients()
    form = form_class(recipients=recipients)
    valid = form.validate_on_submit()
    unshared = _warn_unshared(form, identity) if valid and identity is not None else []
    if valid and not form.errors:
        def submit():
            item = submit_intelligence(form.to_input(), actor=current_user, today=dt.date.today(),
                                       identity=identity, subject=None if identity else form.subject_input())
            # the point of contact may open what they just submitted
            grant_access(current_user, [item.person.identity_id],
                         f"Submitted intelligence {item.force_reference}")
            # Plain values: the commit expires the item, and reading it after would load it again.
            return item.id, item.force_reference

        done, submitted = run_service(submit, field=form.force_reference, once=form.form_token,
                                      success=lambda submitted: f"Intelligence {submitted[1]} submitted")
        if done:
            return redirect(url_for("intelligence.item", item_id=submitted[0]))
    records = visible_records(identity, current_user) if identity else []
    return render_template(
        "intelligence/new_item.html",
        form=form,
        identity=identity,
        records=records,
        unshared=unshared,
        title="Submit intelligence",
    ), _form_status(form)


def _warn_unshared(form, identity) -> list:
    """Before saving a handling code C item, warn when a current licence or badge holder is not a
    recipient."""
    unshared = unshared_holders(identity, form.to_input(), dt.date.today())
    if unshared and not form.save_without_holders.data:
        names = ", ".join(a.name for a in unshared)
        form.save_without_holders.errors = [
            *form.save_without_holders.errors,
            f"{names} {'holds' if len(unshared) == 1 else 'hold'} a current licence or badge for this "
            f"person: "
            f"add {'it' if len(unshared) == 1 else 'them'} to the recipients, or confirm to save without",
        ]
    return unshared


def _load_item(item_id: int, *, own: bool = False) -> IntelligenceItem:
    """404 for an item that does not exist (or, to change it, that another force submitted)."""
    item = db.session.get(IntelligenceItem, item_id)
    if item is None or (own and item.authority_id != current_user.authority_id):
        abort(404)
    return item


@bp.route("/<int:item_id>", methods=["GET", "POST"])
@roles_required(*POLICE)
def item(item_id: int):
    item = _load_item(item_id)
    identity_id = item.person.identity_id
    form = ItemReasonForm()
    if form.validate_on_submit():
        grants = grant_access(current_user, [identity_id], form.reason.data)
        db.session.commit()
        return redirect(url_for("intelligence.item", item_id=item.id, grant=grants[identity_id]))
    reason = stated_reason(current_user, identity_id, request_grant_id())
    if reason is None or request.method == "POST":
        return render_template(
            "intelligence/reason.html", form=form, item_id=item.id, title="Why do you need to open this item?"
        ), 400 if request.method == "POST" else 200
    shown = record_item_viewed(item, actor=current_user, reason=reason)
    db.session.commit()
    return render_template(
        "intelligence/item.html",
        item=item,
        shown=shown,
        reason=reason,
        title=f"Intelligence {item.force_reference}",
    )


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(*POLICE)
def edit_item(item_id: int):
    item = _load_item(item_id, own=True)
    if stated_reason(current_user, item.person.identity_id) is None:
        return redirect(url_for("intelligence.item", item_id=item.id))
    form = EditIntelligenceForm(data=EditIntelligenceForm.initial(item), recipients=sharing_recipients())
    valid = form.validate_on_submit()
    unshared = _warn_unshared(form, item.person.identity) if valid else []
    if valid and not form.errors:
        def update():
            check_version(item, form.version)
            return update_intelligence(
                item,
                form.to_input(),
                reason=form.change_reason.data,
                actor=current_user,
                today=dt.date.today(),
            )

        done, _ = run_service(update, field=form.change_reason,
                              success=f"Intelligence {item.force_reference} updated")
        if done:
            return redirect(url_for("intelligence.item", item_id=item.id))
    return render_template(
        "intelligence/edit_item.html",
        form=form,
        item=item,
        unshared=unshared,
        title=f"Update intelligence {item.force_reference}",
    ), _form_status(form)


@bp.route("/<int:item_id>/withdraw", methods=["GET", "POST"])
@roles_required(*POLICE)
def withdraw_item(item_id: int):
    item = _load_item(item_id, own=True)
    if stated_reason(current_user, item.person.identity_id) is None:
        return redirect(url_for("intelligence.item", item_id=item.id))
    form = WithdrawForm()
    if form.validate_on_submit():
        done, _ = run_service(
            lambda: withdraw_intelligence(item, reason=form.reason.data, actor=current_user),
            field=form.reason,
            success=f"Intelligence {item.force_reference} withdrawn",
        )
        if done:
            return redirect(url_for("intelligence.item", item_id=item.id))
    return render_template(
        "intelligence/withdraw.html",
        form=form,
        item=item,
        title=f"Withdraw intelligence {item.force_reference}",
    ), _form_status(form)


@bp.get("/responses")
@roles_required(*POLICE)
def responses():
    found = responses_to(current_user.authority, actor=current_user)
    db.session.commit()
    return render_template(
        "intelligence/responses.html", responses=found, title="Responses to police information"
    )


@bp.get("/reviews")
@roles_required(*POLICE)
def reviews_due():
    today = dt.date.today()
    items = items_due_for_review(current_user.authority, today, actor=current_user)
    db.session.commit()
    return render_template("intelligence/reviews_due.html", items=items, today=today, title="Reviews due")
