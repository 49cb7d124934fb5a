"""Indexes the oversight reports need on other areas' tables, so each figure is an index range scan by date;
and the reports' own summary tables.

The indexes are declared here, next to the queries that use them, rather than in each area's models."""

import datetime as dt

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from licensing.alerts.models import Alert
from licensing.complaints.models import Complaint
from licensing.db import db
from licensing.intelligence.models import IntelligenceItem
from licensing.licences.models import Badge, DbsCertificate, Licence
from licensing.people.models import Address, ApplicantCheck, Identity, PersonRecord, RecordLink
from licensing.sanctions.models import Sanction

# Literal, not bound, so both databases match the partial index below to the query.
NO_IDENTIFIER_SQL = "driving_licence_number = '' AND national_insurance = ''"

REPORT_INDEXES = (
    Index("ix_sanctions_decided_on", Sanction.decided_on),
    Index("ix_complaints_received_on", Complaint.received_on),
    Index("ix_complaints_category_received_on", Complaint.category, Complaint.received_on),
    Index("ix_alerts_created_at", Alert.created_at),
    Index("ix_record_links_set_at", RecordLink.set_at),
    Index("ix_record_links_state_created_at", RecordLink.state, RecordLink.created_at),
    Index("ix_applicant_checks_checked_at", ApplicantCheck.checked_at),
    Index("ix_intelligence_items_submitted_on", IntelligenceItem.submitted_on),
    # Merged identities are few; the reports follow them in one recursive query from this index.
    Index("ix_identities_merged_into_id", Identity.merged_into_id),
    # Covering indexes: each report query reads only index entries, never the wide rows behind them.
    Index(
        "ix_complaints_report",
        Complaint.received_on,
        Complaint.authority_id,
        Complaint.category,
        Complaint.substantiated,
        Complaint.person_record_id,
    ),
    Index("ix_complaints_person_received", Complaint.person_record_id, Complaint.received_on),
    Index(
        "ix_sanctions_report",
        Sanction.decided_on,
        Sanction.authority_id,
        Sanction.sanction_type,
        Sanction.grounds,
        Sanction.person_record_id,
    ),
    Index("ix_addresses_current", Address.person_record_id, Address.from_on, Address.id, Address.postcode),
    Index(
        "ix_licences_report_training",
        Licence.licence_type,
        Licence.status,
        Licence.expires_on,
        Licence.issued_on,
        Licence.safeguarding_training_on,
        Licence.authority_id,
    ),
    Index(
        "ix_badges_report",
        Badge.status,
        Badge.expires_on,
        Badge.issued_on,
        Badge.badge_type,
        Badge.safeguarding_training_on,
        Badge.authority_id,
        Badge.dbs_certificate_id,
    ),
    # The same led by the authority, so one authority's report reads only its own entries.
    Index(
        "ix_licences_report_training_authority",
        Licence.authority_id,
        Licence.licence_type,
        Licence.status,
        Licence.expires_on,
        Licence.issued_on,
        Licence.safeguarding_training_on,
    ),
    Index(
        "ix_badges_report_authority",
        Badge.authority_id,
        Badge.status,
        Badge.expires_on,
        Badge.issued_on,
        Badge.badge_type,
        Badge.safeguarding_training_on,
        Badge.dbs_certificate_id,
    ),
    # The few records with neither identifier, by authority (the matching figures' share with an identifier).
    Index(
        "ix_person_records_no_identifier",
        PersonRecord.authority_id,
        sqlite_where=text(NO_IDENTIFIER_SQL),
        postgresql_where=text(NO_IDENTIFIER_SQL),
    ),
    # What the DBS figure reads of each valid badge's certificate, found by id without reading the row.
    Index(
        "ix_dbs_certificates_report",
        DbsCertificate.id,
        DbsCertificate.update_service_subscribed,
        DbsCertificate.last_status_check_on,
        DbsCertificate.issued_on,
    ),
)


# -- Summary tables ------------------------------------------------------------------------------------------
# One row per complaint and per decision with what the reports would otherwise join for on every view: the
# identity of the person record (cross-authority patterns, complaint-to-decision times, checks) and the
# postcode district of its current address (hot spots). Database triggers (migration reports50001, for
# SQLite and PostgreSQL) keep them in step with every write to complaints, sanctions, person_records'
# identity_id and addresses, whichever path makes it; `flask reports rebuild` recomputes them from the rows.
# No foreign keys: a row goes in the same statement as the row it sums up, by trigger.


