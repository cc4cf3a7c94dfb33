"""The figures of a scope over a window of days, defined once (docs/read-models.md).

A `Ledger` holds the counts; `report` turns one into what a dashboard row shows. The
dashboards (`projections/queries.py`) fill a ledger from the aggregates the projector keeps;
the oracle (`projections/oracle.py`) fills one by replaying every complaint's events. Both
must agree, and every ledger balances:

    brought_forward + received - disposed - moved_out - withdrawn = pending
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from domain.sla import INDIA
from projections.rows import CLIMBED_TO, LEVELS, OUTCOMES

# Age of a pending complaint: whole calendar days (Asia/Kolkata) since the day it was filed.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0_7", 0, 7),
    ("8_15", 8, 15),
    ("16_30", 16, 30),
    ("over_30", 31, None),
)


@dataclass(frozen=True)
class FigureScope:
    """A part of the state's pending work: every complaint, or those of a district, a
    department, a district x department, or held by a post (optionally within those)."""

    district: str | None = None
    department: str | None = None
    post: str | None = None

    @property
    def counts_transfers(self) -> bool:
        """Whether a transfer between departments crosses this scope's edge."""
        return self.department is not None or self.post is not None

    @property
    def counts_reassignments(self) -> bool:
        """Whether a move between posts of one department crosses this scope's edge."""
        return self.post is not None

    def narrowed(self, **dims: str | None) -> FigureScope:
        """This scope within the given district, department or post; "*" stands for each
        one (a dashboard's rows), and leaves a dimension already fixed as it is."""
        values = {
            "district": self.district,
            "department": self.department,
            "post": self.post,
        }
        for name, value in dims.items():
            if value is None or (value == "*" and values[name] is not None):
                continue
            if values[name] is not None and values[name] != value:
                raise OutsideScope(name, values[name] or "")
            values[name] = value
        return FigureScope(**values)


class OutsideScope(Exception):
    """A dashboard asked for beyond the caller's own district or department."""

    def __init__(self, field: str, own: str) -> None:
        super().__init__(f"your dashboards cover only the {field} {own}")
        self.field = field


def window_start(day: date) -> datetime:
    """Midnight in India at the start of `day`."""
    return datetime.combine(day, time(), tzinfo=INDIA)


def window_end(last: date) -> datetime:
    return window_start(last + timedelta(days=1))


def age_band(days: int) -> str:
    for name, low, high in AGE_BANDS:
        if days >= low and (high is None or days <= high):
            return name
    return AGE_BANDS[0][0]  # filed "after" today: a clock behind the events


class DaysToDispose:
    """The whole days the window's disposals took: their sum and their median (the middle
    one, or the mean of the two middle ones). The dashboards find both from a histogram
    (`counted`); the oracle adds the disposals one by one (`add`) and counts its histogram
    when asked. Two are equal when their sums and medians are."""

    __slots__ = ("_added", "_median", "_total", "_unsettled")

    def __init__(self, total: int = 0, median: float | None = None) -> None:
        self._total = total
        self._median = median
        # The oracle's disposals, made on its first `add` (a dashboard makes thousands of
        # these and adds to none).
        self._added: Counter[int] | None = None
        self._unsettled = False

    @classmethod
    def counted(cls, disposals: Sequence[int]) -> DaysToDispose:
        """From a histogram: `disposals[n]` disposals took n days."""
        upto = list(accumulate(disposals))  # how many took at most n days
        if not upto or not upto[-1]:
            return cls()
        n = upto[-1]
        low, high = (n - 1) // 2, n // 2  # the middle ones' 0-based positions
        middle = (bisect_right(upto, low) + bisect_right(upto, high)) / 2
        return cls(sum(map(operator.mul, range(len(disposals)), disposals)), middle)

    def add(self, days: int) -> None:
        """One more disposal that took `days` (the oracle's way)."""
        if self._added is None:
            self._added = Counter()
        self._added[days] += 1
        self._unsettled = True

    def _settled(self) -> None:
        """The disposals added so far counted into the sum and the median."""
        if self._unsettled and self._added:
            longest = max(self._added)
            found = DaysToDispose.counted([self._added[n] for n in range(longest + 1)])
            self._total, self._median, self._unsettled = found._total, found._median, False

    @property
    def days(self) -> int:
        """The sum of the days they took."""
        self._settled()
        return self._total

    @property
    def median(self) -> float | None:
        self._settled()
        return self._median

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DaysToDispose):
            return NotImplemented
        return (self.days, self.median) == (other.days, other.median)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DaysToDispose(days={self.days}, median={self.median})"


