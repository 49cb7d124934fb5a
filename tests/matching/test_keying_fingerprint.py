"""The keying rules' fingerprint follows the name tables' text, so an edited table marks stored keys stale."""

import shutil
from importlib import resources
from pathlib import Path

from licensing.matching import KEYING_RULES_VERSION, keying, keying_fingerprint


class _Package:
    """importlib.resources as keying reads it, over a copy of the package's data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def files(self, _package: str) -> Path:
        return self.root


def _fingerprint_of(root: Path, monkeypatch) -> str:
    monkeypatch.setattr(keying, "resources", _Package(root))
    keying.keying_fingerprint.cache_clear()
    try:
        return keying.keying_fingerprint()
    finally:
        monkeypatch.undo()
        keying.keying_fingerprint.cache_clear()


def test_the_fingerprint_names_the_rules_version_and_changes_with_a_variant_table(tmp_path, monkeypatch):
    shutil.copytree(resources.files("licensing.matching").joinpath("data"), tmp_path / "data")
    assert keying_fingerprint().startswith(f"v{KEYING_RULES_VERSION}:")
    assert _fingerprint_of(tmp_path, monkeypatch) == keying_fingerprint()  # the same text, the same print

    table = tmp_path / "data" / "variant_families.txt"
    table.write_text(table.read_text(encoding="utf-8").replace(" pervaiz", ""), encoding="utf-8")
    assert _fingerprint_of(tmp_path, monkeypatch) != keying_fingerprint()
