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
