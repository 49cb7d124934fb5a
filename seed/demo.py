"""Load the synthetic demo county into the register: authorities, demo users, people and their histories.

Everything derives from one random seed, so the same seed always yields the same register."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pyotp
from sqlalchemy import func, select

from licensing.auth.models import Role, User
from licensing.auth.services import hash_password
from licensing.authorities.models import Authority, AuthorityKind
from licensing.complaints.models import Complaint, ComplaintCategory, ComplaintSource
from licensing.db import db
from licensing.intelligence.models import (
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceCategory,
    IntelligenceItem,
    IntelligenceStatus,
    SourceEvaluation,
)
from licensing.licences.models import (
    Badge,
    BadgeStatus,
    BadgeType,
    DbsCertificate,
    Licence,
    LicenceStatus,
    LicenceType,
)
from licensing.licences.rules import add_months
from licensing.people.inputs import AddressInput, PersonRecordInput
from licensing.people.models import PersonRecord
from licensing.people.services import create_person_record
from licensing.sanctions.models import AppealOutcome, GroundsCategory, Sanction, SanctionType
from seed.population import generate_population

# The demo's "today": fixed so the demo county (expiry dates, overdue checks) is the same on every machine.
DEMO_TODAY = dt.date(2026, 11, 1)
DEMO_PASSWORD = "register-demo-2026"

AUTHORITIES = [
    ("AVDC", "Aylesbury Vale District Council", AuthorityKind.LICENSING),
    ("CDC", "Chiltern District Council", AuthorityKind.LICENSING),
    ("SBDC", "South Bucks District Council", AuthorityKind.LICENSING),
    ("WDC", "Wycombe District Council", AuthorityKind.LICENSING),
    ("BCC-CT", "Buckinghamshire County Council Client Transport", AuthorityKind.CLIENT_TRANSPORT),
    ("TVP", "Thames Valley Police", AuthorityKind.POLICE),
]

DEMO_USERS = [
    ("licensing.wycombe@example.org", "Wendy Carter", Role.LICENSING_OFFICER, "WDC"),
    ("licensing.chiltern@example.org", "Colin Hart", Role.LICENSING_OFFICER, "CDC"),
    ("licensing.aylesbury@example.org", "Amir Siddiqui", Role.LICENSING_OFFICER, "AVDC"),
    ("licensing.southbucks@example.org", "Sara Bell", Role.LICENSING_OFFICER, "SBDC"),
    ("transport@example.org", "Tom Reeve", Role.TRANSPORT_OFFICER, "BCC-CT"),
    ("spoc@example.org", "DC Priya Nair", Role.POLICE_SPOC, "TVP"),
    ("admin@example.org", "Alex Morgan", Role.ADMINISTRATOR, "BCC-CT"),
    ("auditor@example.org", "Jo Fielding", Role.AUDITOR, "BCC-CT"),
    ("manager.wycombe@example.org", "Imran Qureshi", Role.LICENSING_MANAGER, "WDC"),
    ("safeguarding.lead@example.org", "Helen Ward", Role.SAFEGUARDING_LEAD, "BCC-CT"),
]

OPERATORS = [
    "Chiltern Cars Ltd",
    "Wycombe Taxis",
    "Vale Private Hire",
    "Beacon Travel",
    "Amersham Executive",
    "Castle Cars",
    "Gerrards Cross Cabs",
    "Marlow Minibus Co",
]
SANCTION_NARRATIVES = {
    GroundsCategory.SEXUAL_MISCONDUCT: "Inappropriate sexual comments to a lone female passenger; pattern across complaints.",  # noqa: E501
    GroundsCategory.HARASSMENT: "Repeated unwanted contact with a passenger after a journey.",
    GroundsCategory.VIOLENCE: "Assault on a member of the public at a taxi rank.",
    GroundsCategory.SAFEGUARDING: "Failure to follow safeguarding procedures on a school contract.",
    GroundsCategory.DISHONESTY: "Undeclared conviction for fraud on the application.",
    GroundsCategory.DRUGS: "Positive roadside drug test.",
    GroundsCategory.ROAD_SAFETY: "Twelve penalty points for speeding and using a phone.",
    GroundsCategory.OTHER: "Failure to notify a change of address and insurance lapse.",
}
COMPLAINT_NARRATIVES = {
    ComplaintCategory.SEXUAL_HARASSMENT: "Passenger reports comments about her appearance and a request for her number.",  # noqa: E501
    ComplaintCategory.SAFEGUARDING: "School reports the driver messaged a pupil on social media.",
    ComplaintCategory.BEHAVIOUR: "Driver shouted at a passenger over the route taken.",
    ComplaintCategory.DRIVING_STANDARDS: "Speeding through a residential area.",
    ComplaintCategory.OVERCHARGING: "Fare charged above the meter.",
    ComplaintCategory.RUDENESS: "Refused to help with a wheelchair.",
    ComplaintCategory.VEHICLE: "Vehicle dirty, tyre visibly worn.",
}


def register_is_empty() -> bool:
    return not db.session.scalar(select(func.count(Authority.id)))


def load_demo(*, n_records: int = 3000, seed: int = 20261122, echo: Callable[[str], None] = print) -> str:
    """Create the six authorities, one demo user per role, and the synthetic county's people and histories."""
    authorities = {}
    for code, name, kind in AUTHORITIES:
        authorities[code] = Authority(code=code, name=name, kind=kind)
        db.session.add(authorities[code])
    for email, name, role, code in DEMO_USERS:
        # Demo accounts come enrolled in two-factor sign-in; `flask seed demo` prints each secret in
        # development.
        db.session.add(
            User(
                email=email,
                name=name,
                role=role,
                authority=authorities[code],
                password_hash=hash_password(DEMO_PASSWORD),
                totp_secret=pyotp.random_base32(32),
            )
        )
    db.session.flush()

    population = generate_population(n_records, seed=seed)
    rng = random.Random(seed)
    echo(f"Loading {len(population.records)} synthetic person records and linking them...")
    for index, synthetic in enumerate(population.records, 1):
        record = create_person_record(
            authorities[synthetic.authority_code], _record_input(synthetic), actor=None
        )
        _add_history(record, synthetic.role_hint, authorities, rng)
        if index % 250 == 0:
            db.session.commit()
            echo(f"  {index}/{len(population.records)}")
    db.session.commit()
    _add_story(authorities)
    db.session.commit()
    return (
        f"Demo county loaded: {len(population.records)} person records of {len(population.people)} people, "
        f"{len(authorities)} authorities, {len(DEMO_USERS)} users."
    )


