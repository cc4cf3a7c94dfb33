"""The events of a complaint's life: the public contract (see docs/events.md).

Every event carries the actor (id and role, from the authenticated identity) and its time
(`timestamp`, from the application's clock). Each `apply` says how the event changes the
complaint; the rules that decide whether it may happen live in `domain/complaint.py`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from eventsourcing.domain import Aggregate

from domain.guarantee import (
    Appeal,
    AppealDecision,
    Guarantee,
    Penalty,
    PenaltyBasis,
    ServiceClaim,
)
from domain.location import Location
from domain.values import (
    MIN_LEVEL,
    Actor,
    AssistantChoice,
    Attachment,
    Channel,
    Clarification,
    Complainant,
    Feedback,
    Hearing,
    HearingMode,
    Offered,
    Outcome,
    Priority,
    Resolution,
    RoutingGap,
    Status,
    Trigger,
    Visibility,
)

if TYPE_CHECKING:
    from domain.complaint import Complaint


class ComplaintEvent(Aggregate.Event):
    actor: Actor


class Filed(Aggregate.Created):
    """A citizen (or an operator for one) registered a complaint. Routing follows at once."""

    actor: Actor
    registration_no: str
    complainant: Complainant
    district: str
    department: str
    category: str
    subject: str
    description: str
    channel: Channel
    attachments: tuple[Attachment, ...]
    priority: Priority
    due_at: datetime
    # The assistant's choice, when the filer named no category (docs/assist.md); payloads
    # from before the assistant read as None: the filer chose.
    assistant: AssistantChoice | None = None
    # Where the complaint is (`domain/location.py`); payloads from before read as None.
    location: Location | None = None
    # A complaint about a service notified under the Public Services Guarantee Act
    # (docs/guarantee.md): the service and the day the citizen applied. None: any other.
    service: ServiceClaim | None = None
    # The e-Mitra kiosk or 181 desk of the operator who filed it (the `desk` claim of its
    # token); None for any other filer, and on payloads from before desks were recorded.
    desk: str | None = None

    def apply(self, complaint: Complaint) -> None:
        complaint.guarantee = Guarantee(self.service) if self.service else None
        complaint.registration_no = self.registration_no
        complaint.desk = self.desk
        complaint.complainant = self.complainant
        complaint.district = self.district
        complaint.department = self.department
        complaint.category = self.category
        complaint.subject = self.subject
        complaint.description = self.description
        complaint.channel = self.channel
        complaint.attachments = self.attachments
        complaint.priority = self.priority
        complaint.due_at = self.due_at
        complaint.due_since = self.timestamp
        complaint.filed_at = self.timestamp
        complaint.status = Status.UNASSIGNED
        complaint.level = MIN_LEVEL
        complaint.assistant = self.assistant
        complaint.location = self.location
        complaint.filed_by = self.actor.id
        complaint.awaiting_triage = self.assistant is not None and not self.assistant.routed


class Triaged(ComplaintEvent):
    """The helpline desk chose the department and category of a complaint the assistant
    was not sure of: it goes to that category's level-1 post with a new deadline (the
    filing's routing, completed by a person)."""

    from_department: str
    to_department: str
    from_category: str
    to_category: str
    holder: str | None  # the level-1 post; None: no route, the state-level pool
    due_at: datetime

    def apply(self, complaint: Complaint) -> None:
        complaint.department = self.to_department
        complaint.category = self.to_category
        complaint.holder = self.holder
        complaint.due_at = self.due_at
        complaint.due_since = self.timestamp
        complaint.awaiting_triage = False
        if self.holder is not None and complaint.status == Status.UNASSIGNED:
            complaint.status = Status.ASSIGNED


class Assigned(ComplaintEvent):
    """The complaint was handed to a post: by its route at filing, or by hand from the pool."""

    post: str
    level: int
    due_at: datetime
    trigger: Trigger

    def apply(self, complaint: Complaint) -> None:
        complaint.holder = self.post
        complaint.level = self.level
        complaint.due_at = self.due_at
        complaint.due_since = self.timestamp
        complaint.awaiting_triage = False  # a post of its department took it as it is
        if complaint.status == Status.UNASSIGNED:
            complaint.status = Status.ASSIGNED


