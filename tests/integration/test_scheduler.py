"""The scheduler against the real event store, read models and broker, with a turned clock.

The clockwork's jobs are called directly (the APScheduler timetable is tested end to end in
tests/e2e/test_scheduler_process.py): every move must be right to the complaint, none
skipped, none doubled, whatever the read model says and however many schedulers run.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest

from api.services import Services
from domain.events import (
    Assigned,
    ClarificationAnswered,
    ClarificationSought,
    Closed,
    DeadlineApproaching,
    DeadlineMissed,
    Escalated,
    EscalationBlocked,
    QueuedForReview,
)
from domain.values import Channel, Complainant, Outcome, Trigger
from infra.run.services import open_services
from infra.settings import Settings
from projections.rebuild import verify
from scheduler.jobs import Clockwork
from scheduler.leadership import Leadership
from tests.conftest import Pipeline
from tests.support import (
    ADMIN,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    START,
    TurnableClock,
    new_mobile,
)
from tests.unit.test_complaint_rules import PHOTO

DAY = timedelta(days=1)


def file(services: Services, channel: Channel = Channel.HELPLINE_181, **where: str) -> UUID:
    """A Jaipur water-supply complaint: 3, 3, 5 and 7 days at L1..L4 in the sample directory."""
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Kamla Devi", mobile=new_mobile()),
        district=where.get("district", "JAI"),
        department=where.get("department", "PHED"),
        category=where.get("category", "water-supply"),
        subject="No water supply",
        description="Ward 7: the taps are dry.",
        channel=channel,
    )
    return complaint.id


def kinds(services: Services, complaint: UUID, *types: type) -> list[Any]:
    return [e for e in services.app.timeline(complaint) if isinstance(e, types)]


@pytest.fixture
def clockwork(services: Services) -> Clockwork:
    return Clockwork(services.app, services.pool, lead=timedelta(hours=48), workers=3)


def test_a_neglected_complaint_climbs_from_l1_to_l4_then_stays_overdue_at_state_level(
    services: Services, clock: TurnableClock, pipeline: Pipeline, clockwork: Clockwork
) -> None:
    neglected = file(services)
    pipeline.settle()
    assert clockwork.scan_deadlines() == Counter()  # nothing is due yet

    for days, expected in ((3, "Escalated"), (6, "Escalated"), (11, "Escalated")):
        clock.now = START + days * DAY
        pipeline.settle()
        assert clockwork.scan_deadlines() == Counter({expected: 1})
    clock.now = START + 18 * DAY
    pipeline.settle()
    assert clockwork.scan_deadlines() == Counter({"DeadlineMissed": 1})
    pipeline.settle()
    assert clockwork.scan_deadlines() == Counter()  # marked once, not at every scan

    climbs = kinds(services, neglected, Escalated)
    assert [(e.from_level, e.to_level, e.holder) for e in climbs] == [
        (1, 2, "PHED-JAI-L2"),
        (2, 3, "PHED-HOD"),
        (3, 4, "PHED-STATE"),
    ]
    assert all(e.trigger == Trigger.DEADLINE and e.actor.id == "scheduler" for e in climbs)
    (missed,) = kinds(services, neglected, DeadlineMissed)
    assert (missed.level, missed.missed_due_at) == (4, climbs[-1].due_at)
    with psycopg.connect(services.pool.conninfo) as conn:
        row = conn.execute(
            "SELECT level, holder, status, due_at < %s, stalled_due_at = due_at "
            "FROM read.complaints WHERE id = %s",
            (clock.now, neglected),
        ).fetchone()
    assert row == (4, "PHED-STATE", "assigned", True, True)  # overdue at state level
    assert verify(services.pool.conninfo) == []


def test_a_stale_read_model_cannot_escalate_a_complaint_that_was_dealt_with(
    services: Services, clock: TurnableClock, pipeline: Pipeline, clockwork: Clockwork
) -> None:
    resolved, escalated_by_hand = file(services), file(services)
    clock.now = START + 3 * DAY + timedelta(hours=1)
    pipeline.settle()
    pipeline.stop()  # the read model now lags behind what follows
    services.app.resolve(
        resolved,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Valve repaired",
        evidence=(PHOTO,),
    )
    services.app.escalate(escalated_by_hand, by=JAIPUR_COLLECTOR, reason="slow")

    assert clockwork.scan_deadlines() == Counter()  # both were offered; both refused
    assert kinds(services, resolved, Escalated) == []
    (by_hand,) = kinds(services, escalated_by_hand, Escalated)
    assert by_hand.trigger == Trigger.MANUAL


class RacingClock(TurnableClock):
    """Runs `meanwhile` once, at the next reading: between the scan's load and its save."""

    meanwhile: Callable[[], object] | None = None

    def __call__(self) -> Any:
        act, self.meanwhile = self.meanwhile, None
        if act is not None:
            act()
        return super().__call__()


