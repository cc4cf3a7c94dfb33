"""The write side against the real PostgreSQL: races, retries, timelines and time travel."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from api.services import Services
from domain.complaint import Complaint
from domain.errors import VersionConflict
from domain.values import Channel, Complainant, Outcome
from infra.eventstore.receipts import Receipt
from infra.run.services import open_services
from infra.settings import Settings
from tests.support import (
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    TurnableClock,
    citizen,
    new_mobile,
)
from tests.unit.test_complaint_rules import PHOTO


def file_water_complaint(services: Services) -> Complaint:
    mobile = new_mobile()
    return services.app.file_complaint(
        by=citizen(mobile),
        complainant=Complainant(name="Sunita Devi", mobile=mobile),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="Contaminated water",
        description="Yellow water from the tap since Sunday.",
        channel=Channel.PORTAL,
    )


def stored_versions(database: str, complaint: Complaint) -> list[int]:
    with psycopg.connect(database) as conn:
        rows = conn.execute(
            "SELECT originator_version FROM sampark_events WHERE originator_id = %s "
            "ORDER BY originator_version",
            (complaint.id,),
        ).fetchall()
    return [r[0] for r in rows]


class RacingClock(TurnableClock):
    """Holds every command at its decision until all racers have loaded the complaint."""

    def __init__(self, racers: int) -> None:
        super().__init__()
        self.barrier: threading.Barrier | None = None
        self.racers = racers

    def __call__(self) -> Any:
        if self.barrier is not None:
            self.barrier.wait(timeout=10)
        return super().__call__()


def test_two_concurrent_commands_one_wins_the_other_conflicts_nothing_lost(
    settings: Settings, database: str
) -> None:
    clock = RacingClock(racers=2)
    services = open_services(settings, database, clock=clock)
    try:
        complaint = file_water_complaint(services)
        clock.barrier = threading.Barrier(2)

        def comment(text: str) -> str:
            try:
                services.app.comment(complaint.id, by=JAIPUR_WATER_OFFICER, text=text)
            except VersionConflict as conflict:
                assert conflict.current_version == 3
                return "conflict"
            return "saved"

        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(comment, ["site visited", "pipe ordered"]))
        clock.barrier = None

        assert outcomes == ["conflict", "saved"]
        assert stored_versions(database, complaint) == [1, 2, 3]
        assert services.app.complaint(complaint.id).comment_count == 1
    finally:
        services.close()


def test_a_stale_expected_version_is_refused_with_the_current_one(services: Services) -> None:
    complaint = file_water_complaint(services)
    services.app.comment(complaint.id, by=JAIPUR_WATER_OFFICER, text="noted")
    with pytest.raises(VersionConflict) as stale:
        services.app.escalate(complaint.id, by=JAIPUR_COLLECTOR, reason="slow", expected_version=2)
    assert stale.value.current_version == 3
    services.app.escalate(complaint.id, by=JAIPUR_COLLECTOR, reason="slow", expected_version=3)


def test_a_receipt_is_stored_with_its_events_and_a_repeat_writes_nothing(
    services: Services, database: str
) -> None:
    complaint = file_water_complaint(services)
    receipt = Receipt(principal="officer:ae", key="k-1", request_hash="h")
    services.app.comment(
        complaint.id, by=JAIPUR_WATER_OFFICER, text="once", recorded_with={"receipt": receipt}
    )
    prior = services.receipts.find("officer:ae", "k-1")
    assert prior is not None and (prior.originator_id, prior.originator_version) == (
        complaint.id,
        3,
    )
    # The same receipt again: its insert fails, and takes the new event down with it.
    with pytest.raises(VersionConflict):
        services.app.comment(
            complaint.id, by=JAIPUR_WATER_OFFICER, text="twice", recorded_with={"receipt": receipt}
        )
    assert stored_versions(database, complaint) == [1, 2, 3]


def test_registration_numbers_are_unique_under_concurrent_filing(services: Services) -> None:
    with ThreadPoolExecutor(8) as pool:
        filed = list(pool.map(lambda _: file_water_complaint(services), range(40)))
    numbers = [c.registration_no for c in filed]
    assert len(set(numbers)) == 40
    assert all(n.startswith("JAI-2026-") for n in numbers)


def test_the_timeline_and_time_travel_come_from_the_event_store(
    services: Services, clock: TurnableClock
) -> None:
    complaint = file_water_complaint(services)
    filed_at = clock.now
    clock.advance(days=2)
    services.app.escalate(complaint.id, by=JAIPUR_COLLECTOR, reason="no action in 2 days")
    escalated_at = clock.now
    clock.advance(days=1)
    officer_l2 = JAIPUR_WATER_OFFICER.__class__(
        id="xen",
        role=JAIPUR_WATER_OFFICER.role,
        post="PHED-JAI-L2",
        district="JAI",
        department="PHED",
    )
    services.app.resolve(
        complaint.id,
        by=officer_l2,
        outcome=Outcome.RELIEF,
        action_taken="Flushed the main",
        evidence=(PHOTO,),
    )

    timeline = services.app.timeline(complaint.id)
    assert [type(e).__name__ for e in timeline] == ["Filed", "Assigned", "Escalated", "Resolved"]
    assert [e.actor.id for e in timeline][2:] == ["collector-jaipur", "xen"]  # type: ignore[attr-defined]

    at_two = services.app.complaint_at_version(complaint.id, 2)
    assert (at_two.level, at_two.holder, at_two.status) == (1, "PHED-JAI-L1", "assigned")
    between = services.app.complaint_as_of(complaint.id, escalated_at + timedelta(hours=1))
    assert (between.version, between.level, between.holder) == (3, 2, "PHED-JAI-L2")
    assert services.app.complaint_as_of(complaint.id, filed_at).version == 2
    assert services.app.complaint(complaint.id).status == "resolved"


def test_two_copies_of_one_keyed_request_racing_write_once_and_answer_alike(
    settings: Settings, database: str
) -> None:
    from litestar import Response

    from api.idempotency import run_once

    clock = RacingClock(racers=2)
    services = open_services(settings, database, clock=clock)
    try:
        complaint = file_water_complaint(services)
        receipt = Receipt(principal="officer:ae", key="retry-7", request_hash="same-body")
        clock.barrier = threading.Barrier(2)

        def send() -> Response[Any]:
            return run_once(
                services.receipts,
                receipt,
                lambda r: services.app.comment(
                    complaint.id, by=JAIPUR_WATER_OFFICER, text="site visited", recorded_with=r
                ),
                lambda c: Response({"version": c.version}),
                lambda _, version: Response({"version": version}),
            )

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda _: send(), range(2)))
        clock.barrier = None

        assert [a.content for a in answers] == [{"version": 3}, {"version": 3}]
        assert sorted(a.headers.get("Idempotent-Replayed", "no") for a in answers) == [
            "no",
            "true",
        ]
        assert stored_versions(database, complaint) == [1, 2, 3]
    finally:
        services.close()
