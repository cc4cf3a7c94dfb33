"""The Complaint aggregate: the rules of a grievance's life, from filing to closure.

Each command checks who is asking (`domain/access.py`) and whether the complaint's state
allows the move, then records one or more events (`domain/events.py`). Time always comes in
as an argument; nothing here reads the clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from domain import access, guarantee, inputs, sla
from domain.appeals import AppealRules
from domain.clarification import ClarificationRules
from domain.directory import Directory, Post
from domain.errors import IllegalMove, InvalidCommand, NotFound
from domain.events import (
    Assigned,
    Closed,
    CommentAdded,
    EvidenceAdded,
    Filed,
    Followed,
    FollowOffered,
    Linked,
    PriorityRaised,
    ReminderReceived,
    Resolved,
    ReviewRecorded,
    Transferred,
    Triaged,
    Withdrawn,
)
from domain.feedback import FeedbackRules
from domain.hearing import HearingRules
from domain.location import Location
from domain.values import (
    ASSISTANT,
    HIGH_PRIORITY_CHANNELS,
    MAX_LEVEL,
    MIN_LEVEL,
    AssistantChoice,
    Attachment,
    Channel,
    Clarification,
    Complainant,
    Feedback,
    Hearing,
    Identity,
    Offered,
    Outcome,
    Priority,
    Resolution,
    RiskRead,
    Role,
    RoutingGap,
    Status,
    Trigger,
    Visibility,
)


def complaint_id(registration_no: str) -> UUID:
    """A complaint's id follows from its registration number, so either finds it."""
    return uuid5(NAMESPACE_URL, f"sampark:complaint:{registration_no}")


# A complainant may remind the officer of a complaint at most once in this time: more would
# only flood the officer's phone (each reminder is a WhatsApp message to the post's holder).
REMINDER_INTERVAL = timedelta(hours=24)


def _text(value: str, field: str) -> str:
    if not value.strip():
        raise InvalidCommand(f"{field} must not be empty", field=field)
    return value.strip()


