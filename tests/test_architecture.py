"""No import circles in licensing/: no module reaches, directly or not, a module that imports it."""

import grimp


def test_no_module_imports_itself_round_a_circle():
    graph = grimp.build_graph("licensing", exclude_type_checking_imports=True, cache_dir=None)
    circles = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.startswith("licensing") and graph.chain_exists(importer=imported, imported=importer)
    )
    assert circles == []
