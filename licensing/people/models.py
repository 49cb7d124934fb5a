from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from licensing.db import created_at, db, intpk, short_str, str_enum, text, utcnow
from licensing.enums import LabelledEnum
from licensing.matching.score import guard_of_summary

if TYPE_CHECKING:
    from licensing.auth.models import User
    from licensing.authorities.models import Authority
    from licensing.complaints.models import Complaint
    from licensing.intelligence.models import IntelligenceItem
    from licensing.licences.models import Badge, DbsCertificate, Licence
    from licensing.sanctions.models import Sanction


class Identity(db.Model):
    """The real person behind one or more linked person records."""

    __tablename__ = "identities"

    id: Mapped[intpk]
    created_at: Mapped[created_at]
    # Set when this identity was merged into another, so old links still lead to the person.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("identities.id"))
    records: Mapped[list[PersonRecord]] = relationship(back_populates="identity", order_by="PersonRecord.id")


class PersonRecord(db.Model):
    """What one authority holds about one person."""

    __tablename__ = "person_records"
    __table_args__ = (
        UniqueConstraint("authority_id", "authority_reference"),
        # The police's records (hidden from other searchers) as ids from the index alone, for the surname
        # listing's count at a million records on PostgreSQL.
        Index("ix_person_records_authority_id_id", "authority_id", "id"),
    )

    id: Mapped[intpk]
    # No index of its own: the unique (authority_id, authority_reference) and (authority_id, id) lead with it.
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"))
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"), index=True)
    authority_reference: Mapped[str] = mapped_column(String(40))
    forenames: Mapped[str] = mapped_column(String(100))
    surname: Mapped[str] = mapped_column(String(100), index=True)
    date_of_birth: Mapped[dt.date | None]
    sex: Mapped[str] = mapped_column(String(1), default="", server_default="")
    phone: Mapped[short_str]
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    driving_licence_number: Mapped[str] = mapped_column(String(16), default="", server_default="", index=True)
    national_insurance: Mapped[str] = mapped_column(String(9), default="", server_default="", index=True)
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    authority: Mapped[Authority] = relationship()
    identity: Mapped[Identity] = relationship(back_populates="records")
    other_names: Mapped[list[PersonName]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonName.id")
    addresses: Mapped[list[Address]] = relationship(
        back_populates="person", cascade="all, delete-orphan",
        # Newest first, the same on every database: undated addresses last, then the latest added.
        order_by="(Address.from_on.desc().nulls_last(), Address.id.desc())")
    blocking_keys: Mapped[list[BlockingKey]] = relationship(
        back_populates="person", cascade="all, delete-orphan",
        primaryjoin="PersonRecord.id == foreign(BlockingKey.person_record_id)",
    )
    licences: Mapped[list[Licence]] = relationship(back_populates="person", order_by="Licence.id")
    badges: Mapped[list[Badge]] = relationship(back_populates="person", order_by="Badge.id")
    dbs_certificates: Mapped[list[DbsCertificate]] = relationship(back_populates="person")
    sanctions: Mapped[list[Sanction]] = relationship(back_populates="person", order_by="Sanction.decided_on")
    complaints: Mapped[list[Complaint]] = relationship(
        back_populates="person", order_by="Complaint.received_on"
    )
    intelligence_items: Mapped[list[IntelligenceItem]] = relationship(back_populates="person")

    @property
    def full_name(self) -> str:
        return f"{self.forenames} {self.surname}".strip()

    @property
    def current_address(self) -> Address | None:
        return self.addresses[0] if self.addresses else None


class NameKind(enum.StrEnum):
    PREVIOUS = "previous"
    ALIAS = "alias"


class PersonName(db.Model):
    """A previous name or an alias, kept so a changed surname still matches."""

    __tablename__ = "person_names"

    id: Mapped[intpk]
    person_record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    kind: Mapped[NameKind] = mapped_column(str_enum(NameKind))
    forenames: Mapped[str] = mapped_column(String(100))
    surname: Mapped[str] = mapped_column(String(100))

    person: Mapped[PersonRecord] = relationship(back_populates="other_names")

    @property
    def full_name(self) -> str:
        return f"{self.forenames} {self.surname}".strip()


class Address(db.Model):
    """One address in a person's history; the newest from_on is the current one."""

    __tablename__ = "addresses"

    id: Mapped[intpk]
    person_record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    line1: Mapped[str] = mapped_column(String(120))
    line2: Mapped[short_str]
    town: Mapped[short_str]
    postcode: Mapped[str] = mapped_column(String(8), index=True)
    from_on: Mapped[dt.date | None]
    to_on: Mapped[dt.date | None]

    person: Mapped[PersonRecord] = relationship(back_populates="addresses")

    @property
    def one_line(self) -> str:
        return ", ".join(p for p in (self.line1, self.line2, self.town, self.postcode) if p)


class BlockingKey(db.Model):
    """A matching key computed when a record is written, so candidate lookup is an indexed query."""

    __tablename__ = "blocking_keys"
    __table_args__ = (Index("ix_blocking_keys_key_person", "key", "person_record_id"),)

    # No surrogate id: nothing refers to a key row, and PostgreSQL's serial default and primary-key index
    # were ~15% of the server's time for the import's key rows. The ORM identifies a row by (record, key),
    # unique by construction (a record's keys are a set).
    # No foreign key: the keys are derived from their record and written and deleted only with it
    # (index_record, the import, erase_record through the relationship's cascade); PostgreSQL's per-row check
    # was half the server time of an import's ~30 key rows a record (bench/results/import_round9.txt).
    person_record_id: Mapped[int] = mapped_column(index=True)
    # Binary collation on PostgreSQL so a prefix search is a plain range scan of the index, in any locale.
    key: Mapped[str] = mapped_column(String(64).with_variant(String(64, collation="C"), "postgresql"))

    person: Mapped[PersonRecord] = relationship(
        back_populates="blocking_keys", primaryjoin="PersonRecord.id == foreign(BlockingKey.person_record_id)"
    )

    __mapper_args__ = {"primary_key": ["person_record_id", "key"]}


class LinkState(enum.StrEnum):
    AUTOMATIC = "automatic"
    PENDING = "pending_review"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    UNLINKED = "unlinked"

    @property
    def joins_records(self) -> bool:
        return self in (LinkState.AUTOMATIC, LinkState.CONFIRMED)


class RecordLink(db.Model):
    """The engine's or a person's judgement on one pair of records; rejected pairs are remembered."""

    __tablename__ = "record_links"
    __table_args__ = (
        UniqueConstraint("record_a_id", "record_b_id"),
        CheckConstraint("record_a_id < record_b_id", name="ordered_pair"),
    )

    id: Mapped[intpk]
    # Optimistic locking: a save based on an older version is refused, never a silent overwrite (finding 9).
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version_id}
    record_a_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    record_b_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list] = mapped_column(default=list)
    summary: Mapped[text]
    state: Mapped[LinkState] = mapped_column(str_enum(LinkState), index=True)
    review_reason: Mapped[text]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[created_at]

    record_a: Mapped[PersonRecord] = relationship(foreign_keys=[record_a_id])
    record_b: Mapped[PersonRecord] = relationship(foreign_keys=[record_b_id])
    set_by: Mapped[User | None] = relationship()

    @property
    def held_for_review_because(self) -> str:
        """Why the engine sent the pair to an officer whatever its probability ("" if nothing held it)."""
        return guard_of_summary(self.summary)


