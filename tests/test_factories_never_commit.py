"""The test factories add and flush; only `arranged`, the test's own block, commits."""

import ast
from pathlib import Path

FACTORY_MODULES = ["tests/factories.py", "tests/licences/factories.py", "tests/intelligence/factories.py"]
ROOT = Path(__file__).resolve().parent.parent


def _commits_outside_arranged(path: Path) -> list[str]:
    found = []
    for function in ast.parse(path.read_text()).body:
        if not isinstance(function, ast.FunctionDef) or function.name == "arranged":
            continue
        for node in ast.walk(function):
            calls_commit = isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "commit"
            if calls_commit:
                found.append(f"{path.name}:{node.lineno} in {function.name}()")
    return found


def test_factories_flush_and_leave_the_commit_to_the_test():
    commits = [hit for module in FACTORY_MODULES for hit in _commits_outside_arranged(ROOT / module)]
    assert commits == []


def test_the_check_finds_a_commit(tmp_path):
    sample = tmp_path / "factories.py"
    sample.write_text("def make_thing():\n    db.session.add(thing)\n    db.session.commit()\n")
    assert _commits_outside_arranged(sample) == ["factories.py:3 in make_thing()"]
