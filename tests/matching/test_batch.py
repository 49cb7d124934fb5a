"""match_file end to end: pairs found, structural faults stop it with the line, no output on error."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from licensing.matching import BatchError, match_file

REPO = Path(__file__).resolve().parents[2]
HEADER = "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance"

GOOD = [
    HEADER + ",driving_licence_number,notes",
    # one person across two councils: NI agrees, Mohd ~ Muhammad
    "AV-1,AV,Mohd Asif,Khan,1980-03-05,12 High St,Wycombe,HP13 6AB,AB123456C,,",
    "WY-7,WY,Muhammad Asif,Khan,1980-03-05,12 High Street,Wycombe,HP136AB,AB 12 34 56 C,,x",
    # a duplicate within one source: licence number agrees, DOB transposed
    "AV-2,AV,Sarah,Morgan,1976-03-11,1 Park Rd,Amersham,HP6 5AA,,MORGA753116SM9IJ,",
    "AV-3,AV,Sarah Jane,Morgan,1976-11-03,1 Park Road,Amersham,HP6 5AA,,MORGA753116SM9IJ,",
    # same common name and DOB, different NI: two different men
    "CH-1,CH,Muhammad,Hussain,1975-01-01,3 Mill Lane,Chesham,HP5 1AA,JK654321A,,",
    "SB-1,SB,Mohammed,Hussain,1975-01-01,3 Mill Lane,Chesham,HP5 1AA,CE112233B,,",
    # names alone: same name and postcode, no DOB or identifiers
    "CH-2,CH,Tariq,Mahmood,,9 Hill Rd,Chesham,HP5 2BB,,,",
    "SB-2,SB,Tariq,Mahmood,,9 Hill Rd,Chesham,HP5 2BB,,,",
    # messy values: a non-date DOB, kept as text, agrees as text; bad NI counted
    "WY-3,WY,Zbigniew,Kowalczyk,19551192,4 Oak Way,Wycombe,HP11 1ZZ,NOTANI,,",
    "CC-3,CC,Zbigniew,Kowalczyk,19551192,4 Oak Way,Wycombe,HP11 1ZZ,,,",
    "",
]
EXPECTED = [("AV-1", "WY-7"), ("AV-2", "AV-3"), ("CC-3", "WY-3")]


def write(path: Path, lines, encoding="utf-8", bom=False):
    data = "\n".join(lines).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def read_output(path: Path):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id_a", "id_b", "score"]
    return rows[1:]


def test_match_file_finds_pairs_within_and_across_sources(tmp_path):
    src = write(tmp_path / "in.csv", GOOD, bom=True)
    out = tmp_path / "out.csv"
    progress = io.StringIO()
    report = match_file(src, out, progress=progress)
    rows = read_output(out)
    assert [(a, b) for a, b, _ in rows] == EXPECTED
    for a, b, score in rows:
        assert a < b
        assert 0.999 <= float(score) <= 1.0
        assert len(score.split(".")[1]) == 6
    assert report.records == 10
    assert report.links == 3
    assert report.warnings == {"date_of_birth_not_iso": 2, "national_insurance_invalid": 1}
    assert "\r" in progress.getvalue()


def test_column_order_may_vary(tmp_path):
    rows = list(csv.reader(io.StringIO("\n".join(GOOD[:5]))))
    order = [8, 0, 3, 2, 1, 4, 7, 6, 5, 9]
    lines = [",".join(row[i] for i in order) for row in rows]
    out = tmp_path / "out.csv"
    match_file(write(tmp_path / "in.csv", lines), out, progress=None)
    assert [(a, b) for a, b, _ in read_output(out)] == EXPECTED[:2]


def test_command_line_module(tmp_path):
    src = write(tmp_path / "in.csv", GOOD)
    out = tmp_path / "out.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "licensing.matching.batch", str(src), str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert [(a, b) for a, b, _ in read_output(out)] == EXPECTED
    assert "3 links" in proc.stderr


def test_command_line_reports_structural_error_and_writes_nothing(tmp_path):
    src = write(tmp_path / "in.csv", [HEADER, "1,AV,A,B,,,,,", "1,AV,A,B,,,,,"])
    out = tmp_path / "out.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "licensing.matching.batch", str(src), str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert proc.returncode == 2
    assert "line 3" in proc.stderr and "duplicate record_id" in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "description, content, line, words",
    [
        ("empty file", b"", 1, "empty"),
        (
            "header missing a column",
            b"record_id,source,forenames,surname,date_of_birth,address_line,town,postcode\n1,AV,A,B,,,,\n",
            1,
            "national_insurance",
        ),
        ("too few fields", (HEADER + "\n1,AV,A,B,,,,,\n2,AV,A,B,,,,\n").encode(), 3, "expected 9 fields"),
        ("too many fields", (HEADER + "\n1,AV,A,B,,,,,\n2,AV,A,B,,,,,,extra\n").encode(), 3, "found 10"),
        ("blank record_id", (HEADER + "\n1,AV,A,B,,,,,\n ,AV,A,B,,,,,\n").encode(), 3, "record_id is blank"),
        (
            "duplicate record_id",
            (HEADER + "\n1,AV,A,B,,,,,\n2,AV,A,B,,,,,\n1,AV,C,D,,,,,\n").encode(),
            4,
            "first on line 2",
        ),
        ("not UTF-8", (HEADER + "\n1,AV,A,B,,,,,\n2,AV,Jos\xe9,B,,,,,\n").encode("latin-1"), 3, "CSV UTF-8"),
        (
            "field over the csv limit",
            (HEADER + '\n1,AV,A,B,,,,,\n2,AV,"' + "x" * 200_000 + '",B,,,,,\n').encode(),
            3,
            "field larger",
        ),
        ("duplicate column", (HEADER + ",surname\n1,AV,A,B,,,,,,B\n").encode(), 1, "appears twice"),
    ],
)
def test_structural_faults_stop_with_the_line_and_write_no_output(
    tmp_path, description, content, line, words
):
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    out = tmp_path / "out.csv"
    with pytest.raises(BatchError) as caught:
        match_file(src, out, progress=None)
    assert caught.value.line == line, description
    assert str(caught.value).startswith(f"line {line}:")
    assert words in str(caught.value), description
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]  # no temporary file left behind


def test_existing_output_is_untouched_on_error(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("previous run\n")
    src = write(tmp_path / "in.csv", [HEADER, "1,AV,A,B,,,,,", ",AV,A,B,,,,,"])
    with pytest.raises(BatchError):
        match_file(src, out, progress=None)
    assert out.read_text() == "previous run\n"


def test_messy_values_are_counted_not_fatal(tmp_path):
    lines = [
        HEADER + ",driving_licence_number",
        "1,AV,A,B,19551192,x,y,NOT A POSTCODE,ZZ123456A,BAD",
        "2,AV,A,B,31/02/1980,x,y,HP13 6AB,AB123456C,MORGA753116SM9IJ",
        "3,AV,A,B,,x,y,,,",
    ]
    out = tmp_path / "out.csv"
    report = match_file(write(tmp_path / "in.csv", lines), out, progress=None)
    assert report.records == 3
    assert report.warnings == {
        "date_of_birth_not_iso": 2,
        "national_insurance_invalid": 1,
        "postcode_invalid": 1,
        "driving_licence_invalid": 1,
    }
    assert read_output(out) == []


def larger_synthetic_file(tmp_path: Path) -> Path:
    lines = [HEADER]
    for i in range(3000):
        person = i // 2
        fore = ("Muhammad", "Mohd")[i % 2] + " " + ("Asif", "Tariq", "Imran", "Zahid")[person % 4]
        dob = f"19{50 + person % 50}-{1 + person % 12:02d}-{1 + person % 28:02d}"
        ni = f"AB{person:06d}C" if i % 2 == 0 or person % 3 else ""
        lines.append(f"R{i:05d},AV,{fore},Khan,{dob},1 Road,Town,HP13 6AB,{ni}")
    return write(tmp_path / "in.csv", lines)


def test_larger_synthetic_file_uses_two_workers_and_agrees_with_one(tmp_path):
    src = larger_synthetic_file(tmp_path)
    outputs = {}
    for workers in (1, 2, 3):
        out, review = tmp_path / f"links{workers}.csv", tmp_path / f"review{workers}.csv"
        report = match_file(src, out, progress=None, workers=workers, review_path=review)
        counts = (report.links, report.reviews, report.candidate_pairs)
        outputs[workers] = (out.read_bytes(), review.read_bytes(), counts)
    assert outputs[1] == outputs[2] == outputs[3]
    assert outputs[1][1].count(b"\n") > 1  # the review file holds pairs too
    one = tmp_path / "links1.csv"
    pairs = {(a, b) for a, b, _ in read_output(one)}
    assert ("R00002", "R00003") in pairs  # NI on both
    assert len(pairs) == 1000  # every person with NI on both records; DOB + "Khan" alone is too weak
    assert all(int(a[1:]) // 2 == int(b[1:]) // 2 for a, b in pairs)  # no false links


def test_each_worker_scores_one_run_of_the_sorted_pairs_so_a_later_worker_reads_no_earlier_record(
    tmp_path, monkeypatch
):
    # Copy-on-write: a worker copies the pages of every record it reads, so the runs must not interleave.
    from licensing.matching import batch

    real = batch._score_range

    def spy(prepared, pairs, *args):
        (tmp_path / f"run{os.getpid()}-{len(pairs)}.txt").write_text(
            " ".join(map(str, batch._split(pairs)[0].tolist())), encoding="ascii"
        )
        return real(prepared, pairs, *args)

    monkeypatch.setattr(batch, "_score_range", spy)
    report = match_file(larger_synthetic_file(tmp_path), tmp_path / "out.csv", progress=None, workers=3)
    runs = [[int(x) for x in p.read_text(encoding="ascii").split()] for p in tmp_path.glob("run*.txt")]
    assert len(runs) == 3 and sum(map(len, runs)) == report.candidate_pairs
    assert max(map(len, runs)) - min(map(len, runs)) <= 1  # equal shares
    runs.sort(key=min)
    for earlier, later in zip(runs, runs[1:], strict=False):
        assert max(earlier) <= min(later)


def test_key_workers_gather_the_keys_of_the_later_records_while_the_main_process_counts_names(
    tmp_path, monkeypatch
):
    from licensing.matching import batch

    real = batch._FileKeys.gather

    def spy(self, prepared, start, stop):
        (tmp_path / f"keys{os.getpid()}-{start}.txt").write_text(f"{start} {stop}", encoding="ascii")
        return real(self, prepared, start, stop)

    monkeypatch.setattr(batch._FileKeys, "gather", spy)
    report = match_file(larger_synthetic_file(tmp_path), tmp_path / "out.csv", progress=None, workers=3)
    runs = {}
    for p in tmp_path.glob("keys*.txt"):
        start, stop = map(int, p.read_text(encoding="ascii").split())
        runs[start] = (stop, int(p.name[4:].split("-")[0]))
    starts = sorted(runs)
    assert starts[0] == 0 and len(starts) == 3  # one run a process, in order, covering the file
    assert [runs[s][0] for s in starts] == starts[1:] + [report.records]
    assert runs[0][1] == os.getpid()
    assert len({pid for _, pid in runs.values()}) == 3  # the later runs in two forked workers
    assert runs[starts[1]][0] - starts[1] > starts[1]  # the main process's run is the smaller


def test_a_key_worker_that_fails_stops_the_run_and_writes_nothing(tmp_path, monkeypatch):
    from licensing.matching import batch

    real = batch._FileKeys.gather

    def failing(self, prepared, start, stop):
        if start > 0:  # only in the forked key worker
            os._exit(3)
        return real(self, prepared, start, stop)

    monkeypatch.setattr(batch._FileKeys, "gather", failing)
    out = tmp_path / "out.csv"
    with pytest.raises(RuntimeError, match="exit code 3"):
        match_file(larger_synthetic_file(tmp_path), out, progress=None, workers=2)
    assert not out.exists()


def test_thorough_keys_gathered_by_workers_give_the_pairs_of_one_process(tmp_path):
    src = larger_synthetic_file(tmp_path)
    outputs = []
    for workers in (1, 2, 3):
        out, review = tmp_path / f"links{workers}.csv", tmp_path / f"review{workers}.csv"
        report = match_file(src, out, progress=None, workers=workers, review_path=review, thorough=True)
        outputs.append((out.read_bytes(), review.read_bytes(), report.candidate_pairs))
    assert outputs[0] == outputs[1] == outputs[2]


def test_the_row_caches_are_emptied_once_the_file_is_read(tmp_path):
    # Later phases never read them; at 1,000,000 records they are memory the scoring workers would share.
    from licensing.matching import records

    match_file(write(tmp_path / "in.csv", GOOD), tmp_path / "out.csv", progress=None)
    assert not records._names_by_text and not records._licences
    assert records._street.cache_info().currsize == 0


def test_the_free_heap_is_handed_back_before_each_fork_of_workers(tmp_path, monkeypatch):
    from licensing.matching import batch

    calls = []
    monkeypatch.setattr(batch, "_release_free_heap", lambda: calls.append(os.getpid()))
    src = write(tmp_path / "in.csv", GOOD)
    match_file(src, tmp_path / "one.csv", progress=None, workers=1)
    assert calls == []
    match_file(src, tmp_path / "two.csv", progress=None, workers=2)
    assert calls == [os.getpid()] * 2  # before the key workers fork, and before the scoring workers
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()


def test_the_command_line_entry_writes_complete_output_and_skips_the_interpreter_teardown(tmp_path):
    # An atexit hook stands for the teardown (freeing every cached object): it must not run, and the
    # output and the report on stderr must be whole.
    src = larger_synthetic_file(tmp_path)
    out, review = tmp_path / "cli.csv", tmp_path / "cli_review.csv"
    script = (
        "import atexit, runpy, sys; atexit.register(lambda: print('torn down', file=sys.stderr)); "
        f"sys.argv = ['batch', {str(src)!r}, {str(out)!r}, '--review', {str(review)!r}, '--quiet']; "
        "runpy.run_module('licensing.matching.batch', run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "torn down" not in done.stderr
    assert "Auto-linked: 1,000 pairs." in done.stderr
    match_file(src, tmp_path / "lib.csv", progress=None, review_path=tmp_path / "lib_review.csv")
    assert out.read_bytes() == (tmp_path / "lib.csv").read_bytes()
    assert review.read_bytes() == (tmp_path / "lib_review.csv").read_bytes()


def test_output_rows_are_sorted_by_the_first_id_then_the_second(tmp_path):
    ids = ["P1", "P", "Q", "P-2", "O9"]  # one id a prefix of another; the second id decides within "P"
    lines = [HEADER] + [
        f"{rid},AV,Mohd Asif,Khan,1980-03-05,12 High St,Wycombe,HP13 6AB,AB123456C" for rid in ids
    ]
    out = tmp_path / "out.csv"
    match_file(write(tmp_path / "in.csv", lines), out, progress=None)
    pairs = [(a, b) for a, b, _ in read_output(out)]
    assert len(pairs) == 10  # every pair of the five records: one person
    assert all(a < b for a, b in pairs)
    assert pairs == sorted(pairs)


def test_the_report_gives_wall_seconds_beside_cpu_seconds_per_phase_and_the_waits_for_workers(tmp_path):
    # The bench prints both: wall beyond CPU in a phase is time off the CPU (waiting for a worker).
    src = larger_synthetic_file(tmp_path)
    one = match_file(src, tmp_path / "one.csv", progress=None, workers=1)
    two = match_file(src, tmp_path / "two.csv", progress=None, workers=2)
    assert list(one.phase_wall) == list(one.phase_cpu)
    assert "keys" in one.phase_wall and "keys wait" not in one.phase_wall
    assert list(two.phase_wall) == list(two.phase_cpu)
    assert {"keys wait", "scoring wait"} <= set(two.phase_wall)
    assert all(seconds >= 0 for seconds in two.phase_wall.values())
    assert sum(two.phase_wall.values()) <= two.seconds
    # The workers' CPU beside it: whether a worker's share costs more than the main process's.
    assert one.worker_cpu == {}
    assert list(two.worker_cpu) == ["keys", "scoring"] and all(v > 0 for v in two.worker_cpu.values())


def test_a_key_worker_counts_the_identifiers_for_the_estimate_while_the_main_process_makes_the_pairs(
    tmp_path, monkeypatch
):
    # The counts need the records, not the pairs: the second core makes them while this process blocks.
    from licensing.matching import batch

    real, counted = batch._identifier_counts, []

    def spy(prepared):
        (tmp_path / f"counted-{os.getpid()}.txt").write_text("", encoding="ascii")
        return real(prepared)

    monkeypatch.setattr(batch, "_identifier_counts", spy)
    src = larger_synthetic_file(tmp_path)
    for workers in (1, 2):
        report = match_file(src, tmp_path / f"out{workers}.csv", progress=None, workers=workers)
        counted.append([int(p.stem.split("-")[1]) for p in tmp_path.glob("counted-*.txt")])
        for p in tmp_path.glob("counted-*.txt"):
            p.unlink()
        assert report.estimated_match_rate is not None
    assert counted[0] == [os.getpid()]
    assert len(counted[1]) == 1 and counted[1] != [os.getpid()]
    assert (tmp_path / "out1.csv").read_bytes() == (tmp_path / "out2.csv").read_bytes()


def test_a_key_worker_that_fails_after_sending_its_keys_stops_the_run_and_writes_nothing(
    tmp_path, monkeypatch
):
    from licensing.matching import batch

    real, mine = batch._identifier_counts, os.getpid()

    def failing(prepared):
        if os.getpid() != mine:
            os._exit(5)
        return real(prepared)

    monkeypatch.setattr(batch, "_identifier_counts", failing)
    out = tmp_path / "out.csv"
    with pytest.raises(RuntimeError, match="exit code 5"):
        match_file(larger_synthetic_file(tmp_path), out, progress=None, workers=2)
    assert not out.exists()
