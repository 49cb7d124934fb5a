"""KEYING_RULES_VERSION cannot be forgotten: the blocking keys and term counts a register stores for a fixed
set of synthetic records are digested and compared with the digest recorded for the current version. A change
to the code that derives them (normalise, blocking, the search-only keys, frequency terms) changes the digest;
unless the version is raised with it, stored registers would keep stale keys without being told to rebuild."""

import hashlib
import random

import pytest

from licensing.matching import KEYING_RULES_VERSION, MatchRecord, keying_fingerprint
from licensing.matching import blocking as engine_blocking
from licensing.people import identity

# (keying_fingerprint(), digest of the keys and counts below) as recorded together. The fingerprint names
# KEYING_RULES_VERSION and hashes the name tables (an edited table changes it, and needs no raised version).
RECORDED = ("v1:893f0acd4b18b52f", "09f9a40c706f20e8632fec0f3e7778fd499cdda7821129210d184f4582e80aee")

FORENAMES = (
    "Mohammed", "Muhammad", "Mohd.", "Mohammad Asif", "Abdul Rahman", "Abdur Rehman", "Abdulrahman",
    "Abd al-Karim", "Gurpreet", "Harjit", "Manjit", "Ranjit", "Sukhwinder", "John", "Jon", "J", "J. R.",
    "William", "Bill", "Catherine", "Kate", "Siobhan", "Zoë", "Mary-Jane", "Ali", "Hassan", "Hussain",
    "", "Fatima Bibi", "Nasreen Akhtar", "Md", "Sheikh Ahmed",
)
SURNAMES = (
    "Singh", "Kaur", "Singh Grewal", "Kaur Sandhu", "Sandhu", "Grewal", "Khan", "Khan-Yousafzai", "Abdullah",
    "Ul-Haq", "Ul Haq", "O'Neill", "McDonald", "Mac Donald", "Fairweather-Quist", "Smith", "Bibi", "Begum",
    "Van der Berg", "Al-Hassan", "El Amin", "Chaudhry", "Choudhury", "Syed", "Mirza", "Sheikh Ali",
    "Thrussell",
)
POSTCODES = ("HP13 6AB", "hp11 2bz", "SL7 1AA", "HP6 5AB", "not a postcode", "")


def _records() -> list[MatchRecord]:
    """Synthetic records from a fixed seed: every name form above, blank and unparsed birth dates, aliases,
    initials, identifiers valid and not."""
    rng = random.Random(20261130)  # noqa: S311 (synthetic data, fixed seed)
    records = []
    for i in range(400):
        iso = f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        dob = rng.choice(("", "12/04/1990", "1990-13-45", iso, iso))
        surname = rng.choice(SURNAMES)
        aliases = rng.randint(0, 2)
        other_names = tuple(f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}" for _ in range(aliases))
        postcodes = tuple(rng.choice(POSTCODES) for _ in range(rng.randint(0, 2)))
        records.append(
            MatchRecord(
                record_id=str(i),
                forenames=rng.choice(FORENAMES),
                surname=surname,
                other_names=other_names,
                date_of_birth=dob,
                sex=rng.choice(("M", "F", "")),
                postcodes=postcodes,
                address_lines=tuple(f"{rng.randint(1, 99)} High Street" for _ in postcodes),
                national_insurance=rng.choice(
                    ("", f"JT{rng.randint(100000, 999999)}A", f"{rng.randint(10**6, 10**7)}")
                ),
                driving_licence_number=rng.choice(("", "KHAN9703049MA9AB", "SMITH904120J99AB", "BAD")),
            )
        )
    return records


def _digest() -> str:
    digest = hashlib.sha256()
    for record in _records():
        digest.update("\x1f".join(sorted(identity.record_keys(record))).encode() + b"\x1e")
        terms = sorted(identity.frequency_terms(record))
        digest.update("\x1f".join(f"{kind}:{term}" for kind, term in terms).encode() + b"\x1d")
    return digest.hexdigest()


def test_the_keys_and_counts_are_those_recorded_for_the_keying_rules_version():
    recorded_fingerprint, recorded_digest = RECORDED
    fingerprint, digest = keying_fingerprint(), _digest()
    if fingerprint == recorded_fingerprint:
        assert digest == recorded_digest, (
            "The keys or term counts the register stores for some records changed under the same keying "
            f"rules version: raise KEYING_RULES_VERSION (now {KEYING_RULES_VERSION}) in "
            "licensing/matching/keying.py, then re-record RECORDED in this test with the new fingerprint and "
            "this digest: "
            f'"{digest}"'
        )
    else:
        assert (fingerprint, digest) == RECORDED, (
            "The keying rules changed (version or name tables): re-record RECORDED in this test as "
            f'("{fingerprint}", "{digest}")'
        )


@pytest.mark.parametrize(
    "module, function, changed",
    [
        # a search-only key rule: one surname key kept of several
        (identity, "surname_keys", lambda original: lambda r: set(sorted(original(r))[:1])),
        # an engine blocking rule: the birth year read one year later
        (engine_blocking, "_year", lambda original: lambda p: original(p) and str(int(original(p)) + 1)),
    ],
)
def test_a_changed_key_rule_changes_the_digest(monkeypatch, module, function, changed):
    before = _digest()
    monkeypatch.setattr(module, function, changed(getattr(module, function)))
    assert _digest() != before
