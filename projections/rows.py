"""How each event changes the read models: a complaint's row and the day's counters.

Pure functions of (row before, event); the projector, the rebuild and the tests all use them.
`row_from_complaint` derives the same row from the domain aggregate instead, which is how
`sampark projections verify` checks the read models against the event store independently.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
from msgspec.structs import replace

from domain.complaint import Complaint
from domain.events import (
    GUARANTEE_EVENTS,
    Assigned,
    ClarificationAnswered,
    ClarificationLapsed,
    ClarificationSought,
    Closed,
    CommentAdded,
    DeadlineApproaching,
    DeadlineMissed,
    Escalated,
    EscalationBlocked,
    EvidenceAdded,
    FeedbackGiven,
    Filed,
    Followed,
    FollowOffered,
    HearingHeld,
    HearingScheduled,
    InterimReplied,
    Linked,
    PriorityRaised,
    QueuedForReview,
    ReminderReceived,
    Reopened,
    Resolved,
    ReviewRecorded,
    Transferred,
    Triaged,
    Withdrawn,
)
from domain.location import Location
from domain.sla import INDIA
from domain.values import (
    HIGH_PRIORITY_CHANNELS,
    MAX_LEVEL,
    MIN_LEVEL,
    OPEN_STATUSES,
    Attachment,
    Outcome,
    Priority,
    Status,
    Trigger,
)
from projections.safe import (
    CODE_LIMIT,
    TEXT_LIMIT,
    json_left_as_it_is,
    left_as_they_are,
    safe_json,
    safe_text,
)


class ComplaintRow(msgspec.Struct, frozen=True):
    """A complaint's row (a msgspec struct: `replace` runs once per event in a rebuild, and
    msgspec's is several times faster than the dataclass one)."""

    id: UUID
    registration_no: str
    version: int
    status: str
    level: int
    holder: str | None
    department: str
    category: str
    district: str
    channel: str
    priority: str
    subject: str
    description: str
    complainant_name: str
    complainant_mobile: str
    complainant_email: str | None
    complainant_address: str | None
    attachments: list[dict[str, Any]]
    filed_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    outcome: str | None
    action_taken: str | None
    evidence: list[dict[str, Any]] | None
    resolved_by: str | None
    resolution_level: int | None
    feedback_until: datetime | None
    feedback_satisfied: bool | None
    feedback_rating: int | None
    feedback_comment: str | None
    reopen_count: int
    escalation_count: int
    transfer_count: int
    reminder_count: int
    comment_count: int
    last_event_at: datetime
    warned_due_at: datetime | None  # the deadline its holder was warned of
    stalled_due_at: datetime | None  # a passed deadline that could not move it higher
    gap_level: int | None  # the last routing gap: the level it could not climb to,
    gap_post: str | None  # the vacant post (None: no post at that level),
    gap_reason: str | None  # and why
    review_count: int
    complainant_language: str
    awaiting_triage: bool = False  # filed without a category the assistant was sure of
    # Where it is, when the filer said (`domain/location.py`).
    location_pincode: str | None = None
    location_latitude: float | None = None
    location_longitude: float | None = None
    location_ward: str | None = None
    location_landmark: str | None = None
    filed_by: str | None = None  # the filing's actor id (an Open311 key's: `open311:<id>`)


COLUMNS = ComplaintRow.__struct_fields__
# Free text, bounded at TEXT_LIMIT; every other text column holds a code, a post, a number or
# an id, is indexed or compared, and is bounded at CODE_LIMIT (see projections/safe.py).
FREE_TEXT = frozenset(
    {
        "subject",
        "description",
        "complainant_name",
        "complainant_email",
        "complainant_address",
        "action_taken",
        "feedback_comment",
        "gap_reason",
        "location_ward",
        "location_landmark",
    }
)
_TEXT_BOUNDS = tuple(
    (name, TEXT_LIMIT if name in FREE_TEXT else CODE_LIMIT) for name in COLUMNS if name != "id"
)
ATTACHMENT_FIELDS = tuple(f.name for f in dataclasses.fields(Attachment))


