"""Routes added for issue 12 (security), for the role x route matrix."""

from licensing.auth.models import Role

SEARCHERS = frozenset({Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC})

ROUTE_ROLES = {
    "people.approve_unlink": SEARCHERS,
    "auth.change_password": frozenset(Role),
    "admin.setup_link": frozenset({Role.ADMINISTRATOR}),
    "admin.approvals": frozenset({Role.ADMINISTRATOR, Role.POLICE_SPOC}),
    "admin.approve": frozenset({Role.ADMINISTRATOR, Role.POLICE_SPOC}),
    "admin.reset_two_factor": frozenset({Role.ADMINISTRATOR}),
}
