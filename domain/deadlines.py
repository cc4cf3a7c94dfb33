"""What the clock does to a complaint: the deadline rules, in one place.

Each level has a deadline (`domain/sla.py`). When it nears, the holder is warned once: the
warning lead (48 hours by default) is capped at a quarter of the time the holder was given,
so a short deadline is warned of when three quarters of it have gone, never as it is set. When
it passes, the complaint climbs by itself to the next post of its department's chain: L1
officer, L2 higher officer, L3 head of department, L4 state government. A scheduler that was
down catches up: the complaint climbs once per deadline that passed, each new deadline counted
from the one before, so it ends where it belongs. At L4 there is nowhere higher: the missed
deadline is marked and the complaint stays overdue there. When the next post is missing or
vacant the climb is blocked: the complaint stays with its holder, flagged for the admins.

A disposed complaint the complainant leaves unanswered is closed when the feedback window
ends; each morning the complaints most in need go to their department secretary's review.

The scheduler only asks; every rule here checks the complaint's own state against the time
given, so a stale read model or a second scheduler cannot make a wrong or double move.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, cast

from eventsourcing.domain import Aggregate

from domain import sla
from domain.directory import Directory, Post
from domain.errors import Forbidden
from domain.events import (
    Closed,
    DeadlineApproaching,
    DeadlineMissed,
    Escalated,
    EscalationBlocked,
    QueuedForReview,
)
from domain.permissions import permits
from domain.values import (
    HIGH_PRIORITY_CHANNELS,
    MAX_LEVEL,
    OPEN_STATUSES,
    Channel,
    Identity,
    Resolution,
    RoutingGap,
    Status,
    Trigger,
)

if TYPE_CHECKING:
    from domain.complaint import Complaint

WARNING_SHARE = 0.25  # a warning comes at most this share of the time allowed before it


def warning_lead(lead: timedelta, allowed: timedelta) -> timedelta:
    """How long before a deadline its holder is warned: `lead`, but never more than a
    quarter of `allowed`, the time from the moment the deadline was set to the deadline."""
    return min(lead, allowed * WARNING_SHARE)


class DeadlineRules(Aggregate):
    """The part of a complaint that the scheduler moves; `Complaint` holds the rest."""

    if TYPE_CHECKING:  # set in Complaint.__init__ (the library must not see class fields)
        department: str
        category: str
        district: str
        channel: Channel
        status: Status
        level: int
        holder: str | None
        due_at: datetime | None
        filed_at: datetime | None
        due_since: datetime | None  # when the current deadline was set
        resolution: Resolution | None
        warned_due_at: datetime | None  # the deadline the holder was last warned of
        stalled_due_at: datetime | None  # a passed deadline that could not move it higher
        gap: RoutingGap | None  # why the climb was last blocked
        review_day: date | None  # the last day it was queued for the secretary's review

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def due(self, directory: Directory, level: int, start: datetime) -> datetime:
        """The deadline at `level` for a complaint held there from `start`."""
        return sla.due_at(
            directory.sla(self.department, self.category),
            level,
            start,
            calendar=directory.calendar(),
            urgent=self.channel in HIGH_PRIORITY_CHANNELS,
        )

    def pass_deadlines(self, *, by: Identity, directory: Directory, at: datetime) -> None:
        """Climb one level for each deadline that has passed by `at`; nothing if none has."""
        _require(by, self, "pass_deadlines")
        while self.is_open and self.due_at is not None and self.due_at <= at:
            missed = self.due_at
            retrying = self.stalled_due_at == missed
            if self.level >= MAX_LEVEL:
                if not retrying:
                    self.trigger_event(
                        DeadlineMissed,
                        timestamp=at,
                        actor=by.actor,
                        level=self.level,
                        holder=self.holder,
                        missed_due_at=missed,
                    )
                return
            post, gap = self.next_post(directory)
            if post is None or gap is not None:
                if not retrying:
                    self.trigger_event(
                        EscalationBlocked,
                        timestamp=at,
                        actor=by.actor,
                        level=self.level,
                        to_level=self.level + 1,
                        holder=self.holder,
                        missed_due_at=missed,
                        post=post.id if post else None,
                        reason=gap,
                    )
                return
            # A climb that waited on a directory gap starts the new holder's clock now: they
            # never had the complaint. Otherwise each deadline counts from the one before.
            self.climb(
                by,
                post,
                directory,
                at,
                clock_from=at if retrying else missed,
                reason=f"the level-{self.level} deadline {missed.isoformat()} passed",
                trigger=Trigger.DEADLINE,
                missed_due_at=missed,
            )

    def next_post(self, directory: Directory) -> tuple[Post | None, str | None]:
        """The post one level up the chain, and why it cannot take the complaint, if so
        (missing from the directory, or vacant)."""
        to_level = self.level + 1
        post = directory.post_at_level(self.department, self.district, to_level)
        if post is None:
            return None, (
                f"the directory has no level-{to_level} post for {self.department!r} "
                f"in {self.district!r}"
            )
        if post.holder is None:
            return post, f"the level-{to_level} post {post.id!r} is vacant"
        return post, None

    def climb(
        self,
        by: Identity,
        post: Post,
        directory: Directory,
        at: datetime,
        *,
        clock_from: datetime,
        reason: str,
        trigger: Trigger,
        missed_due_at: datetime | None = None,
    ) -> None:
        """Up one level, to `post`, with its deadline counted from `clock_from`."""
        self.trigger_event(
            Escalated,
            timestamp=at,
            actor=by.actor,
            from_level=self.level,
            to_level=post.level,
            holder=post.id,
            due_at=self.due(directory, post.level, clock_from),
            reason=reason,
            trigger=trigger,
            missed_due_at=missed_due_at,
        )

    def warn_of_deadline(self, *, by: Identity, lead: timedelta, at: datetime) -> None:
        """Once per deadline, `lead` before it (at most a quarter of the time allowed: see
        `warning_lead`); not once it has passed (it climbs instead)."""
        _require(by, self, "warn_of_deadline")
        due = self.due_at
        if not self.is_open or due is None or self.warned_due_at == due:
            return
        since = self.due_since or self.filed_at or due - lead / WARNING_SHARE
        if due - warning_lead(lead, due - since) <= at < due:
            self.trigger_event(
                DeadlineApproaching,
                timestamp=at,
                actor=by.actor,
                level=self.level,
                holder=self.holder,
                due_at=due,
            )

    def close_unanswered(self, *, by: Identity, at: datetime) -> None:
        """A disposal still awaiting the complainant when the feedback window ends is final."""
        _require(by, self, "close_unanswered")
        if self.status != Status.RESOLVED or self.resolution is None:
            return
        if at < self.resolution.feedback_until:
            return
        self.trigger_event(
            Closed,
            timestamp=at,
            actor=by.actor,
            reason="the feedback window ended without the complainant reopening the complaint",
            trigger=Trigger.FEEDBACK_WINDOW_EXPIRED,
        )

    def queue_for_review(self, *, by: Identity, day: date, rank: int, at: datetime) -> None:
        """Put a pending complaint on its secretary's list for `day`, at most once that day."""
        _require(by, self, "queue_for_review")
        if not self.is_open or self.review_day == day:
            return
        self.trigger_event(
            QueuedForReview,
            timestamp=at,
            actor=by.actor,
            day=day,
            department=self.department,
            rank=rank,
        )


def _require(by: Identity, complaint: DeadlineRules, action: str) -> None:
    if not permits(by, action, cast("Complaint", complaint)):
        raise Forbidden(f"only the scheduler may {action.replace('_', ' ')}")