class Transferred(ComplaintEvent):
    """Sent to another department: back to level 1 there, with a new deadline."""

    from_department: str
    to_department: str
    from_category: str
    to_category: str
    reason: str
    holder: str | None  # the new department's level-1 post; None: the state-level pool
    due_at: datetime

    def apply(self, complaint: Complaint) -> None:
        complaint.department = self.to_department
        complaint.category = self.to_category
        complaint.holder = self.holder
        complaint.level = MIN_LEVEL
        complaint.due_at = self.due_at
        complaint.due_since = self.timestamp
        complaint.transfer_count += 1
        complaint.awaiting_triage = False
        if self.holder is None:
            complaint.status = Status.UNASSIGNED
        elif complaint.status == Status.UNASSIGNED:
            complaint.status = Status.ASSIGNED


class Escalated(ComplaintEvent):
    """Climbed one level, to the next post of the department's chain."""

    from_level: int
    to_level: int
    holder: str
    due_at: datetime
    reason: str
    trigger: Trigger
    missed_due_at: datetime | None  # the deadline that passed, when the trigger is `deadline`

    def apply(self, complaint: Complaint) -> None:
        complaint.level = self.to_level
        complaint.holder = self.holder
        complaint.due_at = self.due_at
        complaint.due_since = self.timestamp
        complaint.escalation_count += 1
        if complaint.status == Status.UNASSIGNED:
            complaint.status = Status.ASSIGNED


class Resolved(ComplaintEvent):
    """Disposed of by the holder: an outcome, the action taken, and its evidence."""

    outcome: Outcome
    action_taken: str
    evidence: tuple[Attachment, ...]
    resolved_by: str | None
    level: int
    feedback_until: datetime

    def apply(self, complaint: Complaint) -> None:
        complaint.status = Status.RESOLVED
        complaint.resolution = Resolution(
            outcome=self.outcome,
            action_taken=self.action_taken,
            evidence=self.evidence,
            resolved_by=self.resolved_by,
            level=self.level,
            resolved_at=self.timestamp,
            feedback_until=self.feedback_until,
        )
        complaint.feedback = None
        complaint.due_at = None


class FeedbackGiven(ComplaintEvent):
    """The complainant's word on the disposal: satisfied or not, and a rating if they gave
    one (None: a button, or words without a number; payloads from before None was allowed
    all hold a rating, so the widening needs no new version)."""

    satisfied: bool
    rating: int | None
    comment: str | None

    def apply(self, complaint: Complaint) -> None:
        complaint.feedback = Feedback(
            satisfied=self.satisfied, rating=self.rating, comment=self.comment
        )
        if not self.satisfied:
            complaint.unsatisfied_count += 1


class Reopened(ComplaintEvent):
    """Sent back to the officer who disposed of it, with a new deadline."""

    reason: str
    holder: str | None
    level: int
    due_at: datetime
    reopen_count: int

    def apply(self, complaint: Complaint) -> None:
        complaint.status = Status.REOPENED if self.holder else Status.UNASSIGNED
        complaint.holder = self.holder
        complaint.level = self.level
        complaint.due_at = self.due_at
        complaint.due_since = self.timestamp
        complaint.reopen_count = self.reopen_count


class Closed(ComplaintEvent):
    reason: str
    trigger: Trigger

    def apply(self, complaint: Complaint) -> None:
        complaint.status = Status.CLOSED
        complaint.due_at = None


class Withdrawn(ComplaintEvent):
    """The complainant withdrew the complaint while it was open, with a reason: it leaves
    the pending work as withdrawn (neither disposed of nor relief), and the post that held
    it is told."""

    reason: str
    holder: str | None  # the post that held it; None: the state-level pool
    level: int

    def apply(self, complaint: Complaint) -> None:
        complaint.status = Status.WITHDRAWN
        complaint.due_at = None


