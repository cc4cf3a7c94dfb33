"""Turning domain objects into the answers of the HTTP contract."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from api import schemas
from domain.complaint import Complaint
from domain.disclosure import (
    Disclosure,
    Reader,
    is_public,
    location_shown,
    reader,
    shows_personal_data,
    withheld_name,
)
from domain.location import Location
from domain.values import (
    MAX_LEVEL,
    OPEN_STATUSES,
    Channel,
    Identity,
    Language,
    Outcome,
    Priority,
    Status,
)
from infra.eventstore.codec import event_fields
from projections.rows import ComplaintRow, row_from_complaint


def command_result(c: Complaint) -> schemas.CommandResult:
    return schemas.CommandResult(
        id=c.id,
        registration_no=c.registration_no,
        version=c.version,
        status=c.status,
        level=c.level,
        holder=c.holder,
        due_at=c.due_at,
    )


def complaint_out(c: Complaint, who: Identity) -> schemas.ComplaintOut:
    """A complaint folded from the event store, shown as the read model would show it."""
    return complaint_from_row(row_from_complaint(c), who)


def timeline(
    events: Iterable[Any], who: Identity, disclosure: Disclosure
) -> list[schemas.TimelineEntry]:
    """A complaint's events as `who` may read them (`domain/disclosure.py`): the complainant
    its public story, pseudonymous readers no personal data or free text."""
    entries = []
    complaint: Complaint | None = None
    for event in events:
        before = complaint
        complaint = event.mutate(complaint)
        if reader(who) == Reader.COMPLAINANT and not is_public(event):
            continue
        actor = disclosure.actor(who, event.actor, before or complaint)
        entries.append(
            schemas.TimelineEntry(
                version=event.originator_version,
                type=type(event).__name__,
                time=event.timestamp,
                actor=schemas.ActorOut(id=actor.id, role=actor.role),
                data=disclosure.event_data(who, event, event_fields(event)),
            )
        )
    return entries


def _refs(files: list[dict[str, Any]] | None, who: Identity) -> list[schemas.AttachmentRef]:
    named = shows_personal_data(who)
    return [schemas.AttachmentRef(**(f if named else withheld_name(f))) for f in files or []]


def complaint_from_row(r: ComplaintRow, who: Identity) -> schemas.ComplaintOut:
    private = not shows_personal_data(who)
    internal = reader(who) != Reader.COMPLAINANT  # may know of staff's internal notes
    return schemas.ComplaintOut(
        id=r.id,
        registration_no=r.registration_no,
        version=r.version,
        status=Status(r.status),
        level=r.level,
        holder=r.holder,
        priority=Priority(r.priority),
        complainant=None
        if private
        else schemas.ComplainantOut(
            name=r.complainant_name,
            mobile=r.complainant_mobile,
            email=r.complainant_email,
            address=r.complainant_address,
            language=Language(r.complainant_language),
        ),
        district=r.district,
        department=r.department,
        category=r.category,
        subject=None if private else r.subject,
        description=None if private else r.description,
        channel=Channel(r.channel),
        attachments=_refs(r.attachments, who),
        location=_location(r, who),
        filed_at=r.filed_at,
        due_at=r.due_at,
        deadline=_deadline(r),
        updated_at=r.last_event_at,
        resolution=None
        if r.resolved_at is None or r.outcome is None
        else schemas.ResolutionOut(
            outcome=Outcome(r.outcome),
            action_taken=None if private else r.action_taken or "",
            evidence=_refs(r.evidence, who),
            resolved_by=r.resolved_by,
            level=r.resolution_level or r.level,
            resolved_at=r.resolved_at,
            feedback_until=r.feedback_until or r.resolved_at,
        ),
        feedback=None
        if r.feedback_satisfied is None
        else schemas.FeedbackOut(
            satisfied=r.feedback_satisfied,
            rating=r.feedback_rating,
            comment=None if private else r.feedback_comment,
        ),
        reopen_count=r.reopen_count,
        escalation_count=r.escalation_count,
        transfer_count=r.transfer_count,
        reminder_count=r.reminder_count,
        comment_count=r.comment_count if internal else None,
        review_count=r.review_count if internal else None,
    )


def _location(r: ComplaintRow, who: Identity) -> schemas.LocationOut | None:
    stored = Location(
        pincode=r.location_pincode,
        latitude=r.location_latitude,
        longitude=r.location_longitude,
        ward=r.location_ward,
        landmark=r.location_landmark,
    )
    shown = location_shown(who, None if stored == Location() else stored)
    if shown is None:
        return None
    return schemas.LocationOut(
        pincode=shown.pincode,
        latitude=shown.latitude,
        longitude=shown.longitude,
        ward=shown.ward,
        landmark=shown.landmark,
    )


def _deadline(r: ComplaintRow) -> schemas.DeadlineOut | None:
    if r.due_at is None or r.status not in OPEN_STATUSES:
        return None
    stalled = r.stalled_due_at == r.due_at
    return schemas.DeadlineOut(
        due_at=r.due_at,
        warned=r.warned_due_at == r.due_at,
        missed=stalled and r.gap_level is None and r.level == MAX_LEVEL,
        blocked=r.gap_reason if stalled and r.gap_level is not None else None,
    )


def summary(r: ComplaintRow, who: Identity, now: datetime) -> schemas.ComplaintSummary:
    return schemas.ComplaintSummary(
        id=r.id,
        registration_no=r.registration_no,
        version=r.version,
        status=Status(r.status),
        level=r.level,
        holder=r.holder,
        priority=Priority(r.priority),
        district=r.district,
        department=r.department,
        category=r.category,
        channel=Channel(r.channel),
        subject=r.subject if shows_personal_data(who) else None,
        complainant_name=r.complainant_name if shows_personal_data(who) else None,
        filed_at=r.filed_at,
        due_at=r.due_at,
        overdue=r.status in OPEN_STATUSES and r.due_at is not None and r.due_at < now,
        resolved_at=r.resolved_at,
        outcome=Outcome(r.outcome) if r.outcome else None,
        feedback_satisfied=r.feedback_satisfied,
        reopen_count=r.reopen_count,
        escalation_count=r.escalation_count,
        transfer_count=r.transfer_count,
    )
