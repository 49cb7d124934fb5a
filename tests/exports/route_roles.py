from licensing.auth.models import Role

SEARCHERS = frozenset({Role.LICENSING_OFFICER, Role.TRANSPORT_OFFICER, Role.POLICE_SPOC})
ROUTE_ROLES = {
    "exports.search": SEARCHERS,
    "exports.chronology": SEARCHERS,
    "exports.print_chronology": SEARCHERS,
    "exports.badge_list": frozenset({Role.TRANSPORT_OFFICER}),
    "exports.intelligence_reviews": frozenset({Role.POLICE_SPOC}),
}
