"""`sampark scheduler`: APScheduler 3 runs the clockwork's jobs, while this process leads.

The deadline scan, the warnings and the auto-close run every `scan_seconds`; the
secretaries' lists are made every morning at `review_time` in India, and once at start (the
job only tops lists up, so a restart never doubles them); the day before's infographic at
`infographic_time`, and once at start (a day whose copies are kept is skipped, so a restart
costs nothing), announced to the posts that publish it; each department's monthly data on
the 1st at the same time, and once at start (a department whose message was queued is
skipped: nothing is sent twice); the assistant
retrained nightly at `assist_train_time`, and whenever its newest model is stale or missing
(asked every minute: one query). Every job
first asks for the leadership lock: a standby scheduler runs the same timetable and does
nothing until the leader goes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from domain.sla import INDIA
from infra.eventstore.audit import take_checkpoint
from infra.metrics import COMPLAINTS_MOVED, JOB_RUNS, JOB_SECONDS, SCHEDULER_LEADS
from projections.worker import Reports, Worker
from scheduler.jobs import Clockwork, Moves, describe
from scheduler.leadership import Leadership

log = logging.getLogger(__name__)
# The jobs whose moves are complaints' events (the others make lists and documents).
MOVING_COMPLAINTS = frozenset({"deadline scan", "deadline warnings", "auto-close"})
BEAT_SECONDS = 5.0  # how often the scheduler says it is alive (its timetable runs apart)


class Scheduler(Worker):
    def __init__(
        self,
        clockwork: Clockwork,
        leadership: Leadership,
        *,
        scan_seconds: float = 60.0,
        review_at: tuple[int, int] = (8, 0),
        infographic_at: tuple[int, int] = (9, 0),
        assist_train_at: tuple[int, int] = (2, 30),
        checkpoint_minutes: float = 60.0,
        signing_key: Any = None,
    ) -> None:
        self.clockwork = clockwork
        self.leadership = leadership
        self.scan_seconds = scan_seconds
        self.review_at = review_at
        self.infographic_at = infographic_at
        self.assist_train_at = assist_train_at
        self.checkpoint_minutes = checkpoint_minutes
        self.signing_key = signing_key
        self.stopping = threading.Event()
        # A job failing at every scan (the database is down) is reported once a minute.
        self.reports: dict[str, Reports] = {}

    def run(self) -> None:
        timetable = BackgroundScheduler(timezone=INDIA)
        every_scan = IntervalTrigger(seconds=self.scan_seconds, timezone=INDIA)
        now = datetime.now(INDIA)
        jobs: list[tuple[str, Callable[[], Moves], object]] = [
            ("deadline scan", self.clockwork.scan_deadlines, every_scan),
            ("deadline warnings", self.clockwork.warn_of_deadlines, every_scan),
            ("auto-close", self.clockwork.close_unanswered, every_scan),
            ("stipulated times", self.clockwork.pass_stipulated_times, every_scan),
            (
                "daily review",
                self.clockwork.queue_reviews,
                CronTrigger(hour=self.review_at[0], minute=self.review_at[1], timezone=INDIA),
            ),
            (
                "daily infographic",
                self.clockwork.make_infographic,
                CronTrigger(
                    hour=self.infographic_at[0], minute=self.infographic_at[1], timezone=INDIA
                ),
            ),
            (
                "monthly data",
                self.clockwork.send_monthly_data,
                CronTrigger(
                    day=1,
                    hour=self.infographic_at[0],
                    minute=self.infographic_at[1],
                    timezone=INDIA,
                ),
            ),
            (
                "assistant training",
                self.clockwork.train_assistant,
                CronTrigger(
                    hour=self.assist_train_at[0], minute=self.assist_train_at[1], timezone=INDIA
                ),
            ),
            (
                "assistant training when stale",
                lambda: self.clockwork.train_assistant(when_stale=True),
                IntervalTrigger(minutes=1, timezone=INDIA),
            ),
        ]
        if self.signing_key is not None:
            jobs.append(
                (
                    "audit checkpoint",
                    self._checkpoint,
                    IntervalTrigger(minutes=self.checkpoint_minutes, timezone=INDIA),
                )
            )
        for name, job, trigger in jobs:
            timetable.add_job(
                self._as_leader(name, job),
                trigger,
                id=name,
                name=name,
                max_instances=1,  # a slow scan is never overlapped by the next
                coalesce=True,  # runs missed while busy become one
                misfire_grace_time=None,
                next_run_time=now,
            )
        timetable.start()
        log.info(
            "scheduler started: scan every %.3g s, review lists at %02d:%02d Asia/Kolkata",
            self.scan_seconds,
            *self.review_at,
        )
        try:
            self.beat()
            while not self.stopping.wait(BEAT_SECONDS):
                self.beat()
        finally:
            timetable.shutdown(wait=True)
            self.leadership.release()

    def _checkpoint(self) -> Moves:
        """Sign the heads of every hash chain (`infra/eventstore/audit.py`)."""
        with self.clockwork.pool.connection() as conn:
            taken = take_checkpoint(conn, self.signing_key, self.clockwork.app.clock())
        return Moves({f"checkpoint of {taken.chains} chains": 1})

    def _as_leader(self, name: str, job: Callable[[], Moves]) -> Callable[[], None]:
        def run() -> None:
            leads = self.leadership.holds()
            SCHEDULER_LEADS.set(1 if leads else 0)
            if not leads:
                return
            started = time.perf_counter()
            try:
                moves = job()
            except Exception as error:
                JOB_RUNS.labels(name, "failed").inc()
                reports = self.reports.setdefault(name, Reports())
                if (unreported := reports.due()) is not None:
                    log.exception(
                        "%s failed (%d more time(s) since the last report); it runs again at "
                        "its next time",
                        name,
                        unreported,
                    )
                else:
                    log.debug("%s failed again: %s", name, error)
                return
            finally:
                JOB_SECONDS.labels(name).observe(time.perf_counter() - started)
            JOB_RUNS.labels(name, "ok").inc()
            if name in MOVING_COMPLAINTS:
                COMPLAINTS_MOVED.labels(name).inc(len(moves.moved))  # each complaint once
            if moves:
                log.info("%s: %s", name, describe(moves))

        return run
