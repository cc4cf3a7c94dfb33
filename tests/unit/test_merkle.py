"""The checkpoint's Merkle root: a pairwise tree whose odd levels repeat their last node."""

from __future__ import annotations

import hashlib

import pytest

from infra.eventstore.audit import merkle_root


def by_the_book(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = leaves
    while len(level) > 1:
        if len(level) % 2:
            level = [*level, level[-1]]
        level = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level), 2)
        ]
    return level[0]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 5, 7, 8, 9, 33])
def test_the_packed_root_is_the_tree_by_the_book(count: int) -> None:
    leaves = [hashlib.sha256(str(n).encode()).digest() for n in range(count)]
    assert merkle_root(leaves) == by_the_book(leaves)
