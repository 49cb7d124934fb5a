import datetime as dt

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from licensing.auth.models import User
from licensing.auth.permissions import LICENSING_OFFICERS, SEARCHERS, roles_required
from licensing.db import commit_rendered_page, db, utcnow
from licensing.errors import RuleViolation
from licensing.forms import check_version
from licensing.matching.bands import BandKind, match_band
from licensing.matching.identifiers import normalise_dvla_number, normalise_ni, normalise_postcode
from licensing.people import identity
from licensing.people.access import (
    can_see_record,
    grant_access,
    request_grant_id,
    stated_reason,
    visible_records,
)
from licensing.people.forms import (
    ApplicantCheckForm,
    ApproveUnlinkForm,
    CheckOutcomeForm,
    PersonRecordForm,
    ReasonForm,
    ReviewDecisionForm,
    SearchForm,
    UnlinkForm,
)
from licensing.people.inputs import AddressInput, PersonRecordInput
from licensing.people.models import (
    ApplicantCheck,
    Identity,
    Nr3sOutcome,
    PersonRecord,
    RecordLink,
    UnlinkRequest,
)
from licensing.people.review import AGE_CHOICES, QueueFilter, compare_pair, filtered_review_queue, waited
from licensing.people.services import create_person_record, update_person_record
from licensing.register.checks import check_candidates, complete_check, start_check
from licensing.register.person_view import build_person_view, identities_with_history
from licensing.register.search import SearchCriteria, search_people
from licensing.web import run_service

bp = Blueprint("people", __name__)

# (endpoint, menu text, roles that see it) for the service navigation.
NAV_ITEMS: list = [
    ("people.check_applicant", "Check an applicant", LICENSING_OFFICERS),
    ("people.search", "Search", SEARCHERS),
    ("people.new_record", "Add a person", SEARCHERS),
    ("people.review_queue", "Review links", SEARCHERS),
]


@bp.route("/search", methods=["GET", "POST"])
@roles_required(*SEARCHERS)
def search():
    form = SearchForm()
    hits = None
    grants: dict[int, int] = {}
    if form.validate_on_submit():
        criteria = SearchCriteria.from_form(form)
        # search_people audits the search with its reason and grants it for the people found (one row each).
        # The next and previous page buttons post the same form (terms and reason) with a page number.
        page = request.form.get("page", 1, type=int)
        hits = search_people(
            criteria, viewer=_signed_in_user(), today=dt.date.today(), reason=form.reason.data, page=page
        )
        grants = hits.grants or {}
    page = render_template(
        "people/search.html", form=form, hits=hits, person_links=_person_links(hits or [], grants),
        title="Search the register",
    )
    # Commit after rendering, without expiring what the page loaded (see commit_rendered_page).
    commit_rendered_page()
    return page


def _person_links(hits: list, grants: dict[int, int]) -> dict[int, str]:
    """Each found person's page, carrying the grant their search's reason made: the route's URL built once
    (under any script root) with each id put in, where url_for for each hit was a fifth of the results'
    rendering."""
    if not hits:
        return {}
    base = url_for("people.person", identity_id=0).removesuffix("0")
    return {
        hit.identity_id: f"{base}{hit.identity_id}"
        + (f"?grant={grants[hit.identity_id]}" if grants.get(hit.identity_id) is not None else "")
        for hit in hits
    }


def _signed_in_user() -> User:
    """The signed-in user itself, for the domain code of a page that reads it for every record: each read
    through the current_user proxy looks the user up again."""
    return current_user._get_current_object()


def _load_visible_identity(identity_id: int, *, history: bool = False) -> Identity:
    """404 for an identity that does not exist or holds nothing this viewer may see (`history`: load with it
    everything the person page reads, once, rather than the records here and all of it again there)."""
    if history:
        found = identities_with_history([identity_id]).get(identity_id)
    else:
        # Records and their authorities in two queries, not one per record's authority, to decide what is
        # visible.
        found = db.session.get(Identity, identity_id,
                               options=[selectinload(Identity.records).selectinload(PersonRecord.authority)])
    if found is None:
        abort(404)
    if found.merged_into_id is not None:
        abort(redirect(url_for("people.person", identity_id=found.merged_into_id)))
    if not visible_records(found, _signed_in_user()):
        abort(404)
    return found


@bp.get("/people/<int:identity_id>")
@roles_required(*SEARCHERS)
def person(identity_id: int):
    # The reason first (it needs only the id), so the reason form does not load the person's whole history.
    viewer = _signed_in_user()
    reason = stated_reason(viewer, identity_id, request_grant_id())
    person_identity = _load_visible_identity(identity_id, history=reason is not None)
    if reason is None:
        return render_template("people/reason.html", form=ReasonForm(), identity_id=person_identity.id,
                               title="Why do you need to see this person?")
    view = build_person_view(person_identity, viewer, dt.date.today(), reason=reason)
    waiting = identity.pending_unlinks(view.records)
    pending = [(r, waiting[r.id]) for r in view.records if r.id in waiting]
    page = render_template("people/person.html", view=view, reason=reason, title=view.display_name,
                           pending_unlinks=pending)
    commit_rendered_page()  # after rendering, so the page reads what is loaded rather than reloading it
    return page


