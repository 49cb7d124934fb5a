from licensing.auth.models import Role

LO, TO, PS, AD, AU = (
    Role.LICENSING_OFFICER,
    Role.TRANSPORT_OFFICER,
    Role.POLICE_SPOC,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)
EVERYONE = frozenset(Role)
# Bearer-token endpoints (tests/api/test_api_access.py) and the session-based admin pages.
ROUTE_ROLES = {
    "api.search": frozenset({LO, TO, PS}),
    "api.get_identity": frozenset({LO, TO, PS}),
    "api.badge": frozenset({LO, TO, PS}),
    "api.put_record": frozenset({LO, TO}),
    "api.post_decision": frozenset({LO}),
    "api.post_intelligence": frozenset({PS}),
    "api.alerts": frozenset({LO, TO}),
    "api.acknowledge": frozenset({LO, TO}),
    "api.openapi": EVERYONE,
    "api_tokens.tokens": frozenset({AD}),
    "api_tokens.revoke": frozenset({AD}),
}
