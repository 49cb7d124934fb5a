"""The matching package stays pure: no Flask, SQLAlchemy or other app modules."""

import ast
from pathlib import Path

import licensing.matching

PACKAGE = Path(licensing.matching.__file__).parent
FORBIDDEN_ROOTS = {"flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy", "werkzeug"}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level


def test_every_module_is_pure():
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 10
    for path in modules:
        for name, level in _imports(path):
            root = name.split(".")[0]
            assert root not in FORBIDDEN_ROOTS, f"{path.name} imports {name}"
            if level == 0 and root == "licensing":
                # The shared CSV writer is pure too (stdlib and openpyxl only): match-file neutralises
                # through it.
                assert name.startswith(("licensing.matching", "licensing.exports.tabular")), (
                    f"{path.name} imports {name}"
                )
            assert level <= 1, f"{path.name} reaches outside the package with a level-{level} import"
