"""What the clock does to a complaint: deadlines, the climb from L1 to L4, and the days off.

The aggregate alone, with times given by the test: no scheduler, no database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.complaint import Complaint
from domain.directory import Directory
from domain.errors import Forbidden, IllegalMove, InvalidCommand
from domain.events import (
    Closed,
    DeadlineApproaching,
    DeadlineMissed,
    Escalated,
    EscalationBlocked,
    QueuedForReview,
    ReviewRecorded,
)
from domain.sla import INDIA, Calendar, Sla, Unit, due_at
from domain.values import SCHEDULER, Attachment, Channel, Identity, Outcome, Role, Status, Trigger
from tests.support import (
    ADMIN,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    START,
    WATER_HEAD,
    WATER_SECRETARY,
    citizen,
)
from tests.unit import world

RAMESH = citizen("9876543210")
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
PHOTO = Attachment(sha256="b" * 64, filename="tank.jpg", media_type="image/jpeg", size=1024)
POWER_SECRETARY = Identity(id="acs-energy", role=Role.SECRETARY, department="ENERGY")


@pytest.fixture
def directory() -> Directory:
    return world.directory()


@pytest.fixture
def complaint(directory: Directory) -> Complaint:
    """Jaipur water supply: 3, 3, 5 and 7 calendar days at L1..L4, filed at START."""
    filed = world.file(directory, RAMESH)
    filed.collect_events()
    return filed


def india(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=INDIA)


# --- the arithmetic -------------------------------------------------------------------


def test_calendar_days_count_every_day() -> None:
    assert due_at(Sla((3, 3, 5, 7)), 3, START, calendar=Calendar(), urgent=False) == START + 5 * DAY


def test_working_days_skip_weekends_and_the_states_holidays() -> None:
    calendar = Calendar(frozenset({date(2026, 11, 24)}))  # a Tuesday
    five = Sla((5, 5, 5, 5), Unit.WORKING_DAYS)
    friday = india("2026-11-20T10:00")
    # Mon 23, (Tue 24 holiday), Wed 25, Thu 26, Fri 27, (weekend), Mon 30.
    assert due_at(five, 1, friday, calendar=calendar, urgent=False) == india("2026-11-30T10:00")


def test_a_complaint_filed_on_a_day_off_starts_counting_on_the_next_working_day() -> None:
    one = Sla((1, 1, 1, 1), Unit.WORKING_DAYS)
    saturday = india("2026-11-21T15:30")
    assert due_at(one, 1, saturday, calendar=Calendar(), urgent=False) == india(
        "2026-11-24T00:00"
    )  # the whole of Monday


def test_short_clocks_for_demonstrations() -> None:
    assert due_at(Sla((2, 2, 2, 2), Unit.MINUTES), 1, START, calendar=Calendar(), urgent=False) == (
        START + timedelta(minutes=2)
    )
    assert due_at(Sla((9, 9, 9, 9), Unit.SECONDS), 4, START, calendar=Calendar(), urgent=True) == (
        START + 5 * SECOND  # half of nine, rounded up
    )


def test_the_cmo_clock_is_shorter(directory: Directory) -> None:
    from_cmo = world.file(directory, OPERATOR, channel=Channel.CMO)
    assert from_cmo.due_at == START + 2 * DAY  # half of 3 days, rounded up to a whole day
    from_citizen = world.file(directory, RAMESH)
    assert from_citizen.due_at == START + 3 * DAY


def test_working_day_categories_are_due_later_across_a_weekend(directory: Directory) -> None:
    connection = world.file(directory, RAMESH, category="new-connection")
    # Filed Monday 2 November: five working days is Monday 9 November, same time.
    assert connection.due_at == START + 7 * DAY


# --- the climb ------------------------------------------------------------------------


def test_nothing_moves_before_the_deadline(directory: Directory, complaint: Complaint) -> None:
    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 3 * DAY - SECOND)
    assert complaint.collect_events() == []


def test_the_full_ladder_from_the_officer_to_the_state_government(
    directory: Directory, complaint: Complaint
) -> None:
    holders = []
    for due in (START + 3 * DAY, START + 6 * DAY, START + 11 * DAY):
        complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=due + SECOND)
        (escalated,) = complaint.collect_events()
        assert isinstance(escalated, Escalated)
        assert escalated.trigger == Trigger.DEADLINE
        assert escalated.missed_due_at == due
        assert escalated.actor == SCHEDULER.actor
        holders.append((escalated.to_level, escalated.holder))
    assert holders == [(2, "PHED-JAI-L2"), (3, "PHED-HOD"), (4, "PHED-STATE")]
    assert complaint.due_at == START + 18 * DAY

    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 18 * DAY)
    (missed,) = complaint.collect_events()
    assert isinstance(missed, DeadlineMissed)
    assert (missed.level, missed.holder, missed.missed_due_at) == (
        4,
        "PHED-STATE",
        START + 18 * DAY,
    )
    # It stays overdue at state level, and is marked once only.
    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 40 * DAY)
    assert complaint.collect_events() == []
    assert (complaint.level, complaint.status) == (4, Status.ASSIGNED)


def test_a_scheduler_back_after_days_climbs_once_per_missed_deadline(
    directory: Directory, complaint: Complaint
) -> None:
    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 12 * DAY)
    events = complaint.collect_events()
    assert [type(e) for e in events] == [Escalated, Escalated, Escalated]
    # Each new deadline counts from the one before, not from when the scheduler woke.
    assert [e.missed_due_at for e in events] == [  # type: ignore[attr-defined]
        START + 3 * DAY,
        START + 6 * DAY,
        START + 11 * DAY,
    ]
    assert complaint.level == 4 and complaint.due_at == START + 18 * DAY


def test_a_disposed_complaint_does_not_climb(directory: Directory, complaint: Complaint) -> None:
    complaint.resolve(
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Tanker sent",
        evidence=(PHOTO,),
        feedback_window=7 * DAY,
        at=START + DAY,
    )
    complaint.collect_events()
    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 30 * DAY)
    assert complaint.collect_events() == []


def test_only_the_scheduler_enforces_deadlines(directory: Directory, complaint: Complaint) -> None:
    with pytest.raises(Forbidden):
        complaint.pass_deadlines(by=ADMIN, directory=directory, at=START + 4 * DAY)


# --- routing gaps ---------------------------------------------------------------------


def test_a_vacant_post_blocks_the_climb_and_flags_it_once(
    directory: Directory, complaint: Complaint
) -> None:
    directory.change_holder("PHED-JAI-L2", None, world.ROOT, START)
    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 3 * DAY)
    (blocked,) = complaint.collect_events()
    assert isinstance(blocked, EscalationBlocked)
    assert (blocked.to_level, blocked.post, blocked.holder) == (2, "PHED-JAI-L2", "PHED-JAI-L1")
    assert "vacant" in blocked.reason
    assert complaint.holder == "PHED-JAI-L1"  # it stays with its holder

    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 9 * DAY)
    assert complaint.collect_events() == []  # flagged once, not every scan


def test_once_the_post_is_filled_the_climb_goes_on_with_a_fresh_clock(
    directory: Directory, complaint: Complaint
) -> None:
    directory.change_holder("PHED-JAI-L2", None, world.ROOT, START)
    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 3 * DAY)
    directory.change_holder("PHED-JAI-L2", "New X. E.", world.ROOT, START + 8 * DAY)
    complaint.collect_events()

    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 8 * DAY)
    (escalated,) = complaint.collect_events()
    assert isinstance(escalated, Escalated)
    assert escalated.missed_due_at == START + 3 * DAY
    # The new holder never had it: their three days start now.
    assert escalated.due_at == START + 11 * DAY


def test_a_chain_with_no_post_at_all_is_a_gap_too(directory: Directory) -> None:
    # Power in Bikaner has neither a route nor a chain: the complaint waits in the pool.
    pooled = world.file(
        directory, RAMESH, district="BKN", department="ENERGY", category="power-supply"
    )
    pooled.collect_events()
    pooled.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 2 * DAY)
    (blocked,) = pooled.collect_events()
    assert isinstance(blocked, EscalationBlocked)
    assert blocked.post is None and "no level-2 post" in blocked.reason


def test_escalating_by_hand_to_a_vacant_post_is_refused(
    directory: Directory, complaint: Complaint
) -> None:
    directory.change_holder("PHED-JAI-L2", None, world.ROOT, START)
    with pytest.raises(IllegalMove, match="vacant"):
        complaint.escalate(by=WATER_HEAD, reason="slow", directory=directory, at=START)


# --- the warning ----------------------------------------------------------------------


def test_the_holder_is_warned_once_before_each_deadline(
    directory: Directory, complaint: Complaint
) -> None:
    lead = timedelta(hours=48)  # capped at a quarter of the three days: 18 hours
    warn_at = START + 3 * DAY - timedelta(hours=18)
    complaint.warn_of_deadline(by=SCHEDULER, lead=lead, at=warn_at - SECOND)
    assert complaint.collect_events() == []  # not yet within 18 hours
    complaint.warn_of_deadline(by=SCHEDULER, lead=lead, at=warn_at)
    (warned,) = complaint.collect_events()
    assert isinstance(warned, DeadlineApproaching)
    assert (warned.level, warned.holder, warned.due_at) == (1, "PHED-JAI-L1", START + 3 * DAY)
    complaint.warn_of_deadline(by=SCHEDULER, lead=lead, at=START + 3 * DAY - SECOND)
    assert complaint.collect_events() == []

    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 3 * DAY)
    complaint.collect_events()
    complaint.warn_of_deadline(by=SCHEDULER, lead=lead, at=START + 6 * DAY - timedelta(hours=18))
    (again,) = complaint.collect_events()
    assert isinstance(again, DeadlineApproaching) and again.level == 2


def test_no_warning_once_the_deadline_has_passed(complaint: Complaint) -> None:
    complaint.warn_of_deadline(by=SCHEDULER, lead=timedelta(hours=48), at=START + 3 * DAY)
    assert complaint.collect_events() == []


# --- the feedback window --------------------------------------------------------------


def _resolved(complaint: Complaint) -> Complaint:
    complaint.resolve(
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Tanker sent",
        evidence=(PHOTO,),
        feedback_window=7 * DAY,
        at=START + DAY,
    )
    complaint.collect_events()
    return complaint


def test_a_disposal_left_unanswered_is_closed_when_the_window_ends(complaint: Complaint) -> None:
    resolved = _resolved(complaint)
    resolved.close_unanswered(by=SCHEDULER, at=START + 8 * DAY - SECOND)
    assert resolved.collect_events() == []
    resolved.close_unanswered(by=SCHEDULER, at=START + 8 * DAY)
    (closed,) = resolved.collect_events()
    assert isinstance(closed, Closed)
    assert closed.trigger == Trigger.FEEDBACK_WINDOW_EXPIRED
    assert resolved.status == Status.CLOSED
    resolved.close_unanswered(by=SCHEDULER, at=START + 9 * DAY)
    assert resolved.collect_events() == []


def test_an_open_complaint_is_never_closed_by_the_clock(complaint: Complaint) -> None:
    complaint.close_unanswered(by=SCHEDULER, at=START + 90 * DAY)
    assert complaint.collect_events() == [] and complaint.is_open


# --- the secretary's review -----------------------------------------------------------


def test_a_complaint_is_queued_for_review_at_most_once_a_day(complaint: Complaint) -> None:
    today, tomorrow = date(2026, 11, 2), date(2026, 11, 3)
    complaint.queue_for_review(by=SCHEDULER, day=today, rank=1, at=START)
    complaint.queue_for_review(by=SCHEDULER, day=today, rank=4, at=START)
    (queued,) = complaint.collect_events()
    assert isinstance(queued, QueuedForReview)
    assert (queued.day, queued.department, queued.rank) == (today, "PHED", 1)
    complaint.queue_for_review(by=SCHEDULER, day=tomorrow, rank=2, at=START + DAY)
    assert len(complaint.collect_events()) == 1


def test_the_departments_secretary_records_a_review(complaint: Complaint) -> None:
    complaint.record_review(by=WATER_SECRETARY, note="  Call the XEN today.  ", at=START)
    (review,) = complaint.collect_events()
    assert isinstance(review, ReviewRecorded) and review.note == "Call the XEN today."
    with pytest.raises(Forbidden):
        complaint.record_review(by=POWER_SECRETARY, note="not mine", at=START)
    with pytest.raises(Forbidden):
        complaint.record_review(by=WATER_HEAD, note="not a secretary", at=START)
    with pytest.raises(InvalidCommand) as empty:
        complaint.record_review(by=WATER_SECRETARY, note="  ", at=START)
    assert empty.value.field == "note"


def test_times_stay_in_utc() -> None:
    # Working-day deadlines are computed in India but handed back in the start's zone.
    due = Calendar().add_working_days(START, 1)
    assert due.tzinfo == UTC and due == START + DAY
