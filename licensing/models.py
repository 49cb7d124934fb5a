"""Every area's models, imported so the metadata is complete for migrations."""

from licensing.alerts.models import Alert
from licensing.api.models import ApiToken
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role, User
from licensing.authorities.models import Authority, AuthorityKind
from licensing.complaints.models import Complaint
from licensing.imports.models import ImportMapping, ImportUpload
from licensing.intelligence.models import IntelligenceItem
from licensing.licences.models import Badge, DbsCertificate, Licence
from licensing.operators.models import Operator  # noqa: F401
from licensing.people.models import (
                                     AccessGrant,
                                     Address,
                                     ApplicantCheck,
                                     BlockingKey,
                                     Identity,
                                     JobCursor,
                                     PersonName,
                                     PersonRecord,
                                     RecordLink,
                                     TermCount,
)
from licensing.reports.models import REPORT_INDEXES
from licensing.requests.attachments import Attachment  # noqa: F401
from licensing.requests.models import InformationRequest
from licensing.retention.models import RetentionDecision
from licensing.sanctions.models import Sanction

__all__ = [
    "AccessGrant",
    "ApiToken",
    "ImportMapping",
    "ImportUpload",
    "Address",
    "Alert",
    "ApplicantCheck",
    "InformationRequest",
    "AuditEvent",
    "Authority",
    "AuthorityKind",
    "Badge",
    "BlockingKey",
    "Complaint",
    "DbsCertificate",
    "Identity",
    "IntelligenceItem",
    "JobCursor",
    "TermCount",
    "Licence",
    "PersonName",
    "PersonRecord",
    "REPORT_INDEXES",
    "RecordLink",
    "RetentionDecision",
    "Role",
    "Sanction",
    "User",
]
