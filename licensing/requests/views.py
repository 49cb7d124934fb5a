import datetime as dt
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from licensing.auth.permissions import COUNCIL_OFFICERS, roles_required
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db
from licensing.forms import check_version
from licensing.people.access import visible_records
from licensing.people.models import Identity
from licensing.requests import attachments
from licensing.requests.attachments import Attachment, attach
from licensing.requests.forms import ReplyForm, RequestForm
from licensing.requests.models import InformationRequest, RequestKind
from licensing.requests.services import reply_to_request, requests_for, send_request
from licensing.web import run_service

bp = Blueprint("requests", __name__)

NAV_ITEMS = [("requests.index", "Requests", COUNCIL_OFFICERS)]


@bp.route("/requests/new", methods=["GET", "POST"])
@roles_required(*COUNCIL_OFFICERS)
def new_request():
    identity = db.session.get(Identity, request.args.get("identity_id", 0, type=int))
    records = visible_records(identity, current_user) if identity else []
    if not records:
        abort(404)
    form = RequestForm()
    authority_ids = {r.authority_id for r in records} - {current_user.authority_id}
    form.to_authority_id.choices = [
        SelectChoice(r.authority.id, r.authority.name)
        for r in records
        if r.authority_id in authority_ids and r.authority.kind is not AuthorityKind.POLICE
    ]
    form.to_authority_id.choices = list({c.value: c for c in form.to_authority_id.choices}.values())
    if form.validate_on_submit():
        done, sent = run_service(
            lambda: send_request(identity, kind=RequestKind(form.kind.data),
                                 to_authority=db.session.get(Authority, form.to_authority_id.data),
                                 details=form.details.data, actor=current_user, today=dt.date.today()),
            field=form.to_authority_id,
            success=lambda sent: f"{sent.kind.label} sent to {sent.to_authority.name}: reply due by "
                                 f"{sent.due_on:%d %B %Y}")
        if done:
            return redirect(url_for("requests.detail", request_id=sent.id))
    return render_template("requests/new.html", form=form, identity=identity, records=records,
                           title="Contact another authority"), 400 if form.errors else 200


@bp.get("/requests")
@roles_required(*COUNCIL_OFFICERS)
def index():
    page = db.paginate(requests_for(current_user.authority_id), page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "requests/index.html", page=page, today=dt.date.today(), title="Requests and referrals"
    )


@bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
@roles_required(*COUNCIL_OFFICERS)
def detail(request_id: int):
    found = db.session.get(InformationRequest, request_id)
    if found is None or current_user.authority_id not in (found.from_authority_id, found.to_authority_id):
        abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        def reply():
            check_version(found, form.version)
            reply_to_request(found, reply=form.reply.data, actor=current_user, today=dt.date.today())
            upload = form.document.data
            if upload and upload.filename:
                attach(found, filename=upload.filename, data=upload.read(attachments.MAX_BYTES + 1),
                       actor=current_user, storage=_storage())

        done, _ = run_service(reply, field=lambda message: form.document if "file" in message else form.reply,
                              success="Reply sent")
        if done:
            return redirect(url_for("requests.detail", request_id=found.id))
    documents = db.session.scalars(select(Attachment).where(Attachment.request_id == found.id)
                                   .order_by(Attachment.id)).all()
    return render_template("requests/detail.html", item=found, form=form, today=dt.date.today(),
                           documents=documents, title=found.kind.label), 400 if form.errors else 200


def _storage() -> Path:
    return attachments.storage_dir()


@bp.get("/requests/<int:request_id>/documents/<int:attachment_id>")
@roles_required(*COUNCIL_OFFICERS)
def document(request_id: int, attachment_id: int):
    found = db.session.get(InformationRequest, request_id)
    item = db.session.get(Attachment, attachment_id)
    if found is None or item is None or item.request_id != found.id or current_user.authority_id not in (
            found.from_authority_id, found.to_authority_id):
        abort(404)
    data = attachments.read(item, _storage(), actor=current_user)
    db.session.commit()
    return Response(data, mimetype=item.content_type, headers={
        "Content-Disposition": f'attachment; filename="{item.filename}"', "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; sandbox"})
