"""Tamper evidence for the event store: a hash chain per aggregate, and signed checkpoints.

Every stored event gets a row in `sampark.event_hashes`, written by the recorder in the same
transaction as the event (in SQL, by `infra/eventstore/recording.py`; `event_hash` below is the same
sum): the hash of the previous event of the same aggregate, and its own hash over that, its
id, version, topic and stored state. Editing, deleting or reordering
event rows breaks a chain at the first version touched.

A checkpoint takes the head of every chain, computes a Merkle root over them, and signs it
with an Ed25519 key that lives outside the database. Whoever can rewrite rows and hashes
cannot forge that signature: verification recomputes the root from the chains and checks it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from infra import locks

EVENTS_TABLE = "public.sampark_events"
GENESIS = bytes(32)


def event_hash(
    previous: bytes, originator_id: UUID, version: int, topic: str, state: bytes
) -> bytes:
    digest = hashlib.sha256()
    digest.update(previous)
    digest.update(originator_id.bytes)
    digest.update(version.to_bytes(8, "big"))
    digest.update(len(topic).to_bytes(4, "big"))
    digest.update(topic.encode())
    digest.update(bytes(state))
    return digest.digest()


# --- verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    originator_id: UUID
    events: int
    holds: bool
    first_broken_version: int | None = None
    reason: str | None = None
    head: tuple[int, bytes] | None = None


def verify_chain(conn: psycopg.Connection[Any], originator: UUID) -> ChainReport:
    rows = conn.execute(
        f"SELECT e.originator_version, e.topic, e.state, h.previous_hash, h.event_hash "
        f"FROM {EVENTS_TABLE} e FULL JOIN sampark.event_hashes h "
        "ON h.originator_id = e.originator_id AND h.originator_version = e.originator_version "
        "WHERE e.originator_id = %s OR h.originator_id = %s "
        "ORDER BY coalesce(e.originator_version, h.originator_version)",
        (originator, originator),
    ).fetchall()
    return _check(originator, rows)


def _check(originator: UUID, rows: list[Any]) -> ChainReport:
    previous = GENESIS
    head: tuple[int, bytes] | None = None
    for expected, (version, topic, state, stored_previous, stored_hash) in enumerate(rows, 1):
        problem = _problem(
            originator, expected, previous, version, topic, state, stored_previous, stored_hash
        )
        if problem is not None:
            return ChainReport(originator, len(rows), False, problem[0], problem[1], head)
        previous = bytes(stored_hash)
        head = (version, previous)
    return ChainReport(originator, len(rows), True, head=head)


def _problem(
    originator: UUID,
    expected: int,
    previous: bytes,
    version: int | None,
    topic: str | None,
    state: bytes | None,
    stored_previous: bytes | None,
    stored_hash: bytes | None,
) -> tuple[int, str] | None:
    """What is wrong with the `expected`-th link of a chain, if anything."""
    if version is None or topic is None or state is None:
        return expected, "an event was deleted (its hash remains)"
    if stored_hash is None or stored_previous is None:
        return version, "an event has no hash: it was written past the recorder"
    if version != expected:
        return expected, f"version {expected} is missing"
    if bytes(stored_previous) != previous:
        return version, "the link to the previous event does not match"
    if event_hash(previous, originator, version, topic, bytes(state)) != bytes(stored_hash):
        return version, "the event's content was changed"
    return None


def all_chains(conn: psycopg.Connection[Any]) -> Iterator[ChainReport]:
    """Every aggregate's chain, streamed in originator order."""
    with conn.cursor(name="audit_chains") as cursor:
        cursor.itersize = 5000
        cursor.execute(
            f"SELECT coalesce(e.originator_id, h.originator_id), e.originator_version, e.topic, "
            "e.state, h.previous_hash, h.event_hash "
            f"FROM {EVENTS_TABLE} e FULL JOIN sampark.event_hashes h "
            "ON h.originator_id = e.originator_id AND h.originator_version = e.originator_version "
            "ORDER BY 1, coalesce(e.originator_version, h.originator_version)"
        )
        current: UUID | None = None
        rows: list[Any] = []
        for originator, *row in cursor:
            if originator != current and current is not None:
                yield _check(current, rows)
                rows = []
            current = originator
            rows.append(tuple(row))
        if current is not None:
            yield _check(current, rows)


