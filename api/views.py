"""Turning domain objects into the answers of the HTTP contract."""

from __future__ import annotations

from typing import Any

import msgspec

from api import schemas
from domain.complaint import Complaint
from domain.values import Attachment, Identity, Role
from infra.codec import event_fields

NO_PERSONAL_DATA = frozenset({Role.ANALYST})


def attachment_ref(a: Attachment) -> schemas.AttachmentRef:
    return schemas.AttachmentRef(
        sha256=a.sha256, filename=a.filename, media_type=a.media_type, size=a.size
    )


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
    person = c.complainant
    resolution = c.resolution
    return schemas.ComplaintOut(
        id=c.id,
        registration_no=c.registration_no,
        version=c.version,
        status=c.status,
        level=c.level,
        holder=c.holder,
        priority=c.priority,
        complainant=None
        if who.role in NO_PERSONAL_DATA
        else schemas.ComplainantOut(
            name=person.name, mobile=person.mobile, email=person.email, address=person.address
        ),
        district=c.district,
        department=c.department,
        category=c.category,
        subject=c.subject,
        description=c.description,
        channel=c.channel,
        attachments=[attachment_ref(a) for a in c.attachments],
        filed_at=c.filed_at,
        due_at=c.due_at,
        updated_at=c.modified_on,
        resolution=None
        if resolution is None
        else schemas.ResolutionOut(
            outcome=resolution.outcome,
            action_taken=resolution.action_taken,
            evidence=[attachment_ref(a) for a in resolution.evidence],
            resolved_by=resolution.resolved_by,
            level=resolution.level,
            resolved_at=resolution.resolved_at,
            feedback_until=resolution.feedback_until,
        ),
        feedback=None
        if c.feedback is None
        else schemas.FeedbackOut(
            satisfied=c.feedback.satisfied, rating=c.feedback.rating, comment=c.feedback.comment
        ),
        reopen_count=c.reopen_count,
        escalation_count=c.escalation_count,
        transfer_count=c.transfer_count,
        reminder_count=c.reminder_count,
        comment_count=c.comment_count,
    )


def timeline_entry(event: Any, who: Identity) -> schemas.TimelineEntry:
    data = event_fields(event)
    if who.role in NO_PERSONAL_DATA:
        data.pop("complainant", None)
    return schemas.TimelineEntry(
        version=event.originator_version,
        type=type(event).__name__,
        time=event.timestamp,
        actor=schemas.ActorOut(id=event.actor.id, role=event.actor.role),
        data=data,
    )


def to_json(value: Any) -> bytes:
    return msgspec.json.encode(value)