def test_a_resolution_racing_the_scan_wins_and_the_scan_leaves_it_be(
    settings: Settings, database: str, pipeline: Pipeline
) -> None:
    clock = RacingClock()
    services = open_services(settings, database, clock=clock)
    try:
        complaint = file(services)
        clock.now = START + 3 * DAY + timedelta(minutes=5)
        pipeline.settle()
        clock.meanwhile = lambda: services.app.resolve(
            complaint,
            by=JAIPUR_WATER_OFFICER,
            outcome=Outcome.INTERIM_RELIEF,
            action_taken="Tanker sent while the pipe is mended",
            evidence=(PHOTO,),
        )
        moves = Clockwork(services.app, services.pool, workers=1).scan_deadlines()
        assert moves == Counter()
        assert clock.meanwhile is None  # the resolution did run inside the scan
        assert kinds(services, complaint, Escalated) == []
        assert services.app.complaint(complaint).status == "resolved"
    finally:
        services.close()


def test_two_schedulers_at_once_escalate_each_complaint_once(
    services: Services,
    settings: Settings,
    database: str,
    clock: TurnableClock,
    pipeline: Pipeline,
) -> None:
    complaints = [file(services) for _ in range(24)]
    clock.now = START + 3 * DAY + timedelta(minutes=1)
    pipeline.settle()
    other = open_services(settings, database, clock=clock)
    try:
        first = Clockwork(services.app, services.pool, workers=4)
        second = Clockwork(other.app, other.pool, workers=4)
        results: list[Counter[str]] = []
        start = threading.Barrier(2)

        def scan(clockwork: Clockwork) -> None:
            start.wait()
            results.append(clockwork.scan_deadlines())

        threads = [threading.Thread(target=scan, args=(c,)) for c in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.close()
    assert sum(r["Escalated"] for r in results) == len(complaints)
    assert all(r["failed"] == 0 for r in results)
    for complaint in complaints:
        assert len(kinds(services, complaint, Escalated)) == 1
    pipeline.settle()
    assert verify(database) == []


def test_only_one_scheduler_leads_and_a_standby_takes_over(database: str) -> None:
    leader, standby = Leadership(database), Leadership(database)
    try:
        assert leader.holds() and leader.holds()
        assert not standby.holds()
        leader.release()  # the leader stops (or its process dies: the session ends)
        assert standby.holds()
        assert not leader.holds()
    finally:
        leader.release()
        standby.release()


def test_a_scheduler_down_for_weeks_brings_every_complaint_to_its_level(
    services: Services, clock: TurnableClock, pipeline: Pipeline, clockwork: Clockwork
) -> None:
    early = file(services)  # due at L1 on day 3, L2 day 6, L3 day 11, L4 day 18
    clock.now = START + 5 * DAY
    late = file(services)  # due at L1 on day 8, L2 day 11, L3 day 16
    cmo = file(services, Channel.CMO)  # half the time: 2, 2, 3, 4 days: due day 7, 9, 12, 16
    clock.now = START + 12 * DAY
    pipeline.settle()

    assert clockwork.scan_deadlines() == Counter({"Escalated": 3 + 2 + 3})
    levels = {c: services.app.complaint(c).level for c in (early, late, cmo)}
    assert levels == {early: 4, late: 3, cmo: 4}
    filed_at = services.app.complaint(early).filed_at
    assert filed_at is not None
    chained = [e.missed_due_at - filed_at for e in kinds(services, early, Escalated)]
    assert chained == [3 * DAY, 6 * DAY, 11 * DAY]  # each from the one before, not from now
    assert services.app.complaint(early).due_at == filed_at + 18 * DAY
    pipeline.settle()
    assert clockwork.scan_deadlines() == Counter()  # and nothing twice


def test_a_vacant_post_holds_the_complaint_lists_it_and_lets_go_once_filled(
    services: Services, clock: TurnableClock, pipeline: Pipeline, clockwork: Clockwork
) -> None:
    services.app.change_directory(
        ADMIN, lambda d, at: d.change_holder("PHED-JAI-L2", None, ADMIN.actor, at)
    )
    held = file(services)
    clock.now = START + 4 * DAY
    pipeline.settle()
    assert clockwork.scan_deadlines() == Counter({"EscalationBlocked": 1})
    pipeline.settle()
    assert clockwork.scan_deadlines() == Counter()
    (blocked,) = kinds(services, held, EscalationBlocked)
    assert (blocked.post, blocked.holder) == ("PHED-JAI-L2", "PHED-JAI-L1")
    assert services.app.complaint(held).holder == "PHED-JAI-L1"

    services.app.change_directory(
        ADMIN, lambda d, at: d.change_holder("PHED-JAI-L2", "Sunita Rathore", ADMIN.actor, at)
    )
    assert clockwork.scan_deadlines() == Counter({"Escalated": 1})
    (escalated,) = kinds(services, held, Escalated)
    assert escalated.holder == "PHED-JAI-L2"
    # The new holder never had it while the post was vacant: their three days start now.
    assert escalated.missed_due_at == blocked.missed_due_at
    assert escalated.due_at == escalated.timestamp + 3 * DAY


def test_holders_are_warned_once_before_the_deadline(
    services: Services, clock: TurnableClock, pipeline: Pipeline, clockwork: Clockwork
) -> None:
    complaint = file(services)  # three days: warned 18 hours ahead (a quarter of the time)
    clock.now = START + 3 * DAY - timedelta(hours=18, minutes=1)
    pipeline.settle()
    assert clockwork.warn_of_deadlines() == Counter()  # more than 18 hours to go
    clock.now = START + 3 * DAY - timedelta(hours=17, minutes=59)
    assert clockwork.warn_of_deadlines() == Counter({"DeadlineApproaching": 1})
    pipeline.settle()
    assert clockwork.warn_of_deadlines() == Counter()
    (warning,) = kinds(services, complaint, DeadlineApproaching)
    assert (warning.level, warning.due_at) == (1, services.app.complaint(complaint).due_at)


def test_a_deadline_shorter_than_the_warning_lead_is_not_warned_of_at_filing(
    services: Services, clock: TurnableClock, pipeline: Pipeline, clockwork: Clockwork
) -> None:
    complaint = file(services, category="demo-minutes")  # one minute at each level
    pipeline.settle()
    assert clockwork.warn_of_deadlines() == Counter()  # not as it is filed, though 48 h > 1 min
    clock.now = START + timedelta(seconds=46)  # the last quarter of its minute
    assert clockwork.warn_of_deadlines() == Counter({"DeadlineApproaching": 1})
    (warning,) = kinds(services, complaint, DeadlineApproaching)
    assert warning.timestamp >= warning.due_at - timedelta(seconds=15)


def test_a_disposal_without_feedback_is_closed_when_the_window_ends(
    services: Services, clock: TurnableClock, pipeline: Pipeline, clockwork: Clockwork
) -> None:
    answered, unanswered = file(services), file(services)
    for complaint in (answered, unanswered):
        services.app.resolve(
            complaint,
            by=JAIPUR_WATER_OFFICER,
            outcome=Outcome.RELIEF,
            action_taken="Pipe replaced",
            evidence=(PHOTO,),
        )
    services.app.give_feedback(answered, by=OPERATOR, satisfied=True, rating=5)
    clock.now = START + 7 * DAY - timedelta(minutes=1)
    pipeline.settle()
    assert clockwork.close_unanswered() == Counter()
    clock.now = START + 7 * DAY + timedelta(minutes=1)
    assert clockwork.close_unanswered() == Counter({"Closed": 1})
    (closed,) = kinds(services, unanswered, Closed)
    assert closed.trigger == Trigger.FEEDBACK_WINDOW_EXPIRED
    (by_citizen,) = kinds(services, answered, Closed)
    assert by_citizen.trigger == Trigger.FEEDBACK_SATISFIED


@pytest.fixture
def twelve_pending(services: Services, clock: TurnableClock) -> Iterator[list[UUID]]:
    """Twelve pending PHED complaints: the first three filed long ago (overdue by the review
    day), one from the CMO cell, the rest ordinary."""
    old = [file(services) for _ in range(3)]
    clock.now = START + 4 * DAY
    recent = [file(services) for _ in range(7)]
    cmo = file(services, Channel.CMO)
    newest = file(services)
    yield [*old, *recent, cmo, newest]


def test_each_morning_a_secretary_gets_the_ten_most_pressing_complaints(
    services: Services,
    clock: TurnableClock,
    pipeline: Pipeline,
    clockwork: Clockwork,
    twelve_pending: list[UUID],
) -> None:
    old, recent, cmo, newest = (
        twelve_pending[:3],
        twelve_pending[3:10],
        twelve_pending[10],
        twelve_pending[11],
    )
    clock.now = START + 4 * DAY + timedelta(hours=1)
    pipeline.settle()
    assert clockwork.queue_reviews() == Counter({"QueuedForReview": 10})
    ranks = {
        c: e.rank
        for c in twelve_pending
        for e in kinds(services, c, QueuedForReview)  # type: ignore[attr-defined]
    }
    # Overdue first (oldest first among them), then the CMO's, then the oldest others.
    assert [ranks[c] for c in old] == [1, 2, 3]
    assert ranks[cmo] == 4
    assert sorted(ranks[c] for c in recent[:6]) == [5, 6, 7, 8, 9, 10]
    assert recent[6] not in ranks and newest not in ranks
    pipeline.settle()
    assert clockwork.queue_reviews() == Counter()  # a second run that day tops up nothing


def test_a_complaint_waiting_for_its_complainant_does_not_climb_until_answered(
    services: Services, clock: TurnableClock, pipeline: Pipeline, clockwork: Clockwork
) -> None:
    """The clock that waits (docs/hearings.md): asked on day 1 with 2 days left, a week past
    its old deadline nothing moves and no one is warned; answered on day 10, it is due on
    day 12 and climbs then, not before."""
    waiting = file(services)
    clock.now = START + DAY
    services.app.seek_clarification(waiting, by=JAIPUR_WATER_OFFICER, question="Which ward?")
    clock.now = START + 10 * DAY
    pipeline.settle()
    assert clockwork.warn_of_deadlines() == Counter()
    assert clockwork.scan_deadlines() == Counter()
    with psycopg.connect(services.pool.conninfo) as conn:
        row = conn.execute("SELECT due_at FROM read.complaints WHERE id = %s", (waiting,))
        assert row.fetchone() == (None,)  # not overdue: paused

    answered = services.app.answer_clarification(waiting, by=OPERATOR, answer="Ward 7")
    assert answered.due_at is not None
    clock.now = answered.due_at - timedelta(hours=1)
    pipeline.settle()
    assert clockwork.scan_deadlines() == Counter()
    clock.now = answered.due_at + timedelta(minutes=1)
    pipeline.settle()
    assert clockwork.scan_deadlines() == Counter({"Escalated": 1})
    (climbed,) = kinds(services, waiting, Escalated)
    assert climbed.missed_due_at == answered.due_at
    (sought,) = kinds(services, waiting, ClarificationSought)
    (answer,) = kinds(services, waiting, ClarificationAnswered)
    (assigned,) = kinds(services, waiting, Assigned)
    assert sought.paused_due_at == assigned.due_at  # the level-1 deadline, 3 days on
    assert answered.due_at == answer.timestamp + (assigned.due_at - sought.timestamp)