# --- checkpoints ---------------------------------------------------------------------------


def leaf(originator: UUID, version: int, digest: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + originator.bytes + version.to_bytes(8, "big") + digest).digest()


def merkle_root(leaves: list[bytes]) -> bytes:
    return packed_merkle_root(bytearray(b"".join(leaves)))


def packed_merkle_root(leaves: bytearray) -> bytes:
    """The root over 32-byte leaves packed end to end (the buffer is used up), each level
    written into a buffer half the size of the one below: a million chains take 32 MB and
    16 MB, where lists of bytes objects took hundreds. An odd level repeats its last node."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = leaves
    while len(level) > 32:
        if len(level) % 64:
            level += level[-32:]
        below = memoryview(level)
        upper = bytearray(len(level) // 2)
        for i in range(0, len(level), 64):
            node = hashlib.sha256(b"\x01")
            node.update(below[i : i + 64])
            upper[i // 2 : i // 2 + 32] = node.digest()
        below.release()
        level = upper
    return bytes(level)


def signed_message(root: bytes, chains: int, taken_at: datetime) -> bytes:
    return (
        b"sampark-checkpoint-v1|" + root + chains.to_bytes(8, "big") + taken_at.isoformat().encode()
    )


def load_signing_key(text: str | None, file: str | None, home: Path) -> Ed25519PrivateKey:
    """The Ed25519 key: base64 of its 32 raw bytes, from configuration or a file; in
    development, one is made and kept under the home directory."""
    if file:
        text = Path(file).read_text().strip()
    if text:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text))
    kept = home / "audit-signing.key"
    if kept.exists():
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(kept.read_text()))
    key = Ed25519PrivateKey.generate()
    home.mkdir(parents=True, exist_ok=True)
    kept.write_text(base64.b64encode(key.private_bytes_raw()).decode())
    kept.chmod(0o600)
    return key


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Checkpoint:
    id: int
    taken_at: datetime
    chains: int
    root: bytes


def take_checkpoint(
    conn: psycopg.Connection[Any], key: Ed25519PrivateKey, taken_at: datetime
) -> Checkpoint:
    """Sign the heads of every chain as they stand; only the latest checkpoint's heads are kept."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (locks.CHECKPOINT,))
        found = conn.execute(
            "SELECT nextval(pg_get_serial_sequence('sampark.audit_checkpoints', 'id'))"
        ).fetchone()
        assert found is not None
        checkpoint = int(found[0])
        # The heads go from table to table inside PostgreSQL; only their leaves come here.
        conn.execute("DELETE FROM sampark.audit_heads")
        conn.execute(
            "INSERT INTO sampark.audit_heads "
            "(checkpoint_id, originator_id, originator_version, event_hash) "
            "SELECT DISTINCT ON (originator_id) %s, originator_id, originator_version, event_hash "
            "FROM sampark.event_hashes ORDER BY originator_id, originator_version DESC",
            (checkpoint,),
        )
        leaves = bytearray()
        with conn.cursor(name="checkpoint_heads") as heads:
            heads.itersize = 10_000
            heads.execute(
                "SELECT originator_id, originator_version, event_hash FROM sampark.audit_heads "
                "WHERE checkpoint_id = %s ORDER BY originator_id",
                (checkpoint,),
            )
            for o, v, h in heads:
                leaves += leaf(o, v, bytes(h))
        chains = len(leaves) // 32
        root = packed_merkle_root(leaves)
        signature = key.sign(signed_message(root, chains, taken_at))
        conn.execute(
            "INSERT INTO sampark.audit_checkpoints "
            "(id, taken_at, chains, root, public_key, signature) VALUES (%s, %s, %s, %s, %s, %s)",
            (checkpoint, taken_at, chains, root, public_bytes(key.public_key()), signature),
        )
    return Checkpoint(checkpoint, taken_at, chains, root)


