"""/api/v1: a JSON door onto the same services as the web pages, acting as the token's user.

Each endpoint is declared once with `endpoint(...)`: the route, the roles, the request and response models.
Requests are validated with those models and /api/v1/openapi.json is generated from the same declarations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, request
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select

from licensing.alerts.models import Alert
from licensing.alerts.services import acknowledge_alert, authority_alerts
from licensing.api import schemas as s
from licensing.api.openapi import document
from licensing.api.tokens import user_for_token
from licensing.audit import record as audit
from licensing.auth.models import Role, User
from licensing.auth.permissions import SEARCHERS as SEARCHER_ROLES
from licensing.authorities.models import Authority
from licensing.badges.services import check_badge
from licensing.db import db
from licensing.errors import RuleViolation, api_error
from licensing.extensions import csrf, limiter
from licensing.imports.services import RowInvalid, StaleRecord, import_record
from licensing.intelligence.inputs import IntelligenceInput
from licensing.intelligence.services import submit_intelligence
from licensing.licences.models import Licence
from licensing.matching.identifiers import normalise_dvla_number, normalise_ni, normalise_postcode
from licensing.people.access import grant_access, stated_reason, visible_records
from licensing.people.models import Identity, PersonRecord
from licensing.people.services import resolve_identity
from licensing.register.person_view import build_person_view
from licensing.register.search import SearchCriteria, search_people
from licensing.sanctions.models import SanctionType
from licensing.sanctions.services import GRANT, DecisionInput, record_decision

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens only: no cookie is read here, so there is nothing to forge
MAX_PER_PAGE = 100


@dataclass
class Operation:
    method: str
    path: str
    endpoint: str
    summary: str
    roles: tuple[Role, ...]
    body: type[BaseModel] | None
    response: type[BaseModel]
    status: int
    query: tuple[str, ...]
    headers: tuple[str, ...]


OPERATIONS: list[Operation] = []


class ApiError(Exception):
    def __init__(self, status: int, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields or {}


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "body"
        fields.setdefault(name, []).append(item["msg"])
    return fields


def endpoint(
    method: str,
    path: str,
    *,
    summary: str,
    roles,
    response: type[BaseModel],
    body=None,
    status=200,
    query: tuple[str, ...] = (),
    headers: tuple[str, ...] = (),
):
    """Register a route, check the caller's role and body, and record it for the OpenAPI document."""

    def decorator(view: Callable):
        @wraps(view)
        def wrapped(**kwargs):
            user: User = g.api_user
            if user.role not in roles:
                audit(user, "access.denied", details={"view": f"api.{view.__name__}"})
                db.session.commit()
                raise ApiError(403, "Your role may not use this endpoint")
            if body is not None:
                payload = request.get_json(silent=True)
                if not isinstance(payload, dict):
                    raise ApiError(400, "Send a JSON object", {"body": ["Expected a JSON object"]})
                try:
                    kwargs["data"] = body.model_validate(payload)
                except ValidationError as error:
                    raise ApiError(400, "Some fields are invalid", _field_errors(error)) from error
            result = view(user, **kwargs)
            return jsonify(result.model_dump(mode="json")), status

        bp.add_url_rule(path, view.__name__, wrapped, methods=[method.upper()])
        OPERATIONS.append(
            Operation(
                method.lower(),
                path,
                f"api.{view.__name__}",
                summary,
                tuple(roles),
                body,
                response,
                status,
                query,
                headers,
            )
        )
        return wrapped

    return decorator


@bp.before_request
def authenticate():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise ApiError(401, "Send a valid API token: Authorization: Bearer TOKEN")
    g.api_user = user
    db.session.commit()  # last_used_at


@bp.errorhandler(ApiError)
def api_failure(error: ApiError):
    db.session.rollback()
    response, status = api_error(error.status, error.message, error.fields)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="licensing-register"'
    return response, status


@bp.errorhandler(RuleViolation)
def rule_broken(error: RuleViolation):
    db.session.rollback()
    if isinstance(error, RowInvalid):
        fields: dict[str, list[str]] = {}
        for e in error.errors:
            fields.setdefault(e.column, []).append(e.message)
        return api_error(400, "Some fields are invalid", fields)
    return api_error(409 if isinstance(error, StaleRecord) else 400, str(error))


@bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _pagination() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", current_app.config["PAGE_SIZE"]))
    except ValueError as error:
        raise ApiError(
            400, "page and per_page are whole numbers", {"page": ["Must be a whole number"]}
        ) from error
    if not 1 <= page <= 100_000 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiError(
            400,
            f"page must be 1 or more; per_page 1 to {MAX_PER_PAGE}",
            {"page": ["Out of range"], "per_page": ["Out of range"]},
        )
    return page, per_page


def _summary(record: PersonRecord) -> dict:
    return {
        "record_id": record.id,
        "authority_code": record.authority.code,
        "authority_name": record.authority.name,
        "reference": record.authority_reference,
        "name": record.full_name,
        "date_of_birth": record.date_of_birth,
    }


# ---- search and identities --------------------


@endpoint(
    "post",
    "/search",
    summary="Search people, ranked, with each record's authority (a reason is required)",
    roles=SEARCHER_ROLES,
    body=s.SearchRequest,
    response=s.SearchResponse,
    query=("page", "per_page"),
)
def search(user: User, data: s.SearchRequest):
    criteria = SearchCriteria(
        forenames=data.forenames,
        surname=data.surname,
        date_of_birth=data.date_of_birth,
        approximate_age=data.approximate_age,
        postcode=normalise_postcode(data.postcode),
        national_insurance=normalise_ni(data.national_insurance),
        driving_licence_number=normalise_dvla_number(data.driving_licence_number),
        reference_number="".join(data.reference_number.split()).upper(),
    )
    if not criteria.as_terms():
        raise ApiError(
            400, "Enter at least one detail to search for", {"surname": ["Enter at least one detail"]}
        )
    page, per_page = _pagination()
    hits = search_people(criteria, viewer=user, today=dt.date.today(), reason=data.reason, via="api")
    db.session.commit()
    shown = hits[(page - 1) * per_page : page * per_page]
    return s.SearchResponse(
        items=[
            s.SearchHit(
                identity_id=h.identity_id,
                score=round(h.score, 6),
                explanation=h.explanation,
                exact=h.exact,
                records=[_summary(r) for r in h.records],
                flags=[{"code": f.code, "text": f.text} for f in h.flags],
            )
            for h in shown
        ],
        narrow=hits.narrow,
        page=page,
        per_page=per_page,
        total=len(hits),
        pages=max(1, -(-len(hits) // per_page)),
    )


@endpoint(
    "get",
    "/identities/<int:identity_id>",
    summary="One identity with its records, as the caller may see "
    "them (X-Reason, or a recent search's reason, is required)",
    roles=SEARCHER_ROLES,
    response=s.IdentityResponse,
    headers=("X-Reason",),
)
def get_identity(user: User, identity_id: int):
    identity = db.session.get(Identity, identity_id) if identity_id <= 2**31 - 1 else None
    while identity is not None and identity.merged_into_id is not None:
        identity = db.session.get(Identity, identity.merged_into_id)
    if identity is None or not visible_records(identity, user):
        raise ApiError(404, "No such identity")
    given = request.headers.get("X-Reason", "").strip()
    if given:
        try:
            s.AcknowledgeIn(action_taken=given)  # the same text rules as any free text
        except ValidationError as error:
            raise ApiError(400, "The reason is invalid", {"X-Reason": ["Invalid reason"]}) from error
        if not 5 <= len(given) <= 300:
            raise ApiError(
                400, "The reason must be 5 to 300 characters", {"X-Reason": ["5 to 300 characters"]}
            )
        grant_access(user, [identity.id], given)
    reason = given or stated_reason(user, identity.id)
    if not reason:
        raise ApiError(400, "Give the reason you need this person", {"X-Reason": ["Required"]})
    view = build_person_view(identity, user, dt.date.today(), reason=reason, via="api")
    db.session.commit()
    return s.IdentityResponse(
        identity_id=identity.id,
        name=view.display_name,
        records=[
            _summary(r)
            | {
                "forenames": r.forenames,
                "surname": r.surname,
                "sex": r.sex,
                "address": r.current_address.one_line if r.current_address else "",
                "national_insurance": r.national_insurance,
                "driving_licence_number": r.driving_licence_number,
                "version": r.version_id,
            }
            for r in view.records
        ],
        licences=[
            {
                "authority_code": lic.authority.code,
                "licence_type": lic.licence_type.value,
                "number": lic.number,
                "status": lic.status.value,
                "issued_on": lic.issued_on,
                "expires_on": lic.expires_on,
            }
            for lic in view.licences
        ],
        badges=[
            {
                "authority_code": b.authority.code,
                "badge_type": b.badge_type.value,
                "number": b.number,
                "status": b.status.value,
                "issued_on": b.issued_on,
                "expires_on": b.expires_on,
                "operator_name": b.operator_name,
            }
            for b in view.badges
        ],
        decisions=[
            {
                "authority_code": d.authority.code,
                "decision": d.sanction_type.value,
                "grounds": d.grounds.value,
                "decided_on": d.decided_on,
                "effective_on": d.effective_on,
            }
            for d in view.sanctions
        ],
        complaints=[
            {
                "authority_code": c.complaint.authority.code,
                "received_on": c.complaint.received_on,
                "category": c.complaint.category.value,
                "complainant_name": c.complaint.complainant_name if c.shows_complainant else None,
            }
            for c in view.complaints
        ],
        intelligence=[
            {
                "item_id": i.item_id,
                "level": i.level,
                "text": i.text,
                "grading": i.grading,
                "conditions": i.conditions,
                "category": i.category,
            }
            for i in view.intelligence
        ],
        flags=[{"code": f.code, "text": f.text} for f in view.flags],
        chronology=[
            {"on": e.on, "authority": e.authority, "kind": e.kind, "text": e.text} for e in view.chronology
        ],
    )


@endpoint(
    "post",
    "/badges/check",
    summary="Check a badge by number, stating why (the reason is audited, as on the web check)",
    roles=(Role.TRANSPORT_OFFICER, Role.LICENSING_OFFICER, Role.POLICE_SPOC),
    body=s.BadgeCheckRequest,
    response=s.BadgeCheckResponse,
)
def badge(user: User, data: s.BadgeCheckRequest):
    result = check_badge(data.number, actor=user, today=dt.date.today(), reason=data.reason)
    db.session.commit()
    if not result.found:
        return s.BadgeCheckResponse(number=result.number, found=False)
    return s.BadgeCheckResponse(
        number=result.number,
        found=True,
        status=result.status.value,
        holder_name=result.badge.person.full_name,
        identity_id=result.identity_id,
        flags=[{"code": f.code, "text": f.text} for f in result.flags],
        complaints=result.complaints,
    )


# ---- writing --------------------

WRITERS = (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER)


@endpoint(
    "put",
    "/records/<string:reference>",
    summary="Create or update a person record of the caller's "
    "authority, with a licence or badge; matching runs as for an import",
    roles=WRITERS,
    body=s.RecordIn,
    response=s.RecordResponse,
)
def put_record(user: User, reference: str, data: s.RecordIn):
    cells = {
        "local_reference": reference,
        "forenames": data.forenames,
        "surname": data.surname,
        "date_of_birth": data.date_of_birth.isoformat() if data.date_of_birth else "",
        "sex": data.sex,
        "address_line": data.address_line,
        "town": data.town,
        "postcode": data.postcode,
        "national_insurance": data.national_insurance,
        "driving_licence_number": data.driving_licence_number,
        "previous_names": "; ".join(data.previous_names),
    }
    if data.licence:
        cells |= {
            "licence_type": data.licence.licence_type.value,
            "licence_number": data.licence.number,
            "licence_status": data.licence.status.value,
            "licence_start": data.licence.start.isoformat() if data.licence.start else "",
            "licence_expiry": data.licence.expiry.isoformat() if data.licence.expiry else "",
        }
    if data.badge:
        cells |= {
            "badge_type": data.badge.badge_type.value,
            "badge_number": data.badge.number,
            "badge_status": data.badge.status.value,
            "badge_start": data.badge.start.isoformat(),
            "badge_expiry": data.badge.expiry.isoformat(),
            "badge_operator": data.badge.operator,
        }
    record, report = import_record(cells, user.authority, actor=user, expected_version=data.version)
    grant_access(user, [record.identity_id], f"Recorded {record.authority_reference} through the API")
    db.session.commit()
    detail = _summary(record) | {
        "forenames": record.forenames,
        "surname": record.surname,
        "sex": record.sex,
        "address": record.current_address.one_line if record.current_address else "",
        "national_insurance": record.national_insurance,
        "driving_licence_number": record.driving_licence_number,
        "version": record.version_id,
    }
    return s.RecordResponse(
        created=report.created == 1,
        record=detail,
        identity_id=record.identity_id,
        linked=report.linked,
        review=report.review,
    )


def _own_record(user: User, reference: str) -> PersonRecord:
    record = db.session.scalar(
        select(PersonRecord).where(
            PersonRecord.authority_id == user.authority_id, PersonRecord.authority_reference == reference[:40]
        )
    )
    if record is None:
        raise ApiError(404, "Your authority has no record with that reference")
    return record


@endpoint(
    "post",
    "/records/<string:reference>/decisions",
    summary="Record a decision on one of the caller's authority's records",
    roles=(Role.LICENSING_OFFICER,),
    body=s.DecisionIn,
    response=s.DecisionResponse,
    status=201,
)
def post_decision(user: User, reference: str, data: s.DecisionIn):
    record = _own_record(user, reference)
    licence = None
    if data.licence_number:
        number = "".join(data.licence_number.split()).upper()
        licence = db.session.scalar(
            select(Licence).where(Licence.person_record_id == record.id, Licence.number == number)
        )
        if licence is None:
            raise ApiError(
                400, "No such licence on this record", {"licence_number": ["Not this person's licence"]}
            )
    decision = record_decision(
        record,
        DecisionInput(
            decision=GRANT if data.decision == GRANT else SanctionType(data.decision),
            decided_on=data.decided_on,
            effective_on=data.effective_on,
            decision_maker=data.decision_maker,
            narrative=data.narrative,
            grounds=data.grounds,
            licence=licence,
            ends_on=data.ends_on,
            conditions=data.conditions,
        ),
        actor=user,
        today=dt.date.today(),
    )
    db.session.commit()
    return s.DecisionResponse(decision_id=decision.id, record_id=record.id)


@endpoint(
    "post",
    "/intelligence",
    summary="Submit intelligence about an identity (police only)",
    roles=(Role.POLICE_SPOC,),
    body=s.IntelligenceIn,
    response=s.IntelligenceResponse,
    status=201,
)
def post_intelligence(user: User, data: s.IntelligenceIn):
    identity = resolve_identity(data.identity_id)
    if identity is None:
        raise ApiError(404, "No such identity")
    recipients = list(
        db.session.scalars(select(Authority.id).where(Authority.code.in_(data.recipient_codes)))
    )
    if len(recipients) != len(set(data.recipient_codes)):
        raise ApiError(400, "Unknown recipient authority", {"recipient_codes": ["Unknown authority code"]})
    item = submit_intelligence(
        IntelligenceInput(
            source_evaluation=data.source_evaluation,
            intelligence_assessment=data.intelligence_assessment,
            handling_code=data.handling_code,
            handling_conditions=data.handling_conditions,
            status=data.status,
            category=data.category,
            force_reference=data.force_reference,
            legal_basis=data.legal_basis,
            full_text=data.full_text,
            sanitised_summary=data.sanitised_summary,
            recipient_ids=tuple(recipients),
            review_on=data.review_on,
        ),
        actor=user,
        today=dt.date.today(),
        identity=identity,
    )
    db.session.commit()
    return s.IntelligenceResponse(item_id=item.id)


# ---- alerts --------------------

HOLDERS = (Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER)


def _alert(alert: Alert) -> dict:
    return {
        "alert_id": alert.id,
        "kind": alert.kind.value,
        "identity_id": alert.identity_id,
        "summary": alert.summary,
        "raised_at": alert.created_at.isoformat(),
        "acknowledged": alert.acknowledged_at is not None,
    }


@endpoint(
    "get",
    "/alerts",
    summary="The caller's authority's alerts, newest first",
    roles=HOLDERS,
    response=s.AlertList,
    query=("page", "per_page"),
)
def alerts(user: User):
    page, per_page = _pagination()
    query = authority_alerts(user.authority_id)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return s.AlertList(
        items=[_alert(a) for a in items],
        page=page,
        per_page=per_page,
        total=total,
        pages=max(1, -(-total // per_page)),
    )


@endpoint(
    "post",
    "/alerts/<int:alert_id>/acknowledge",
    summary="Acknowledge one alert with the action taken",
    roles=HOLDERS,
    body=s.AcknowledgeIn,
    response=s.AlertOut,
)
def acknowledge(user: User, alert_id: int, data: s.AcknowledgeIn):
    alert = db.session.get(Alert, alert_id) if alert_id <= 2**31 - 1 else None
    if alert is None or alert.authority_id != user.authority_id:
        raise ApiError(404, "No such alert")
    if alert.acknowledged_at is not None:
        raise ApiError(409, "This alert has already been acknowledged")
    acknowledge_alert(alert, action_taken=data.action_taken, actor=user)
    db.session.commit()
    return s.AlertOut(**_alert(alert))


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(OPERATIONS))


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])(bp)
