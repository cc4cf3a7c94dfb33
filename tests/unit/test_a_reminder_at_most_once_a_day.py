"""A complainant's reminder reaches the officer's phone: at most one a day per complaint,
whoever sends it (the citizen, or the 181 helpline for them), so a complaint cannot be used
to flood an officer with messages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.complaint import REMINDER_INTERVAL, Complaint
from domain.errors import IllegalMove
from domain.events import ReminderReceived
from infra.eventstore.codec import MsgspecMapper, MsgspecTranscoder
from tests.support import OPERATOR, START, citizen
from tests.unit import world

RAMESH = citizen("9876543210")
SECOND = timedelta(seconds=1)
mapper = MsgspecMapper(transcoder=MsgspecTranscoder())


@pytest.fixture
def complaint() -> Complaint:
    filed = world.file(world.directory(), RAMESH)
    filed.collect_events()
    return filed


def test_the_interval_is_a_day() -> None:
    assert timedelta(hours=24) == REMINDER_INTERVAL


def test_six_reminders_in_a_second_reach_the_officer_once(complaint: Complaint) -> None:
    complaint.remind(by=RAMESH, note="Still no water", at=START)
    for _ in range(5):
        with pytest.raises(IllegalMove, match="next can be sent from"):
            complaint.remind(by=RAMESH, note="Still no water", at=START + SECOND)
    (reminder,) = complaint.collect_events()
    assert isinstance(reminder, ReminderReceived)
    assert complaint.reminder_count == 1


def test_the_refusal_says_when_the_next_reminder_is_possible(complaint: Complaint) -> None:
    complaint.remind(by=RAMESH, note=None, at=START)
    with pytest.raises(IllegalMove) as refused:
        complaint.remind(by=RAMESH, note=None, at=START + timedelta(hours=23, minutes=59))
    assert (START + REMINDER_INTERVAL).isoformat(timespec="seconds") in refused.value.reason


def test_the_helpline_cannot_send_a_second_reminder_the_same_day(complaint: Complaint) -> None:
    complaint.remind(by=RAMESH, note=None, at=START)
    with pytest.raises(IllegalMove):
        complaint.remind(by=OPERATOR, note="Citizen called 181", at=START + timedelta(hours=2))


def test_a_day_later_the_complainant_may_remind_again(complaint: Complaint) -> None:
    complaint.remind(by=RAMESH, note=None, at=START)
    complaint.remind(by=RAMESH, note=None, at=START + REMINDER_INTERVAL)
    with pytest.raises(IllegalMove):
        complaint.remind(by=RAMESH, note=None, at=START + REMINDER_INTERVAL + SECOND)
    complaint.remind(by=OPERATOR, note=None, at=START + 2 * REMINDER_INTERVAL)
    assert complaint.reminder_count == 3


def test_the_rule_holds_on_a_complaint_read_back_from_the_store() -> None:
    filed = world.file(world.directory(), RAMESH)
    filed.remind(by=RAMESH, note=None, at=START)
    replayed: Complaint | None = None
    for event in filed.collect_events():
        stored = mapper.to_stored_event(event)  # type: ignore[arg-type]
        replayed = mapper.to_domain_event(stored).mutate(replayed)  # type: ignore[attr-defined]
    assert replayed is not None
    with pytest.raises(IllegalMove):
        replayed.remind(by=RAMESH, note=None, at=START + timedelta(hours=1))