def _record_input(synthetic) -> PersonRecordInput:
    previous, aliases = [], []
    for name in synthetic.other_names:
        forenames, _, surname = name.rpartition(" ")
        (previous if synthetic.sex == "F" else aliases).append((forenames, surname))
    return PersonRecordInput(
        authority_reference=synthetic.authority_reference,
        forenames=synthetic.forenames,
        surname=synthetic.surname,
        date_of_birth=synthetic.date_of_birth,
        sex=synthetic.sex,
        phone=synthetic.phone,
        email=synthetic.email,
        driving_licence_number=synthetic.driving_licence_number,
        national_insurance=synthetic.national_insurance,
        addresses=tuple(
            AddressInput(a.line1, a.town, a.postcode, from_on=a.from_date) for a in synthetic.addresses
        ),
        previous_names=tuple(previous),
        aliases=tuple(aliases),
    )


def _add_history(
    record: PersonRecord, role_hint: str, authorities: dict[str, Authority], rng: random.Random
) -> None:
    authority = record.authority
    if authority.kind is AuthorityKind.LICENSING:
        _licensing_history(record, rng)
    elif authority.kind is AuthorityKind.CLIENT_TRANSPORT:
        _badge_history(record, role_hint, rng)
    else:
        _intelligence(record, authorities, rng)


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))