POOL = ""  # the holder key of complaints in the state-level pool (no post)
# The dashboards' counters, named once here from the domain's outcomes and levels;
# `projections/schema.sql` has a column for each (tests/unit/test_counters.py holds them
# together, so a new outcome or level fails that test rather than the projector).
OUTCOMES = tuple(o.value for o in Outcome)
LEVELS = tuple(range(MIN_LEVEL, MAX_LEVEL + 1))
CLIMBED_TO = LEVELS[1:]  # the levels an escalation climbs to
# The counters of `read.flows`, per district x department x holder x day (docs/read-models.md).
FLOW_COUNTERS = (
    "filed",  # filed into the cell (with its routing at filing)
    "transferred_in",  # from another department
    "reassigned_in",  # from another post of the same department (assigned, escalated)
    "reopened",  # a disposed complaint reopened, back into pending
    "disposed",
    *(f"disposed_{o}" for o in OUTCOMES),
    "disposed_in_time",  # disposed at or before the deadline it had then
    "transferred_out",  # to another department
    "reassigned_out",  # to another post of the same department
    *(f"escalated_l{n}" for n in CLIMBED_TO),  # escalations from the cell, by level climbed to
    "feedback_satisfied",  # the complainants' answers
    "feedback_not_satisfied",
    "withdrawn",  # withdrawn by the complainant: out of pending, neither disposed nor relief
)
# The counters of `read.pending`: the complaints open now per cell, by level, from CMO/VIP.
PENDING_COUNTERS = ("complaints", *(f"level_{n}" for n in LEVELS), "cmo_vip")
# The counters of `read.pending_days`: per cell and day, the open complaints filed that day
# and those whose deadline falls on it (`date.max`: none).
PENDING_DAY_COUNTERS = ("filed", "due")
_LEVEL_COLUMN = {n: PENDING_COUNTERS.index(f"level_{n}") for n in LEVELS}


# `read.flows` and `read.disposal_days` hold a row per day; `read.flows_blocks` and
# `read.disposal_days_blocks` the same sums over aligned blocks of these many days, so that a
# long window reads a few blocks per cell rather than every day (`cover`).
BLOCKS = (8, 64)
# `read.flows_totals` and `read.disposal_days_totals` hold the same sums per district, per
# department and for the state (ALL: every district, or every department), per day (span 1)
# and per block.
ALL = ""
SPANS = (1, *BLOCKS)


def places(district: str, department: str) -> tuple[tuple[str, str], ...]:
    """The totals a cell's counts add to: its district's, its department's and the state's."""
    return ((district, ALL), (ALL, department), (ALL, ALL))


def block_start(day: date, span: int) -> date:
    """The first day of the block of `span` days that holds `day` (aligned on day 1 AD)."""
    return date.fromordinal(_before(day.toordinal(), span))


class Run(NamedTuple):
    """The whole blocks of `span` days from the one starting on `first` to the one starting
    on `last`, added to a window's sums (`sign` 1) or taken away from them (-1)."""

    sign: int
    span: int
    first: date
    last: date


