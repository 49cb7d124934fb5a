"""Operators: add one, attach its driver and vehicle licences, and find it by name, licence or
registration."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.licences.models import Licence, LicenceType
from licensing.licences.rules import normalise_reference
from licensing.operators.models import Operator, operator_licences

WORKING_TYPES = (
    LicenceType.PRIVATE_HIRE_DRIVER,
    LicenceType.DUAL_DRIVER,
    LicenceType.HACKNEY_CARRIAGE_DRIVER,
    LicenceType.VEHICLE,
)


def _own_licence(number: str, actor: User, types: tuple[LicenceType, ...]) -> Licence:
    wanted = normalise_reference(number)
    licence = db.session.scalar(
        select(Licence).where(Licence.authority_id == actor.authority_id, Licence.number == wanted)
    )
    if licence is None:
        raise RuleViolation(f"{actor.authority.name} holds no licence numbered {wanted}")
    if licence.licence_type not in types:
        raise RuleViolation(f"Licence {wanted} is a {licence.licence_type.label.lower()} licence")
    return licence


def create_operator(*, name: str, licence_number: str, actor: User) -> Operator:
    """Record an operator of the actor's authority, optionally with its private hire operator licence."""
    name = name.strip()
    if db.session.scalar(
        select(Operator.id).where(Operator.authority_id == actor.authority_id, Operator.name == name)
    ):
        raise RuleViolation(f"{actor.authority.name} already has an operator called {name}")
    licence = (
        _own_licence(licence_number, actor, (LicenceType.PRIVATE_HIRE_OPERATOR,)) if licence_number else None
    )
    operator = Operator(authority_id=actor.authority_id, name=name, licence=licence)
    db.session.add(operator)
    db.session.flush()
    audit(
        actor,
        "operator.created",
        operator,
        details={"name": name, "licence": licence.number if licence else ""},
    )
    return operator


def add_working_licence(operator: Operator, number: str, *, actor: User) -> Licence:
    """Attach a driver or vehicle licence of the same authority to the operator."""
    if operator.authority_id != actor.authority_id:
        raise RuleViolation("You can only change your own authority's operators")
    licence = _own_licence(number, actor, WORKING_TYPES)
    if licence in operator.licences:
        raise RuleViolation(f"Licence {licence.number} already works for {operator.name}")
    operator.licences.append(licence)
    db.session.flush()
    audit(actor, "operator.licence_added", operator, details={"licence": licence.number})
    return licence


def search_operators(term: str) -> Select:
    """Operators whose name contains the term, or whose operator, driver or vehicle licence number or vehicle
    registration is the term."""
    term = term.strip()
    reference = normalise_reference(term)
    working = (
        select(operator_licences.c.operator_id)
        .join(Licence, Licence.id == operator_licences.c.licence_id)
        .where(or_(Licence.number == reference, Licence.vehicle_registration == reference))
    )
    own = select(Licence.id).where(Licence.number == reference)
    return (
        select(Operator)
        .where(or_(Operator.name.ilike(f"%{term}%"), Operator.id.in_(working), Operator.licence_id.in_(own)))
        .order_by(Operator.name, Operator.id)
    )


def operator_search_page(term: str, *, actor: User, page: int, per_page: int):
    """One page of operators found by a term, audited with what it showed."""
    shown = db.paginate(search_operators(term), page=max(page, 1), per_page=per_page, error_out=False)
    audit(actor, "operator.searched", details={"term": term, "results": [o.id for o in shown.items]})
    return shown


def view_operator(operator: Operator, *, actor: User) -> Operator:
    """An officer opens an operator's record: audited."""
    audit(actor, "operator.viewed", operator)
    return operator
