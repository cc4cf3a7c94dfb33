"""Applying a batch of complaint events to the read models, exactly once in effect.

An event whose version is not above the row's is a duplicate (a redelivery, a replay) and is
skipped; one that jumps a version is a gap: reported in `gaps`, never applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg

from projections import guarantee, hearings, waiting
from projections import rows as projection
from projections.store import ReadModels

# Failures of the database itself, not of an event: what failed is tried again, whole.
TRANSIENT = (psycopg.OperationalError, psycopg.InterfaceError)


@dataclass
class Applied:
    applied: int = 0
    duplicates: int = 0
    gaps: int = 0
    set_aside: int = 0  # dead letters, and the records held behind them

    def __iadd__(self, other: Applied) -> Applied:
        self.applied += other.applied
        self.duplicates += other.duplicates
        self.gaps += other.gaps
        self.set_aside += other.set_aside
        return self


def apply_events(models: ReadModels, events: Sequence[Any]) -> Applied:
    """Apply `events` (domain events, in per-complaint order) in the caller's transaction."""
    result = Applied()
    rows = models.rows((e.originator_id for e in events), lock=True)
    changed: dict[UUID, projection.ComplaintRow] = {}
    tallies: list[projection.Tally] = []
    disposals: list[projection.DaysToDispose] = []
    pending = projection.PendingMargins()
    reviews: list[projection.ReviewEntry] = []
    under_the_act = guarantee.Changes()
    waits: list[waiting.WaitingTally] = []
    heard: list[hearings.HearingChange] = []
    for event in events:
        complaint: UUID = event.originator_id
        row = rows.get(complaint)
        have = row.version if row else 0
        version: int = event.originator_version
        if version <= have:
            result.duplicates += 1
            continue
        if version != have + 1:
            models.record_gap(complaint, have, version)
            result.gaps += 1
            continue
        after = projection.apply(row, event)
        tallies += projection.tallies(row, after, event)
        if (disposed := projection.days_to_dispose(row, after, event)) is not None:
            disposals.append(disposed)
        for key, delta in projection.pending_changes(row, after):
            pending.add(key, delta)
        if (entry := projection.review(after, event)) is not None:
            reviews.append(entry)
        under_the_act.add(after, event)
        waits += waiting.tallies(after, event)
        heard += hearings.changes(after, event)
        rows[complaint] = changed[complaint] = after
        result.applied += 1
    models.save_rows(list(changed.values()))
    models.add_tallies(tallies)
    models.add_disposal_days(disposals)
    models.add_pending(pending)
    models.save_reviews(reviews)
    under_the_act.save(models.conn, models.schema)
    waiting.save(models.conn, waits, models.schema)
    hearings.save(models.conn, heard, models.schema)
    return result