@dataclass
class Ledger:
    """The counts of one scope and window (and of its pending work now)."""

    brought_forward: int = 0
    filed: int = 0
    transferred_in: int = 0
    reassigned_in: int = 0
    reopened: int = 0
    disposed: Counter[str] = field(default_factory=Counter)  # by outcome
    disposed_in_time: int = 0
    transferred_out: int = 0
    reassigned_out: int = 0
    withdrawn: int = 0  # by the complainant: out of pending, neither disposed nor relief
    pending: int = 0
    escalated: Counter[int] = field(default_factory=Counter)  # by the level climbed to
    satisfied: int = 0
    not_satisfied: int = 0
    days_to_dispose: DaysToDispose = field(default_factory=DaysToDispose)
    # The pending work now (not at the window's end):
    pending_now: int = 0
    beyond_deadline: int = 0
    by_age: Counter[str] = field(default_factory=Counter)
    by_level: Counter[int] = field(default_factory=Counter)
    cmo_vip: int = 0

    @property
    def received(self) -> int:
        return self.filed + self.transferred_in + self.reassigned_in + self.reopened

    @property
    def disposals(self) -> int:
        return sum(self.disposed.values())

    @property
    def moved_out(self) -> int:
        return self.transferred_out + self.reassigned_out

    @property
    def balances(self) -> bool:
        return (
            self.brought_forward + self.received - self.disposals - self.moved_out - self.withdrawn
            == self.pending
        )


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def report(key: Any, ledger: Ledger, *, with_now: bool) -> dict[str, Any]:
    """A dashboard row: the flow, the rates, and (per place, not per day) pending now."""
    disposals = ledger.disposals
    answered = ledger.satisfied + ledger.not_satisfied
    days = ledger.days_to_dispose.days
    figures: dict[str, Any] = {
        "key": key.isoformat() if isinstance(key, date) else key,
        "brought_forward": ledger.brought_forward,
        "received": ledger.received,
        "registered": ledger.filed,
        "received_by_kind": {
            "filed": ledger.filed,
            "transferred_in": ledger.transferred_in,
            "reassigned_in": ledger.reassigned_in,
            "reopened": ledger.reopened,
        },
        "disposed": disposals,
        "disposed_by_outcome": {o: ledger.disposed[o] for o in OUTCOMES},
        "transferred_out": ledger.moved_out,
        "transferred_out_by_kind": {
            "to_department": ledger.transferred_out,
            "to_post": ledger.reassigned_out,
        },
        "withdrawn": ledger.withdrawn,
        "pending": ledger.pending,
        "relief_pct": _share(ledger.disposed["relief"], disposals),
        "satisfaction_pct": _share(ledger.satisfied, answered),
        "feedback": {"satisfied": ledger.satisfied, "not_satisfied": ledger.not_satisfied},
        "average_days_to_dispose": round(days / disposals, 2) if disposals else None,
        "median_days_to_dispose": ledger.days_to_dispose.median,
        "escalations": {f"l{n}": ledger.escalated[n] for n in CLIMBED_TO},
        "reopen_rate_pct": _share(ledger.reopened, disposals),
        "disposed_within_deadline_pct": _share(ledger.disposed_in_time, disposals),
    }
    if with_now:
        figures["pending_now"] = ledger.pending_now
        figures["pending_beyond_deadline"] = ledger.beyond_deadline
        figures["pending_by_age"] = {name: ledger.by_age[name] for name, _, _ in AGE_BANDS}
        figures["pending_by_level"] = {f"l{n}": ledger.by_level[n] for n in LEVELS}
        figures["pending_cmo_vip"] = ledger.cmo_vip
    return figures
