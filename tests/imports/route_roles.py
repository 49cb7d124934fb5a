from licensing.auth.models import Role

IMPORTERS = frozenset({Role.ADMINISTRATOR, Role.LICENSING_OFFICER})
ROUTE_ROLES = {
    "imports.upload": IMPORTERS,
    "imports.upload_report": IMPORTERS,
    "imports.commit": IMPORTERS,
    "imports.mappings": IMPORTERS,
    "imports.mapping_json": IMPORTERS,
}