class Complaint(FeedbackRules, AppealRules, ClarificationRules, HearingRules):
    def __init__(self) -> None:
        self.registration_no = ""
        self.complainant = Complainant(name="", mobile="")
        self.district = ""
        self.department = ""
        self.category = ""
        self.subject = ""
        self.description = ""
        self.channel = Channel.PORTAL
        self.attachments: tuple[Attachment, ...] = ()
        self.priority = Priority.NORMAL
        self.status = Status.UNASSIGNED
        self.level = MIN_LEVEL
        self.holder: str | None = None
        self.due_at: datetime | None = None
        self.due_since: datetime | None = None
        self.filed_at: datetime | None = None
        self.resolution: Resolution | None = None
        self.feedback: Feedback | None = None
        self.reopen_count = 0
        self.escalation_count = 0
        self.transfer_count = 0
        self.reminder_count = 0
        self.reminded_at: datetime | None = None  # the last reminder's time
        self.comment_count = 0
        self.warned_due_at: datetime | None = None
        self.stalled_due_at: datetime | None = None
        self.gap: RoutingGap | None = None
        self.review_day: date | None = None
        self.review_count = 0
        self.unsatisfied_count = 0
        self.assistant: AssistantChoice | None = None  # its choice at filing, if it chose
        self.awaiting_triage = False  # filed without a category the assistant was sure of
        self.duplicate_of: str | None = None  # the id of the earlier complaint it repeats
        self.location: Location | None = None  # where it is, if the filer said
        self.filed_by: str | None = None  # who filed it (the actor's id)
        self.offered: tuple[str, ...] = ()  # open complaints the assistant offered to follow
        self.following: str | None = None  # the id of the complaint its complainant follows
        # Under the Public Services Guarantee Act (domain/appeals.py); None: not about a
        # notified service.
        self.guarantee: guarantee.Guarantee | None = None
        self.desk: str | None = None  # the e-Mitra kiosk or 181 desk that filed it
        self.clarification: Clarification | None = None  # a question awaiting the complainant
        self.paused_seconds = 0  # how long its clock has waited for the complainant, in all
        self.interim_count = 0
        self.hearings: tuple[Hearing, ...] = ()  # scheduled, held or missed (domain/hearing.py)

    # --- filing and routing ------------------------------------------------------------

    @classmethod
    def file(
        cls,
        *,
        by: Identity,
        registration_no: str,
        complainant: Complainant,
        district: str,
        department: str,
        category: str,
        subject: str,
        description: str,
        channel: Channel,
        attachments: tuple[Attachment, ...],
        directory: Directory,
        at: datetime,
        assistant: AssistantChoice | None = None,
        risk: RiskRead | None = None,
        location: Location | None = None,
        offered: tuple[Offered, ...] = (),
        service: str | None = None,
        applied_on: date | None = None,
    ) -> Complaint:
        """Register a complaint and route it at once to its level-1 post, if one is mapped.

        With no route it stays unassigned in the state-level pool: visible, never dropped.
        When the assistant chose the category (`assistant`), the complaint is routed only if
        it was confident; otherwise it waits in the pool for the helpline desk's triage.
        When the assistant read a risk to life or safety, it raises the priority at once
        (its own act on the timeline: `PriorityRaised` by the assistant).
        """
        access.check_filer(by, channel, complainant.mobile)
        directory.check_filing(department, category, district)
        post = directory.level_one_post(department, category, district)
        claim = directory.check_service_claim(
            service, applied_on, department, category, at, post.id if post else None
        )
        complaint = cls._create(
            Filed,
            id=complaint_id(registration_no),
            timestamp=at,
            actor=by.actor,
            registration_no=registration_no,
            complainant=complainant,
            district=district,
            department=department,
            category=category,
            subject=_text(subject, "subject"),
            description=_text(description, "description"),
            channel=channel,
            attachments=attachments,
            priority=Priority.HIGH if channel in HIGH_PRIORITY_CHANNELS else Priority.NORMAL,
            due_at=sla.due_at(
                directory.sla(department, category),
                MIN_LEVEL,
                at,
                calendar=directory.calendar(),
                urgent=channel in HIGH_PRIORITY_CHANNELS,
            ),
            assistant=assistant,
            location=location,
            service=claim,
            desk=by.desk if by.role == Role.OPERATOR else None,
        )
        if post is not None and not complaint.awaiting_triage:
            complaint._assign(by, post, Trigger.ROUTE, directory, at)
        if risk is not None and complaint.priority != Priority.HIGH:
            words = f": {', '.join(risk.reasons)}" if risk.reasons else ""
            complaint.trigger_event(
                PriorityRaised,
                timestamp=at,
                actor=ASSISTANT.actor,
                reason=f"the assistant (model {risk.model_version}, score {risk.score:.2f}) "
                f"read a risk to life or safety{words}",
            )
        if offered:
            complaint.trigger_event(
                FollowOffered, timestamp=at, actor=ASSISTANT.actor, complaints=offered
            )
        return complaint

    def triage(
        self,
        *,
        by: Identity,
        department: str,
        category: str,
        directory: Directory,
        at: datetime,
    ) -> None:
        """The helpline desk's choice for a complaint awaiting triage: its department and
        category, and so its level-1 post and deadline."""
        access.require(by, self, "triage")
        self._require_open("triage")
        self.require_not_waiting("triage")
        if not self.awaiting_triage:
            raise IllegalMove("the complaint is not awaiting triage")
        directory.check_filing(department, category, self.district)
        post = directory.level_one_post(department, category, self.district)
        self.trigger_event(
            Triaged,
            timestamp=at,
            actor=by.actor,
            from_department=self.department,
            to_department=department,
            from_category=self.category,
            to_category=category,
            holder=post.id if post else None,
            due_at=sla.due_at(
                directory.sla(department, category),
                MIN_LEVEL,
                at,
                calendar=directory.calendar(),
                urgent=self.channel in HIGH_PRIORITY_CHANNELS,
            ),
        )

    def assign(self, *, by: Identity, post_id: str, directory: Directory, at: datetime) -> None:
        """Hand the complaint to a post of its own department, e.g. from the unassigned pool."""
        access.require(by, self, "assign")
        self._require_open("assign")
        self.require_not_waiting("assign")
        post = directory.posts.get(post_id)
        if post is None:
            raise InvalidCommand(f"unknown post {post_id!r}", field="post")
        if post.department != self.department:
            raise InvalidCommand(
                f"post {post_id!r} belongs to {post.department!r}; transfer the complaint "
                "to that department instead",
                field="post",
            )
        if post.district not in (None, self.district):
            raise InvalidCommand(f"post {post_id!r} serves another district", field="post")
        if post.id == self.holder:
            raise IllegalMove(f"the complaint is already with {post_id!r}")
        self._assign(by, post, Trigger.MANUAL, directory, at)

    def _assign(
        self, by: Identity, post: Post, trigger: Trigger, directory: Directory, at: datetime
    ) -> None:
        self.trigger_event(
            Assigned,
            timestamp=at,
            actor=by.actor,
            post=post.id,
            level=post.level,
            due_at=self.due(directory, post.level, at),
            trigger=trigger,
        )

    # --- moving between departments and levels ---------------------------------------

    def transfer(
        self,
        *,
        by: Identity,
        department: str,
        category: str | None,
        reason: str,
        directory: Directory,
        at: datetime,
    ) -> None:
        """ "Not my department" is a transfer, never a disposal: back to level 1 elsewhere."""
        access.require(by, self, "transfer")
        self._require_open("transfer")
        self.require_not_waiting("transfer")
        reason = _text(reason, "reason")
        if department == self.department:
            raise InvalidCommand(
                "the complaint is already with that department", field="department"
            )
        if department not in directory.departments:
            raise InvalidCommand(f"unknown department {department!r}", field="department")
        category = category or directory.departments[department].default_category
        if directory.category(department, category) is None:
            raise InvalidCommand(
                f"department {department!r} has no category {category!r}", field="category"
            )
        post = directory.level_one_post(department, category, self.district)
        self.trigger_event(
            Transferred,
            timestamp=at,
            actor=by.actor,
            from_department=self.department,
            to_department=department,
            from_category=self.category,
            to_category=category,
            reason=reason,
            holder=post.id if post else None,
            due_at=sla.due_at(
                directory.sla(department, category),
                MIN_LEVEL,
                at,
                calendar=directory.calendar(),
                urgent=self.channel in HIGH_PRIORITY_CHANNELS,
            ),
        )

    def escalate(
        self,
        *,
        by: Identity,
        reason: str,
        directory: Directory,
        at: datetime,
    ) -> None:
        """Climb one level by hand, to the next post of the department's chain here.

        (When a deadline passes the complaint climbs by itself: `pass_deadlines`.)"""
        access.require(by, self, "escalate")
        self._require_open("escalate")
        self.require_not_waiting("escalate")
        reason = _text(reason, "reason")
        if self.level >= MAX_LEVEL:
            raise IllegalMove("the complaint is already with the state government (level 4)")
        post, gap = self.next_post(directory)
        if post is None or gap is not None:
            raise IllegalMove(gap or "no post to escalate to")
        self.climb(by, post, directory, at, clock_from=at, reason=reason, trigger=Trigger.MANUAL)

    def raise_priority(self, *, by: Identity, reason: str, at: datetime) -> None:
        access.require(by, self, "raise_priority")
        self._require_open("raise the priority of")
        if self.priority == Priority.HIGH:
            raise IllegalMove("the complaint is already high priority")
        self.trigger_event(
            PriorityRaised, timestamp=at, actor=by.actor, reason=_text(reason, "reason")
        )

    # --- disposal, feedback, reopening, closure ---------------------------------------

    def resolve(
        self,
        *,
        by: Identity,
        outcome: Outcome,
        action_taken: str,
        evidence: tuple[Attachment, ...],
        feedback_window: timedelta,
        at: datetime,
    ) -> None:
        """Disposal by the holder, with the action taken and at least one piece of evidence."""
        access.require(by, self, "resolve")
        self._require_open("resolve")
        self.require_not_waiting("resolve")
        action_taken = _text(action_taken, "action_taken")
        if not evidence:
            raise InvalidCommand(
                "a disposal needs at least one document, photo or video of the action taken",
                field="attachments",
            )
        self.trigger_event(
            Resolved,
            timestamp=at,
            actor=by.actor,
            outcome=outcome,
            action_taken=action_taken,
            evidence=evidence,
            resolved_by=self.holder,
            level=self.level,
            feedback_until=at + feedback_window,
        )

    def reopen(self, *, by: Identity, reason: str, directory: Directory, at: datetime) -> None:
        """Back to the officer who disposed of it. The complainant may ask for this only when
        not satisfied and within the feedback window; a collector or department head may
        re-open any disposed complaint of their scope."""
        access.require(by, self, "reopen")
        by_officials = by.role != Role.CITIZEN
        reason = _text(reason, "reason")
        if self.resolution is None or self.status not in (Status.RESOLVED, Status.CLOSED):
            raise IllegalMove(f"only a disposed complaint can be reopened; it is {self.status}")
        if not by_officials:
            if self.status != Status.RESOLVED:
                raise IllegalMove("the complaint is closed; ask the collector to reopen it")
            if self.feedback is not None and self.feedback.satisfied:
                raise IllegalMove("you were satisfied with the disposal")
            if at > self.resolution.feedback_until:
                raise IllegalMove("the feedback window for this disposal has passed")
        self.reopen_to_resolver(by, reason, directory, at)

    def close(self, *, by: Identity, reason: str, at: datetime) -> None:
        """Closed by a collector or an admin, or by the complainant accepting the disposal."""
        access.require(by, self, "close")
        if self.status == Status.CLOSED:
            raise IllegalMove("the complaint is already closed")
        if self.status != Status.RESOLVED:
            raise IllegalMove(
                "an undisposed complaint cannot be closed; it must be resolved or transferred"
            )
        self.trigger_event(
            Closed,
            timestamp=at,
            actor=by.actor,
            reason=_text(reason, "reason"),
            trigger=Trigger.MANUAL,
        )

    def withdraw(self, *, by: Identity, reason: str, at: datetime) -> None:
        """The complainant takes back an open complaint, saying why. Only the complainant:
        a withdrawal ends the state's duty to act, so it must come from the one who asked
        (its own login, the signed report link, or its own WhatsApp number), never from an
        office or the helpline on its word (`docs/security.md`)."""
        access.require(by, self, "withdraw")
        self._require_open("withdraw")
        # A complaint waiting for its complainant's answer ends its wait only by an answer or
        # a lapse (docs/hearings.md), which the figures of waiting count.
        self.require_not_waiting("withdraw")
        self.trigger_event(
            Withdrawn,
            timestamp=at,
            actor=by.actor,
            reason=inputs.REASON.clean(reason, "reason").strip(),
            holder=self.holder,
            level=self.level,
        )

    def add_evidence(
        self, *, by: Identity, attachments: tuple[Attachment, ...], at: datetime
    ) -> None:
        """Files the complainant adds to its open complaint (at most `MAX_EVIDENCE` in all)."""
        access.require(by, self, "add_evidence")
        self._require_open("add evidence to")
        if not attachments:
            raise InvalidCommand("name at least one file to add", field="attachments")
        if len(self.attachments) + len(attachments) > inputs.MAX_EVIDENCE:
            raise InvalidCommand(
                f"a complaint holds at most {inputs.MAX_EVIDENCE} files", field="attachments"
            )
        self.trigger_event(EvidenceAdded, timestamp=at, actor=by.actor, attachments=attachments)

    # --- the timeline's other entries --------------------------------------------------

    def remind(self, *, by: Identity, note: str | None, at: datetime) -> None:
        """The complainant (or an operator for them) asks after the complaint: at most once
        in `REMINDER_INTERVAL`, whoever sent the previous one."""
        access.require(by, self, "remind")
        self._require_open("send a reminder on")
        if self.reminded_at is not None and at < self.reminded_at + REMINDER_INTERVAL:
            hours = REMINDER_INTERVAL / timedelta(hours=1)
            raise IllegalMove(
                f"a reminder was sent at {self.reminded_at.isoformat(timespec='seconds')}; "
                f"one reminder per {hours:g} hours: the next can be sent from "
                f"{(self.reminded_at + REMINDER_INTERVAL).isoformat(timespec='seconds')}"
            )
        note = note.strip() if note and note.strip() else None
        self.trigger_event(
            ReminderReceived, timestamp=at, actor=by.actor, note=note, holder=self.holder
        )

    def comment(
        self,
        *,
        by: Identity,
        text: str,
        at: datetime,
        visibility: Visibility = Visibility.INTERNAL,
    ) -> None:
        """A note for the offices; marked public, for the complainant too."""
        access.require(by, self, "comment")
        self.trigger_event(
            CommentAdded,
            timestamp=at,
            actor=by.actor,
            text=_text(text, "text"),
            visibility=visibility,
        )

    def link(self, *, by: Identity, first: Complaint, at: datetime) -> None:
        """The same grievance as `first`, an earlier complaint the caller may see."""
        access.require(by, self, "link")
        self._require_open("link")
        if not access.may_see(by, first):
            raise InvalidCommand("no such complaint to link to", field="duplicate_of")
        if first.id == self.id:
            raise InvalidCommand("a complaint is not a duplicate of itself", field="duplicate_of")
        if first.duplicate_of is not None:
            raise InvalidCommand(
                "that complaint is itself linked to an earlier one: link to that one",
                field="duplicate_of",
            )
        if self.duplicate_of == str(first.id):
            raise IllegalMove("the complaint is already linked to that one")
        if self.duplicate_of is not None:
            raise IllegalMove("the complaint is already linked to another one")
        self.trigger_event(
            Linked,
            timestamp=at,
            actor=by.actor,
            duplicate_of=str(first.id),
            duplicate_of_registration_no=first.registration_no,
        )

    def follow(self, *, by: Identity, first: Complaint | None, at: datetime) -> None:
        """The complainant follows `first`, an open complaint about the same grievance: one
        the assistant offered at filing, or the one this complaint is linked to. Any other
        (or none at all) is the same "no such complaint": an id cannot be fished for."""
        access.require(by, self, "follow")
        if first is None or str(first.id) not in (*self.offered, self.duplicate_of):
            raise NotFound("no such complaint to follow")
        if self.following == str(first.id):
            raise IllegalMove(f"you already follow complaint {first.registration_no}")
        if self.following is not None:
            raise IllegalMove("you already follow another complaint")
        if self.duplicate_of not in (None, str(first.id)):
            raise IllegalMove(
                "your complaint is linked to another one: you will be told of its disposal"
            )
        if not first.is_open:
            raise IllegalMove(f"complaint {first.registration_no} is no longer open")
        self.trigger_event(
            Followed,
            timestamp=at,
            actor=by.actor,
            following=str(first.id),
            following_registration_no=first.registration_no,
        )

    def record_review(self, *, by: Identity, note: str, at: datetime) -> None:
        """A secretary's review of a complaint of their department, with what must happen."""
        access.require(by, self, "review")
        self.trigger_event(ReviewRecorded, timestamp=at, actor=by.actor, note=_text(note, "note"))

    # --- helpers -----------------------------------------------------------------------

    def _require_open(self, action: str) -> None:
        if not self.is_open:
            raise IllegalMove(f"cannot {action} a complaint that is {self.status}")
