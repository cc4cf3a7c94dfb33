"""The scheduler's figures: each job run while leading is counted by its result and timed,
the complaints the deadline jobs move are counted (each once a run, however many events it
got), a standby says it stands by, and a job
failing at every scan (the database down) is reported in full once a minute."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any
from uuid import UUID, uuid4

import pytest

from infra.metrics import COMPLAINTS_MOVED, JOB_RUNS, JOB_SECONDS, SCHEDULER_LEADS
from projections.worker import Reports
from scheduler.jobs import Clockwork, Moves
from scheduler.leadership import Leadership
from scheduler.service import Scheduler


class Lock:
    """The leadership lock, held or not as the test says."""

    def __init__(self) -> None:
        self.held = True

    def holds(self) -> bool:
        return self.held


def count(metric: Any, *labels: str) -> float:
    value: float = metric.labels(*labels)._value.get()
    return value


def timed(job: str) -> float:
    return next(
        s.value
        for family in JOB_SECONDS.collect()
        for s in family.samples
        if s.name.endswith("_count") and s.labels == {"job": job}
    )


def test_a_leaders_jobs_are_counted_timed_and_their_moves_added_up() -> None:
    lock = Lock()
    scheduler = Scheduler(clockwork=None, leadership=lock)  # type: ignore[arg-type]
    ran_before = count(JOB_RUNS, "deadline scan", "ok")
    moved_before = count(COMPLAINTS_MOVED, "deadline scan")
    escalated = [uuid4() for _ in range(3)]
    scan = scheduler._as_leader(
        "deadline scan",
        lambda: Moves({"Escalated": 3, "Reassigned": 3, "failed": 1}, moved=escalated),
    )

    scan()
    assert count(JOB_RUNS, "deadline scan", "ok") == ran_before + 1
    assert count(COMPLAINTS_MOVED, "deadline scan") == moved_before + 3, "each once"
    assert timed("deadline scan") >= 1
    assert SCHEDULER_LEADS._value.get() == 1

    lock.held = False
    scan()
    assert count(JOB_RUNS, "deadline scan", "ok") == ran_before + 1, "a standby runs nothing"
    assert SCHEDULER_LEADS._value.get() == 0


def test_a_job_failing_at_every_scan_is_reported_once_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    scheduler = Scheduler(clockwork=None, leadership=Lock())  # type: ignore[arg-type]
    now = [0.0]
    scheduler.reports["auto-close"] = Reports(clock=lambda: now[0])

    def database_down() -> Moves:
        raise ConnectionError("connection refused")

    close = scheduler._as_leader("auto-close", database_down)
    failed_before = count(JOB_RUNS, "auto-close", "failed")
    with caplog.at_level(logging.DEBUG, logger="scheduler.service"):
        for _ in range(60):  # ten minutes of scans every 10 s
            close()
            now[0] += 10
    reported = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert count(JOB_RUNS, "auto-close", "failed") == failed_before + 60
    assert len(reported) == 10
    assert "5 more time(s) since the last report" in reported[1].getMessage()


def test_a_lock_whose_database_is_down_says_so_once_a_minute_not_at_every_job(
    caplog: pytest.LogCaptureFixture,
) -> None:
    lock = Leadership("postgresql://sampark@127.0.0.1:1/sampark?connect_timeout=1")
    with caplog.at_level(logging.WARNING, logger="scheduler.leadership"):
        assert not any(lock.holds() for _ in range(20))  # every job of two scans
    said = [r for r in caplog.records if "lost the database connection" in r.getMessage()]
    assert len(said) == 1


class Escalated:
    pass


class Reassigned:
    pass


def test_a_complaint_escalated_and_reassigned_is_one_complaint_moved() -> None:
    """An escalation records two events of one complaint: the job's moves count both events
    and the complaint once; one the command moved not at all, or failed on, is not moved."""
    escalated, untouched, broken = uuid4(), uuid4(), uuid4()
    also_escalated = uuid4()

    def pass_deadlines(complaint: UUID) -> list[object]:
        if complaint == broken:
            raise ConnectionError("the database went away")
        return [] if complaint == untouched else [Escalated(), Reassigned()]

    clockwork = Clockwork(app=None, pool=None, workers=2)  # type: ignore[arg-type]
    moves = clockwork._each([escalated, untouched, broken], pass_deadlines)
    moves += clockwork._each([also_escalated, escalated], pass_deadlines)  # a second page
    assert moves == Counter({"Escalated": 3, "Reassigned": 3, "failed": 1})
    assert moves.moved == {escalated, also_escalated}, "each complaint once a run"

    scheduler = Scheduler(clockwork=None, leadership=Lock())  # type: ignore[arg-type]
    before = count(COMPLAINTS_MOVED, "auto-close")
    scheduler._as_leader("auto-close", lambda: moves)()
    assert count(COMPLAINTS_MOVED, "auto-close") == before + 2
