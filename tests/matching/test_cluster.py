"""Clustering: links are unioned, but never through a contradiction (no chaining)."""

from licensing.matching import MatchRecord, find_clusters, score_pair

R = MatchRecord


def base(record_id, **fields):
    defaults = dict(forenames="Muhammad Asif", surname="Khan", date_of_birth="1980-03-05", sex="M")
    defaults.update(fields)
    return R(record_id, **defaults)


def edges_for(records, pairs):
    by_id = {r.record_id: r for r in records}
    return [(a, b, score_pair(by_id[a], by_id[b])) for a, b in pairs]


def test_linked_pairs_form_one_cluster():
    records = [
        base("a", national_insurance="AB123456C"),
        base("b", national_insurance="AB123456C", driving_licence_number="KHAN9803055MA9AB"),
        base("c", driving_licence_number="KHAN9803055MA9AB", forenames="Mohd Asif"),
    ]
    edges = edges_for(records, [("a", "b"), ("b", "c")])
    assert all(r.decision == "link" for _, _, r in edges)
    clusters = find_clusters(edges)
    assert [c.record_ids for c in clusters] == [("a", "b", "c")]
    assert not clusters[0].needs_review


def test_no_chaining_through_a_contradiction_given_as_an_edge():
    # a~b share an NI number; b~c share name, DOB and address; but DVLA gave a and c two numbers
    # that differ only in the 14th character: two different people.
    home = dict(postcodes=("HP13 6AB",), address_lines=("12 High St",), surname="Zaheerabadi")
    records = [
        base(
            "a",
            national_insurance="AB123456C",
            driving_licence_number="ZAHEE803055MA8AB",
            surname="Zaheerabadi",
        ),
        base("b", national_insurance="AB123456C", **home),
        base("c", driving_licence_number="ZAHEE803055MA9AB", **home),
    ]
    edges = edges_for(records, [("a", "b"), ("b", "c"), ("a", "c")])
    assert [r.decision for _, _, r in edges] == ["link", "link", "no_link"]
    assert edges[2][2].contradicts
    clusters = find_clusters(edges)
    assert ("a", "b", "c") not in [c.record_ids for c in clusters]
    flagged = [c for c in clusters if c.needs_review]
    assert flagged
    assert any("14th character" in reason for c in flagged for reason in c.reasons)


def test_no_chaining_found_by_scoring_unseen_pairs_when_records_are_given():
    records = [
        base("a", sex="M", national_insurance="AB123456C"),
        base("b", sex="", national_insurance="AB123456C", driving_licence_number="KHAN9803055MA9AB"),
        base("c", sex="F", driving_licence_number="KHAN9803055MA9AB"),
    ]
    edges = edges_for(records, [("a", "b"), ("b", "c")])
    assert all(r.decision == "link" for _, _, r in edges)
    without = find_clusters(edges)
    assert [c.record_ids for c in without] == [("a", "b", "c")]  # nothing known against a~c
    clusters = find_clusters(edges, records={r.record_id: r for r in records})
    assert ("a", "b", "c") not in [c.record_ids for c in clusters]
    assert any(c.needs_review and any("sex" in why for why in c.reasons) for c in clusters)


def test_dobs_clearly_different_block_a_merge():
    records = [
        base("a", national_insurance="AB123456C", date_of_birth="1980-03-05"),
        base(
            "b", national_insurance="AB123456C", driving_licence_number="KHAN9803055MA9AB", date_of_birth=""
        ),
        base("c", driving_licence_number="KHAN9803055MA9AB", date_of_birth="1962-11-30"),
    ]
    edges = edges_for(records, [("a", "b"), ("b", "c"), ("a", "c")])
    clusters = find_clusters(edges)
    assert ("a", "b", "c") not in [c.record_ids for c in clusters]
    assert any(c.needs_review for c in clusters)


def test_non_link_edges_do_not_join():
    records = [base("a"), base("b", forenames="Mohd Asif")]
    edges = edges_for(records, [("a", "b")])
    assert edges[0][2].decision != "link"
    assert find_clusters(edges) == []