class EvidenceAdded(ComplaintEvent):
    """The complainant (or the helpline for them) added files to an open complaint: a photo
    sent on WhatsApp after filing, say. The files join the complaint's attachments."""

    attachments: tuple[Attachment, ...]

    def apply(self, complaint: Complaint) -> None:
        complaint.attachments = (*complaint.attachments, *self.attachments)


class PriorityRaised(ComplaintEvent):
    reason: str

    def apply(self, complaint: Complaint) -> None:
        complaint.priority = Priority.HIGH


class ReminderReceived(ComplaintEvent):
    """The complainant asked after the complaint (recorded on the timeline, and sent on to
    the post that held it then). Payloads from before `holder` was recorded read as None."""

    note: str | None
    holder: str | None = None  # the post the reminder is for; None: the pool

    def apply(self, complaint: Complaint) -> None:
        complaint.reminder_count += 1
        complaint.reminded_at = self.timestamp  # the next may come a day after it


class Linked(ComplaintEvent):
    """Marked by staff as the same grievance as an earlier complaint: when that one is
    disposed of, this one's complainant is told (`docs/assist.md`, "Duplicates")."""

    duplicate_of: str  # the earlier complaint's id
    duplicate_of_registration_no: str

    def apply(self, complaint: Complaint) -> None:
        complaint.duplicate_of = self.duplicate_of


class FollowOffered(ComplaintEvent):
    """At filing, the assistant found open complaints likely about the same grievance and
    offered them to the complainant to follow (`docs/assist.md`, "Following"): these, and
    a complaint linked to this one, are the only ones it may follow."""

    complaints: tuple[Offered, ...]

    def apply(self, complaint: Complaint) -> None:
        complaint.offered = tuple(o.id for o in self.complaints)


class Followed(ComplaintEvent):
    """The complainant chose to follow an open complaint about the same grievance (one the
    assistant offered, or the one this complaint is linked to): when that one is disposed
    of, they are told, once."""

    following: str  # the followed complaint's id
    following_registration_no: str

    def apply(self, complaint: Complaint) -> None:
        complaint.following = self.following


class CommentAdded(ComplaintEvent):
    """A staff note on the timeline: internal unless its writer marks it public, when the
    complainant reads it too. (`visibility` came later: a note stored without it is
    internal.)"""

    text: str
    visibility: Visibility = Visibility.INTERNAL

    def apply(self, complaint: Complaint) -> None:
        complaint.comment_count += 1


class DeadlineApproaching(ComplaintEvent):
    """The holder's deadline at this level is near: once per deadline, for the reminders."""

    level: int
    holder: str | None
    due_at: datetime

    def apply(self, complaint: Complaint) -> None:
        complaint.warned_due_at = self.due_at


class DeadlineMissed(ComplaintEvent):
    """The deadline at level 4 passed: there is no higher level, so it stays overdue there."""

    level: int
    holder: str | None
    missed_due_at: datetime

    def apply(self, complaint: Complaint) -> None:
        complaint.stalled_due_at = self.missed_due_at
        complaint.gap = None


class EscalationBlocked(ComplaintEvent):
    """A deadline passed but the next post of the chain is missing or vacant: the complaint
    stays with its holder and is listed among the directory's gaps until an admin fills it."""

    level: int
    to_level: int
    holder: str | None
    missed_due_at: datetime
    post: str | None  # the vacant post; None when the chain has no post at that level
    reason: str

    def apply(self, complaint: Complaint) -> None:
        complaint.stalled_due_at = self.missed_due_at
        complaint.gap = RoutingGap(to_level=self.to_level, post=self.post, reason=self.reason)


class QueuedForReview(ComplaintEvent):
    """Chosen for the department secretary's daily review (one of the day's ten)."""

    day: date  # in India
    department: str
    rank: int  # 1 is the most in need of review

    def apply(self, complaint: Complaint) -> None:
        complaint.review_day = self.day


