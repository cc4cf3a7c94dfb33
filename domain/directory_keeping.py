"""Keeping the directory: the master data as one aggregate, cached and changed by admins."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate

from domain.directory import DIRECTORY_ID, Directory, DirectoryCreated, MasterData
from domain.errors import Forbidden
from domain.permissions import uses
from domain.values import SAMPARK, Identity

DIRECTORY_BATCH = 100


class DirectoryKeeping(Application[UUID]):
    """The directory half of the Sampark application."""

    if TYPE_CHECKING:
        clock: Callable[[], datetime]

        def _save(self, aggregate: Aggregate, recorded_with: Mapping[str, Any]) -> None: ...

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env=env)
        self._directory: Directory | None = None
        self._directory_lock = threading.Lock()

    # --- the directory ------------------------------------------------------------------

    def directory(self) -> Directory:
        """The master data, brought up to date with any change saved since last asked.

        The returned object is never changed afterwards (a change makes a new copy), so
        concurrent readers are safe. Before any load the directory is empty.
        """
        return self._stored_directory() or Directory.create(SAMPARK.actor, self.clock())

    def _directory_for_decision(self) -> tuple[Directory, tuple[UUID, int]]:
        """The directory as last seen, without asking the store, and the version it is at.

        A command decided on it saves with `decided_on` that version: the recorder refuses
        the events if the directory has moved since, and the command decides again.
        """
        with self._directory_lock:
            current = self._directory
        if current is None:
            current = self._stored_directory()
        if current is None:
            return Directory.create(SAMPARK.actor, self.clock()), (DIRECTORY_ID, 0)
        return current, (DIRECTORY_ID, current.version)

    def _directory_moved_since(self, seen: tuple[UUID, int]) -> bool:
        """Whether the stored directory is past the version `seen` (catching up with it)."""
        current = self._stored_directory()
        return (current.version if current else 0) != seen[1]

    def _stored_directory(self) -> Directory | None:
        with self._directory_lock:
            current = self._directory
            if current is None:
                try:
                    current = self.repository.get(DIRECTORY_ID)
                except AggregateNotFoundError:
                    return None
            else:
                newer = list(self.events.get(DIRECTORY_ID, gt=current.version))
                if newer:
                    current = copy.deepcopy(current)
                    for event in newer:
                        event.mutate(current)  # type: ignore[attr-defined]
            self._directory = current
            return current

    def _directory_to_change(self, by: Identity, at: datetime) -> Directory:
        if not uses(by, "directory_change"):
            raise Forbidden("only an admin changes the directory")
        current = self._stored_directory()
        return copy.deepcopy(current) if current else Directory.create(by.actor, at)

    def change_directory(
        self,
        by: Identity,
        change: Callable[[Directory, datetime], object],
        recorded_with: Mapping[str, Any] | None = None,
    ) -> Directory:
        """Apply one admin change to the directory, as events (`recorded_with` them: an
        idempotency receipt)."""
        at = self.clock()
        directory = self._directory_to_change(by, at)
        change(directory, at)
        self._save(directory, recorded_with or {})
        return directory

    def load_directory(self, by: Identity, data: MasterData) -> int:
        """Bring the directory in line with a master-data file; returns the number of changes.

        A first load records a couple of thousand events; they are saved in batches (one
        huge pipelined insert can stall the PostgreSQL driver). Each batch is atomic and a
        load records only differences, so loading again after an interruption completes it.
        """
        at = self.clock()
        directory = self._directory_to_change(by, at)
        directory.load(data, by.actor, at)
        events = directory.collect_events()
        for start in range(0, len(events), DIRECTORY_BATCH):
            self.save(*events[start : start + DIRECTORY_BATCH])
        return len([e for e in events if not isinstance(e, DirectoryCreated)])

    def directory_timeline(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[Aggregate.Event]:
        """The directory's changes in order: the first `limit` after version `after`."""
        return cast(
            list[Aggregate.Event], list(self.events.get(DIRECTORY_ID, gt=after, limit=limit))
        )
