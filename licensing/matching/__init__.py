"""Identity matching engine: pure Python (no Flask, no SQLAlchemy), after Splink's pipeline.

identifiers (DVLA, NI, postcodes) -> normalise (names) -> blocking (candidate keys) ->
compare (one level per field) -> score (Fellegi-Sunter weights, decision, explanation) ->
em (m and u estimated from the file or register being matched); batch runs the lot over a CSV file.
"""

from .blocking import blocking_keys, link_keys, query_keys
from .compare import (
    compare_address,
    compare_dl,
    compare_dob,
    compare_names,
    compare_ni,
    compare_sex,
    name_count_lookups,
)
from .em import estimate_parameters_em
from .frequencies import CountedFrequencies, NameFrequencies, UniformFrequencies
from .identifiers import (
    DvlaNumber,
    dvla_consistent_with,
    is_valid_dvla_number,
    is_valid_ni,
    is_valid_postcode,
    normalise_dvla_number,
    normalise_ni,
    normalise_postcode,
    parse_dvla_number,
)
from .keying import KEYING_RULES_VERSION, keying_fingerprint
from .normalise import NameForm, clean_text, parse_full_name, parse_name
from .rank import canonical_name, rank_candidates
from .records import MatchRecord, PreparedRecord, prepare
from .score import (
    FieldEvidence,
    MatchResult,
    Scorer,
    match_probability,
    pair_weight,
    score_pair,
    score_prepared,
)
from .settings import DEFAULT_LEVELS, Level, MatchSettings

_BATCH_NAMES = ("BatchError", "BatchReport", "match_file")


def __getattr__(name: str):
    # Imported lazily so `python -m licensing.matching.batch` does not import the module twice.
    if name in _BATCH_NAMES:
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BatchError",
    "BatchReport",
    "CountedFrequencies",
    "DEFAULT_LEVELS",
    "DvlaNumber",
    "FieldEvidence",
    "Level",
    "MatchRecord",
    "MatchResult",
    "MatchSettings",
    "NameForm",
    "NameFrequencies",
    "PreparedRecord",
    "Scorer",
    "UniformFrequencies",
    "blocking_keys",
    "keying_fingerprint",
    "KEYING_RULES_VERSION",
    "canonical_name",
    "clean_text",
    "compare_address",
    "compare_dl",
    "compare_dob",
    "compare_names",
    "compare_ni",
    "compare_sex",
    "dvla_consistent_with",
    "estimate_parameters_em",
    "is_valid_dvla_number",
    "is_valid_ni",
    "is_valid_postcode",
    "link_keys",
    "match_file",
    "match_probability",
    "name_count_lookups",
    "normalise_dvla_number",
    "normalise_ni",
    "normalise_postcode",
    "pair_weight",
    "parse_dvla_number",
    "parse_full_name",
    "parse_name",
    "prepare",
    "query_keys",
    "rank_candidates",
    "score_pair",
    "score_prepared",
]
