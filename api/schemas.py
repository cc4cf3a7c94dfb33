"""The HTTP contract: msgspec structs for requests and answers (published at /schema).

The rules for what may come in live in the domain (`domain/inputs.py`); the types below carry
them twice over: as msgspec constraints, so the schema documents them and most broken values
are refused while decoding, and as the domain rule itself, which every request struct applies
after decoding (`Base.__post_init__`), so the stored form (NFC) and the exact answer are the
domain's.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from datetime import date, datetime
from types import UnionType
from typing import Annotated, Any, TypeVar
from uuid import UUID

import msgspec
from litestar.params import QueryParameter
from msgspec import Meta

from api.problems import Problem
from domain import inputs
from domain.errors import InvalidCommand
from domain.location import EAST, LANDMARK, NORTH, PINCODE, SOUTH, WARD, WEST, Location
from domain.values import (
    Channel,
    HearingMode,
    Language,
    Outcome,
    Priority,
    Role,
    Status,
    Visibility,
)


def meta(rule: inputs.Text | inputs.Shape, description: str | None = None) -> Meta:
    """A domain rule as msgspec constraints (what the schema publishes)."""
    if isinstance(rule, inputs.Text):
        return Meta(
            min_length=rule.min_length,
            max_length=rule.max_length,
            pattern=rule.pattern,
            description=description or f"{rule.kind}: no control characters; stored as NFC",
        )
    return Meta(
        max_length=rule.max_length, pattern=rule.pattern, description=description or rule.kind
    )


Mobile = Annotated[str, meta(inputs.MOBILE, "Ten-digit Indian mobile number"), inputs.MOBILE]
Code = Annotated[str, meta(inputs.CODE), inputs.CODE]
Name = Annotated[str, meta(inputs.NAME), inputs.NAME]
ShortText = Annotated[str, meta(inputs.SHORT_TEXT), inputs.SHORT_TEXT]
LongText = Annotated[str, meta(inputs.LONG_TEXT), inputs.LONG_TEXT]
Reason = Annotated[str, meta(inputs.REASON), inputs.REASON]
CommentText = Annotated[str, meta(inputs.COMMENT), inputs.COMMENT]
Address = Annotated[str, meta(inputs.ADDRESS), inputs.ADDRESS]
Email = Annotated[str, meta(inputs.EMAIL), inputs.EMAIL]
FileName = Annotated[str, meta(inputs.FILE_NAME), inputs.FILE_NAME]
MediaType = Annotated[str, meta(inputs.MEDIA_TYPE), inputs.MEDIA_TYPE]
Sha256 = Annotated[str, meta(inputs.SHA256), inputs.SHA256]
Rating = Annotated[int, Meta(ge=inputs.MIN_RATING, le=inputs.MAX_RATING)]
Version = Annotated[int, Meta(ge=1)]
Pincode = Annotated[str, meta(PINCODE), PINCODE]
Ward = Annotated[str, meta(WARD), WARD]
Landmark = Annotated[str, meta(LANDMARK), LANDMARK]
Latitude = Annotated[
    float, Meta(ge=SOUTH, le=NORTH, description="degrees north, within Rajasthan (WGS 84)")
]
Longitude = Annotated[
    float, Meta(ge=WEST, le=EAST, description="degrees east, within Rajasthan (WGS 84)")
]
# Kept for the free-text query parameter (`q`): the characters one line of text may hold.
TEXT = inputs.SEARCH_WORDS.pattern

# Query parameters that name a code: the same rule, answered 400 naming the parameter.
CodeQuery = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=inputs.CODE.max_length,
        pattern=inputs.CODE.pattern,
        description=inputs.CODE.description,
    ),
]
# Where the next page of a list starts: only what the API gave out as `next_cursor`.
Cursor = Annotated[
    str | None,
    QueryParameter(max_length=200, description="the `next_cursor` of the page before"),
]

Cleaner = Callable[[Any, str], Any]
V = TypeVar("V")
R = TypeVar("R")


def checked(field: str, value: V | None, rule: Callable[[V, str], R]) -> R | None:
    """A value from a query or a form through its domain rule: 400 naming it if refused."""
    if value is None:
        return None
    try:
        return rule(value, field)
    except InvalidCommand as refused:
        raise Problem(400, refused.reason, field=field) from None


def _cleaner(hint: Any) -> Cleaner | None:
    """How to apply the domain's rule to a field of this type (None: it has none)."""
    origin = typing.get_origin(hint)
    if origin is Annotated:
        rule = next(
            (m for m in hint.__metadata__ if isinstance(m, inputs.Text | inputs.Shape)), None
        )
        return rule.clean if rule is not None else _cleaner(hint.__origin__)
    if origin in (typing.Union, UnionType):
        found = [c for c in map(_cleaner, typing.get_args(hint)) if c is not None]
        return found[0] if found else None
    if origin is list:
        (item,) = typing.get_args(hint)
        each = _cleaner(item)
        if each is None:
            return None
        return lambda values, field: [
            each(value, f"{field}[{index}]") for index, value in enumerate(values)
        ]
    return None