@functools.lru_cache(maxsize=1024)
def cover(first: date, last: date, today: date = date.max) -> tuple[Run, ...]:
    """The days first..last as runs of whole blocks, added or taken away, that read the
    fewest rows: each end of the window goes to a block's edge on either side of it, by
    days, then by blocks of 8 days, then of 64, and the ends meet by the largest blocks
    (a window is the difference of the days before its end and those before its start).
    Blocks that start after `today` hold nothing yet and cost no row: the 366 days to today
    are the 64-day blocks from the one that holds the window's first day to the one that
    holds today, less a few blocks and days at the start and the days after today: at most
    14 rows a cell (10 on average), 16 for any 366 days (whole blocks added alone: up to 32).
    The same windows are asked for all day: each answer is kept."""
    start, end = first.toordinal(), last.toordinal() + 1  # the days start..end-1
    best: tuple[tuple[int, int], tuple[Run, ...]] | None = None
    for top in range(len(SPANS)):  # the largest blocks read
        levels = SPANS[1 : top + 1]
        sides = list(itertools.product((_before, _after), repeat=len(levels)))
        for start_sides, end_sides in itertools.product(sides, sides):
            at_start = [start, *(at(start, s) for at, s in zip(start_sides, levels, strict=True))]
            at_end = [end, *(at(end, s) for at, s in zip(end_sides, levels, strict=True))]
            steps = [
                *((at_start[i], at_start[i + 1], SPANS[i]) for i in range(top)),
                (at_start[top], at_end[top], SPANS[top]),
                *((at_end[i + 1], at_end[i], SPANS[i]) for i in reversed(range(top))),
            ]
            runs = tuple(run for step in steps if (run := _run(*step)) is not None)
            cost = _rows(runs, today.toordinal()), sum(_rows((r,), _NEVER) for r in runs)
            if best is None or cost < best[0]:
                best = cost, runs
    assert best is not None
    return best[1]


_NEVER = date.max.toordinal()


def _before(day: int, span: int) -> int:
    """The first day of the block of `span` days holding `day` (as ordinals)."""
    return (day - 1) // span * span + 1


def _after(day: int, span: int) -> int:
    """`day` if a block of `span` days starts on it, else the first day of the next block."""
    start = _before(day, span)
    return start if start == day else start + span


def _run(frm: int, to: int, span: int) -> Run | None:
    """The blocks from day `frm` to day `to` (both a block's first day), taken away when
    `to` is before `frm`: the days frm..to-1 are added, or to..frm-1 taken away."""
    if frm == to:
        return None
    low, high = min(frm, to), max(frm, to)
    return Run(1 if to > frm else -1, span, date.fromordinal(low), date.fromordinal(high - span))


def _rows(runs: tuple[Run, ...], today: int) -> int:
    """How many blocks of `runs` start on or before the day `today` (an ordinal)."""
    return sum(
        (min(r.last.toordinal(), today) - r.first.toordinal()) // r.span + 1
        for r in runs
        if r.first.toordinal() <= today
    )


class Tally(msgspec.Struct, frozen=True):
    """Counters to add for one district x department x holder x day."""

    district: str
    department: str
    holder: str
    day: date
    counts: dict[str, int]


class DaysToDispose(msgspec.Struct, frozen=True):
    """One disposal: whole calendar days (Asia/Kolkata) from filing to disposal."""

    district: str
    department: str
    holder: str
    day: date
    days: int


class PendingKey(msgspec.Struct, frozen=True):
    """Where an open complaint counts: its cell, level, CMO/VIP, filing day and deadline
    day. The pending tables keep only the margins of these (`PendingMargins`)."""

    district: str
    department: str
    holder: str
    level: int
    cmo_vip: bool
    filed_day: date
    due_day: date


@dataclass(frozen=True)
class ReviewEntry:
    """A line of a secretary's review list: queued by the scheduler, or reviewed."""

    day: date
    complaint_id: UUID
    department: str
    rank: int | None = None
    queued_at: datetime | None = None
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None
    note: str | None = None


def files(attachments: tuple[Attachment, ...]) -> list[dict[str, Any]]:
    return [{name: getattr(a, name) for name in ATTACHMENT_FIELDS} for a in attachments]


def _columns_of(*kinds: Any) -> tuple[str, ...]:
    return tuple(f.name for f in msgspec.structs.fields(ComplaintRow) if f.type in kinds)


_TEXTS = _columns_of(str, str | None)
_JSON = _columns_of(list[dict[str, Any]], list[dict[str, Any]] | None)
# Every other column holds no text (checked here: a new column's kind must be placed).
_NOT_TEXT = _columns_of(
    *(kind | None for kind in (int, bool, float, datetime)), int, bool, datetime, UUID
)
if sorted(_TEXTS + _JSON + _NOT_TEXT) != sorted(COLUMNS):
    raise TypeError("a column of ComplaintRow whose kind made_safe does not know")
