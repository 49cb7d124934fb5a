"""match-file's identity-number deletion keys, made as integers, block as the strings do."""

import random

from licensing.matching import batch


def string_blocks(cores):
    blocks = {}
    for i, core in enumerate(cores):
        if len(core) >= 6:
            for key in {f"idd:{core[:k]}{core[k + 1 :]}" for k in range(len(core))}:
                blocks.setdefault(key, []).append(i)
    return sorted(blocks.values())


def integer_blocks(cores):
    keys, owners = batch._deletion_keys(cores)
    blocks = {}
    for key, owner in zip(keys.tolist(), owners.tolist(), strict=True):
        blocks.setdefault(key, []).append(owner)
    return sorted(blocks.values())


def test_deletion_keys_block_as_the_strings():
    cores = ["AB123456", "AB123465", "AB12345", "AB1234", "XB123456", "AA112233", "A1B2C3", "A1B2C3D", ""]
    rng = random.Random(7)  # noqa: S311  (test data, not security)
    symbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    for _ in range(300):
        core = "".join(rng.choice(symbols[:4] + symbols[26:29]) for _ in range(rng.choice((6, 7, 8))))
        cores.append(core)
    assert integer_blocks(cores) == string_blocks(cores)
    assert any(len(b) > 1 for b in string_blocks(cores))  # the data makes shared keys to test
