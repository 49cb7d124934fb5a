"""match-file with two or more workers reads a file in two parts: a forked reader worker prepares the later
part while the main process reads the first (batch._ReaderWorker). The records, the output, the warnings
and the first error (with the file's line number) are those of one reader."""

import os
from pathlib import Path

import pytest

from licensing.matching import BatchError, batch, match_file

HEADER = "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance"


def people_lines(n: int = 1200) -> list[str]:
    lines = [HEADER]
    for i in range(n):
        person = i // 2
        fore = ("Muhammad", "Mohd")[i % 2] + " " + ("Asif", "Tariq", "Imran", "Zahid")[person % 4]
        dob = f"19{50 + person % 50}-{1 + person % 12:02d}-{1 + person % 28:02d}"
        if person % 7 == 0:
            dob = f"{1 + person % 28:02d}/{1 + person % 12:02d}/19{50 + person % 50}"  # reformatted: warned
        ni = f"AB{person:06d}C" if i % 2 == 0 or person % 3 else ("NOTANI" if person % 5 == 0 else "")
        lines.append(f"R{i:05d},AV,{fore},Khan,{dob},{person} Road,Town,HP13 6AB,{ni}")
    return lines


def write(path: Path, lines: list[str]) -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


@pytest.fixture
def split_small_files(monkeypatch):
    """Split files of any size (a real run reads a file under 4 MB in one process)."""
    monkeypatch.setattr(batch, "_MIN_SPLIT_BYTES", 0)


def line_at(path: Path, byte: int) -> int:
    """The number of the line starting at ``byte``."""
    return path.read_bytes()[:byte].count(b"\n") + 1


def run(path: Path, tmp_path: Path, workers: int, name: str = "out"):
    out, review = tmp_path / f"{name}{workers}.csv", tmp_path / f"{name}{workers}.review.csv"
    report = match_file(path, out, progress=None, workers=workers, review_path=review)
    return out.read_bytes(), review.read_bytes(), report.records, report.candidate_pairs, report.warnings


def test_two_parts_read_give_the_records_and_output_of_one_reader(tmp_path, split_small_files, monkeypatch):
    path = write(tmp_path / "in.csv", people_lines())
    alone = batch.BatchReport()
    one = batch._read_records(path, alone, batch._Progress(None))
    real = batch._send_part

    def spy(*args):
        (tmp_path / f"reader{os.getpid()}").touch()
        return real(*args)

    monkeypatch.setattr(batch, "_send_part", spy)
    report = batch.BatchReport()
    two = batch._read_records(path, report, batch._Progress(None), workers=2)
    readers = [p.name for p in tmp_path.glob("reader*")]
    assert readers and readers != [f"reader{os.getpid()}"]  # a forked worker read a part
    assert len(two) == len(one) == 1200
    for a, b in zip(one, two, strict=True):
        assert a == b  # every field, the name id too
    assert report.warnings == alone.warnings
    assert set(alone.warnings) == {"date_of_birth_reformatted", "national_insurance_invalid"}
    outputs = {w: run(path, tmp_path, w) for w in (1, 2, 3)}
    assert outputs[1] == outputs[2] == outputs[3]
    assert outputs[1][0].count(b"\n") > 100


def test_the_first_error_in_the_worker_s_part_names_the_file_s_line(tmp_path, split_small_files):
    lines = people_lines()
    lines[1000] = "R99999,AV,Too,Few"
    path = write(tmp_path / "in.csv", lines)
    assert line_at(path, batch._read_split(path)) < 1001  # the fault is in the worker's part
    out = tmp_path / "out.csv"
    with pytest.raises(BatchError, match="line 1001: expected 9 fields as in the header, found 4"):
        match_file(path, out, progress=None, workers=2)
    assert not out.exists()
    # A fault in the main process's part comes first, as one reader finds it.
    lines[10] = "R99998,AV,Also,Few"
    with pytest.raises(BatchError, match="line 11: "):
        match_file(write(tmp_path / "in.csv", lines), out, progress=None, workers=2)
    # Bytes that are not UTF-8 in the worker's part.
    data = write(path, people_lines()).read_bytes().replace(b"R01100,AV,Muhammad", b"R01100,AV,Mu\xffhammad")
    path.write_bytes(data)
    with pytest.raises(BatchError, match="line 1102: bytes that are not UTF-8"):
        match_file(path, out, progress=None, workers=2)


def test_an_id_in_both_parts_is_a_duplicate_with_both_lines(tmp_path, split_small_files):
    lines = people_lines()
    lines[1100] = "R00003" + lines[1100][6:]
    path = write(tmp_path / "in.csv", lines)
    assert line_at(path, batch._read_split(path)) < 1101
    with pytest.raises(BatchError, match=r"line 1101: duplicate record_id 'R00003' \(first on line 5\)"):
        match_file(path, tmp_path / "out.csv", progress=None, workers=2)


def test_a_quoted_line_break_across_the_split_is_read_by_one_process(
    tmp_path, split_small_files, monkeypatch
):
    lines = people_lines()
    lines[600] = lines[600].replace("Road,Town", 'Road,"Town\nHigh Wycombe"')  # one record, two lines
    path = write(tmp_path / "in.csv", lines)
    inside = len("\n".join(lines[:600]).encode()) + 1 + lines[600].index("\n") + 1
    assert line_at(path, inside) == 602  # the second line of the record on line 601
    monkeypatch.setattr(batch, "_read_split", lambda path: inside)
    split = run(path, tmp_path, 2, "split")
    monkeypatch.setattr(batch, "_MIN_SPLIT_BYTES", 1 << 40)
    assert split == run(path, tmp_path, 1)  # records, output and warnings (counted once)


def test_a_reader_worker_that_dies_stops_the_run_and_writes_nothing(tmp_path, split_small_files, monkeypatch):
    monkeypatch.setattr(batch, "_send_part", lambda *args: os._exit(3))
    out = tmp_path / "out.csv"
    with pytest.raises(RuntimeError, match="reader worker failed with exit code 3"):
        match_file(write(tmp_path / "in.csv", people_lines()), out, progress=None, workers=2)
    assert not out.exists()


def test_one_worker_reads_alone(tmp_path, split_small_files, monkeypatch):
    def refused(*args):
        raise AssertionError("no reader worker with --workers 1")

    monkeypatch.setattr(batch, "_ReaderWorker", refused)
    report = match_file(
        write(tmp_path / "in.csv", people_lines()), tmp_path / "o.csv", progress=None, workers=1
    )
    assert report.records == 1200


def test_flask_match_file_names_the_line_of_a_fault_in_the_worker_s_part(runner, tmp_path, split_small_files):
    lines = people_lines()
    lines[1150] = "R01150,AV,Asif,Khan,1980-01-01,1 Road,Town,HP13 6AB"
    path = write(tmp_path / "in.csv", lines)
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["match-file", str(path), str(out), "--workers", "2"])
    assert result.exit_code != 0
    assert "line 1151: expected 9 fields as in the header, found 8" in result.output, result.output
    assert not out.exists()
