"""The HTTP contract: msgspec structs for requests and answers (published at /schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta

from domain.values import Channel, Language, Outcome, Priority, Role, Status, Visibility

Mobile = Annotated[
    str, Meta(pattern=r"^[6-9][0-9]{9}$", description="Ten-digit Indian mobile number")
]
# PostgreSQL text cannot hold NUL: refuse it at the door, naming the field, rather than fail
# (with a 500, or in the projector) when the row is written.
TEXT = r"^[^\x00]*$"
Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=TEXT)]
Code = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
ShortText = Annotated[str, Meta(min_length=1, max_length=300, pattern=TEXT)]
LongText = Annotated[str, Meta(min_length=1, max_length=10_000, pattern=TEXT)]
Reason = Annotated[str, Meta(min_length=1, max_length=2_000, pattern=TEXT)]
Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$")]
Version = Annotated[int, Meta(ge=1)]


class Base(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


# --- requests -------------------------------------------------------------------------------


class ComplainantIn(Base):
    name: Name
    mobile: Mobile
    email: (
        Annotated[str, Meta(pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$", max_length=254)]
        | None
    ) = None
    address: Annotated[str, Meta(max_length=1_000, pattern=TEXT)] | None = None
    language: Language = Language.HINDI  # of the messages and the Action Taken Report


class AttachmentRef(Base):
    sha256: Sha256
    filename: Annotated[str, Meta(min_length=1, max_length=255, pattern=TEXT)]
    media_type: Annotated[str, Meta(min_length=3, max_length=100, pattern=TEXT)]
    size: Annotated[int, Meta(ge=1)]


class FileComplaint(Base):
    complainant: ComplainantIn
    district: Code
    department: Code
    category: Code
    subject: ShortText
    description: LongText
    channel: Channel
    attachments: Annotated[list[AttachmentRef], Meta(max_length=10)] = []


class Assign(Base):
    post: Code
    expected_version: Version | None = None


class Transfer(Base):
    department: Code
    reason: Reason
    category: Code | None = None
    expected_version: Version | None = None


class WithReason(Base):
    reason: Reason
    expected_version: Version | None = None


class Resolve(Base):
    outcome: Outcome
    action_taken: LongText
    attachments: Annotated[list[AttachmentRef], Meta(max_length=20)]
    expected_version: Version | None = None


class GiveFeedback(Base):
    satisfied: bool
    rating: Annotated[int, Meta(ge=1, le=5)] | None = None  # None: not given
    comment: Annotated[str, Meta(max_length=2_000, pattern=TEXT)] | None = None
    expected_version: Version | None = None


class Remind(Base):
    note: Annotated[str, Meta(max_length=2_000, pattern=TEXT)] | None = None
    expected_version: Version | None = None


class Comment(Base):
    text: LongText
    # internal: for the offices only; public: the complainant reads it on its timeline too.
    visibility: Visibility = Visibility.INTERNAL
    expected_version: Version | None = None


class Review(Base):
    note: Reason
    expected_version: Version | None = None


# --- answers -------------------------------------------------------------------------------


class CommandResult(msgspec.Struct, kw_only=True):
    id: UUID
    registration_no: str
    version: int
    status: Status
    level: int
    holder: str | None
    due_at: datetime | None


class ActorOut(msgspec.Struct):
    id: str
    role: Role


class ResolutionOut(msgspec.Struct, kw_only=True):
    outcome: Outcome
    action_taken: str | None  # None for callers shown no free text (analysts)
    evidence: list[AttachmentRef]
    resolved_by: str | None
    level: int
    resolved_at: datetime
    feedback_until: datetime


class FeedbackOut(msgspec.Struct, kw_only=True):
    satisfied: bool
    rating: int | None
    comment: str | None


class ComplainantOut(msgspec.Struct, kw_only=True):
    name: str
    mobile: str
    email: str | None
    address: str | None
    language: Language


class DeadlineOut(msgspec.Struct, kw_only=True):
    """Where the complaint's current deadline stands."""

    due_at: datetime
    warned: bool  # its holder was warned that it nears
    missed: bool  # it passed at level 4: nowhere higher to go, listed as overdue
    blocked: str | None  # it passed, but the next post is missing or vacant: why


class ComplaintOut(msgspec.Struct, kw_only=True):
    id: UUID
    registration_no: str
    version: int
    status: Status
    level: int
    holder: str | None
    priority: Priority
    complainant: ComplainantOut | None  # None for callers who see no personal data
    district: str
    department: str
    category: str
    subject: str | None  # None for callers shown no free text (analysts)
    description: str | None  # likewise
    channel: Channel
    attachments: list[AttachmentRef]
    filed_at: datetime | None
    due_at: datetime | None
    deadline: DeadlineOut | None  # None once disposed of
    updated_at: datetime
    resolution: ResolutionOut | None
    feedback: FeedbackOut | None
    reopen_count: int
    escalation_count: int
    transfer_count: int
    reminder_count: int
    comment_count: int
    review_count: int


class TimelineEntry(msgspec.Struct, kw_only=True):
    version: int
    type: str
    time: datetime
    actor: ActorOut
    data: dict[str, Any]


class Timeline(msgspec.Struct, kw_only=True):
    id: UUID
    registration_no: str
    events: list[TimelineEntry]


class Uploaded(msgspec.Struct, kw_only=True):
    sha256: str
    filename: str
    media_type: str
    size: int


class ComplaintSummary(msgspec.Struct, kw_only=True):
    id: UUID
    registration_no: str
    version: int
    status: Status
    level: int
    holder: str | None
    priority: Priority
    district: str
    department: str
    category: str
    channel: Channel
    subject: str | None  # None for callers shown no free text (analysts)
    complainant_name: str | None  # None for callers who see no personal data
    filed_at: datetime
    due_at: datetime | None
    overdue: bool
    resolved_at: datetime | None
    outcome: Outcome | None
    feedback_satisfied: bool | None
    reopen_count: int
    escalation_count: int
    transfer_count: int


class ComplaintPage(msgspec.Struct, kw_only=True):
    items: list[ComplaintSummary]
    next_cursor: str | None


class Dashboard(msgspec.Struct, kw_only=True):
    by: str
    first_day: str
    last_day: str
    rows: list[dict[str, Any]]