class ReportComplaint(db.Model):
    """A complaint as the reports count it."""

    __tablename__ = "report_complaints"

    complaint_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    authority_id: Mapped[int]
    received_on: Mapped[dt.date]
    category: Mapped[str] = mapped_column(String(40))
    substantiated: Mapped[bool | None]
    person_record_id: Mapped[int] = mapped_column(index=True)
    identity_id: Mapped[int | None]
    district: Mapped[str | None] = mapped_column(String(8))

    __table_args__ = (
        Index("ix_report_complaints_period", "received_on", "authority_id", "district"),
        Index("ix_report_complaints_serious", "category", "received_on", "identity_id", "authority_id"),
        Index("ix_report_complaints_identity", "identity_id", "received_on", "category", "authority_id"),
    )


class ReportDecision(db.Model):
    """A decision (sanction) as the reports count it."""

    __tablename__ = "report_decisions"

    sanction_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    authority_id: Mapped[int]
    decided_on: Mapped[dt.date]
    sanction_type: Mapped[str] = mapped_column(String(40))
    grounds: Mapped[str] = mapped_column(String(40))
    person_record_id: Mapped[int] = mapped_column(index=True)
    identity_id: Mapped[int | None]

    __table_args__ = (
        Index("ix_report_decisions_period", "decided_on", "authority_id", "identity_id"),
        Index("ix_report_decisions_identity", "identity_id", "decided_on", "sanction_type", "authority_id"),
    )


class ReportBadge(db.Model):
    """A badge as the DBS and training figures count it, with what they read of its DBS certificate."""

    __tablename__ = "report_badges"

    badge_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    authority_id: Mapped[int]
    badge_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[dt.date]
    expires_on: Mapped[dt.date]
    training_on: Mapped[dt.date | None]
    dbs_certificate_id: Mapped[int | None] = mapped_column(index=True)
    dbs_subscribed: Mapped[bool | None]
    dbs_checked_on: Mapped[dt.date | None]  # the latest status check, else the certificate's issue date

    __table_args__ = (
        Index(
            "ix_report_badges_valid",
            "status", "expires_on", "issued_on", "authority_id", "badge_type", "training_on",
            "dbs_subscribed", "dbs_checked_on",
        ),
        Index(
            "ix_report_badges_authority",
            "authority_id", "status", "expires_on", "issued_on", "badge_type", "training_on",
            "dbs_subscribed", "dbs_checked_on",
        ),
    )


# Stock figures (what is in force on a day) count groups, not rows: one row per distinct combination of what
# the DBS and training figures read, with how many badges or licences share it. Triggers (migration
# reports60001) add and take away 1 on every write to licences and report_badges. Keys are never NULL, so
# the unique index can merge them: a missing date is stored as one of these.
NO_DATE = dt.date(1, 1, 1)  # no training, no DBS check
OPEN_ENDED = dt.date(9999, 12, 31)  # a licence without an expiry date
NO_CERTIFICATE = -1  # dbs_state: -1 no certificate, 0 not on the Update Service, 1 subscribed
STOCK_KEY = (
    "holding", "kind", "status", "expires_on", "issued_on", "authority_id", "training_on", "dbs_state",
    "dbs_checked_on",
)


class ReportStock(db.Model):
    """How many badges or licences share one combination of type, status, dates and DBS state."""

    __tablename__ = "report_stock"

    id: Mapped[int] = mapped_column(primary_key=True)
    holding: Mapped[str] = mapped_column(String(10))  # "badge" or "licence"
    kind: Mapped[str] = mapped_column(String(40))  # the badge or licence type
    status: Mapped[str] = mapped_column(String(40))
    expires_on: Mapped[dt.date]
    issued_on: Mapped[dt.date]
    authority_id: Mapped[int]
    training_on: Mapped[dt.date]
    dbs_state: Mapped[int]
    dbs_checked_on: Mapped[dt.date]
    n: Mapped[int]

    __table_args__ = (Index("ix_report_stock_key", *STOCK_KEY, unique=True),)


class ReportLink(db.Model):
    """A record link with the authorities holding its two records, so one authority's matching figures are a
    range of an index rather than two record lookups per link."""

    __tablename__ = "report_links"

    link_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(20))
    set_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]
    record_a_id: Mapped[int] = mapped_column(index=True)
    record_b_id: Mapped[int] = mapped_column(index=True)
    authority_a: Mapped[int | None]
    authority_b: Mapped[int | None]

    __table_args__ = (
        Index("ix_report_links_set_at", "set_at", "state", "authority_a", "authority_b"),
        Index("ix_report_links_queue", "state", "created_at", "authority_a", "authority_b"),
    )