_codes_of = operator.attrgetter(*(n for n in _TEXTS if n not in FREE_TEXT))
_free_text_of = operator.attrgetter(*(n for n in _TEXTS if n in FREE_TEXT))
_json_of = operator.attrgetter(*_JSON)


def made_safe(row: ComplaintRow) -> ComplaintRow:
    """The row as the read model holds it: every text value, in columns and in jsonb, made
    safe (`projections/safe.py`). The store writes this; verify compares with it. Most
    rows need nothing: that is checked first, at once."""
    if (
        left_as_they_are(filter(None, _codes_of(row)), CODE_LIMIT)
        and left_as_they_are(filter(None, _free_text_of(row)))
        and all(json_left_as_it_is(v) for v in _json_of(row) if v)
    ):
        return row
    changed: dict[str, Any] = {}
    for name, limit in _TEXT_BOUNDS:
        value = getattr(row, name)
        if isinstance(value, str):
            safe = safe_text(value, limit)
        elif isinstance(value, list):
            safe = safe_json(value)
            if safe == value:
                continue
        else:
            continue
        if safe is not value:
            changed[name] = safe
    return replace(row, **changed) if changed else row


@functools.lru_cache(maxsize=4096)
def _code(value: str) -> str:
    """A code as the read models key it (few distinct values: districts, departments, posts)."""
    return safe_text(value, CODE_LIMIT)


@functools.lru_cache(maxsize=65536)  # a complaint's filing and deadline recur at each event
def day_in_india(moment: datetime) -> date:
    return moment.astimezone(INDIA).date()