class ReviewRecorded(ComplaintEvent):
    """A secretary reviewed the complaint and noted what must happen."""

    note: str

    def apply(self, complaint: Complaint) -> None:
        complaint.review_count += 1


# --- the Public Services Guarantee Act (docs/guarantee.md; rules in domain/guarantee.py) ---


def _guarantee(complaint: Complaint) -> Guarantee:
    assert complaint.guarantee is not None, "an event of the Act on a complaint outside it"
    return complaint.guarantee


class StipulatedTimePassed(ComplaintEvent):
    """The service's stipulated time passed and the complaint was still undisposed: the
    citizen may appeal to the first appeal officer until `appeal_until`."""

    service: str
    due_on: date
    appeal_until: date

    def apply(self, complaint: Complaint) -> None:
        complaint.guarantee = replace(_guarantee(complaint), lapsed_at=self.timestamp)


class FirstAppealFiled(ComplaintEvent):
    """The citizen appealed to the first appeal officer's post, to be decided by
    `decide_by`."""

    grounds: str
    post: str
    decide_by: datetime

    def apply(self, complaint: Complaint) -> None:
        appeal = Appeal(stage=1, post=self.post, filed_at=self.timestamp, decide_by=self.decide_by)
        complaint.guarantee = _guarantee(complaint).with_appeal(appeal)


class FirstAppealDecided(ComplaintEvent):
    """The first appeal officer allowed the appeal (ordering the service) or dismissed it;
    a second appeal lies until `second_appeal_until`."""

    decision: AppealDecision
    order: str
    post: str
    second_appeal_until: date

    def apply(self, complaint: Complaint) -> None:
        g = _guarantee(complaint)
        assert g.first is not None
        decided = replace(g.first, decision=self.decision, decided_at=self.timestamp)
        complaint.guarantee = g.with_appeal(decided)


class SecondAppealFiled(ComplaintEvent):
    """The citizen appealed to the second appeal authority's post."""

    grounds: str
    post: str
    decide_by: datetime

    def apply(self, complaint: Complaint) -> None:
        appeal = Appeal(stage=2, post=self.post, filed_at=self.timestamp, decide_by=self.decide_by)
        complaint.guarantee = _guarantee(complaint).with_appeal(appeal)


class SecondAppealDecided(ComplaintEvent):
    """The second appeal authority's decision."""

    decision: AppealDecision
    order: str
    post: str

    def apply(self, complaint: Complaint) -> None:
        g = _guarantee(complaint)
        assert g.second is not None
        decided = replace(g.second, decision=self.decision, decided_at=self.timestamp)
        complaint.guarantee = g.with_appeal(decided)


class PenaltyImposed(ComplaintEvent):
    """The second appeal authority fined the designated officer (recovered from salary):
    `amount` rupees by the Act's rule for `basis`; revision lies until `revision_until`."""

    post: str  # the designated officer's post
    officer: str | None  # who held it when the order was made
    basis: PenaltyBasis
    days_late: int
    amount: int
    reasons: str
    revision_until: date

    def apply(self, complaint: Complaint) -> None:
        complaint.guarantee = replace(
            _guarantee(complaint),
            penalty=Penalty(
                post=self.post,
                officer=self.officer,
                basis=self.basis,
                days_late=self.days_late,
                amount=self.amount,
                imposed_at=self.timestamp,
            ),
        )


class RevisionSought(ComplaintEvent):
    """The officer penalised applied for revision of the penalty to the officer the State
    Government nominates."""

    grounds: str
    post: str

    def apply(self, complaint: Complaint) -> None:
        g = _guarantee(complaint)
        assert g.penalty is not None
        complaint.guarantee = replace(
            g, penalty=replace(g.penalty, revision_sought_at=self.timestamp)
        )


GUARANTEE_EVENTS: tuple[type[ComplaintEvent], ...] = (
    StipulatedTimePassed,
    FirstAppealFiled,
    FirstAppealDecided,
    SecondAppealFiled,
    SecondAppealDecided,
    PenaltyImposed,
    RevisionSought,
)


