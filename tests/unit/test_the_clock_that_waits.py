"""The clock that waits: a question to the complainant stops the deadline, the answer starts
it again with the time that was left, and an unanswered question lets the holder dispose.

The aggregate alone, with times given by the test (an injected clock): no scheduler, no
database.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.clarification import ANSWER_WITHIN
from domain.complaint import Complaint
from domain.directory import Directory
from domain.errors import Forbidden, IllegalMove, InvalidCommand, NotFound
from domain.events import (
    ClarificationAnswered,
    ClarificationLapsed,
    ClarificationSought,
    Escalated,
    InterimReplied,
    Resolved,
)
from domain.values import SCHEDULER, Attachment, Outcome, Status
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR, START, WATER_HEAD, citizen
from tests.unit import world

RAMESH = citizen("9876543210")
SOMEONE_ELSE = citizen("9812345678")
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
PHOTO = Attachment(sha256="b" * 64, filename="tank.jpg", media_type="image/jpeg", size=1024)
WEEK = timedelta(days=7)


@pytest.fixture
def directory() -> Directory:
    return world.directory()


@pytest.fixture
def complaint(directory: Directory) -> Complaint:
    """Jaipur water supply, with the level-1 officer: due 3 days after START."""
    filed = world.file(directory, RAMESH)
    filed.collect_events()
    assert filed.due_at == START + 3 * DAY
    return filed


def ask(complaint: Complaint, at_offset: timedelta) -> None:
    complaint.seek_clarification(
        by=JAIPUR_WATER_OFFICER,
        question="Please send a photo of the last water bill",
        at=START + at_offset,
    )


def test_a_question_stops_the_clock_and_nothing_climbs_while_it_waits(
    directory: Directory, complaint: Complaint
) -> None:
    ask(complaint, 1 * DAY)
    (sought,) = complaint.collect_events()
    assert isinstance(sought, ClarificationSought)
    assert sought.paused_due_at == START + 3 * DAY
    assert sought.answer_by == START + DAY + ANSWER_WITHIN
    assert complaint.due_at is None and complaint.is_waiting

    # Ten days on, long past the old deadline: the clockwork moves nothing and warns no one.
    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 10 * DAY)
    complaint.warn_of_deadline(by=SCHEDULER, lead=2 * DAY, at=START + 10 * DAY)
    assert complaint.collect_events() == []
    assert complaint.level == 1 and complaint.holder == "PHED-JAI-L1"


def test_the_answer_starts_the_clock_again_with_the_time_that_was_left(
    directory: Directory, complaint: Complaint
) -> None:
    ask(complaint, 1 * DAY)  # two days were left
    complaint.answer_clarification(by=RAMESH, answer="Sent the bill by post", at=START + 6 * DAY)
    _, answered = complaint.collect_events()
    assert isinstance(answered, ClarificationAnswered)
    assert answered.paused_seconds == int((5 * DAY).total_seconds())
    assert complaint.due_at == START + 8 * DAY  # 6 days + the 2 that were left
    assert complaint.paused_seconds == 5 * 86_400 and not complaint.is_waiting

    # Before the resumed deadline nothing moves; after it, the complaint climbs as ever.
    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 8 * DAY - HOUR)
    assert complaint.collect_events() == []
    complaint.pass_deadlines(by=SCHEDULER, directory=directory, at=START + 8 * DAY)
    (climbed,) = complaint.collect_events()
    assert isinstance(climbed, Escalated) and climbed.missed_due_at == START + 8 * DAY


def test_a_question_asked_after_the_deadline_leaves_no_time_to_add(
    directory: Directory, complaint: Complaint
) -> None:
    """The scheduler was slow: the deadline had passed when the question was asked. The
    answer does not give the holder new time; the complaint climbs at the next scan."""
    ask(complaint, 3 * DAY + HOUR)
    complaint.answer_clarification(by=RAMESH, answer="here", at=START + 5 * DAY)
    assert complaint.due_at == START + 5 * DAY


def test_while_it_waits_the_complaint_is_not_moved_or_disposed(complaint: Complaint) -> None:
    ask(complaint, DAY)
    with pytest.raises(IllegalMove, match="waits for the complainant's answer"):
        complaint.resolve(
            by=JAIPUR_WATER_OFFICER,
            outcome=Outcome.RELIEF,
            action_taken="Supply restored",
            evidence=(PHOTO,),
            feedback_window=WEEK,
            at=START + 2 * DAY,
        )
    with pytest.raises(IllegalMove, match="waits"):
        ask(complaint, 2 * DAY)  # one question at a time


def test_only_the_holder_asks_and_only_the_complainant_or_an_office_answers(
    complaint: Complaint,
) -> None:
    with pytest.raises(Forbidden):
        complaint.seek_clarification(by=WATER_HEAD, question="?", at=START)
    with pytest.raises(Forbidden):
        complaint.seek_clarification(by=RAMESH, question="?", at=START)
    with pytest.raises(InvalidCommand) as empty:
        complaint.seek_clarification(by=JAIPUR_WATER_OFFICER, question="  ", at=START)
    assert empty.value.field == "question"
    ask(complaint, DAY)
    with pytest.raises(NotFound):  # another citizen learns nothing of it
        complaint.answer_clarification(by=SOMEONE_ELSE, answer="me", at=START + 2 * DAY)
    complaint.answer_clarification(by=OPERATOR, answer="told 181", at=START + 2 * DAY)
    with pytest.raises(IllegalMove, match="no question waits"):
        complaint.answer_clarification(by=RAMESH, answer="again", at=START + 3 * DAY)


def test_unanswered_in_time_the_holder_may_dispose_of_it_as_such(complaint: Complaint) -> None:
    ask(complaint, DAY)
    with pytest.raises(IllegalMove, match="may answer until"):
        complaint.dispose_unanswered(
            by=JAIPUR_WATER_OFFICER, feedback_window=WEEK, at=START + DAY + ANSWER_WITHIN - HOUR
        )
    complaint.collect_events()
    complaint.dispose_unanswered(
        by=JAIPUR_WATER_OFFICER, feedback_window=WEEK, at=START + DAY + ANSWER_WITHIN
    )
    lapsed, resolved = complaint.collect_events()
    assert isinstance(lapsed, ClarificationLapsed)
    assert lapsed.paused_seconds == int(ANSWER_WITHIN.total_seconds())
    assert isinstance(resolved, Resolved) and resolved.outcome == Outcome.REJECTED
    assert "water bill" in resolved.action_taken
    assert complaint.status == Status.RESOLVED and not complaint.is_waiting


def test_an_interim_reply_keeps_the_complaint_open_and_its_clock_running(
    complaint: Complaint,
) -> None:
    complaint.reply_interim(
        by=JAIPUR_WATER_OFFICER, note="The pipeline repair is sanctioned", at=START + DAY
    )
    (reply,) = complaint.collect_events()
    assert isinstance(reply, InterimReplied)
    assert complaint.is_open and complaint.due_at == START + 3 * DAY
