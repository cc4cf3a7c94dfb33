"""A failing worker comes back more and more slowly, up to a cap, never in step with its
peers; one stuck on the same record says so once, with the record's place."""

from __future__ import annotations

import logging
import random
import threading

import pytest

from projections.worker import FailedAt, Failures, StartAgain, Worker, wait_after


def test_the_wait_doubles_with_each_failure_up_to_the_cap_with_jitter() -> None:
    rng = random.Random(7)
    ceilings = [min(60.0, 1.0 * 2 ** (n - 1)) for n in range(1, 12)]
    waits = [wait_after(n, 1.0, 60.0, rng) for n in range(1, 12)]
    for wait, ceiling in zip(waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling
    assert max(waits) <= 60.0
    assert waits[-1] >= 30.0, "after many failures it waits about the cap, not a second"
    spread = {round(wait_after(5, 1.0, 60.0, rng), 3) for _ in range(20)}
    assert len(spread) > 10, "two workers failing together do not come back in step"


class StuckOnOneRecord(Worker):
    def __init__(self, failures: int) -> None:
        self.stopping = threading.Event()
        self.left = failures
        self.seen: list[Failures] = []

    def run(self) -> None:
        if self.left == 0:
            self.stop()
            return
        self.left -= 1
        raise FailedAt("complaints/2@15", ValueError("this record again"))

    def failure(self, failures: Failures) -> None:
        self.seen.append(Failures(**vars(failures)))


def test_a_failure_repeating_at_the_same_record_is_reported_once_as_such(
    caplog: pytest.LogCaptureFixture,
) -> None:
    worker = StuckOnOneRecord(failures=6)
    with caplog.at_level(logging.DEBUG, logger="projections.worker"):
        worker.run_until_stopped(backoff=0.001, cap=0.004)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2, "the first failure in full, then once: it repeats"
    assert "keeps failing at the same record, complaints/2@15" in errors[1].getMessage()
    assert [f.count for f in worker.seen] == [1, 2, 3, 4, 5, 6]
    assert [f.repeats for f in worker.seen] == [0, 1, 2, 3, 4, 5]
    assert worker.seen[-1].place == "complaints/2@15"


class FollowingTheRelay(Worker):
    """A consumer told twice that the relay began a new epoch, then done."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.news = 2
        self.seen: list[Failures] = []

    def run(self) -> None:
        if self.news == 0:
            self.stop()
            return
        self.news -= 1
        raise StartAgain("the relay moved to epoch 2")

    def failure(self, failures: Failures) -> None:
        self.seen.append(failures)


def test_a_planned_restart_is_news_not_a_failure(caplog: pytest.LogCaptureFixture) -> None:
    worker = FollowingTheRelay()
    with caplog.at_level(logging.INFO):
        worker.run_until_stopped(backoff=30.0)  # a failure would wait 15-30 s: this does not
    assert worker.seen == [] and worker.failures.count == 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert sum("starts again" in r.getMessage() for r in caplog.records) == 2


class DatabaseDown(Worker):
    """A worker whose every life fails at once, as when PostgreSQL is down."""

    def __init__(self) -> None:
        self.stopping = threading.Event()

    def run(self) -> None:
        raise ConnectionError("connection refused: is PostgreSQL running?")


def test_a_worker_that_keeps_failing_is_reported_once_a_minute_not_once_a_second(
    caplog: pytest.LogCaptureFixture,
) -> None:
    worker = DatabaseDown()
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # ten minutes pass without anyone waiting
        waits.append(seconds)
        now[0] += seconds
        if now[0] >= 600:
            worker.stop()

    with caplog.at_level(logging.DEBUG, logger="projections.worker"):
        worker.run_until_stopped(backoff=0.05, cap=2.0, clock=lambda: now[0], sleep=sleep)
    reported = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(waits) > 300, "it kept trying, about every one to two seconds"
    assert all(w <= 2.0 for w in waits) and len({round(w, 3) for w in waits}) > 100
    assert 10 <= len(reported) <= 11, "in full once a minute"
    assert reported[0].exc_info is not None
    later = reported[1].getMessage()
    assert "since the last report" in later and "DatabaseDown failed" in later
    assert len([r for r in caplog.records if r.levelno == logging.DEBUG]) == len(waits) - len(
        reported
    )