def _licensing_history(record: PersonRecord, rng: random.Random) -> None:
    issued = _date_between(rng, dt.date(2021, 1, 1), dt.date(2026, 6, 1))
    roll = rng.random()
    status = (
        LicenceStatus.GRANTED
        if roll < 0.80
        else LicenceStatus.REVOKED
        if roll < 0.86
        else LicenceStatus.SUSPENDED
        if roll < 0.90
        else LicenceStatus.REFUSED
        if roll < 0.95
        else LicenceStatus.EXPIRED
    )
    licence_type = rng.choice(
        [LicenceType.PRIVATE_HIRE_DRIVER] * 3 + [LicenceType.DUAL_DRIVER, LicenceType.HACKNEY_CARRIAGE_DRIVER]
    )
    licence = Licence(
        person=record,
        authority=record.authority,
        licence_type=licence_type,
        number=f"{record.authority.code}-{licence_type.value[:2].upper()}-{record.id:06d}",
        status=status,
        issued_on=None if status is LicenceStatus.REFUSED else issued,
        expires_on=None if status is LicenceStatus.REFUSED else add_months(issued, 36),
    )
    db.session.add(licence)
    if rng.random() < 0.25:
        db.session.add(
            Licence(
                person=record,
                authority=record.authority,
                licence_type=LicenceType.VEHICLE,
                number=f"{record.authority.code}-VH-{record.id:06d}",
                status=LicenceStatus.GRANTED,
                issued_on=issued,
                expires_on=add_months(issued, 12),
                vehicle_registration=_vrm(rng),
            )
        )
    db.session.add(
        DbsCertificate(
            person=record,
            certificate_number=f"{rng.randrange(10**11, 10**12):012d}",
            issued_on=issued - dt.timedelta(days=30),
            barred_lists_checked=True,
            update_service_subscribed=rng.random() < 0.9,
            last_status_check_on=_date_between(rng, dt.date(2025, 9, 1), dt.date(2026, 10, 30)),
        )
    )
    sanction_type = {
        LicenceStatus.REVOKED: SanctionType.REVOCATION,
        LicenceStatus.SUSPENDED: rng.choice([SanctionType.SUSPENSION, SanctionType.INTERIM_SUSPENSION]),
        LicenceStatus.REFUSED: SanctionType.REFUSAL,
    }.get(status)
    if sanction_type is None and rng.random() < 0.05:
        sanction_type = SanctionType.WARNING
    if sanction_type is not None:
        grounds = rng.choice(list(GroundsCategory))
        decided = _date_between(rng, max(issued, dt.date(2023, 1, 1)), DEMO_TODAY - dt.timedelta(days=7))
        db.session.add(
            Sanction(
                person=record,
                authority=record.authority,
                licence=licence,
                sanction_type=sanction_type,
                grounds=grounds,
                decided_on=decided,
                effective_on=decided + dt.timedelta(days=rng.choice([0, 0, 21])),
                ends_on=decided + dt.timedelta(days=90) if sanction_type is SanctionType.SUSPENSION else None,
                decision_maker=rng.choice(
                    ["Licensing Sub-Committee", "Head of Licensing", "Licensing Manager"]
                ),
                narrative=SANCTION_NARRATIVES[grounds],
                appeal_outcome=rng.choice(
                    [AppealOutcome.NONE] * 6 + [AppealOutcome.PENDING, AppealOutcome.UPHELD]
                ),
            )
        )
    for _ in range(rng.choices([0, 1, 2, 3], weights=[70, 18, 8, 4])[0]):
        category = rng.choices(list(ComplaintCategory), weights=[8, 6, 20, 20, 15, 20, 11])[0]
        received = _date_between(rng, dt.date(2023, 1, 1), DEMO_TODAY)
        db.session.add(
            Complaint(
                person=record,
                authority=record.authority,
                received_on=received,
                occurred_on=received - dt.timedelta(days=2),
                source=rng.choice(list(ComplaintSource)),
                category=category,
                place=rng.choice(
                    [
                        "High Wycombe station",
                        "Amersham",
                        "Aylesbury town centre",
                        "Beaconsfield",
                        "Marlow Road",
                    ]
                ),
                vehicle_registration=_vrm(rng) if rng.random() < 0.5 else "",
                operator_name=rng.choice(OPERATORS),
                narrative=COMPLAINT_NARRATIVES[category],
                substantiated=rng.choice([True, False, None]),
                outcome=rng.choice(["Words of advice", "No further action", "Referred to sub-committee", ""]),
                complainant_name=f"Complainant {rng.randrange(1000, 9999)}",
                complainant_contact="07700 900" + f"{rng.randrange(1000):03d}",
            )
        )