# --- the clock that waits (domain/clarification.py) ---------------------------------------


class ClarificationSought(ComplaintEvent):
    """The holder asked the complainant for information or a document: the complaint's clock
    stops until the answer (`paused_due_at` is the deadline it stopped at)."""

    question: str
    answer_by: datetime  # unanswered after this, the holder may dispose of it as such
    paused_due_at: datetime | None
    holder: str | None

    def apply(self, complaint: Complaint) -> None:
        complaint.clarification = Clarification(
            question=self.question,
            asked_at=self.timestamp,
            answer_by=self.answer_by,
            paused_due_at=self.paused_due_at,
            holder=self.holder,
        )
        complaint.due_at = None


class ClarificationAnswered(ComplaintEvent):
    """The complainant answered (or the office took the answer down): the clock runs again
    with the time that was left, to the new `due_at`."""

    answer: str
    due_at: datetime | None
    paused_seconds: int  # how long the clock was stopped

    def apply(self, complaint: Complaint) -> None:
        complaint.clarification = None
        complaint.due_at = self.due_at
        if complaint.due_since is not None:
            complaint.due_since += timedelta(seconds=self.paused_seconds)
        complaint.paused_seconds += self.paused_seconds


class ClarificationLapsed(ComplaintEvent):
    """The complainant did not answer in time; the holder disposes of the complaint as such
    (a `Resolved` follows in the same change)."""

    paused_seconds: int

    def apply(self, complaint: Complaint) -> None:
        complaint.clarification = None
        complaint.paused_seconds += self.paused_seconds


class InterimReplied(ComplaintEvent):
    """An interim reply to the complainant: the complaint stays open, its clock runs."""

    note: str

    def apply(self, complaint: Complaint) -> None:
        complaint.interim_count += 1


CLARIFICATION_EVENTS: tuple[type[Aggregate.Event], ...] = (
    ClarificationSought,
    ClarificationAnswered,
    ClarificationLapsed,
    InterimReplied,
)


# --- hearings (domain/hearing.py): the Right to Hearing Act, and Rajasthan Sampark Diwas ----


class HearingScheduled(ComplaintEvent):
    """A hearing of the complainant was fixed: when, before which post, in person or by video
    (and, for a Rajasthan Sampark Diwas, which day's session: `diwas`). The complainant is
    told on WhatsApp."""

    number: int
    on: datetime
    post: str
    mode: HearingMode
    diwas: date | None = None

    def apply(self, complaint: Complaint) -> None:
        complaint.hearings = (
            *complaint.hearings,
            Hearing(
                number=self.number, on=self.on, post=self.post, mode=self.mode, diwas=self.diwas
            ),
        )


class HearingHeld(ComplaintEvent):
    """The hearing took place with the complainant (`attended`), or the complainant did not
    come (`attended` false); the directions given (or, if missed, what follows) recorded."""

    number: int
    attended: bool
    directions: str

    def apply(self, complaint: Complaint) -> None:
        complaint.hearings = tuple(
            replace(h, attended=self.attended, directions=self.directions)
            if h.number == self.number
            else h
            for h in complaint.hearings
        )


HEARING_EVENTS: tuple[type[Aggregate.Event], ...] = (HearingScheduled, HearingHeld)


COMPLAINT_EVENTS: tuple[type[Aggregate.Event], ...] = (
    Filed,
    Assigned,
    Transferred,
    Triaged,
    Escalated,
    Resolved,
    FeedbackGiven,
    Reopened,
    Closed,
    PriorityRaised,
    ReminderReceived,
    CommentAdded,
    DeadlineApproaching,
    DeadlineMissed,
    EscalationBlocked,
    QueuedForReview,
    ReviewRecorded,
    Linked,
    Withdrawn,
    FollowOffered,
    Followed,
    *GUARANTEE_EVENTS,
    EvidenceAdded,
    *CLARIFICATION_EVENTS,
    *HEARING_EVENTS,
)