@bp.post("/people/<int:identity_id>/reason")
@roles_required(*SEARCHERS)
def give_reason(identity_id: int):
    person_identity = _load_visible_identity(identity_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return render_template("people/reason.html", form=form, identity_id=person_identity.id,
                               title="Why do you need to see this person?"), 400
    grants = grant_access(current_user, [person_identity.id], form.reason.data)
    db.session.commit()
    return redirect(
        url_for("people.person", identity_id=person_identity.id, grant=grants[person_identity.id])
    )


@bp.route("/records/new", methods=["GET", "POST"])
@roles_required(*SEARCHERS)
def new_record():
    form = PersonRecordForm()
    if form.validate_on_submit():
        data = _record_input(form, reference=form.authority_reference.data)
        def create():
            record = create_person_record(current_user.authority, data, actor=current_user)
            # the officer may open the record they just made, under that reason
            grants = grant_access(current_user, [record.identity_id],
                                  f"Recorded {record.authority_reference}")
            # Plain values: the commit expires the record, and reading it after would load it again.
            return record.identity_id, grants[record.identity_id], record.authority_reference

        done, result = run_service(create, field=form.authority_reference, once=form.form_token,
                                   success=lambda result: f"Record {result[2]} saved")
        if done:
            identity_id, grant, _ = result
            return redirect(url_for("people.person", identity_id=identity_id, grant=grant))
    return render_template("people/new_record.html", form=form, title="Add a person record"), (
        400 if form.errors else 200)


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@roles_required(*SEARCHERS)
def edit_record(record_id: int):
    record = db.session.get(PersonRecord, record_id)
    if record is None or record.authority_id != current_user.authority_id:
        abort(404)
    current = record.current_address
    form = PersonRecordForm(obj=record, data={"address_line": current.line1 if current else "",
                                              "town": current.town if current else "",
                                              "postcode": current.postcode if current else ""})
    del form.authority_reference
    if form.validate_on_submit():
        def update():
            check_version(record, form.version)
            update_person_record(record, _record_input(form, reference=record.authority_reference),
                                 actor=current_user)
            return grant_access(current_user, [record.identity_id], f"Updated {record.authority_reference}")

        done, grants = run_service(update, field=form.forenames,
                                   success=f"Record {record.authority_reference} updated")
        if done:
            return redirect(url_for("people.person", identity_id=record.identity_id,
                                    grant=grants[record.identity_id]))
    return render_template(
        "people/edit_record.html", form=form, record=record, title="Change a person record"
    ), (400 if form.errors else 200)


def _record_input(form, *, reference: str) -> PersonRecordInput:
    previous = tuple(_split_name(form.previous_name.data)) if form.previous_name.data else ()
    return PersonRecordInput(
        authority_reference=reference,
        forenames=form.forenames.data,
        surname=form.surname.data,
        date_of_birth=form.date_of_birth.data,
        sex=form.sex.data,
        phone=form.phone.data or "",
        email=form.email.data or "",
        driving_licence_number=normalise_dvla_number(form.driving_licence_number.data or ""),
        national_insurance=normalise_ni(form.national_insurance.data or ""),
        addresses=(
            AddressInput(
                form.address_line.data,
                form.town.data or "",
                _postcode(form.postcode.data),
                from_on=dt.date.today(),
            ),
        ),
        previous_names=previous,
    )


def _postcode(value: str) -> str:
    return normalise_postcode(value)


def _split_name(full_name: str) -> list[tuple[str, str]]:
    parts = full_name.rsplit(" ", 1)
    return [(parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])]