def _badge_history(record: PersonRecord, role_hint: str, rng: random.Random) -> None:
    issued = _date_between(rng, dt.date(2023, 6, 1), dt.date(2026, 9, 1))
    certificate = DbsCertificate(
        person=record,
        certificate_number=f"{rng.randrange(10**11, 10**12):012d}",
        issued_on=issued - dt.timedelta(days=40),
        barred_lists_checked=True,
        update_service_subscribed=rng.random() < 0.92,
        last_status_check_on=_date_between(rng, dt.date(2025, 10, 1), dt.date(2026, 10, 30)),
        last_status_result="no new information",
    )
    expires = add_months(issued, 36)
    roll = rng.random()
    status = (
        BadgeStatus.EXPIRED
        if expires < DEMO_TODAY
        else BadgeStatus.VALID
        if roll < 0.9
        else BadgeStatus.SUSPENDED
        if roll < 0.95
        else BadgeStatus.WITHDRAWN
    )
    db.session.add(certificate)
    db.session.add(
        Badge(
            person=record,
            authority=record.authority,
            badge_type=BadgeType.PASSENGER_ASSISTANT
            if role_hint == "passenger_assistant"
            else BadgeType.DRIVER,
            number=f"BCC{record.id:06d}",
            operator_name=rng.choice(OPERATORS),
            status=status,
            issued_on=issued,
            expires_on=expires,
            dbs_certificate=certificate,
            first_reference_on=issued - dt.timedelta(days=20),
            second_reference_on=issued - dt.timedelta(days=18),
            english_test_passed_on=issued - dt.timedelta(days=25),
            safeguarding_training_on=issued - dt.timedelta(days=10),
            status_reason="" if status is BadgeStatus.VALID else "Pending review of information received",
        )
    )


def _intelligence(record: PersonRecord, authorities: dict[str, Authority], rng: random.Random) -> None:
    category = rng.choice(list(IntelligenceCategory))
    handling = rng.choice([HandlingCode.PERMITTED, HandlingCode.PERMITTED, HandlingCode.CONDITIONS])
    submitted = _date_between(rng, dt.date(2024, 1, 1), DEMO_TODAY)
    item = IntelligenceItem(
        person=record,
        authority=record.authority,
        source_evaluation=rng.choice(list(SourceEvaluation)),
        intelligence_assessment=rng.choice(list(IntelligenceAssessment)),
        handling_code=handling,
        handling_conditions=(
            "Not to be disclosed to the subject; licensing decision-makers only"
            if handling is HandlingCode.CONDITIONS
            else ""
        ),
        status=rng.choice(list(IntelligenceStatus)[:-1]),
        category=category,
        force_reference=f"TVP/{submitted.year}/{rng.randrange(10000, 99999)}",
        legal_basis="Common Law Police Disclosure",
        full_text=f"Source reports the subject ({record.full_name}) was seen with a child not on his school route "  # noqa: E501
        f"near {record.current_address.postcode if record.current_address else 'an unknown address'}. "
        "Informant details held on the force system.",
        sanitised_summary=f"Police hold {category.label.lower()} information relevant to suitability to carry passengers.",  # noqa: E501
        submitted_on=submitted,
        review_on=add_months(submitted, 12),
    )
    if handling is HandlingCode.CONDITIONS:
        item.recipients = [authorities[rng.choice(["AVDC", "CDC", "SBDC", "WDC"])]]
    db.session.add(item)


