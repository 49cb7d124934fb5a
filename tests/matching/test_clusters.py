"""match_file joins its automatic links into people: pairs implied through others are written, a conflict
across two groups keeps them apart."""

import csv
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from licensing.matching import match_file
from licensing.matching.batch import BatchError
from licensing.matching.score import DEFAULT_SETTINGS

HEADER = (
    "record_id,source,forenames,surname,date_of_birth,address_line,town,postcode,national_insurance,"
    "driving_licence_number"
)


# Unrelated people, so that names and postcodes in the pairs under test are not the file's commonest.
FILLER = [
    f"F{i},FL,{fore},{sur},19{50 + i % 40}-0{1 + i % 9}-1{i % 10},{i} Elm Rd,Wycombe,HP1{i % 10} {i % 9}AB,,"
    for i, (fore, sur) in enumerate(
        (f, s)
        for f in ("Adam", "Bilal", "Carol", "Dawn", "Emil", "Farid", "Grace", "Hamza")
        for s in ("Baker", "Patel", "Quinn", "Rahman", "Stone", "Turner")
    )
]


def run(tmp_path: Path, lines: list[str]):
    src = tmp_path / "in.csv"
    src.write_text("\n".join([HEADER, *lines, *FILLER]) + "\n", encoding="utf-8")
    out, review = tmp_path / "out.csv", tmp_path / "review.csv"
    # A small file makes every name common; a lower threshold keeps these tests about the clustering.
    settings = replace(DEFAULT_SETTINGS, auto_link_threshold=0.99)
    report = match_file(src, out, settings=settings, progress=None, review_path=review, estimate=False)
    with open(out, encoding="utf-8", newline="") as fh:
        links = {(r["id_a"], r["id_b"]) for r in csv.DictReader(fh)}
    with open(review, encoding="utf-8", newline="") as fh:
        reviews = {(r["id_a"], r["id_b"]) for r in csv.DictReader(fh)}
    return report, links, reviews


def test_a_pair_linked_through_a_third_record_is_written(tmp_path):
    report, links, reviews = run(
        tmp_path,
        [
            # A and B: same NI number; B and C: same licence number; A and C share neither
            "A,AV,Sarah,Morgan,1976-03-11,1 Park Rd,Amersham,HP6 5AA,AB123456C,",
            "B,WY,Sarah,Morgan,1976-03-11,,,,AB123456C,MORGA753116SM9IJ",
            "C,CH,S,Morgan,1976-11-03,,,,,MORGA753116SM9IJ",
        ],
    )
    assert {("A", "B"), ("B", "C")} <= links
    assert ("A", "C") in links
    assert report.implied_links == 1
    assert ("A", "C") not in reviews


def test_no_pair_is_implied_across_a_contradiction(tmp_path):
    report, links, _ = run(
        tmp_path,
        [
            # A and B agree on name, birth date and address; B and C on the licence number; but A and C hold
            # two different valid NI numbers: two people, so A and C must not be joined through B.
            "A,AV,Sarah,Morgan,1976-03-11,1 Park Rd,Amersham,HP6 5AA,AB123456C,",
            "B,WY,Sarah,Morgan,1976-03-11,1 Park Road,Amersham,HP6 5AA,,MORGA753116SM9IJ",
            "C,CH,Sarah,Morgan,1976-03-11,,,,CE112233B,MORGA753116SM9IJ",
        ],
    )
    assert ("A", "C") not in links
    assert report.implied_links == 0


def test_clusters_can_be_turned_off(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(
        "\n".join(
            [
                HEADER,
                "A,AV,Sarah,Morgan,1976-03-11,1 Park Rd,Amersham,HP6 5AA,AB123456C,",
                "B,WY,Sarah,Morgan,1976-03-11,,,,AB123456C,MORGA753116SM9IJ",
                "C,CH,S,Morgan,1976-11-03,,,,,MORGA753116SM9IJ",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    report = match_file(src, tmp_path / "out.csv", progress=None, estimate=False, clusters=False)
    assert report.implied_links == 0


@pytest.fixture
def assessed(monkeypatch) -> list[tuple[str, str]]:
    """The pairs Scorer.assess is asked about (with estimate=False only the clusters call it)."""
    from licensing.matching.score import Scorer

    pairs = []
    original = Scorer.assess

    def counting(self, pa, pb):
        pairs.append(tuple(sorted((pa.record_id, pb.record_id))))
        return original(self, pa, pb)

    monkeypatch.setattr(Scorer, "assess", counting)
    return pairs


def test_two_groups_kept_apart_are_not_assessed_again_for_each_link_between_them(tmp_path, assessed):
    report, links, _ = run(
        tmp_path,
        [
            # One NI number on all four. {A, B} share an address, {C, D} another address and a licence number:
            # the strongest links. B has no licence number, so two links (B-C, B-D) try to join the groups;
            # A's and C's licence numbers differ in the 14th character only (two people), so neither may.
            "A,AV,Sarah,Morgan,1976-03-11,1 Park Rd,Amersham,HP6 5AA,AB123456C,MORGA753116SM9IJ",
            "B,WY,Sarah,Morgan,1976-03-11,1 Park Rd,Amersham,HP6 5AA,AB123456C,",
            "C,CH,Sarah,Morgan,1976-03-11,9 Mill Lane,Chesham,HP5 1BB,AB123456C,MORGA753116SM8IJ",
            "D,CH,Sarah,Morgan,1976-03-11,9 Mill Lane,Chesham,HP5 1BB,AB123456C,MORGA753116SM8IJ",
        ],
    )
    assert {("A", "B"), ("C", "D"), ("B", "C"), ("B", "D")} <= links
    assert ("A", "C") not in links and ("A", "D") not in links
    assert report.implied_links == 0
    assert ("A", "C") in assessed
    assert max(Counter(assessed).values()) == 1  # each pair across the two groups worked out once


def test_match_file_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    import gc

    src = tmp_path / "in.csv"
    src.write_text("\n".join([HEADER, *FILLER]) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\nX,AV,Ann,Lee\n", encoding="utf-8")
    assert gc.isenabled()
    match_file(src, tmp_path / "out.csv", progress=None)
    assert gc.isenabled()
    with pytest.raises(BatchError):
        match_file(bad, tmp_path / "out2.csv", progress=None)
    assert gc.isenabled()
    gc.disable()
    try:
        match_file(src, tmp_path / "out3.csv", progress=None)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_links_between_two_groups_are_judged_by_the_weight_scoring_found_not_assessed_again(
    tmp_path, assessed
):
    three = [
        # One person three times: every pair of the three links directly.
        "A,AV,Sarah,Morgan,1976-03-11,1 Park Rd,Amersham,HP6 5AA,AB123456C,MORGA753116SM9IJ",
        "B,WY,Sarah,Morgan,1976-03-11,1 Park Rd,Amersham,HP6 5AA,AB123456C,MORGA753116SM9IJ",
        "C,CH,Sarah,Morgan,1976-03-11,1 Park Rd,Amersham,HP6 5AA,AB123456C,MORGA753116SM9IJ",
    ]
    report, links, _ = run(tmp_path, three)
    assert {("A", "B"), ("A", "C"), ("B", "C")} <= links
    assert report.implied_links == 0
    assert not [pair for pair in assessed if set(pair) <= {"A", "B", "C"}]
