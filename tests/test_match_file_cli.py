"""`flask match-file` through the CLI: pairs out, structural faults stop it with the line, messy values
warn."""

import csv

HEADER = "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance,driving_licence_number\n"  # noqa: E501
ROWS = [
    "r1,WDC,Muhammad Asif,Khan,1979-03-04,1 High St,High Wycombe,HP11 2BZ,JT123456A,KHAN9703049MA9AB",
    "r2,CDC,Mohd Asif,Khan,1979-04-03,9 Hill Rd,Amersham,HP6 5AB,JT123456A,",
    "r3,WDC,Mohammed,Khan,1980-01-01,3 Low Rd,Marlow,SL7 1AA,NP654321B,",
    "r4,WDC,Mohammed,Khan,1980-01-01,3 Low Rd,Marlow,SL7 1AA,NP654321B,",
    "r5,AVDC,Stephen,Jones,19551192,4 Vale Rd,Aylesbury,HP20 1AA,bad ni,",
]


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_match_file_finds_pairs_across_and_within_sources(runner, tmp_path):
    source = _write(tmp_path / "in.csv", HEADER + "\n".join(ROWS) + "\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["match-file", source, str(out)])
    assert result.exit_code == 0, result.output
    pairs = {(row["id_a"], row["id_b"]) for row in csv.DictReader(out.open())}
    assert pairs == {("r1", "r2"), ("r3", "r4")}
    assert all(float(row["score"]) >= 0.999 for row in csv.DictReader(out.open()))


def test_structural_fault_names_the_line_and_writes_nothing(runner, tmp_path):
    out = tmp_path / "out.csv"
    cases = {
        "missing column": ("record_id,source,forenames\nr1,WDC,A\n", "surname"),
        "wrong field count": (HEADER + ROWS[0] + "\nr2,CDC,too,few\n", "line 3"),
        "blank id": (HEADER + ROWS[0] + "\n" + "," + ROWS[1].split(",", 1)[1] + "\n", "line 3"),
        "duplicate id": (HEADER + ROWS[0] + "\n" + ROWS[0] + "\n", "line 3"),
    }
    for name, (text, expected) in cases.items():
        result = runner.invoke(args=["match-file", _write(tmp_path / f"{name}.csv", text), str(out)])
        assert result.exit_code != 0, name
        assert expected in result.output, (name, result.output)
        assert not out.exists(), name


def test_messy_values_are_counted_not_fatal(runner, tmp_path):
    source = _write(tmp_path / "in.csv", HEADER + "\n".join(ROWS) + "\n")
    result = runner.invoke(args=["match-file", source, str(tmp_path / "out.csv")])
    assert result.exit_code == 0
    assert "date_of_birth_not_iso: 1" in result.output and "national_insurance_invalid: 1" in result.output


def test_review_file_holds_the_doubtful_pairs_and_the_summary_counts_both(runner, tmp_path):
    rows = ROWS + [
        # Same name and date of birth, nothing else to tell them apart: an officer decides.
        "r6,WDC,Imran,Qureshi,1979-03-14,1 Mill Lane,Chesham,HP5 1AA,,",
        "r7,CDC,Imran,Qureshi,1979-03-14,7 Oak Way,Marlow,SL7 2BB,,",
    ]
    source = _write(tmp_path / "in.csv", HEADER + "\n".join(rows) + "\n")
    out, review = tmp_path / "out.csv", tmp_path / "review.csv"
    result = runner.invoke(args=["match-file", source, str(out), "--review", str(review)])
    assert result.exit_code == 0, result.output
    linked = {(row["id_a"], row["id_b"]) for row in csv.DictReader(out.open())}
    doubtful = list(csv.DictReader(review.open()))
    assert linked == {("r1", "r2"), ("r3", "r4")}
    assert [(row["id_a"], row["id_b"]) for row in doubtful] == [("r6", "r7")]
    assert doubtful[0]["reason"].startswith("Review")
    assert f"Auto-linked: 2 pairs. Sent to review: 1 pair (written to {review})." in result.output


def test_pairs_joined_through_another_record_are_written_unless_pairs_only(runner, tmp_path):
    # r6 shares r1's licence number; r2 shares r1's NI number; r2 and r6 share neither
    r6 = "r6,SBDC,Muhammad,Khan,1979-03-04,,,,,KHAN9703049MA9AB"
    source = _write(tmp_path / "in.csv", HEADER + "\n".join(ROWS[:2] + [r6]) + "\n")
    joined, direct = tmp_path / "joined.csv", tmp_path / "direct.csv"
    result = runner.invoke(args=["match-file", source, str(joined)])
    assert result.exit_code == 0, result.output
    assert "1 of them through other links" in result.output
    result = runner.invoke(args=["match-file", source, str(direct), "--pairs-only"])
    assert result.exit_code == 0, result.output
    pairs = {(row["id_a"], row["id_b"]) for row in csv.DictReader(joined.open())}
    assert pairs == {("r1", "r2"), ("r1", "r6"), ("r2", "r6")}
    assert {(row["id_a"], row["id_b"]) for row in csv.DictReader(direct.open())} == {
        ("r1", "r2"),
        ("r1", "r6"),
    }


def test_two_workers_write_what_one_process_writes(runner, tmp_path):
    rows = [
        f"w{i},WDC,{('Muhammad', 'Mohd')[i % 2]} Asif,Khan,19{50 + i // 2 % 50}-01-0{1 + i // 2 % 9},"
        f"{i // 2} High St,High Wycombe,HP11 2BZ,JT{i // 2:06d}A,"
        for i in range(400)
    ]
    source = _write(tmp_path / "in.csv", HEADER + "\n".join(rows) + "\n")
    outputs = []
    for workers in ("1", "2"):
        out, review = tmp_path / f"out{workers}.csv", tmp_path / f"review{workers}.csv"
        args = ["match-file", source, str(out), "--review", str(review), "--workers", workers]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        outputs.append((out.read_bytes(), review.read_bytes()))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count(b"\n") == 201  # the header and each person's own pair, no namesake linked
    none = runner.invoke(args=["match-file", source, str(tmp_path / "x.csv"), "--workers", "0"])
    assert none.exit_code != 0
