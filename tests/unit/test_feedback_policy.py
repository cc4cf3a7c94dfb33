"""A complainant who is not satisfied: back to the officer, and the second time also up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.complaint import Complaint
from domain.directory import Directory
from domain.events import Escalated, FeedbackGiven, Reopened
from domain.feedback import Unsatisfied
from domain.values import Attachment, Outcome, Status, Trigger
from tests.support import JAIPUR_WATER_L2, JAIPUR_WATER_OFFICER, START, citizen
from tests.unit import world

RAMESH = citizen("9876543210")
PHOTO = Attachment(sha256="c" * 64, filename="valve.jpg", media_type="image/jpeg", size=900)


@pytest.fixture
def directory() -> Directory:
    return world.directory()


def disposed(complaint: Complaint, by: object = JAIPUR_WATER_OFFICER) -> None:
    complaint.resolve(
        by=by,  # type: ignore[arg-type]
        outcome=Outcome.RELIEF,
        action_taken="Valve repaired",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=START + timedelta(hours=1),
    )
    complaint.collect_events()


def unhappy(complaint: Complaint, directory: Directory, policy: Unsatisfied) -> list[object]:
    complaint.give_feedback(
        by=RAMESH,
        satisfied=False,
        rating=1,
        comment="Still no water",
        at=START + timedelta(hours=2),
        directory=directory,
        policy=policy,
    )
    return list(complaint.collect_events())


def test_the_first_not_satisfied_sends_it_back_to_the_officer(directory: Directory) -> None:
    complaint = world.file(directory, RAMESH)
    disposed(complaint)
    events = unhappy(complaint, directory, Unsatisfied.REOPEN_THEN_APPEAL)
    assert [type(e) for e in events] == [FeedbackGiven, Reopened]
    assert (complaint.status, complaint.holder, complaint.level) == (
        Status.REOPENED,
        "PHED-JAI-L1",
        1,
    )
    assert events[1].actor == RAMESH.actor  # type: ignore[attr-defined]


def test_the_second_not_satisfied_is_an_appeal_one_level_up(directory: Directory) -> None:
    complaint = world.file(directory, RAMESH)
    disposed(complaint)
    unhappy(complaint, directory, Unsatisfied.REOPEN_THEN_APPEAL)
    disposed(complaint)
    events = unhappy(complaint, directory, Unsatisfied.REOPEN_THEN_APPEAL)
    assert [type(e) for e in events] == [FeedbackGiven, Reopened, Escalated]
    appeal = events[2]
    assert appeal.trigger == Trigger.APPEAL  # type: ignore[attr-defined]
    assert (complaint.level, complaint.holder) == (2, "PHED-JAI-L2")
    # And the higher officer now holds it: they may dispose of it in turn.
    disposed(complaint, by=JAIPUR_WATER_L2)
    assert complaint.status == Status.RESOLVED


def test_a_reopen_only_policy_never_appeals(directory: Directory) -> None:
    complaint = world.file(directory, RAMESH)
    for _ in range(2):
        disposed(complaint)
        events = unhappy(complaint, directory, Unsatisfied.REOPEN)
        assert [type(e) for e in events] == [FeedbackGiven, Reopened]
    assert complaint.level == 1


def test_a_record_only_policy_leaves_the_disposal_standing(directory: Directory) -> None:
    complaint = world.file(directory, RAMESH)
    disposed(complaint)
    assert [type(e) for e in unhappy(complaint, directory, Unsatisfied.RECORD)] == [FeedbackGiven]
    assert complaint.status == Status.RESOLVED
