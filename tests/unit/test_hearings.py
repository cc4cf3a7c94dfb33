"""The right to a hearing: fixed for a time to come before a post of the district, then held
with directions or missed; the complaint's clock runs on. Times given by the test."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.complaint import Complaint
from domain.directory import Directory, DiwasSession
from domain.errors import Forbidden, IllegalMove, InvalidCommand
from domain.events import HearingHeld, HearingScheduled
from domain.sla import INDIA
from domain.values import HearingMode
from tests.support import ADMIN, JAIPUR_COLLECTOR, JAIPUR_WATER_OFFICER, OPERATOR, START, citizen
from tests.unit import world

RAMESH = citizen("9876543210")
DAY = timedelta(days=1)


@pytest.fixture
def directory() -> Directory:
    return world.directory()


@pytest.fixture
def complaint(directory: Directory) -> Complaint:
    filed = world.file(directory, RAMESH)
    filed.collect_events()
    return filed


def schedule(complaint: Complaint, directory: Directory, on_day: int, at_day: int = 0) -> None:
    complaint.schedule_hearing(
        by=JAIPUR_WATER_OFFICER,
        on=START + on_day * DAY,
        post="PHED-JAI-L1",
        mode=HearingMode.VIDEO,
        directory=directory,
        at=START + at_day * DAY,
    )


def test_a_hearing_is_held_and_its_directions_recorded(
    complaint: Complaint, directory: Directory
) -> None:
    schedule(complaint, directory, on_day=2)
    (scheduled,) = complaint.collect_events()
    assert isinstance(scheduled, HearingScheduled)
    assert (scheduled.number, scheduled.mode) == (1, HearingMode.VIDEO)
    assert complaint.due_at == START + 3 * DAY  # the clock runs on
    with pytest.raises(IllegalMove, match="record it once it has taken place"):
        complaint.record_hearing(
            by=JAIPUR_WATER_OFFICER, attended=True, directions="x", at=START + DAY
        )
    complaint.record_hearing(
        by=JAIPUR_WATER_OFFICER,
        attended=True,
        directions="JEN to repair the pipe by Friday",
        at=START + 2 * DAY,
    )
    (held,) = complaint.collect_events()
    assert isinstance(held, HearingHeld) and held.attended
    (hearing,) = complaint.hearings
    assert (hearing.attended, hearing.directions) == (True, "JEN to repair the pipe by Friday")


def test_a_missed_hearing_may_be_followed_by_another(
    complaint: Complaint, directory: Directory
) -> None:
    schedule(complaint, directory, on_day=1)
    with pytest.raises(IllegalMove, match="already scheduled"):
        schedule(complaint, directory, on_day=2)
    complaint.record_hearing(
        by=JAIPUR_COLLECTOR,
        attended=False,
        directions="The complainant did not come; heard again next week",
        at=START + DAY + timedelta(hours=2),
    )
    schedule(complaint, directory, on_day=8, at_day=2)
    first, second = complaint.hearings
    assert first.attended is False and second.number == 2 and second.attended is None


def test_a_hearing_is_fixed_by_the_offices_for_a_time_to_come_before_a_post_of_the_district(
    complaint: Complaint, directory: Directory
) -> None:
    with pytest.raises(Forbidden):
        complaint.schedule_hearing(
            by=OPERATOR,
            on=START + DAY,
            post="PHED-JAI-L1",
            mode=HearingMode.IN_PERSON,
            directory=directory,
            at=START,
        )
    with pytest.raises(InvalidCommand) as past:
        schedule(complaint, directory, on_day=0)
    assert past.value.field == "on"
    with pytest.raises(InvalidCommand) as elsewhere:
        complaint.schedule_hearing(
            by=JAIPUR_COLLECTOR,
            on=START + DAY,
            post="PHED-AJM-L1",
            mode=HearingMode.IN_PERSON,
            directory=directory,
            at=START,
        )
    assert elsewhere.value.field == "post"
    with pytest.raises(IllegalMove, match="no hearing"):
        complaint.record_hearing(by=JAIPUR_WATER_OFFICER, attended=True, directions="x", at=START)


def test_a_complaint_is_listed_for_its_districts_sampark_diwas_before_it_begins(
    complaint: Complaint, directory: Directory
) -> None:
    session = DiwasSession(district="JAI", starts_at=START + 7 * DAY, place="Collectorate")
    directory.schedule_diwas(session, ADMIN.actor, START)
    day = (START + 7 * DAY).astimezone(INDIA).date()
    with pytest.raises(InvalidCommand) as none_that_day:
        complaint.list_for_diwas(
            by=RAMESH, day=day + DAY, mode=HearingMode.VIDEO, directory=directory, at=START
        )
    assert none_that_day.value.field == "day"
    with pytest.raises(Forbidden):  # an officer does not list; the collector or the citizen does
        complaint.list_for_diwas(
            by=JAIPUR_WATER_OFFICER,
            day=day,
            mode=HearingMode.VIDEO,
            directory=directory,
            at=START,
        )
    with pytest.raises(IllegalMove, match="has begun"):
        complaint.list_for_diwas(
            by=RAMESH, day=day, mode=HearingMode.VIDEO, directory=directory, at=START + 7 * DAY
        )
    complaint.list_for_diwas(
        by=RAMESH, day=day, mode=HearingMode.VIDEO, directory=directory, at=START + DAY
    )
    (listed,) = complaint.collect_events()
    assert isinstance(listed, HearingScheduled)
    assert (listed.diwas, listed.on, listed.post) == (day, session.starts_at, "PHED-JAI-L1")
    assert listed.actor.role == "citizen"  # at the complainant's request
    with pytest.raises(IllegalMove, match="already scheduled"):
        complaint.list_for_diwas(
            by=JAIPUR_COLLECTOR, day=day, mode=HearingMode.VIDEO, directory=directory, at=START
        )
