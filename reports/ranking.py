"""The ranking index of departments and districts (docs/reports.md, "The ranking index").

Six indicators, each read from a dashboard row, each normalised across the rows ranked
(min-max: the best row scores 100, the worst 0, all alike score 100), weighted, and summed
into an index of 0..100; a row missing an indicator (nothing disposed, no feedback) is scored
on the others, their weights scaled up to 100. Rank 1 is the highest index; equal indexes
share a rank. The change is last month's rank less this month's: positive means it climbed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Indicator:
    name: str  # as docs/reports.md and the index's answer name it
    weight: int
    higher_is_better: bool
    value: Callable[[Row], float | None]


def _per_thousand_received(row: Row) -> float | None:
    received: int = row["received"]
    beyond: int = row["pending_beyond_deadline"]
    return round(beyond * 1000 / received, 2) if received else None


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "disposed_within_deadline_pct", 25, True, lambda r: r["disposed_within_deadline_pct"]
    ),
    Indicator("beyond_deadline_per_1000_received", 20, False, _per_thousand_received),
    Indicator("relief_pct", 15, True, lambda r: r["relief_pct"]),
    Indicator("satisfaction_pct", 20, True, lambda r: r["satisfaction_pct"]),
    Indicator("reopen_rate_pct", 10, False, lambda r: r["reopen_rate_pct"]),
    Indicator("average_days_to_dispose", 10, False, lambda r: r["average_days_to_dispose"]),
)
assert sum(i.weight for i in INDICATORS) == 100


@dataclass(frozen=True)
class Standing:
    key: str
    indicators: dict[str, float | None]
    scores: dict[str, float | None]  # each indicator normalised, 0..100
    index: float | None  # None: no indicator at all (nothing received or disposed)
    rank: int | None
    previous_rank: int | None

    @property
    def change(self) -> int | None:
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "rank": self.rank,
            "index": self.index,
            "previous_rank": self.previous_rank,
            "change": self.change,
            "indicators": self.indicators,
            "scores": self.scores,
        }


def _normalised(values: dict[str, float | None], higher_is_better: bool) -> dict[str, float | None]:
    known = [v for v in values.values() if v is not None]
    if not known:
        return dict.fromkeys(values)
    low, high = min(known), max(known)
    scores: dict[str, float | None] = {}
    for key, value in values.items():
        if value is None:
            scores[key] = None
        elif high == low:
            scores[key] = 100.0
        else:
            share = (value - low) / (high - low)
            scores[key] = round(100 * (share if higher_is_better else 1 - share), 2)
    return scores


def _ranks(indexes: dict[str, float | None]) -> dict[str, int | None]:
    ordered = sorted((i, k) for k, i in indexes.items() if i is not None)
    ordered.sort(key=lambda pair: (-pair[0], pair[1]))
    ranks: dict[str, int | None] = dict.fromkeys(indexes)
    for place, (index, key) in enumerate(ordered, start=1):
        earlier = ordered[place - 2] if place > 1 else None
        same = earlier is not None and earlier[0] == index
        ranks[key] = ranks[earlier[1]] if same and earlier else place
    return ranks


def indexes(rows: list[Row]) -> tuple[dict[str, dict[str, Any]], dict[str, float | None]]:
    """Each row's indicators and scores, and its index."""
    keyed = {str(r["key"]): r for r in rows}
    values = {i.name: {k: i.value(r) for k, r in keyed.items()} for i in INDICATORS}
    scores = {i.name: _normalised(values[i.name], i.higher_is_better) for i in INDICATORS}
    index: dict[str, float | None] = {}
    for key in keyed:
        weighed = [(i.weight, scores[i.name][key]) for i in INDICATORS]
        present = [(w, s) for w, s in weighed if s is not None]
        total = sum(w for w, _ in present)
        index[key] = round(sum(w * s for w, s in present) / total, 2) if total else None
    detail = {
        key: {
            "indicators": {i.name: values[i.name][key] for i in INDICATORS},
            "scores": {i.name: scores[i.name][key] for i in INDICATORS},
        }
        for key in keyed
    }
    return detail, index


def ranking(rows: list[Row], previous_rows: list[Row] | None = None) -> list[Standing]:
    """The rows ranked, best first (unranked rows last, by key)."""
    detail, index = indexes(rows)
    ranks = _ranks(index)
    before = _ranks(indexes(previous_rows)[1]) if previous_rows is not None else {}
    standings = [
        Standing(
            key=key,
            indicators=detail[key]["indicators"],
            scores=detail[key]["scores"],
            index=index[key],
            rank=ranks[key],
            previous_rank=before.get(key),
        )
        for key in index
    ]
    return sorted(standings, key=lambda s: (s.rank is None, s.rank or 0, s.key))