@bp.get("/review")
@roles_required(*SEARCHERS)
def review_queue():
    band = request.args.get("band", "")
    chosen = QueueFilter(mine=request.args.get("mine") == "yes",
                         older_than_days=max(0, request.args.get("older_than", 0, type=int)),
                         band=BandKind(band) if band in set(BandKind) else None,
                         sort="strongest" if request.args.get("sort") == "strongest" else "oldest")
    now = utcnow()
    query = filtered_review_queue(current_user, chosen, settings=identity.match_settings(), now=now)
    page = db.paginate(query, page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("people/review_queue.html", page=page, chosen=chosen, now=now, waited=waited,
                           age_choices=AGE_CHOICES, bands=list(BandKind), title="Review proposed links")


@bp.app_template_global("match_band")
def match_band_for(probability: float):
    """The band for a probability under the running linking thresholds, for any template. The settings are
    built once a request: a search page bands every hit, and building them works out every weight."""
    settings = g.get("match_band_settings")
    if settings is None:
        settings = g.match_band_settings = identity.match_settings()
    return match_band(probability, settings)


def _load_visible_link(link_id: int) -> RecordLink:
    link = db.session.get(RecordLink, link_id)
    if link is None or not (
        can_see_record(current_user, link.record_a) and can_see_record(current_user, link.record_b)
    ):
        abort(404)
    return link


@bp.route("/review/<int:link_id>", methods=["GET", "POST"])
@roles_required(*SEARCHERS)
def review_pair(link_id: int):
    link = _load_visible_link(link_id)
    form = ReviewDecisionForm()
    if form.validate_on_submit():
        def decide():
            check_version(link, form.version)
            identity.decide_link(link, confirm=form.decision.data == "confirm", actor=current_user)

        done, _ = run_service(decide, field=form.decision,
                              success="Records linked" if form.decision.data == "confirm"
                              else "Pair rejected: it will not be proposed again")
        if done:
            return redirect(url_for("people.review_queue"))
    compare_pair(link, actor=current_user)
    db.session.commit()
    return render_template(
        "people/review_pair.html", link=link, form=form, title="Are these the same person?"
    ), (400 if form.errors else 200)


@bp.post("/records/<int:record_id>/unlink")
@roles_required(*SEARCHERS)
def unlink(record_id: int):
    record = db.session.get(PersonRecord, record_id)
    if record is None or not can_see_record(current_user, record):
        abort(404)
    form = UnlinkForm()
    if not form.validate_on_submit():
        flash("Enter why the record is not the same person to unlink it", "error")
        return redirect(url_for("people.person", identity_id=record.identity_id))
    old_identity_id = record.identity_id
    try:
        outcome = identity.request_unlink(record, actor=current_user, reason=form.reason.data)
    except RuleViolation as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("people.person", identity_id=old_identity_id))
    db.session.commit()
    if isinstance(outcome, UnlinkRequest):
        flash(f"Record {record.authority_reference} carries an adverse decision: a second officer must "
              "approve the unlink", "success")
    else:
        flash(f"Record {record.authority_reference} unlinked", "success")
    return redirect(url_for("people.person", identity_id=old_identity_id))


@bp.post("/records/<int:record_id>/unlink/approve")
@roles_required(*SEARCHERS)
def approve_unlink(record_id: int):
    record = db.session.get(PersonRecord, record_id)
    if record is None or not can_see_record(current_user, record):
        abort(404)
    form = ApproveUnlinkForm()
    old_identity_id = record.identity_id
    if form.validate_on_submit():
        run_service(lambda: identity.approve_unlink(record, actor=current_user),
                    success=f"Record {record.authority_reference} unlinked")
    return redirect(url_for("people.person", identity_id=old_identity_id))


@bp.route("/check", methods=["GET", "POST"])
@roles_required(*LICENSING_OFFICERS)
def check_applicant():
    form = ApplicantCheckForm()
    if form.validate_on_submit():
        criteria = SearchCriteria.from_form(form)
        reason = f"Applicant check {form.applicant_reference.data}"
        hits = search_people(criteria, viewer=current_user, today=dt.date.today(), reason=reason)
        check = start_check(
            applicant_reference=form.applicant_reference.data,
            criteria=criteria.as_terms(),
            identity_ids=[
                {
                    "id": h.identity_id,
                    "score": round(h.score, 6),
                    "explanation": h.explanation,
                    "exact": h.exact,
                }
                for h in hits
            ],
            actor=current_user,
        )
        db.session.commit()
        return redirect(url_for("people.applicant_check", check_id=check.id))
    return render_template(
        "people/check.html", form=form, title="Check an applicant"
    ), 400 if form.errors else 200


@bp.route("/checks/<int:check_id>", methods=["GET", "POST"])
@roles_required(*LICENSING_OFFICERS)
def applicant_check(check_id: int):
    check = db.session.get(ApplicantCheck, check_id)
    if check is None or check.authority_id != current_user.authority_id:
        abort(404)
    form = CheckOutcomeForm()
    if form.validate_on_submit():
        done, _ = run_service(lambda: complete_check(
                check,
                findings=form.findings.data,
                nr3s_outcome=Nr3sOutcome(form.nr3s_outcome.data),
                nr3s_reference=form.nr3s_reference.data or "",
                actor=current_user,
            ), field=form.nr3s_reference, success="Check recorded")
        if done:
            return redirect(url_for("people.applicant_check", check_id=check.id))
    candidates = check_candidates(check, viewer=current_user, today=dt.date.today())
    db.session.commit()
    return render_template("people/check_result.html", check=check, candidates=candidates, form=form,
                           title=f"Check {check.applicant_reference}"), 400 if form.errors else 200
