"""The figures the slow, obvious way: replay each complaint's events and look.

No aggregate, no SQL over the read models: each complaint is folded with the domain's own
aggregate (`domain/complaint.py`), and after every event we note where it is and whether it
is open. A scope's figures for a window are then read off those notes, one complaint at a
time. The dashboards must equal this (tests/integration/test_figures_balance.py, and
`sampark projections verify`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.complaint import Complaint
from domain.events import (
    Assigned,
    ClarificationAnswered,
    ClarificationLapsed,
    ClarificationSought,
    Escalated,
    FeedbackGiven,
    Filed,
    InterimReplied,
    Reopened,
    Resolved,
    Transferred,
    Triaged,
    Withdrawn,
)
from domain.values import HIGH_PRIORITY_CHANNELS, OPEN_STATUSES, Trigger
from projections.figures import FigureScope, Ledger, age_band, window_end, window_start
from projections.rows import day_in_india
from projections.safe import CODE_LIMIT, safe_text
from projections.waiting import WaitingFigures


@dataclass(frozen=True)
class Where:
    """A complaint as it stands after an event."""

    open: bool
    district: str
    department: str
    holder: str | None
    level: int
    cmo_vip: bool
    filed_at: datetime
    due_at: datetime | None

    def in_scope(self, scope: FigureScope) -> bool:
        """Open, and within the scope."""
        return (
            self.open
            and scope.district in (None, self.district)
            and scope.department in (None, self.department)
            and (scope.post is None or scope.post == self.holder)
        )

    def within(self, scope: FigureScope) -> bool:
        """Within the scope, open or not."""
        return (
            scope.district in (None, self.district)
            and scope.department in (None, self.department)
            and (scope.post is None or scope.post == self.holder)
        )


@dataclass(frozen=True)
class Step:
    event: Any
    at: datetime
    before: Where | None
    after: Where


def _code(value: str) -> str:
    return safe_text(value, CODE_LIMIT)


def where(c: Complaint) -> Where:
    assert c.filed_at is not None
    return Where(
        open=c.status in OPEN_STATUSES,
        district=_code(c.district),
        department=_code(c.department),
        holder=None if c.holder is None else _code(c.holder),
        level=c.level,
        cmo_vip=c.channel in HIGH_PRIORITY_CHANNELS,
        filed_at=c.filed_at,
        due_at=c.due_at,
    )


def history(events: Iterable[Any]) -> list[Step]:
    """One complaint's events, folded by the domain, with where it stood before and after."""
    complaint: Complaint | None = None
    before: Where | None = None
    steps = []
    for event in events:
        complaint = event.mutate(complaint)
        assert complaint is not None
        after = where(complaint)
        steps.append(Step(event, event.timestamp, before, after))
        before = after
    return steps


def ledger(
    histories: Iterable[list[Step]],
    scope: FigureScope,
    first: date,
    last: date,
    now: datetime,
) -> Ledger:
    """Every figure of `scope` for the days first..last (Asia/Kolkata), pending work `now`."""
    out = Ledger()
    for steps in histories:
        add(out, steps, scope, first, last, now)
    return out


def add(
    out: Ledger, steps: list[Step], scope: FigureScope, first: date, last: date, now: datetime
) -> None:
    """What one complaint's history adds to the figures of `scope` over first..last."""
    if not any(step.after.within(scope) for step in steps):
        return  # never in the scope: it counts nowhere here
    start, end = window_start(first), window_end(last)
    at_start = at_end = at_now = None
    for step in steps:
        if step.at < start:
            at_start = step.after
        if step.at < end:
            at_end = step.after
        if step.at <= now:
            at_now = step.after
        if start <= step.at < end:
            _count(out, step, scope)
    out.brought_forward += at_start is not None and at_start.in_scope(scope)
    out.pending += at_end is not None and at_end.in_scope(scope)
    if at_now is not None and at_now.in_scope(scope):
        out.pending_now += 1
        out.beyond_deadline += at_now.due_at is not None and at_now.due_at < now
        today = day_in_india(now)
        out.by_age[age_band((today - day_in_india(at_now.filed_at)).days)] += 1
        out.by_level[at_now.level] += 1
        out.cmo_vip += at_now.cmo_vip


