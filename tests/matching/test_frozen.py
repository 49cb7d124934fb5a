"""match-file builds its parsed licence numbers without the frozen dataclass's __init__
(licensing.matching.frozen): what it builds must be what __init__ makes."""

from dataclasses import dataclass, field, fields

import pytest

from licensing.matching.frozen import slot_builder
from licensing.matching.identifiers import DvlaNumber, parse_normalised_dvla_number
from licensing.matching.records import MatchRecord, prepare_row


def _same(one, other):
    assert type(one) is type(other)
    assert one == other and hash(one) == hash(other)
    assert all(getattr(one, f.name) == getattr(other, f.name) for f in fields(one))


def test_a_built_record_is_the_one_init_makes_defaults_included():
    build = slot_builder(MatchRecord)
    _same(build("R1"), MatchRecord("R1"))
    _same(
        build("R2", source="WDC", forenames="Asif", postcodes=("HP13 6AB",)),
        MatchRecord("R2", source="WDC", forenames="Asif", postcodes=("HP13 6AB",)),
    )
    with pytest.raises(TypeError):
        build()  # the id has no default, as in __init__


def test_a_row_s_licence_number_is_the_one_init_makes():
    p = prepare_row("R1", "Harjit", "Bassi", "", "", "", "", "", "BASSI752184H995I")
    parts = dict(
        number="BASSI752184H995I", surname_stem="BASSI", decade=7, month=2, sex="F", day=18, year_digit=4,
        initials="H9", arbitrary="9", check="5I",
    )  # fmt: skip
    _same(parse_normalised_dvla_number("BASSI752184H995I", strict=False), DvlaNumber(**parts))
    _same(p.dl_parsed, DvlaNumber(**parts))


def test_a_built_object_stays_frozen():
    with pytest.raises(AttributeError):
        slot_builder(MatchRecord)("R1").surname = "Khan"


def test_classes_that_need_their_own_init_are_refused():
    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self):
            raise ValueError

    @dataclass(frozen=True, slots=True)
    class Listed:
        values: list = field(default_factory=list)

    @dataclass(frozen=True)
    class Unslotted:
        value: int

    for cls in (Checked, Listed, Unslotted):
        with pytest.raises(TypeError):
            slot_builder(cls)
