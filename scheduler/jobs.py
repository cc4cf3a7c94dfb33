"""The scheduler's jobs: each asks the read model what may need doing, then lets every
complaint decide for itself (`domain/deadlines.py`).

- `scan_deadlines`: complaints past due climb (or are marked, or flagged); those blocked by a
  directory gap are tried again whenever the directory changes.
- `warn_of_deadlines`: holders are warned once, `lead` before each deadline.
- `pass_stipulated_times`: complaints about a service notified under the Public Services
  Guarantee Act, undisposed when its stipulated time ends, are marked (the citizen is told of
  the right to appeal; docs/guarantee.md).
- `close_unanswered`: disposals left without feedback are closed when the window ends.
- `queue_reviews`: each department's secretary gets the day's most pressing complaints.
- `make_infographic`: the state's infographic of the day before, in Hindi and English, made
  and kept (the copy published and served; docs/reports.md), and announced to the posts
  that publish it.
- `send_monthly_data`: each department's data of the month before, kept and sent to its
  secretary with signed links (docs/reports.md).
- `train_assistant`: the assistant retrained on its corpus and the history (docs/assist.md),
  nightly; and whenever no model is fresh (`ASSISTANT_FRESH`), asked every minute.

Each job returns what it recorded, counted by event type, and the complaints it moved, each
once however many events it recorded for one (`Moves`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import partial
from itertools import islice
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from assist.store import Models
from assist.teaching import retrain_apart
from domain.application import Sampark
from domain.sla import INDIA
from infra.logs import about
from projections import guarantee
from projections.agenda import Agenda, Key
from reports.infographic import last_whole_day
from reports.kept import anything_by
from reports.publishing import LANGUAGES, all_kept, make_infographic
from reports.sending import Link, announce_infographic, send_monthly_data

log = logging.getLogger(__name__)


class Moves(Counter[str]):
    """What a job recorded, counted by event type (or by what it made), and the complaints it
    moved: `moved` holds each once, however many of its events the job recorded (an
    escalation is `Escalated` and `Reassigned`), and is kept when moves are added up."""

    def __init__(self, counts: Iterable[str] | Mapping[str, int] = (), moved: Iterable[UUID] = ()):
        super().__init__(counts)
        self.moved: set[UUID] = set(moved)

    def __add__(self, other: Counter[str]) -> Moves:  # type: ignore[override]
        return Moves(super().__add__(other), self.moved | getattr(other, "moved", set()))

    def __iadd__(self, other: Counter[str]) -> Moves:  # type: ignore[override,misc]
        super().__iadd__(other)
        self.moved |= getattr(other, "moved", set())
        return self


ASSISTANT_FRESH = timedelta(hours=20)  # a model younger is not retrained when asked `fresh`


class Clockwork:
    def __init__(
        self,
        app: Sampark,
        pool: ConnectionPool,
        *,
        lead: timedelta = timedelta(hours=48),
        review_size: int = 10,
        workers: int = 4,
        link: Link | None = None,
        publishers: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.pool = pool
        self.link = link  # signs links to kept documents; None: nothing is sent
        self.publishers = publishers  # the posts the infographic is announced to
        self.lead = lead
        self.review_size = review_size
        self.workers = workers
        self._directory_seen: int | None = None

    # --- the jobs -----------------------------------------------------------------------

    def scan_deadlines(self) -> Moves:
        now = self.app.clock()
        moves = self._each_page(lambda a, after: a.past_due(now, after), self.app.pass_deadlines)
        version = self.app.directory().version
        if version != self._directory_seen:
            with self.pool.connection() as conn:
                blocked = Agenda(conn).blocked()
            moves += self._each(blocked, self.app.pass_deadlines)
            self._directory_seen = version
        return moves

    def warn_of_deadlines(self) -> Moves:
        now = self.app.clock()
        return self._each_page(
            lambda a, after: a.nearing_due(now, self.lead, after),
            lambda complaint: self.app.warn_of_deadline(complaint, self.lead),
        )

    def pass_stipulated_times(self) -> Moves:
        now = self.app.clock()
        return self._each_page(
            lambda a, after: guarantee.lapsing(a.conn, now, after), self.app.pass_stipulated_time
        )

    def close_unanswered(self) -> Moves:
        now = self.app.clock()
        return self._each_page(
            lambda a, after: a.feedback_window_over(now, after), self.app.close_unanswered
        )

    def queue_reviews(self, day: date | None = None) -> Moves:
        """Top each department's list for `day` (today in India) up to `review_size`."""
        now = self.app.clock()
        day = day or now.astimezone(INDIA).date()
        moves = Moves()
        with self.pool.connection() as conn:
            agenda = Agenda(conn)
            wanted = []
            for department in agenda.departments_with_pending():
                queued = agenda.queued(department, day)
                need = self.review_size - queued
                if need > 0:
                    chosen = agenda.most_in_need(department, day, now, need)
                    wanted += [(c, queued + rank) for rank, c in enumerate(chosen, start=1)]
        for complaint, rank in wanted:
            moves += self._one(partial(self.app.queue_for_review, day=day, rank=rank), complaint)
        return moves

    def make_infographic(self, day: date | None = None) -> Moves:
        """Make and keep the infographic of `day` (yesterday in India) in each language;
        nothing when its copies are kept already (a restart costs nothing)."""
        now = self.app.clock()
        day = day or last_whole_day(now)
        made = Moves()
        with self.pool.connection() as conn:
            if not anything_by(conn, day):
                return Moves({f"infographic {day.isoformat()}: nothing happened by then": 1})
        directory = self.app.directory()
        if not all_kept(self.pool, day):
            for language in LANGUAGES:
                make_infographic(self.pool, directory, now, day, language, "scheduler", keep=True)
                made[f"infographic {day.isoformat()} {language}"] += 1
        if self.link is not None and self.publishers:
            made += announce_infographic(self.pool, directory, now, day, self.publishers, self.link)
        return made

    def send_monthly_data(self, first: date | None = None) -> Moves:
        """Keep each department's data of the month from `first` (by default the month
        before, India) and send it to its secretary; what was sent is never sent again."""
        if self.link is None:
            return Moves()
        now = self.app.clock()
        first = first or (now.astimezone(INDIA).date().replace(day=1) - timedelta(days=1)).replace(
            day=1
        )
        return Moves(send_monthly_data(self.pool, self.app.directory(), now, first, self.link))

    def train_assistant(self, *, when_stale: bool = False) -> Moves:
        """Retrain the assistant and store the new version; with `when_stale`, only if the
        newest model is older than `ASSISTANT_FRESH` (a restart does not retrain). Nothing
        while the directory holds no categories (at the first start, before it is loaded)."""
        now = self.app.clock()
        directory = self.app.directory()
        if len(directory.categories) < 2:
            return Moves()
        with self.pool.connection() as conn:
            if when_stale:
                models = Models(conn)
                latest = models.latest_version()
                trained = models.trained_at(latest) if latest is not None else None
                if trained is not None and now - trained < ASSISTANT_FRESH:
                    return Moves()
        conninfo = self.pool.conninfo
        url = conninfo() if callable(conninfo) else conninfo
        version = retrain_apart(url, directory, now)
        return Moves({f"assistant model version {version}": 1})

    # --- doing it for many complaints -----------------------------------------------------

    def _each_page(
        self,
        page: Callable[[Agenda, Key | None], list[Key]],
        command: Callable[[UUID], Sequence[Any]],
    ) -> Moves:
        moves = Moves()
        after: Key | None = None
        while True:
            with self.pool.connection() as conn:
                found = page(Agenda(conn), after)
            if not found:
                return moves
            moves += self._each([complaint for _, complaint in found], command)
            after = found[-1]

    def _each(self, complaints: Iterable[UUID], command: Callable[[UUID], Sequence[Any]]) -> Moves:
        moves = Moves()
        waiting = iter(complaints)
        with ThreadPoolExecutor(self.workers, thread_name_prefix="clockwork") as pool:
            # A slice at a time: `map` makes a future for every item it is given at once.
            while chunk := list(islice(waiting, 256)):
                for done in pool.map(lambda c: self._one(command, c), chunk):
                    moves += done
        return moves

    @staticmethod
    def _one(command: Callable[[UUID], Sequence[Any]], complaint: UUID) -> Moves:
        """One complaint's command; its failure is logged and left to the next run."""
        with about(complaint):
            try:
                events = command(complaint)
            except Exception:
                log.exception(
                    "the scheduler could not move complaint %s; will try again", complaint
                )
                return Moves({"failed": 1})
            return Moves((type(e).__name__ for e in events), [complaint] if events else [])


def describe(moves: Moves) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(moves.items())) or "nothing"
