"""Someone with SQL access rewrites history: every kind of edit is caught, and where.

A complaint with five events is stored; then its rows are edited, deleted, reordered, or
rewritten with freshly computed hashes, straight in PostgreSQL. The chain check names the
first broken version; the signed checkpoint catches what a chain alone cannot (a deleted
last event, a history rewritten with hashes to match).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any
from uuid import UUID

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar.testing import TestClient

from api.services import Services
from domain.values import Channel, Complainant, Outcome
from infra.eventstore.audit import event_hash, take_checkpoint, verify_chain, verify_checkpoint
from tests.conftest import Tokens
from tests.support import (
    ADMIN,
    AUDITOR,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    new_mobile,
)
from tests.unit.test_complaint_rules import PHOTO

Client = TestClient[Any]
EVENTS = "public.sampark_events"


def five_events(services: Services) -> UUID:
    """Filed, Assigned, CommentAdded, CommentAdded, Resolved."""
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Hari Ram", mobile=new_mobile()),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="Broken hand pump",
        description="The hand pump near the school is broken.",
        channel=Channel.HELPLINE_181,
    ).id
    services.app.comment(complaint, by=JAIPUR_COLLECTOR, text="Please look into it")
    services.app.comment(complaint, by=JAIPUR_COLLECTOR, text="Reminder")
    services.app.resolve(
        complaint,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Pump repaired",
        evidence=(PHOTO,),
    )
    return complaint


def tamper(database: str, sql: str, complaint: UUID) -> None:
    with psycopg.connect(database) as conn:
        for statement in sql.split("; "):
            conn.execute(statement, {"c": complaint})


EDITS: dict[str, tuple[str, int, str]] = {
    "an edited event": (
        f"UPDATE {EVENTS} SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'Reminder', 'Reminded'), 'UTF8') "
        "WHERE originator_id = %(c)s AND originator_version = 4",
        4,
        "changed",
    ),
    "a deleted event": (
        f"DELETE FROM {EVENTS} WHERE originator_id = %(c)s AND originator_version = 2",
        2,
        "deleted",
    ),
    "a deleted event and its hash": (
        f"DELETE FROM {EVENTS} WHERE originator_id = %(c)s AND originator_version = 2; "
        "DELETE FROM sampark.event_hashes WHERE originator_id = %(c)s AND originator_version = 2",
        2,
        "missing",
    ),
    "two events swapped": (
        f"UPDATE {EVENTS} e SET state = o.state, topic = o.topic FROM {EVENTS} o "
        "WHERE e.originator_id = %(c)s AND o.originator_id = %(c)s "
        "AND ((e.originator_version = 3 AND o.originator_version = 4) "
        "OR (e.originator_version = 4 AND o.originator_version = 3))",
        3,
        "changed",
    ),
    "an event slipped in past the recorder": (
        f"UPDATE {EVENTS} SET originator_version = 9 "
        "WHERE originator_id = %(c)s AND originator_version = 5",
        5,
        "",
    ),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_each_edit_is_caught_at_the_first_version_it_touches(
    services: Services, database: str, edit: str
) -> None:
    complaint = five_events(services)
    with psycopg.connect(database) as conn:
        assert verify_chain(conn, complaint).holds
    sql, first_broken, reason = EDITS[edit]
    tamper(database, sql, complaint)
    with psycopg.connect(database) as conn:
        report = verify_chain(conn, complaint)
    assert not report.holds
    assert report.first_broken_version == first_broken
    assert reason in (report.reason or "")


def rewrite_with_matching_hashes(database: str, complaint: UUID) -> None:
    """The careful forger: edits an event, then recomputes every hash after it."""
    with psycopg.connect(database) as conn:
        conn.execute(
            f"UPDATE {EVENTS} SET state = convert_to(replace(convert_from(state, 'UTF8'), "
            "'Pump repaired', 'Pump replaced with a new one'), 'UTF8') WHERE originator_id = %s "
            "AND originator_version = 5",
            (complaint,),
        )
        rows = conn.execute(
            f"SELECT originator_version, topic, state FROM {EVENTS} WHERE originator_id = %s "
            "ORDER BY originator_version",
            (complaint,),
        ).fetchall()
        previous = bytes(32)
        for version, topic, state in rows:
            digest = event_hash(previous, complaint, version, topic, bytes(state))
            conn.execute(
                "UPDATE sampark.event_hashes SET previous_hash = %s, event_hash = %s "
                "WHERE originator_id = %s AND originator_version = %s",
                (previous, digest, complaint, version),
            )
            previous = digest


CAREFUL: dict[str, Callable[[str, UUID], None]] = {
    "the last event deleted with its hash": lambda database, c: tamper(
        database,
        f"DELETE FROM {EVENTS} WHERE originator_id = %(c)s AND originator_version = 5; "
        "DELETE FROM sampark.event_hashes WHERE originator_id = %(c)s "
        "AND originator_version = 5",
        c,
    ),
    "history rewritten with hashes to match": rewrite_with_matching_hashes,
}


@pytest.mark.parametrize("forgery", sorted(CAREFUL))
def test_the_signed_checkpoint_catches_what_a_chain_alone_cannot(
    client: Client, tokens: Tokens, services: Services, database: str, forgery: str
) -> None:
    complaint = five_events(services)
    key = services.settings.signing_key()
    with psycopg.connect(database, autocommit=True) as conn:
        take_checkpoint(conn, key, services.app.clock())
    intact = client.get(f"/v1/complaints/{complaint}/audit", headers=tokens.headers(AUDITOR))
    assert intact.json()["chain_holds"] is True
    assert intact.json()["checkpoint"]["signature_valid"] is True

    CAREFUL[forgery](database, complaint)
    with psycopg.connect(database) as conn:
        assert verify_chain(conn, complaint).holds  # the chain alone looks fine
        checkpoint = verify_checkpoint(conn, key.public_key())
    assert any(str(complaint) in problem for problem in checkpoint.problems)
    audit = client.get(f"/v1/complaints/{complaint}/audit", headers=tokens.headers(AUDITOR)).json()
    assert audit["chain_holds"] is False
    assert audit["first_broken_version"] == 5
    assert audit["checkpoint"]["matches"] is False


def test_a_checkpoint_signed_by_another_key_is_not_trusted(
    services: Services, database: str
) -> None:
    five_events(services)
    with psycopg.connect(database, autocommit=True) as conn:
        take_checkpoint(conn, Ed25519PrivateKey.generate(), services.app.clock())
        report = verify_checkpoint(conn, services.settings.signing_key().public_key())
    assert "the checkpoint names a key other than the trusted one" in report.problems
    assert not report.signature_valid


def test_sampark_audit_verify_reports_the_broken_chain(services: Services, database: str) -> None:
    complaint = five_events(services)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMPARK_")}
    env |= {"SAMPARK_DATABASE_URL": database, "SAMPARK_HOME": services.settings.home}

    def audit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "infra.run.cli", "audit", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert audit("checkpoint").returncode == 0
    clean = audit("verify")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "chain(s) hold" in clean.stdout and "valid" in clean.stdout
    tamper(database, EDITS["an edited event"][0], complaint)
    broken = audit("verify", "--complaint", str(complaint))
    assert broken.returncode == 1
    assert f"BROKEN {complaint}: version 4" in broken.stdout


def test_only_auditors_and_admins_check_the_chain(
    client: Client, tokens: Tokens, services: Services
) -> None:
    complaint = five_events(services)
    for who, status in ((AUDITOR, 200), (ADMIN, 200), (JAIPUR_COLLECTOR, 403), (OPERATOR, 403)):
        answer = client.get(f"/v1/complaints/{complaint}/audit", headers=tokens.headers(who))
        assert answer.status_code == status, who
