"""Person records: creating and correcting one authority's record of a person, then linking it."""

from __future__ import annotations

from licensing.audit import record as audit
from licensing.auth.models import User
from licensing.authorities.models import Authority
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.people.identity import link_new_record, to_match_record
from licensing.people.inputs import PersonRecordInput
from licensing.people.models import Address, Identity, NameKind, PersonName, PersonRecord


def create_person_record(
    authority: Authority, data: PersonRecordInput, *, actor: User | None
) -> PersonRecord:
    """Add one authority's record of a person as a new identity, then let the engine link it."""
    if not data.forenames.strip() and not data.surname.strip():
        raise RuleViolation("Enter the person's name")
    reference = data.authority_reference.strip()
    if reference and db.session.query(PersonRecord.id).filter_by(
            authority_id=authority.id, authority_reference=reference).first():
        raise RuleViolation(f"{authority.name} already has a record with reference {reference}")
    identity = Identity()
    record = PersonRecord(
        authority=authority,
        identity=identity,
        authority_reference=reference,
        forenames=data.forenames.strip(),
        surname=data.surname.strip(),
        date_of_birth=data.date_of_birth,
        sex=data.sex,
        phone=data.phone,
        email=data.email.lower(),
        driving_licence_number=data.driving_licence_number,
        national_insurance=data.national_insurance,
        addresses=[
            Address(line1=a.line1, line2=a.line2, town=a.town, postcode=a.postcode, from_on=a.from_on)
            for a in data.addresses
        ],
        other_names=[
            PersonName(kind=NameKind.PREVIOUS, forenames=f, surname=s) for f, s in data.previous_names
        ]
        + [PersonName(kind=NameKind.ALIAS, forenames=f, surname=s) for f, s in data.aliases],
    )
    db.session.add(record)
    db.session.flush()
    audit(actor, "person_record.created", record, details={"authority": authority.code})
    link_new_record(record, actor=actor)
    return record


def update_person_record(record: PersonRecord, data: PersonRecordInput, *, actor: User) -> PersonRecord:
    """Correct or update an authority's own record; a new address joins the history, and the record is
    re-linked."""
    if record.authority_id != actor.authority_id:
        raise RuleViolation("You can only change your own authority's records")
    if not data.forenames.strip() and not data.surname.strip():
        raise RuleViolation("Enter the person's name")
    previous = to_match_record(record)
    changes = {}
    for name in ("forenames", "surname", "date_of_birth", "sex", "phone", "email", "driving_licence_number",
                 "national_insurance"):
        value = getattr(data, name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(record, name) != value:
            changes[name] = str(value)
            setattr(record, name, value)
    current = record.current_address
    for new in data.addresses:
        if current is None or (new.line1, new.postcode) != (current.line1, current.postcode):
            if current is not None and current.to_on is None:
                current.to_on = new.from_on
            record.addresses.append(
                Address(
                    line1=new.line1,
                    line2=new.line2,
                    town=new.town,
                    postcode=new.postcode,
                    from_on=new.from_on,
                )
            )
            changes["address"] = new.postcode
    known = {(n.forenames, n.surname) for n in record.other_names}
    for forenames, surname in data.previous_names:
        if (forenames, surname) not in known:
            record.other_names.append(
                PersonName(kind=NameKind.PREVIOUS, forenames=forenames, surname=surname)
            )
            changes["previous_name"] = f"{forenames} {surname}"
    if not changes:
        return record
    db.session.flush()
    audit(actor, "person_record.updated", record, details=changes)
    link_new_record(record, actor=actor, previous=previous)
    return record


def resolve_identity(identity_id: int) -> Identity | None:
    """The identity, following merges to the one it now lives in; None if there is none or it holds no
    records."""
    identity = db.session.get(Identity, identity_id)
    seen: set[int] = set()
    while identity is not None and identity.merged_into_id is not None and identity.id not in seen:
        seen.add(identity.id)
        identity = db.session.get(Identity, identity.merged_into_id)
    return identity if identity is not None and identity.records else None