def apply(row: ComplaintRow | None, event: object) -> ComplaintRow:
    """The row after `event`; `row` is None only for `Filed`."""
    at: datetime = event.timestamp  # type: ignore[attr-defined]
    version: int = event.originator_version  # type: ignore[attr-defined]
    if isinstance(event, Filed):
        return ComplaintRow(
            id=event.originator_id,
            registration_no=event.registration_no,
            version=version,
            status=Status.UNASSIGNED,
            level=1,
            holder=None,
            department=event.department,
            category=event.category,
            district=event.district,
            channel=event.channel,
            priority=event.priority,
            subject=event.subject,
            description=event.description,
            complainant_name=event.complainant.name,
            complainant_mobile=event.complainant.mobile,
            complainant_email=event.complainant.email,
            complainant_address=event.complainant.address,
            attachments=files(event.attachments),
            filed_at=at,
            due_at=event.due_at,
            resolved_at=None,
            outcome=None,
            action_taken=None,
            evidence=None,
            resolved_by=None,
            resolution_level=None,
            feedback_until=None,
            feedback_satisfied=None,
            feedback_rating=None,
            feedback_comment=None,
            reopen_count=0,
            escalation_count=0,
            transfer_count=0,
            reminder_count=0,
            comment_count=0,
            last_event_at=at,
            warned_due_at=None,
            stalled_due_at=None,
            gap_level=None,
            gap_post=None,
            gap_reason=None,
            review_count=0,
            complainant_language=event.complainant.language,
            awaiting_triage=event.assistant is not None and not event.assistant.routed,
            **location_columns(event.location),
            filed_by=event.actor.id,
        )
    assert row is not None, f"{type(event).__name__} before Filed"
    row = replace(row, version=version, last_event_at=at)
    match event:
        case Assigned():
            status = Status.ASSIGNED if row.status == Status.UNASSIGNED else row.status
            return replace(
                row,
                holder=event.post,
                level=event.level,
                due_at=event.due_at,
                status=status,
                awaiting_triage=False,
            )
        case Triaged():
            status = (
                Status.ASSIGNED if event.holder and row.status == Status.UNASSIGNED else row.status
            )
            return replace(
                row,
                department=event.to_department,
                category=event.to_category,
                holder=event.holder,
                due_at=event.due_at,
                status=status,
                awaiting_triage=False,
            )
        case Transferred():
            if event.holder is None:
                status = Status.UNASSIGNED
            else:
                status = Status.ASSIGNED if row.status == Status.UNASSIGNED else row.status
            return replace(
                row,
                department=event.to_department,
                category=event.to_category,
                holder=event.holder,
                level=1,
                due_at=event.due_at,
                transfer_count=row.transfer_count + 1,
                status=status,
                awaiting_triage=False,
            )
        case Escalated():
            status = Status.ASSIGNED if row.status == Status.UNASSIGNED else row.status
            return replace(
                row,
                level=event.to_level,
                holder=event.holder,
                due_at=event.due_at,
                escalation_count=row.escalation_count + 1,
                status=status,
            )
        case Resolved():
            return replace(
                row,
                status=Status.RESOLVED,
                resolved_at=at,
                outcome=event.outcome,
                action_taken=event.action_taken,
                evidence=files(event.evidence),
                resolved_by=event.resolved_by,
                resolution_level=event.level,
                feedback_until=event.feedback_until,
                due_at=None,
                feedback_satisfied=None,
                feedback_rating=None,
                feedback_comment=None,
            )
        case FeedbackGiven():
            return replace(
                row,
                feedback_satisfied=event.satisfied,
                feedback_rating=event.rating,
                feedback_comment=event.comment,
            )
        case Reopened():
            return replace(
                row,
                status=Status.REOPENED if event.holder else Status.UNASSIGNED,
                holder=event.holder,
                level=event.level,
                due_at=event.due_at,
                reopen_count=event.reopen_count,
            )
        case Closed():
            return replace(row, status=Status.CLOSED, due_at=None)
        case Withdrawn():
            return replace(row, status=Status.WITHDRAWN, due_at=None)
        case EvidenceAdded():
            return replace(row, attachments=[*row.attachments, *files(event.attachments)])
        case PriorityRaised():
            return replace(row, priority=Priority.HIGH)
        case ReminderReceived():
            return replace(row, reminder_count=row.reminder_count + 1)
        case CommentAdded():
            return replace(row, comment_count=row.comment_count + 1)
        case DeadlineApproaching():
            return replace(row, warned_due_at=event.due_at)
        case DeadlineMissed():
            return replace(
                row,
                stalled_due_at=event.missed_due_at,
                gap_level=None,
                gap_post=None,
                gap_reason=None,
            )
        case EscalationBlocked():
            return replace(
                row,
                stalled_due_at=event.missed_due_at,
                gap_level=event.to_level,
                gap_post=event.post,
                gap_reason=event.reason,
            )
        case QueuedForReview() | Linked() | FollowOffered() | Followed():
            return row
        # The clock that waits: no deadline while the complainant is asked (so no scan picks
        # it); the answer sets the resumed one. Paused time is counted in read.waiting.
        case ClarificationSought():
            return replace(row, due_at=None)
        case ClarificationAnswered():
            return replace(row, due_at=event.due_at)
        case ClarificationLapsed() | InterimReplied() | HearingScheduled() | HearingHeld():
            return row
        case ReviewRecorded():
            return replace(row, review_count=row.review_count + 1)
        case _ if isinstance(event, GUARANTEE_EVENTS):
            return row  # the Act's own tables keep them (projections/guarantee.py)
    raise TypeError(f"no projection for {type(event).__name__}")


def is_open(row: ComplaintRow | None) -> bool:
    return row is not None and row.status in OPEN_STATUSES


def cell(row: ComplaintRow) -> tuple[str, str, str]:
    """The district x department x holder a complaint counts under (keys made safe)."""
    return _code(row.district), _code(row.department), _code(row.holder or POOL)


