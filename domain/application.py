"""The Sampark application: the commands frontends send, over the event store.

Each command loads the complaint, lets the aggregate decide, and saves its new events in one
transaction. A write that loses a race (optimistic concurrency on the complaint's version)
raises `VersionConflict`: never a lost update. A command's `recorded_with` travels to the
recorder with the events (an idempotency receipt), stored in that same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain import access
from domain.access import NO_SUCH_COMPLAINT, check_filer, check_reaches, check_sees
from domain.complaint import Complaint
from domain.directory import Directory
from domain.directory_keeping import DirectoryKeeping
from domain.errors import DomainError, InvalidCommand, NotFound, StaleDecision, VersionConflict
from domain.feedback import Unsatisfied
from domain.guarantee import AppealDecision, PenaltyBasis
from domain.location import Location
from domain.values import (
    SCHEDULER,
    AssistantChoice,
    Attachment,
    Channel,
    Complainant,
    HearingMode,
    Identity,
    Offered,
    Outcome,
    RiskRead,
    Visibility,
)

Clock = Callable[[], datetime]
AUTOMATIC_ATTEMPTS = 3
DECISION_ATTEMPTS = 20  # a directory load saves its changes in a few dozen batches
Decision = Callable[[Complaint, datetime, Directory], None]
# What travels to the recorder with a command's events (`{"receipt": ...}`), saved with them.
RecordedWith = Mapping[str, Any]


class RegistrationNumbers(Protocol):
    """Hands out human-readable registration numbers, never the same one twice."""

    def next(self, district: str, at: datetime) -> str: ...


@dataclass(frozen=True)
class Policy:
    feedback_window: timedelta = field(default=timedelta(days=7))
    unsatisfied: Unsatisfied = Unsatisfied.REOPEN_THEN_APPEAL


class Sampark(DirectoryKeeping):
    name = "sampark"

    def __init__(
        self,
        *,
        clock: Clock,
        registration_numbers: RegistrationNumbers,
        policy: Policy | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        super().__init__(env=env)
        self.clock = clock
        self.registration_numbers = registration_numbers
        self.policy = policy or Policy()

    # --- complaints: commands -----------------------------------------------------------

    def file_complaint(
        self,
        *,
        by: Identity,
        complainant: Complainant,
        district: str,
        department: str,
        category: str,
        subject: str,
        description: str,
        channel: Channel,
        attachments: tuple[Attachment, ...] = (),
        assistant: AssistantChoice | None = None,
        risk: RiskRead | None = None,
        location: Location | None = None,
        offered: tuple[Offered, ...] = (),
        service: str | None = None,
        applied_on: date | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        def decide(directory: Directory) -> Complaint:
            at = self.clock()
            # Check the filing before spending a registration number on it.
            check_filer(by, channel, complainant.mobile)
            directory.check_filing(department, category, district)
            directory.check_service_claim(service, applied_on, department, category, at, None)
            return Complaint.file(
                by=by,
                registration_no=self.registration_numbers.next(district, at),
                complainant=complainant,
                district=district,
                department=department,
                category=category,
                subject=subject,
                description=description,
                channel=channel,
                attachments=attachments,
                directory=directory,
                at=at,
                assistant=assistant,
                risk=risk,
                location=location,
                offered=offered,
                service=service,
                applied_on=applied_on,
            )

        return self._decided(decide, recorded_with or {})

    def triage(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        department: str,
        category: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.triage(
                by=by, department=department, category=category, directory=d, at=at
            ),
            recorded_with or {},
        )

    def assign(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        post: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.assign(by=by, post_id=post, directory=d, at=at),
            recorded_with or {},
        )

    def transfer(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        department: str,
        category: str | None,
        reason: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.transfer(
                by=by,
                department=department,
                category=category,
                reason=reason,
                directory=d,
                at=at,
            ),
            recorded_with or {},
        )

    def escalate(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        reason: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.escalate(by=by, reason=reason, directory=d, at=at),
            recorded_with or {},
        )

    def link(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        duplicate_of: UUID,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        def decide(c: Complaint, at: datetime, d: Directory) -> None:
            try:
                first = self.complaint(duplicate_of)
            except NotFound:
                raise InvalidCommand("no such complaint to link to", field="duplicate_of") from None
            c.link(by=by, first=first, at=at)

        return self._command(complaint_id, by, expected_version, decide, recorded_with or {})

    def follow(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        following: UUID,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        """`complaint_id` (the caller's own) follows `following`."""

        def decide(c: Complaint, at: datetime, d: Directory) -> None:
            try:
                first: Complaint | None = self.complaint(following)
            except NotFound:
                first = None
            c.follow(by=by, first=first, at=at)

        return self._command(complaint_id, by, expected_version, decide, recorded_with or {})

    def raise_priority(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        reason: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.raise_priority(by=by, reason=reason, at=at),
            recorded_with or {},
        )

    def resolve(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        outcome: Outcome,
        action_taken: str,
        evidence: tuple[Attachment, ...],
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.resolve(
                by=by,
                outcome=outcome,
                action_taken=action_taken,
                evidence=evidence,
                feedback_window=self.policy.feedback_window,
                at=at,
            ),
            recorded_with or {},
        )

    def give_feedback(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        satisfied: bool,
        rating: int | None,
        comment: str | None = None,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.give_feedback(
                by=by,
                satisfied=satisfied,
                rating=rating,
                comment=comment,
                at=at,
                directory=d,
                policy=self.policy.unsatisfied,
            ),
            recorded_with or {},
        )

    def reopen(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        reason: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.reopen(by=by, reason=reason, directory=d, at=at),
            recorded_with or {},
        )

    def close_complaint(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        reason: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.close(by=by, reason=reason, at=at),
            recorded_with or {},
        )

    def remind(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        note: str | None = None,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.remind(by=by, note=note, at=at),
            recorded_with or {},
        )

    def add_evidence(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        attachments: tuple[Attachment, ...],
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.add_evidence(by=by, attachments=attachments, at=at),
            recorded_with or {},
        )

    def withdraw(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        reason: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.withdraw(by=by, reason=reason, at=at),
            recorded_with or {},
        )

    def comment(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        text: str,
        visibility: Visibility = Visibility.INTERNAL,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.comment(by=by, text=text, at=at, visibility=visibility),
            recorded_with or {},
        )

    def record_review(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        note: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.record_review(by=by, note=note, at=at),
            recorded_with or {},
        )

    # --- the Public Services Guarantee Act (domain/appeals.py) -------------------------

    def first_appeal(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        grounds: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.first_appeal(by=by, grounds=grounds, directory=d, at=at),
            recorded_with or {},
        )

    def second_appeal(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        grounds: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.second_appeal(by=by, grounds=grounds, directory=d, at=at),
            recorded_with or {},
        )

    def decide_appeal(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        decision: AppealDecision,
        order: str,
        penalty: PenaltyBasis | None = None,
        amount: int | None = None,
        reasons: str | None = None,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        """The decision of the appeal that lies before the caller's post: the first appeal
        officer's, or the second appeal authority's (which alone may impose a penalty)."""

        def decide(c: Complaint, at: datetime, d: Directory) -> None:
            g = c.guarantee
            if g is not None and g.second is not None and g.second.decision is None:
                c.decide_second_appeal(
                    by=by,
                    decision=decision,
                    order=order,
                    penalty=penalty,
                    amount=amount,
                    reasons=reasons,
                    directory=d,
                    at=at,
                )
                return
            if penalty is not None or amount is not None or reasons is not None:
                access.require(by, c, "decide_appeal")
                raise InvalidCommand(
                    "only the second appeal authority imposes a penalty", field="penalty"
                )
            c.decide_first_appeal(by=by, decision=decision, order=order, at=at)

        return self._command(complaint_id, by, expected_version, decide, recorded_with or {})

    def seek_revision(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        grounds: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.seek_revision(by=by, grounds=grounds, at=at),
            recorded_with or {},
        )

    def pass_stipulated_time(self, complaint_id: UUID) -> list[Aggregate.Event]:
        """Sent by the scheduler: mark a notified service's stipulated time as passed."""
        return self._automatic(
            complaint_id, lambda c, at, d: c.pass_stipulated_time(by=SCHEDULER, at=at)
        )

    # --- the clock that waits (domain/clarification.py) -----------------------------------

    def seek_clarification(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        question: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.seek_clarification(by=by, question=question, at=at),
            recorded_with or {},
        )

    def answer_clarification(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        answer: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.answer_clarification(by=by, answer=answer, at=at),
            recorded_with or {},
        )

    def dispose_unanswered(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.dispose_unanswered(
                by=by, feedback_window=self.policy.feedback_window, at=at
            ),
            recorded_with or {},
        )

    def reply_interim(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        note: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.reply_interim(by=by, note=note, at=at),
            recorded_with or {},
        )

    # --- hearings (domain/hearing.py) ------------------------------------------------------

    def schedule_hearing(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        on: datetime,
        post: str,
        mode: HearingMode,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.schedule_hearing(
                by=by, on=on, post=post, mode=mode, directory=d, at=at
            ),
            recorded_with or {},
        )

    def list_for_diwas(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        day: date,
        mode: HearingMode,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.list_for_diwas(by=by, day=day, mode=mode, directory=d, at=at),
            recorded_with or {},
        )

    def record_hearing(
        self,
        complaint_id: UUID,
        *,
        by: Identity,
        attended: bool,
        directions: str,
        expected_version: int | None = None,
        recorded_with: RecordedWith | None = None,
    ) -> Complaint:
        return self._command(
            complaint_id,
            by,
            expected_version,
            lambda c, at, d: c.record_hearing(
                by=by, attended=attended, directions=directions, at=at
            ),
            recorded_with or {},
        )

    # --- complaints: what the clock does (sent by the scheduler) ------------------------

    def pass_deadlines(self, complaint_id: UUID) -> list[Aggregate.Event]:
        """Escalate (or mark, or flag) for every deadline that has passed; the new events."""
        return self._automatic(
            complaint_id,
            lambda c, at, d: c.pass_deadlines(by=SCHEDULER, directory=d, at=at),
        )

    def warn_of_deadline(self, complaint_id: UUID, lead: timedelta) -> list[Aggregate.Event]:
        return self._automatic(
            complaint_id, lambda c, at, _: c.warn_of_deadline(by=SCHEDULER, lead=lead, at=at)
        )

    def close_unanswered(self, complaint_id: UUID) -> list[Aggregate.Event]:
        return self._automatic(
            complaint_id, lambda c, at, d: c.close_unanswered(by=SCHEDULER, at=at)
        )

    def queue_for_review(self, complaint_id: UUID, day: date, rank: int) -> list[Aggregate.Event]:
        return self._automatic(
            complaint_id,
            lambda c, at, d: c.queue_for_review(by=SCHEDULER, day=day, rank=rank, at=at),
        )

    def _automatic(self, complaint_id: UUID, decide: Decision) -> list[Aggregate.Event]:
        """Let the complaint decide against its own state; on a lost race, decide again.

        Returns the events recorded: none when there was nothing to do (the deadline was
        met, another scheduler was first, the read model that suggested it was stale).
        """
        new: list[Aggregate.Event] = []

        def attempt(directory: Directory) -> Complaint:
            complaint = self.complaint(complaint_id)
            decide(complaint, self.clock(), directory)
            new[:] = cast(list[Aggregate.Event], complaint.pending_events)
            return complaint

        for _ in range(AUTOMATIC_ATTEMPTS):
            try:
                self._decided(attempt, {})
            except VersionConflict:
                continue
            return new
        raise VersionConflict(
            f"complaint {complaint_id} kept changing; the next scan will try again",
            current_version=_current_version(self, complaint_id),
        )

    # --- complaints: reading from the event store ---------------------------------------

    def complaint(self, complaint_id: UUID, *, by: Identity | None = None) -> Complaint:
        """The complaint as it is now; with `by`, only if that caller may see it. A missing
        complaint and a hidden one get the same answer, so neither tells the other apart."""
        try:
            complaint: Complaint = self.repository.get(complaint_id)
        except AggregateNotFoundError:
            raise NotFound(NO_SUCH_COMPLAINT) from None
        if by is not None:
            check_sees(by, complaint)
        return complaint

    def complaint_at_version(self, complaint_id: UUID, version: int) -> Complaint:
        complaint = self.complaint(complaint_id)
        if not 1 <= version <= complaint.version:
            raise NotFound(f"the complaint has versions 1 to {complaint.version}, not {version}")
        found: Complaint = self.repository.get(complaint_id, version=version)
        return found

    def complaint_as_of(self, complaint_id: UUID, at: datetime) -> Complaint:
        """The complaint as it stood at `at`: every event up to that moment, folded."""
        complaint: Complaint | None = None
        for event in self.timeline(complaint_id):
            if event.timestamp > at:
                break
            complaint = event.mutate(complaint)  # type: ignore[attr-defined]
        if complaint is None:
            raise NotFound(f"complaint {complaint_id} was not yet filed at {at.isoformat()}")
        return complaint

    def timeline(self, complaint_id: UUID) -> list[Aggregate.Event]:
        events = cast(list[Aggregate.Event], list(self.events.get(complaint_id)))
        if not events:
            raise NotFound(NO_SUCH_COMPLAINT)
        return events

    # --- the common shape of a command ------------------------------------------------

    def _command(
        self,
        complaint_id: UUID,
        by: Identity,
        expected_version: int | None,
        decide: Decision,
        recorded_with: RecordedWith,
    ) -> Complaint:
        def attempt(directory: Directory) -> Complaint:
            complaint = self.complaint(complaint_id)
            # Scope before version: a 409 would tell an outsider how many events it has.
            check_reaches(by, complaint)
            if expected_version is not None and expected_version != complaint.version:
                raise VersionConflict(
                    f"the complaint is at version {complaint.version}, not {expected_version}",
                    current_version=complaint.version,
                )
            decide(complaint, self.clock(), directory)
            return complaint

        return self._decided(attempt, recorded_with)

    def _decided(
        self, decide: Callable[[Directory], Complaint], recorded_with: RecordedWith
    ) -> Complaint:
        """Decide on the directory as last seen, and save. The recorder refuses the events if
        the directory has moved since (nothing is saved): then catch up and decide again. A
        refusal is only given once the directory it rests on is known to be current."""
        for _ in range(DECISION_ATTEMPTS):
            directory, seen = self._directory_for_decision()
            try:
                complaint = decide(directory)
            except DomainError:
                if self._directory_moved_since(seen):
                    continue  # refused on an old directory: decide again on the new one
                raise
            try:
                self._save(complaint, {**recorded_with, "decided_on": seen})
            except StaleDecision:
                self._stored_directory()
                continue
            return complaint
        raise StaleDecision("the directory is being changed; try again in a moment")

    def _save(self, aggregate: Aggregate, recorded_with: RecordedWith) -> None:
        try:
            self.save(aggregate, **recorded_with)
        except IntegrityError:
            current = _current_version(self, aggregate.id)
            raise VersionConflict(
                "another change to this record was saved first; reload and retry",
                current_version=current,
            ) from None


def _current_version(app: Sampark, aggregate_id: UUID) -> int:
    last = list(app.events.get(aggregate_id, desc=True, limit=1))
    return last[0].originator_version if last else 0
