"""The clock that waits: an officer asks the complainant for something, and the deadline stops.

As CPGRAMS does, the holder of a complaint may ask its complainant for information or a
document. From the question until the answer the complaint's deadline is paused: it is not
overdue, it does not climb, no one is warned. The answer (by WhatsApp, on the report page,
through the API, or taken down by the office from a call) starts the clock again with the time
that was left when it stopped: a deadline 3 days away when the question was asked is 3 days
away when the answer comes.

The complainant has `ANSWER_WITHIN` to answer. Until then the complaint waits and nothing else
moves it (no transfer, reassignment, escalation or disposal: the question is the holder's, and
the answer is awaited). Once that time has passed unanswered, the holder may dispose of the
complaint as unanswered: the wait ends (`ClarificationLapsed`) and the disposal is recorded
with the outcome `rejected` and the question asked as the action taken.

An interim reply (`InterimReplied`) is something else: the complaint stays open, its clock
runs, and the complainant is told where it stands.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from eventsourcing.domain import Aggregate

from domain import access
from domain.errors import IllegalMove, InvalidCommand
from domain.events import (
    ClarificationAnswered,
    ClarificationLapsed,
    ClarificationSought,
    InterimReplied,
    Resolved,
)
from domain.values import Clarification, Identity, Outcome, Status

if TYPE_CHECKING:
    from domain.complaint import Complaint

# How long the complainant has to answer before the complaint may be disposed of unanswered.
ANSWER_WITHIN = timedelta(days=15)


def _text(value: str, field: str) -> str:
    if not value.strip():
        raise InvalidCommand(f"{field} must not be empty", field=field)
    return value.strip()


def time_left(clarification: Clarification) -> timedelta | None:
    """What was left of the deadline when the clock stopped (None: there was none)."""
    if clarification.paused_due_at is None:
        return None
    return max(clarification.paused_due_at - clarification.asked_at, timedelta(0))


class ClarificationRules(Aggregate):
    """The part of a complaint that waits for its complainant."""

    if TYPE_CHECKING:  # set in Complaint.__init__
        status: Status
        holder: str | None
        level: int
        due_at: datetime | None
        due_since: datetime | None
        clarification: Clarification | None
        paused_seconds: int
        interim_count: int

    @property
    def is_waiting(self) -> bool:
        """Whether the complaint waits for its complainant's answer (its clock stopped)."""
        return self.clarification is not None

    def require_not_waiting(self, action: str) -> None:
        """Refuse a move while the complaint waits for its complainant's answer."""
        if self.clarification is None:
            return
        raise IllegalMove(
            f"cannot {action} the complaint: it waits for the complainant's answer to the "
            f"question asked at {self.clarification.asked_at.isoformat(timespec='seconds')}; "
            "record the answer, or once "
            f"{self.clarification.answer_by.isoformat(timespec='seconds')} has passed "
            "dispose of it as unanswered"
        )

    def seek_clarification(self, *, by: Identity, question: str, at: datetime) -> None:
        """The holder asks the complainant for information or a document: the clock stops."""
        access.require(by, cast("Complaint", self), "clarify")
        if self.status not in (Status.ASSIGNED, Status.REOPENED):
            raise IllegalMove(f"only a complaint with an officer can wait; it is {self.status}")
        if self.clarification is not None:
            raise IllegalMove("the complaint already waits for the complainant's answer")
        self.trigger_event(
            ClarificationSought,
            timestamp=at,
            actor=by.actor,
            question=_text(question, "question"),
            answer_by=at + ANSWER_WITHIN,
            paused_due_at=self.due_at,
            holder=self.holder,
        )

    def answer_clarification(self, *, by: Identity, answer: str, at: datetime) -> None:
        """The complainant's answer (or the office's note of it): the clock runs again with
        the time that was left."""
        access.require(by, cast("Complaint", self), "answer")
        waiting = self.clarification
        if waiting is None:
            raise IllegalMove("no question waits for an answer on this complaint")
        left = time_left(waiting)
        self.trigger_event(
            ClarificationAnswered,
            timestamp=at,
            actor=by.actor,
            answer=_text(answer, "answer"),
            due_at=None if left is None else at + left,
            paused_seconds=_seconds(at - waiting.asked_at),
        )

    def dispose_unanswered(self, *, by: Identity, feedback_window: timedelta, at: datetime) -> None:
        """The complainant did not answer in `ANSWER_WITHIN`: the holder disposes of the
        complaint as such (outcome `rejected`, the question as the action taken)."""
        access.require(by, cast("Complaint", self), "resolve")
        waiting = self.clarification
        if waiting is None:
            raise IllegalMove("no question waits for an answer on this complaint")
        if at < waiting.answer_by:
            raise IllegalMove(
                "the complainant may answer until "
                f"{waiting.answer_by.isoformat(timespec='seconds')}"
            )
        self.trigger_event(
            ClarificationLapsed,
            timestamp=at,
            actor=by.actor,
            paused_seconds=_seconds(at - waiting.asked_at),
        )
        self.trigger_event(
            Resolved,
            timestamp=at,
            actor=by.actor,
            outcome=Outcome.REJECTED,
            action_taken=(
                "Disposed of unanswered: the complainant was asked on "
                f"{waiting.asked_at.isoformat(timespec='seconds')} and did not answer by "
                f"{waiting.answer_by.isoformat(timespec='seconds')}: {waiting.question}"
            ),
            evidence=(),
            resolved_by=self.holder,
            level=self.level,
            feedback_until=at + feedback_window,
        )

    def reply_interim(self, *, by: Identity, note: str, at: datetime) -> None:
        """An interim reply: the complaint stays open (its clock runs); the complainant is told."""
        access.require(by, cast("Complaint", self), "interim_reply")
        if self.status not in (Status.ASSIGNED, Status.REOPENED, Status.UNASSIGNED):
            raise IllegalMove(f"an interim reply is for an open complaint; it is {self.status}")
        self.trigger_event(InterimReplied, timestamp=at, actor=by.actor, note=_text(note, "note"))


def _seconds(span: timedelta) -> int:
    return max(int(span.total_seconds()), 0)