def _vrm(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
    return (
        f"{rng.choice(letters)}{rng.choice(letters)}{rng.randrange(51, 75)}"
        f"{rng.choice(letters)}{rng.choice(letters)}{rng.choice(letters)}"
    )


def _add_story(authorities: dict[str, Authority]) -> None:
    """The case the register exists for: a driver revoked in Wycombe who holds a county badge and applies in
    Chiltern under a new spelling, a new address and his day and month swapped."""
    dvla = "KHAN9703049MA9AB"
    wycombe = create_person_record(
        authorities["WDC"],
        PersonRecordInput(
            authority_reference="WDC-D-STORY1",
            forenames="Muhammad Asif",
            surname="Khan",
            date_of_birth=dt.date(1979, 3, 4),
            sex="M",
            driving_licence_number=dvla,
            national_insurance="JT402917C",
            addresses=(AddressInput("14 Totteridge Road", "High Wycombe", "HP13 6EX", dt.date(2015, 5, 1)),),
        ),
        actor=None,
    )
    licence = Licence(
        person=wycombe,
        authority=authorities["WDC"],
        licence_type=LicenceType.PRIVATE_HIRE_DRIVER,
        number="WDC-PH-STORY1",
        status=LicenceStatus.REVOKED,
        issued_on=dt.date(2023, 2, 1),
        expires_on=dt.date(2026, 2, 1),
    )
    db.session.add(licence)
    db.session.add(
        Sanction(
            person=wycombe,
            authority=authorities["WDC"],
            licence=licence,
            sanction_type=SanctionType.REVOCATION,
            grounds=GroundsCategory.SEXUAL_MISCONDUCT,
            decided_on=dt.date(2026, 9, 14),
            effective_on=dt.date(2026, 9, 14),
            decision_maker="Licensing Sub-Committee",
            appeal_outcome=AppealOutcome.PENDING,
            narrative="Three similar complaints of sexual comments to lone female passengers over 18 months.",
        )
    )
    for received in (dt.date(2025, 4, 2), dt.date(2026, 1, 20)):
        db.session.add(
            Complaint(
                person=wycombe,
                authority=authorities["WDC"],
                received_on=received,
                source=ComplaintSource.PUBLIC,
                category=ComplaintCategory.SEXUAL_HARASSMENT,
                narrative=COMPLAINT_NARRATIVES[ComplaintCategory.SEXUAL_HARASSMENT],
                substantiated=True,
                complainant_name="Withheld",
                complainant_contact="07700 900555",
            )
        )
    badge_record = create_person_record(
        authorities["BCC-CT"],
        PersonRecordInput(
            authority_reference="BCC-CT-B-STORY1",
            forenames="Mohammed Asif",
            surname="Khan",
            date_of_birth=dt.date(1979, 3, 4),
            sex="M",
            driving_licence_number=dvla,
            addresses=(AddressInput("14 Totteridge Road", "High Wycombe", "HP13 6EX", dt.date(2015, 5, 1)),),
        ),
        actor=None,
    )
    certificate = DbsCertificate(
        person=badge_record,
        certificate_number="001234567890",
        issued_on=dt.date(2024, 8, 1),
        barred_lists_checked=True,
        update_service_subscribed=True,
        last_status_check_on=dt.date(2026, 2, 1),
        last_status_result="no new information",
    )
    db.session.add(
        Badge(
            person=badge_record,
            authority=authorities["BCC-CT"],
            badge_type=BadgeType.DRIVER,
            number="BCC-STORY1",
            operator_name="Castle Cars",
            status=BadgeStatus.VALID,
            issued_on=dt.date(2024, 9, 1),
            expires_on=dt.date(2027, 9, 1),
            dbs_certificate=certificate,
            first_reference_on=dt.date(2024, 8, 10),
            second_reference_on=dt.date(2024, 8, 12),
            english_test_passed_on=dt.date(2024, 8, 5),
            safeguarding_training_on=dt.date(2024, 8, 20),
        )
    )
    create_person_record(
        authorities["CDC"],
        PersonRecordInput(
            authority_reference="CDC-D-STORY1",
            forenames="Mohd. Asif",
            surname="Khan",
            date_of_birth=dt.date(1979, 4, 3),
            sex="M",
            driving_licence_number=dvla,
            addresses=(AddressInput("2 Chartridge Lane", "Chesham", "HP5 2JU", dt.date(2026, 10, 1)),),
        ),
        actor=None,
    )
