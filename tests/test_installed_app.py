"""The installed app runs from any directory: its defaults live in the package, not in config.py."""

import os
import subprocess
import sys

HEADER = ("record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance,"
          "driving_licence_number\n")


def test_match_file_runs_from_another_directory_without_the_deployment_config(tmp_path):
    (tmp_path / "in.csv").write_text(HEADER + "1,A,John,Smith,1980-01-02,1 High St,Town,HP11 2BZ,JT123456A,\n"
                                              "2,B,Jon,Smith,1980-01-02,1 High St,Town,HP11 2BZ,JT123456A,\n")
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_CONFIG", "FLASK_APP", "PYTHONPATH")}
    command = [sys.executable, "-m", "flask", "--app", "licensing", "match-file", "in.csv", "out.csv"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1,2" in (tmp_path / "out.csv").read_text().replace(" ", "")


def test_the_built_package_carries_its_pages_schema_history_and_name_tables(tmp_path):
    """What `pip install .` installs: the templates, every migration and the matching data files, so the
    installed app can serve pages and `flask db upgrade` without the source tree."""
    import zipfile
    from pathlib import Path

    import licensing

    source = Path(licensing.__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
         str(source)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = sorted(p.name for p in (source / "licensing" / "migrations" / "versions").glob("*.py"))
    assert migrations and all(f"licensing/migrations/versions/{m}" in names for m in migrations)
    for shipped in ("licensing/templates/base.html", "licensing/templates/people/person.html",
                    "licensing/migrations/env.py", "licensing/migrations/alembic.ini",
                    "licensing/migrations/script.py.mako"):
        assert shipped in names, shipped
    assert any(n.startswith("licensing/matching/data/") for n in names)
    assert not any(n.startswith(("seed/", "tests/")) for n in names)  # the demo generator does not ship
