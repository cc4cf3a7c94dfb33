"""A holder is warned of a deadline ahead of it, never as it is set: the warning lead (48
hours by default) is capped at a quarter of the time the holder was given."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.complaint import Complaint
from domain.deadlines import warning_lead
from domain.directory import Category, Directory
from domain.events import DeadlineApproaching
from domain.sla import Sla, Unit
from domain.values import SCHEDULER
from tests.support import JAIPUR_COLLECTOR, START, citizen
from tests.unit import world

LEAD = timedelta(hours=48)
HOUR = timedelta(hours=1)
RAMESH = citizen("9876543210")


def filed_with(allowed: tuple[int, int, int, int], unit: Unit) -> tuple[Directory, Complaint]:
    directory = world.directory()
    category = Category("PHED", "tanker", "Tanker supply", Sla(allowed, unit))
    directory.define_category(category, world.ROOT, START)
    complaint = world.file(directory, RAMESH, category="tanker")
    complaint.collect_events()
    return directory, complaint


def warned(complaint: Complaint, at_hours: float) -> bool:
    complaint.warn_of_deadline(by=SCHEDULER, lead=LEAD, at=START + timedelta(hours=at_hours))
    return any(isinstance(e, DeadlineApproaching) for e in complaint.collect_events())


@pytest.mark.parametrize(
    ("allowed", "lead"),
    [
        (timedelta(days=10), LEAD),  # long deadlines: the full 48 hours
        (timedelta(days=8), LEAD),
        (timedelta(days=3), timedelta(hours=18)),  # shorter: a quarter of the time
        (timedelta(hours=2), timedelta(minutes=30)),
        (timedelta(minutes=1), timedelta(seconds=15)),
    ],
)
def test_the_warning_lead_is_48_hours_or_a_quarter_of_the_time_allowed(
    allowed: timedelta, lead: timedelta
) -> None:
    assert warning_lead(LEAD, allowed) == lead


def test_a_deadline_shorter_than_the_lead_is_not_warned_of_as_it_is_set() -> None:
    _, complaint = filed_with((2, 2, 2, 2), Unit.HOURS)
    assert not warned(complaint, 0)  # at filing: 2 hours to go, less than 48
    assert not warned(complaint, 1.4)
    assert warned(complaint, 1.5)  # the last half hour
    assert not warned(complaint, 1.6)  # once


def test_a_long_deadline_is_warned_of_48_hours_ahead() -> None:
    _, complaint = filed_with((10, 10, 10, 10), Unit.CALENDAR_DAYS)
    assert not warned(complaint, 8 * 24 - 1)
    assert warned(complaint, 8 * 24)


def test_a_deadline_set_later_is_warned_of_by_its_own_length() -> None:
    directory, complaint = filed_with((10, 1, 10, 10), Unit.HOURS)
    complaint.escalate(by=JAIPUR_COLLECTOR, reason="slow", directory=directory, at=START + 5 * HOUR)
    complaint.collect_events()
    assert complaint.due_at == START + 6 * HOUR  # one hour at level 2, set at 5 h
    assert not warned(complaint, 5.5)
    assert warned(complaint, 5.75)