def _count(out: Ledger, step: Step, scope: FigureScope) -> None:
    """What one event within the window adds to the scope's figures."""
    was = step.before is not None and step.before.in_scope(scope)
    is_ = step.after.in_scope(scope)
    event = step.event
    if not was and is_:  # into the scope's pending work
        if isinstance(event, Filed | Triaged) or (
            isinstance(event, Assigned) and event.trigger == Trigger.ROUTE
        ):
            out.filed += 1
        elif isinstance(event, Transferred):
            out.transferred_in += 1
        elif isinstance(event, Reopened):
            out.reopened += 1
        else:
            out.reassigned_in += 1
    elif was and not is_:  # out of it
        assert step.before is not None
        if isinstance(event, Resolved):
            out.disposed[event.outcome.value] += 1
            due = step.before.due_at
            out.disposed_in_time += due is not None and step.at <= due
            filed = day_in_india(step.after.filed_at)
            out.days_to_dispose.add((day_in_india(step.at) - filed).days)
        elif isinstance(event, Transferred):
            out.transferred_out += 1
        elif isinstance(event, Withdrawn):
            out.withdrawn += 1
        else:
            out.reassigned_out += 1
    if isinstance(event, Escalated) and step.before and step.before.within(scope):
        out.escalated[event.to_level] += 1
    if isinstance(event, FeedbackGiven) and step.after.within(scope):
        if event.satisfied:
            out.satisfied += 1
        else:
            out.not_satisfied += 1


def scopes(histories: Iterable[list[Step]]) -> list[FigureScope]:
    """Every scope the histories touch: the state, each district, department, district x
    department and post."""
    found: set[FigureScope] = {FigureScope()}
    for steps in histories:
        for step in steps:
            w = step.after
            found |= {
                FigureScope(district=w.district),
                FigureScope(department=w.department),
                FigureScope(district=w.district, department=w.department),
            }
            if w.holder is not None:
                found.add(FigureScope(post=w.holder))
    return sorted(found, key=lambda s: (s.district or "", s.department or "", s.post or ""))


# --- the Public Services Guarantee Act's figures (projections/guarantee.py) ---------------


def act_figures(
    timelines: Iterable[Iterable[Any]],
    first: date,
    last: date,
    *,
    department: str | None = None,
    district: str | None = None,
) -> dict[str, int]:
    """The Act's figures of the days first..last (in India), read off each complaint's
    state under the Act before and after each of its events, folded by the domain: what
    changed is what happened (a claim appeared: filed; an appeal appeared or got its
    decision; a penalty appeared, with its amount; a revision date appeared)."""
    out = dict.fromkeys(
        (
            "filed",
            "lapsed",
            "first_appeals",
            "first_decided",
            "second_appeals",
            "second_decided",
            "penalties",
            "penalty_rupees",
            "revisions",
        ),
        0,
    )
    start, end = window_start(first), window_end(last)
    for events in timelines:
        complaint: Complaint | None = None
        for event in events:
            was = complaint.guarantee if complaint is not None else None
            complaint = event.mutate(complaint)
            assert complaint is not None
            now = complaint.guarantee
            if now is None or not start <= event.timestamp < end:
                continue
            if department not in (None, _code(complaint.department)):
                continue
            if district not in (None, _code(complaint.district)):
                continue
            out["filed"] += was is None
            if was is None:
                continue
            out["lapsed"] += was.lapsed_at is None and now.lapsed_at is not None
            for stage, appeal_was, appeal_now in (
                ("first", was.first, now.first),
                ("second", was.second, now.second),
            ):
                out[f"{stage}_appeals"] += appeal_was is None and appeal_now is not None
                out[f"{stage}_decided"] += (
                    appeal_now is not None
                    and appeal_now.decided_at is not None
                    and (appeal_was is None or appeal_was.decided_at is None)
                )
            if was.penalty is None and now.penalty is not None:
                out["penalties"] += 1
                out["penalty_rupees"] += now.penalty.amount
            out["revisions"] += (
                now.penalty is not None
                and now.penalty.revision_sought_at is not None
                and (was.penalty is None or was.penalty.revision_sought_at is None)
            )
    return out


# --- the clock that waits (projections/waiting.py), the slow way --------------------------


def waiting(
    complaints: Iterable[list[Any]], scope: FigureScope, first: date, last: date
) -> WaitingFigures:
    """The waiting figures of `scope` over first..last, by folding each complaint's events
    with the domain and measuring each wait from the question's time to its end."""
    start, end = window_start(first), window_end(last)
    asked = answered = lapsed = paused = interim = waiting_at_end = 0
    for events in complaints:
        complaint: Complaint | None = None
        waits_at_end = False
        for event in events:
            before = complaint.clarification if complaint is not None else None
            complaint = event.mutate(complaint)
            assert complaint is not None
            if event.timestamp >= end:
                break
            in_scope = where(complaint).within(scope)
            waits_at_end = in_scope and complaint.clarification is not None
            if event.timestamp < start or not in_scope:
                continue
            match event:
                case ClarificationSought():
                    asked += 1
                case ClarificationAnswered() | ClarificationLapsed():
                    assert before is not None
                    answered += isinstance(event, ClarificationAnswered)
                    lapsed += isinstance(event, ClarificationLapsed)
                    paused += int((event.timestamp - before.asked_at).total_seconds())
                case InterimReplied():
                    interim += 1
        waiting_at_end += waits_at_end
    return WaitingFigures(asked, answered, lapsed, paused, interim, waiting_at_end)