class UnlinkRequest(db.Model):
    """An unlink that would separate an adverse decision from a person: it waits for a second officer."""

    __tablename__ = "unlink_requests"

    id: Mapped[intpk]
    record_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[text]
    requested_at: Mapped[created_at]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]

    record: Mapped[PersonRecord] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])


class AccessGrant(db.Model):
    """A user's stated reason to view one identity, valid for a short time after it was given."""

    __tablename__ = "access_grants"
    __table_args__ = (Index("ix_access_grants_user_identity", "user_id", "identity_id", "granted_at"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"))
    reason: Mapped[str] = mapped_column(String(300))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TermCount(db.Model):
    """How many records carry a canonical name or birth date, so common values weigh less in matching."""

    __tablename__ = "term_counts"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # surname | forename | dob | total
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class JobCursor(db.Model):
    """Where a long-running job (re-linking the register) got to, so it can resume after an interruption."""

    __tablename__ = "job_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RegisterSetting(db.Model):
    """A value the register keeps about itself: "keying_rules", the fingerprint of the rules its stored
    blocking keys and term counts were built with (matching.keying_fingerprint)."""

    __tablename__ = "register_settings"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Nr3sOutcome(LabelledEnum):
    NO_MATCH = "no_match", "Searched: no match"
    MATCH_FOUND = "match_found", "Searched: match found"
    NOT_SEARCHED = "not_searched", "Not searched"


class ApplicantCheck(db.Model):
    """A licensing officer's record that an applicant was checked before a grant or renewal, and what was
    found."""

    __tablename__ = "applicant_checks"

    id: Mapped[intpk]
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    applicant_reference: Mapped[str] = mapped_column(String(40))
    criteria: Mapped[dict] = mapped_column(default=dict)
    identity_ids: Mapped[list] = mapped_column(default=list)
    findings: Mapped[text]
    nr3s_outcome: Mapped[Nr3sOutcome] = mapped_column(str_enum(Nr3sOutcome))
    nr3s_reference: Mapped[short_str]
    checked_at: Mapped[created_at]

    authority: Mapped[Authority] = relationship()
    checked_by: Mapped[User] = relationship()