def tallies(before: ComplaintRow | None, after: ComplaintRow, event: object) -> list[Tally]:
    """What `event` adds to `read.flows`. A complaint counts where it is: every movement
    into a cell's pending (filed, transferred in, reassigned in, reopened) and out of it
    (disposed, withdrawn, transferred out, reassigned out) is counted, so that per cell and day
    brought forward + in - out = pending. A filing's own routing (`Assigned` by route)
    moves the filing to the post it was routed to."""
    if (
        before is not None
        and not isinstance(event, (Escalated, FeedbackGiven))
        and (before.status, before.holder, before.department)
        == (after.status, after.holder, after.department)
    ):
        return []  # neither a movement nor a counted event
    at: datetime = event.timestamp  # type: ignore[attr-defined]
    day = day_in_india(at)
    found: list[Tally] = []

    def add(row: ComplaintRow, **counts: int) -> None:
        found.append(Tally(*cell(row), day, counts))

    was, now = is_open(before), is_open(after)
    if not was and now:
        add(after, **{"filed" if isinstance(event, Filed) else "reopened": 1})
    elif was and not now:
        assert before is not None
        counts = {"withdrawn" if isinstance(event, Withdrawn) else "disposed": 1}
        if isinstance(event, Resolved):
            counts[f"disposed_{event.outcome}"] = 1
            if before.due_at is not None and at <= before.due_at:
                counts["disposed_in_time"] = 1
        add(before, **counts)
    elif was and now and before is not None and cell(before) != cell(after):
        if isinstance(event, Transferred):
            add(before, transferred_out=1)
            add(after, transferred_in=1)
        elif isinstance(event, Triaged) or (
            isinstance(event, Assigned) and event.trigger == Trigger.ROUTE
        ):  # the filing's routing, by the route or by the helpline desk's triage
            add(before, filed=-1)
            add(after, filed=1)
        else:
            add(before, reassigned_out=1)
            add(after, reassigned_in=1)
    if isinstance(event, Escalated):
        add(before or after, **{f"escalated_l{event.to_level}": 1})
    elif isinstance(event, FeedbackGiven):
        add(after, **{"feedback_satisfied" if event.satisfied else "feedback_not_satisfied": 1})
    return found


def days_to_dispose(
    before: ComplaintRow | None, after: ComplaintRow, event: object
) -> DaysToDispose | None:
    if not isinstance(event, Resolved) or before is None:
        return None
    day = day_in_india(event.timestamp)
    days = (day - day_in_india(after.filed_at)).days
    if days < 0:  # a stored event's own time before the filing: the event's failure
        raise ValueError(f"disposed on {day}, before its filing on {after.filed_at:%Y-%m-%d}")
    return DaysToDispose(*cell(before), day, days)


def pending_key(row: ComplaintRow | None) -> PendingKey | None:
    """Where an open complaint counts (None: not open). A level with no counter of its own
    (`LEVELS`) is the event's failure, found before anything is counted."""
    if row is None or not is_open(row):
        return None
    if row.level not in LEVELS:
        raise ValueError(f"level {row.level} has no pending counter (levels {LEVELS})")
    return PendingKey(
        *cell(row),
        level=row.level,
        cmo_vip=row.channel in HIGH_PRIORITY_CHANNELS,
        filed_day=day_in_india(row.filed_at),
        due_day=day_in_india(row.due_at) if row.due_at is not None else date.max,
    )


def pending_changes(
    before: ComplaintRow | None, after: ComplaintRow
) -> list[tuple[PendingKey, int]]:
    """What the event changes in `read.pending`: -1 where it was open, +1 where it is."""
    if before is not None and (
        (before.status, before.holder, before.level, before.due_at, before.department)
        == (after.status, after.holder, after.level, after.due_at, after.department)
    ):
        return []  # most events (comments, reminders, warnings, reviews) move nothing
    was, now = pending_key(before), pending_key(after)
    if was == now:
        return []
    return [(k, d) for k, d in ((was, -1), (now, 1)) if k is not None]


