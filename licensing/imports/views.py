"""The import page: upload, dry-run report, then commit; and each authority's saved column mappings."""

import hashlib
import json

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from licensing.auth.models import Role
from licensing.auth.permissions import roles_required
from licensing.authorities.models import Authority, AuthorityKind
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.imports import worker
from licensing.imports.columns import COLUMNS
from licensing.imports.forms import CommitForm, MappingForm, UploadForm
from licensing.imports.models import ImportMapping, ImportUpload
from licensing.imports.reader import ImportFileError
from licensing.imports.services import (
    authority_mappings,
    find_mapping,
    run_import,
    save_mapping,
    summary_line,
)

bp = Blueprint("imports", __name__, url_prefix="/imports")
IMPORTERS = (Role.ADMINISTRATOR, Role.LICENSING_OFFICER)
NAV_ITEMS = [("imports.upload", "Import", IMPORTERS)]


def _authorities() -> list[Authority]:
    """Officers import their own authority's register; administrators any non-police one's."""
    if current_user.role is Role.ADMINISTRATOR:
        return list(
            db.session.scalars(
                select(Authority).where(Authority.kind != AuthorityKind.POLICE).order_by(Authority.name)
            )
        )
    return [current_user.authority]


def _own_upload(upload_id: int) -> ImportUpload:
    upload = db.session.get(ImportUpload, upload_id)
    if upload is None or upload.uploaded_by_id != current_user.id:
        abort(404)
    return upload


def _run(upload: ImportUpload, *, dry_run: bool):
    mapping = find_mapping(upload.authority, upload.mapping_name) if upload.mapping_name else None
    return run_import(
        upload.content,
        upload.filename,
        upload.authority,
        actor=current_user,
        mapping=mapping.columns if mapping else None,
        dry_run=dry_run,
        valid_rows_only=bool(upload.report.get("valid_rows_only")),
    )


@bp.route("/", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def upload():
    form = UploadForm()
    authorities = _authorities()
    if len(authorities) == 1:
        del form.authority_id
        chosen = authorities[0]
    else:
        form.authority_id.choices = [SelectChoice(a.id, a.name) for a in authorities]
        chosen = next((a for a in authorities if a.id == form.authority_id.data), authorities[0])
    form.mapping.choices = [SelectChoice("", "None: the file uses the register's column names")] + [
        SelectChoice(m.name, m.name) for m in authority_mappings(chosen)
    ]
    if form.validate_on_submit():
        data = form.file.data.read()
        upload = ImportUpload(
            authority_id=chosen.id,
            uploaded_by_id=current_user.id,
            filename=(form.file.data.filename or "upload")[-200:],
            content=data,
            sha256=hashlib.sha256(data).hexdigest(),
            mapping_name=form.mapping.data or "",
        )
        upload.authority = chosen
        upload.report = {"valid_rows_only": form.valid_rows_only.data}
        try:
            report = _run(upload, dry_run=True)
        except (ImportFileError, RuleViolation) as error:
            db.session.rollback()
            form.file.errors.append(str(error))
        else:
            db.session.rollback()  # the dry run's writes go; the upload and its report are kept
            upload.report = report.as_dict() | {"valid_rows_only": form.valid_rows_only.data}
            db.session.add(upload)
            db.session.commit()
            return redirect(url_for("imports.upload_report", upload_id=upload.id))
    return render_template("imports/upload.html", form=form, columns=COLUMNS, title="Import records"), (
        400 if form.errors else 200
    )


@bp.get("/<int:upload_id>")
@roles_required(*IMPORTERS)
def upload_report(upload_id: int):
    found = _own_upload(upload_id)
    return render_template(
        "imports/report.html",
        upload=found,
        job=worker.progress_of(found),
        report=found.report,
        form=CommitForm(),
        title="Import: dry-run report",
    )


@bp.post("/<int:upload_id>/commit")
@roles_required(*IMPORTERS)
def commit(upload_id: int):
    """Queue the import and start it outside this request; the report page shows its progress."""
    found = _own_upload(upload_id)
    form = CommitForm()
    if not form.validate_on_submit():
        flash("Try again", "error")
        return redirect(url_for("imports.upload_report", upload_id=found.id))
    try:
        worker.queue(found)
    except RuleViolation as error:
        flash(str(error), "error")
        return redirect(url_for("imports.upload_report", upload_id=found.id))
    db.session.commit()
    worker.start(current_app._get_current_object(), found.id)
    db.session.expire_all()
    found = _own_upload(upload_id)
    if found.status == "done":
        flash(summary_line(found.report), "success")
    elif found.status == "failed":
        flash(found.failure, "error")
    return redirect(url_for("imports.upload_report", upload_id=found.id))


@bp.route("/mappings", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def mappings():
    form = MappingForm()
    authority = current_user.authority
    if form.validate_on_submit():
        try:
            columns = json.loads(form.columns.data)
            save_mapping(authority, form.name.data, columns, actor=current_user)
        except (ValueError, RuleViolation) as error:
            db.session.rollback()
            form.columns.errors.append(
                str(error) if isinstance(error, RuleViolation) else "This is not valid JSON"
            )
        else:
            db.session.commit()
            flash(f"Mapping {form.name.data} saved", "success")
            return redirect(url_for("imports.mappings"))
    if not form.columns.data:
        form.columns.data = json.dumps({name: name for name, _ in COLUMNS[:4]}, indent=2)
    return render_template(
        "imports/mappings.html",
        form=form,
        mappings=authority_mappings(authority),
        columns=COLUMNS,
        title="Import column mappings",
    ), 400 if form.errors else 200


@bp.get("/mappings/<int:mapping_id>.json")
@roles_required(*IMPORTERS)
def mapping_json(mapping_id: int):
    mapping = db.session.get(ImportMapping, mapping_id)
    if mapping is None or mapping.authority_id != current_user.authority_id:
        abort(404)
    response = jsonify(
        {"name": mapping.name, "authority": mapping.authority.code, "columns": mapping.columns}
    )
    response.headers["Content-Disposition"] = f'attachment; filename="mapping-{mapping.id}.json"'
    return response
