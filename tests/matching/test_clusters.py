"""match_file joins its automatic links into people: pairs implied through others are written, a conflict
across two groups keeps them apart."""

import csv
from dataclasses import replace
from pathlib import Path

from licensing.matching import match_file
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