@dataclass
class PendingMargins:
    """Changes to the pending work's margins: per cell, `PENDING_COUNTERS`; per cell and
    day, `PENDING_DAY_COUNTERS` (filed that day, due that day). Each is bounded by cells
    (x days), however many complaints are open."""

    cells: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    days: dict[tuple[str, str, str, date], list[int]] = field(default_factory=dict)

    def add(self, key: PendingKey, delta: int) -> None:
        cell = (key.district, key.department, key.holder)
        counts = self.cells.get(cell)
        if counts is None:
            counts = self.cells[cell] = [0] * len(PENDING_COUNTERS)
        counts[0] += delta
        counts[_LEVEL_COLUMN[key.level]] += delta
        if key.cmo_vip:
            counts[-1] += delta
        for day, column in ((key.filed_day, 0), (key.due_day, 1)):
            by_day = self.days.get((*cell, day))
            if by_day is None:
                by_day = self.days[(*cell, day)] = [0, 0]
            by_day[column] += delta

    def __iadd__(self, other: PendingMargins) -> PendingMargins:
        _added_into(self.cells, other.cells)
        _added_into(self.days, other.days)
        return self


def _added_into(mine: dict[Any, list[int]], theirs: dict[Any, list[int]]) -> None:
    for key, counts in theirs.items():
        add_counts(mine, key, counts)


def add_counts(sums: dict[Any, list[int]], key: Any, counts: list[int]) -> None:
    """`counts` added to the counts of `key` in `sums`, position by position."""
    have = sums.get(key)
    if have is None:
        sums[key] = list(counts)
    else:
        for i, n in enumerate(counts):
            have[i] += n


def review(after: ComplaintRow, event: object) -> ReviewEntry | None:
    match event:
        case QueuedForReview():
            return ReviewEntry(
                day=event.day,
                complaint_id=after.id,
                department=_code(event.department),
                rank=event.rank,
                queued_at=event.timestamp,
            )
        case ReviewRecorded():
            return ReviewEntry(
                day=day_in_india(event.timestamp),
                complaint_id=after.id,
                department=_code(after.department),
                reviewed_at=event.timestamp,
                reviewed_by=_code(event.actor.id),
                note=None if event.note is None else safe_text(event.note),
            )
    return None


def row_from_complaint(c: Complaint) -> ComplaintRow:
    """The row the read model must hold for this complaint, from the domain's own fold."""
    assert c.filed_at is not None
    r = c.resolution
    return ComplaintRow(
        id=c.id,
        registration_no=c.registration_no,
        version=c.version,
        status=c.status,
        level=c.level,
        holder=c.holder,
        department=c.department,
        category=c.category,
        district=c.district,
        channel=c.channel,
        priority=c.priority,
        subject=c.subject,
        description=c.description,
        complainant_name=c.complainant.name,
        complainant_mobile=c.complainant.mobile,
        complainant_email=c.complainant.email,
        complainant_address=c.complainant.address,
        attachments=files(c.attachments),
        filed_at=c.filed_at,
        due_at=c.due_at,
        resolved_at=r.resolved_at if r else None,
        outcome=r.outcome if r else None,
        action_taken=r.action_taken if r else None,
        evidence=files(r.evidence) if r else None,
        resolved_by=r.resolved_by if r else None,
        resolution_level=r.level if r else None,
        feedback_until=r.feedback_until if r else None,
        feedback_satisfied=c.feedback.satisfied if c.feedback else None,
        feedback_rating=c.feedback.rating if c.feedback else None,
        feedback_comment=c.feedback.comment if c.feedback else None,
        reopen_count=c.reopen_count,
        escalation_count=c.escalation_count,
        transfer_count=c.transfer_count,
        reminder_count=c.reminder_count,
        comment_count=c.comment_count,
        last_event_at=c.modified_on,
        warned_due_at=c.warned_due_at,
        stalled_due_at=c.stalled_due_at,
        gap_level=c.gap.to_level if c.gap else None,
        gap_post=c.gap.post if c.gap else None,
        gap_reason=c.gap.reason if c.gap else None,
        review_count=c.review_count,
        complainant_language=c.complainant.language,
        awaiting_triage=c.awaiting_triage,
        **location_columns(c.location),
        filed_by=c.filed_by,
    )


def location_columns(location: Location | None) -> dict[str, Any]:
    """A location as the row's columns (all None without one)."""
    found = location or Location()
    return {
        "location_pincode": found.pincode,
        "location_latitude": found.latitude,
        "location_longitude": found.longitude,
        "location_ward": found.ward,
        "location_landmark": found.landmark,
    }