@functools.cache
def _cleaners(struct: type[msgspec.Struct]) -> tuple[tuple[str, Cleaner], ...]:
    hints = typing.get_type_hints(struct, include_extras=True)
    found = ((name, _cleaner(hints[name])) for name in struct.__struct_fields__)
    return tuple((name, clean) for name, clean in found if clean is not None)


class Base(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A request body: each field that carries a domain rule is checked and stored clean."""

    def __post_init__(self) -> None:
        for name, clean in _cleaners(type(self)):
            value = getattr(self, name)
            if value is None:
                continue
            try:
                setattr(self, name, clean(value, name))
            except InvalidCommand as refused:
                # msgspec turns a ValueError into a ValidationError and adds where it was
                # (`- at `$.complainant``); problems.py reads the field from both.
                raise ValueError(f"invalid field `{refused.field}`: {refused.reason}") from None


# --- requests -------------------------------------------------------------------------------


class ComplainantIn(Base):
    name: Name
    mobile: Mobile
    email: Email | None = None
    address: Address | None = None
    language: Language = Language.HINDI  # of the messages and the Action Taken Report


class AttachmentIn(Base):
    """A file uploaded before (`POST /v1/attachments`), named in a filing or a disposal."""

    sha256: Sha256
    filename: FileName
    media_type: MediaType
    size: Annotated[int, Meta(ge=inputs.MIN_FILE_BYTES)]


class LocationIn(Base):
    """Where the complaint is, as far as the filer knows (`domain/location.py`): each part
    optional, a point's latitude and longitude both or neither."""

    pincode: Pincode | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    ward: Ward | None = None  # ward or village
    landmark: Landmark | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        try:
            self.value()
        except InvalidCommand as refused:
            raise ValueError(f"invalid field `{refused.field}`: {refused.reason}") from None

    def value(self) -> Location | None:
        """The domain's value (None: nothing given)."""
        return Location.of(
            pincode=self.pincode,
            latitude=self.latitude,
            longitude=self.longitude,
            ward=self.ward,
            landmark=self.landmark,
        )


class FileComplaint(Base):
    complainant: ComplainantIn
    district: Code
    subject: ShortText
    description: LongText
    channel: Channel
    # Either may be left out: the assistant chooses from the words (docs/assist.md); a
    # category is only named with its department.
    department: Code | None = None
    category: Code | None = None
    attachments: Annotated[
        list[AttachmentIn], Meta(max_length=inputs.MAX_ATTACHMENTS_AT_FILING)
    ] = []
    location: LocationIn | None = None
    # A complaint about a service notified under the Public Services Guarantee Act
    # (docs/guarantee.md): its code and the day the citizen applied for it, both or neither.
    service: Code | None = None
    applied_on: Annotated[
        date | None,
        Meta(description="the day (in India) the citizen applied for the notified service"),
    ] = None


class Classify(Base):
    """Words for the assistant to read (`POST /v1/assist/classify`)."""

    subject: ShortText
    description: LongText
    district: Code | None = None


class Link(Base):
    """`POST /v1/complaints/{id}/link`: the same grievance as an earlier complaint."""

    duplicate_of: UUID
    expected_version: Version | None = None


class FindDuplicates(Base):
    """A complaint's words, to find it among the open ones (`POST /v1/assist/duplicates`)."""

    district: Code
    subject: ShortText
    description: LongText
    mobile: Mobile | None = None
    location: LocationIn | None = None  # its point, when given, counts (`docs/assist.md`)


class Duplicates(msgspec.Struct, kw_only=True):
    candidates: list[DuplicateOut]  # most likely first
    threshold: float


class Triage(Base):
    """The helpline desk's choice for a complaint awaiting triage."""

    department: Code
    category: Code
    expected_version: Version | None = None


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


class Follow(Base):
    """`POST /v1/complaints/{id}/follow`: the caller's own complaint (`complaint`) follows
    `{id}`, one the assistant offered it at filing (`followable`) or the one it is linked
    to. `expected_version` is of the caller's own complaint."""

    complaint: UUID
    expected_version: Version | None = None


class Withdraw(Base):
    """`POST /v1/complaints/{id}/withdraw`: the complainant's reason for taking it back."""

    reason: Reason
    expected_version: Version | None = None


class Resolve(Base):
    outcome: Outcome
    action_taken: LongText
    attachments: Annotated[list[AttachmentIn], Meta(max_length=inputs.MAX_EVIDENCE)]
    expected_version: Version | None = None


class GiveFeedback(Base):
    satisfied: bool
    rating: Rating | None = None  # None: not given (a button, words without a number)
    comment: CommentText | None = None
    expected_version: Version | None = None


class Remind(Base):
    note: CommentText | None = None
    expected_version: Version | None = None


class Comment(Base):
    text: LongText
    # internal: for the offices only; public: the complainant reads it on its timeline too.
    visibility: Visibility = Visibility.INTERNAL
    expected_version: Version | None = None


class Review(Base):
    note: Reason
    expected_version: Version | None = None


# The clock that waits (docs/hearings.md).


class Clarify(Base):
    """`POST /v1/complaints/{id}/clarify`: the holder asks the complainant; the clock stops."""

    question: Reason
    expected_version: Version | None = None


class Answer(Base):
    """`POST /v1/complaints/{id}/answer`: the complainant's answer; the clock runs again."""

    answer: LongText
    expected_version: Version | None = None


class InterimReply(Base):
    """`POST /v1/complaints/{id}/interim-reply`: a note to the complainant; it stays open."""

    note: Reason
    expected_version: Version | None = None


class ScheduleHearing(Base):
    """`POST /v1/complaints/{id}/hearing`: a hearing of the complainant (docs/hearings.md)."""

    on: Annotated[datetime, Meta(tz=True)]  # a time to come, with its timezone
    post: Code  # the hearing officer's post
    mode: HearingMode
    expected_version: Version | None = None


class RecordHearing(Base):
    """`POST /v1/complaints/{id}/hearing/record`: the scheduled hearing, held or missed."""

    attended: bool
    directions: Reason
    expected_version: Version | None = None


class Versioned(Base):
    """A command with nothing to say but the version it was decided on."""

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


class DuplicateOut(msgspec.Struct, kw_only=True):
    id: UUID
    registration_no: str
    score: float  # 0 to 1; listed from the documented threshold up


class FiledResult(CommandResult, kw_only=True):
    """A filing's answer: the complaint, and the open ones it likely repeats (the filer may
    see them; `docs/assist.md`, "Duplicates")."""

    possible_duplicates: list[DuplicateOut]
    # The open complaints likely about the same grievance that the complainant may follow
    # (`POST /v1/complaints/{id}/follow`), found in the assistant's scope: a citizen is
    # shown their registration numbers, nothing of their content or complainants.
    followable: list[DuplicateOut]


class SuggestionOut(msgspec.Struct, kw_only=True):
    department: str
    category: str
    score: float  # the model's probability of the category, 0 to 1


class UrgencyOut(msgspec.Struct, kw_only=True):
    flag: bool  # a risk to life or safety: the priority is raised at filing
    score: float
    reasons: list[str]  # when flagged: each hazard told of, with its words; then the words


class Classification(msgspec.Struct, kw_only=True):
    suggestions: list[SuggestionOut]  # best first
    urgent: UrgencyOut
    confident: bool  # the first suggestion scores at or above the routing threshold
    model_version: int


class RouteDestination(msgspec.Struct, kw_only=True):
    kind: str  # "post": assigned by hand to `post`; "category": transferred to it
    department: str
    category: str | None
    post: str | None
    complaints: int


class RouteChange(msgspec.Struct, kw_only=True):
    """A change the moves suggest: `set_route` (the directory's command, to `post`) or
    `file_under` (the category's complaints belong to another department's category)."""

    action: str
    department: str
    category: str
    district: str
    post: str | None
    to_department: str | None
    to_category: str | None


class RoutingCell(msgspec.Struct, kw_only=True):
    district: str
    department: str
    category: str
    routed: int  # complaints the map routed in this cell
    moved: int  # of them, moved away by an officer (first move only)
    destinations: list[RouteDestination]  # most complaints first
    suggestion: RouteChange | None


class RoutingHealth(msgspec.Struct, kw_only=True):
    majority: float  # a suggestion's destination takes at least this share of the moves
    enough: int  # and at least this many complaints
    cells: list[RoutingCell]  # the cells with a move, most moved first


class AttachmentRef(msgspec.Struct, kw_only=True):
    """A file as recorded: answers show what is stored, and are never refused on reading."""

    sha256: str
    filename: str
    media_type: str
    size: int


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


class LocationOut(msgspec.Struct, kw_only=True):
    """Where the complaint is (analysts are shown the pincode and the ward only)."""

    pincode: str | None
    latitude: float | None
    longitude: float | None
    ward: str | None
    landmark: str | None


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
    location: LocationOut | None  # None: none given (or none an analyst may be shown)
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
    comment_count: int | None  # None for the complainant: most notes are internal
    review_count: int | None  # None for the complainant: reviews are internal


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


class Awaiting(msgspec.Struct, kw_only=True):
    """A complaint awaiting triage, with what the assistant now suggests for it."""

    complaint: ComplaintSummary
    description: str
    suggestions: list[SuggestionOut]  # best first; empty while no model is trained
    model_version: int | None


class TriagePage(msgspec.Struct, kw_only=True):
    items: list[Awaiting]
    next_cursor: str | None


class Dashboard(msgspec.Struct, kw_only=True):
    by: str
    first_day: str
    last_day: str
    rows: list[dict[str, Any]]
    next_cursor: str | None = None  # per post: where the next page starts (None: the last)


# --- Rajasthan Sampark Diwas (docs/hearings.md) ----------------------------------------------


class ListForDiwas(Base):
    """`POST /v1/complaints/{id}/diwas`: list the complaint for its district's session."""

    day: date  # the session's day (India)
    mode: HearingMode = HearingMode.IN_PERSON
    expected_version: Version | None = None


class DiwasLine(msgspec.Struct, kw_only=True):
    turn: int
    id: UUID
    registration_no: str
    department: str
    subject: str
    listed_at: datetime
    listed_by_role: str  # citizen, operator (e-Mitra) or collector
    post: str  # the officer who answers for it
    mode: HearingMode
    attended: bool | None  # None: not yet heard
    directions: str | None
    recorded_at: datetime | None


class DiwasDay(msgspec.Struct, kw_only=True):
    district: str
    day: date
    starts_at: datetime
    place: str
    items: list[DiwasLine]
