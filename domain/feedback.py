"""The complainant's word on a disposal, and what follows from it.

Satisfied: the complaint is closed. Not satisfied: the policy decides. By default the first
"not satisfied" sends it back to the officer who disposed of it, and a second one (after the
next disposal) is an appeal: it goes back and up one level, as CPGRAMS does.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, cast

from domain import access
from domain.deadlines import DeadlineRules
from domain.directory import Directory
from domain.errors import IllegalMove, InvalidCommand
from domain.events import Closed, FeedbackGiven, Reopened
from domain.inputs import MAX_RATING, MIN_RATING
from domain.values import MAX_LEVEL, Feedback, Identity, Status, Trigger

if TYPE_CHECKING:
    from domain.complaint import Complaint


class Unsatisfied(StrEnum):
    """What a "not satisfied" answer does."""

    RECORD = "record"  # nothing more: the complainant or an official may reopen
    REOPEN = "reopen"  # back to the officer who disposed of it, every time
    REOPEN_THEN_APPEAL = "reopen_then_appeal"  # the first time back; after that also up a level


class FeedbackRules(DeadlineRules):
    if TYPE_CHECKING:
        feedback: Feedback | None
        reopen_count: int
        unsatisfied_count: int

    def give_feedback(
        self,
        *,
        by: Identity,
        satisfied: bool,
        rating: int | None,
        comment: str | None,
        at: datetime,
        directory: Directory | None = None,
        policy: Unsatisfied = Unsatisfied.RECORD,
    ) -> None:
        """The complainant's word, once per disposal (or an operator's, for them). A rating
        is recorded only when one was given: a "satisfied" button is not a 5."""
        access.require(by, cast("Complaint", self), "give_feedback")
        if self.status != Status.RESOLVED:
            raise IllegalMove(f"feedback comes after disposal; the complaint is {self.status}")
        if self.feedback is not None:
            raise IllegalMove("feedback was already given for this disposal")
        if rating is not None and not MIN_RATING <= rating <= MAX_RATING:
            raise InvalidCommand("rating must be between 1 and 5", field="rating")
        comment = comment.strip() if comment and comment.strip() else None
        self.trigger_event(
            FeedbackGiven,
            timestamp=at,
            actor=by.actor,
            satisfied=satisfied,
            rating=rating,
            comment=comment,
        )
        if satisfied:
            self.trigger_event(
                Closed,
                timestamp=at,
                actor=by.actor,
                reason="the complainant is satisfied with the action taken",
                trigger=Trigger.FEEDBACK_SATISFIED,
            )
            return
        if policy == Unsatisfied.RECORD or directory is None:
            return
        self.reopen_to_resolver(
            by, "the complainant is not satisfied with the action taken", directory, at
        )
        if policy == Unsatisfied.REOPEN_THEN_APPEAL and self.unsatisfied_count > 1:
            self._appeal(by, directory, at)

    def reopen_to_resolver(
        self, by: Identity, reason: str, directory: Directory, at: datetime
    ) -> None:
        assert self.resolution is not None
        level = self.resolution.level
        self.trigger_event(
            Reopened,
            timestamp=at,
            actor=by.actor,
            reason=reason,
            holder=self.resolution.resolved_by,
            level=level,
            due_at=self.due(directory, level, at),
            reopen_count=self.reopen_count + 1,
        )

    def _appeal(self, by: Identity, directory: Directory, at: datetime) -> None:
        """Up one level, if there is a level and a post holder to take it."""
        if self.level >= MAX_LEVEL:
            return
        post, gap = self.next_post(directory)
        if post is None or gap is not None:
            return  # it stays reopened with its officer; the gap shows at its next deadline
        self.climb(
            by,
            post,
            directory,
            at,
            clock_from=at,
            reason=f"appeal: not satisfied {self.unsatisfied_count} times",
            trigger=Trigger.APPEAL,
        )