@dataclass(frozen=True)
class CheckpointReport:
    id: int | None
    taken_at: datetime | None
    signature_valid: bool
    root_matches: bool | None  # None: not checked
    problems: list[str]


def verify_checkpoint(
    conn: psycopg.Connection[Any], trusted: Ed25519PublicKey | None
) -> CheckpointReport:
    """The latest checkpoint: its signature (by the trusted key), its root over the kept
    heads, and each kept head against its chain as stored now (reads every head)."""
    signed = verify_signature(conn, trusted)
    if signed.id is None:
        return signed
    found = conn.execute(
        "SELECT chains, root FROM sampark.audit_checkpoints WHERE id = %s", (signed.id,)
    ).fetchone()
    assert found is not None
    chains, root = found
    problems = list(signed.problems)
    heads = conn.execute(
        "SELECT a.originator_id, a.originator_version, a.event_hash, h.event_hash "
        "FROM sampark.audit_heads a LEFT JOIN sampark.event_hashes h "
        "ON h.originator_id = a.originator_id AND h.originator_version = a.originator_version "
        "WHERE a.checkpoint_id = %s ORDER BY a.originator_id",
        (signed.id,),
    ).fetchall()
    matches = merkle_root([leaf(o, v, bytes(h)) for o, v, h, _ in heads]) == bytes(root)
    if not matches or len(heads) != chains:
        problems.append("the signed root does not match the chain heads kept with it")
    for originator, version, kept, now in heads:
        if now is None or bytes(now) != bytes(kept):
            problems.append(f"{originator}: version {version} is not what the checkpoint signed")
    return CheckpointReport(signed.id, signed.taken_at, signed.signature_valid, matches, problems)


def verify_signature(
    conn: psycopg.Connection[Any], trusted: Ed25519PublicKey | None
) -> CheckpointReport:
    """The latest checkpoint's signature only (`root_matches` is not checked: None)."""
    found = conn.execute(
        "SELECT id, taken_at, chains, root, public_key, signature FROM sampark.audit_checkpoints "
        "ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if found is None:
        return CheckpointReport(None, None, False, None, ["no checkpoint has been taken yet"])
    checkpoint, taken_at, chains, root, public_key, signature = found
    problems = []
    key = trusted or Ed25519PublicKey.from_public_bytes(bytes(public_key))
    if trusted is not None and public_bytes(trusted) != bytes(public_key):
        problems.append("the checkpoint names a key other than the trusted one")
    try:
        key.verify(bytes(signature), signed_message(bytes(root), chains, taken_at))
        valid = True
    except InvalidSignature:
        valid = False
        problems.append("the checkpoint's signature is not valid")
    return CheckpointReport(checkpoint, taken_at, valid, None, problems)


@dataclass(frozen=True)
class SignedHead:
    """What a checkpoint signed of one chain, and whether the chain still holds it."""

    version: int
    matches: bool


def signed_head(
    conn: psycopg.Connection[Any], checkpoint: int | None, originator: UUID
) -> SignedHead | None:
    """The head of `originator`'s chain that checkpoint `checkpoint` signed (None when it
    signed none of it), and whether the event stored at that version still hashes to it."""
    if checkpoint is None:
        return None
    kept = conn.execute(
        "SELECT originator_version, event_hash FROM sampark.audit_heads "
        "WHERE checkpoint_id = %s AND originator_id = %s",
        (checkpoint, originator),
    ).fetchone()
    if kept is None:
        return None
    now = conn.execute(
        "SELECT event_hash FROM sampark.event_hashes "
        "WHERE originator_id = %s AND originator_version = %s",
        (originator, kept[0]),
    ).fetchone()
    return SignedHead(kept[0], now is not None and bytes(now[0]) == bytes(kept[1]))
