"""A long-running loop (the relay, a projector) that outlives the failures of its peers.

After a failure it starts again after a wait that doubles with each failure in a row, up to
a cap, with jitter (so restarted peers do not come back in step). A worker that keeps failing
(the database is down) is reported in full at most once a minute (`Reports`), with the number
of failures since the last report; the others are logged at debug level. A failure at a known record
(`FailedAt`) that repeats at the same record is reported as such once, with the record's
coordinates, rather than logged in full on every attempt; `failure` / `recovered` let a
worker keep the count where the pipeline status reads it.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from infra.metrics import WORKER_BEAT, WORKER_FAILURES

log = logging.getLogger(__name__)

FIRST_WAIT = 1.0  # seconds after the first failure
MOST_WAIT = 60.0  # the cap
HEALTHY_AFTER = 120.0  # a life this long without failing starts the count again
REPORT_EVERY = 60.0  # a worker that keeps failing is reported in full at most this often


class StartAgain(Exception):
    """Not a failure: the worker must start again from what is stored (say, the relay began a
    new epoch). Logged as news, not counted, and the worker starts again at once."""


class FailedAt(Exception):
    """A failure while handling a known record: `place` names it (topic/partition@offset)."""

    def __init__(self, place: str, error: BaseException) -> None:
        super().__init__(f"at {place}: {type(error).__name__}: {error}")
        self.place = place
        self.error = error


@dataclass
class Failures:
    """The failures in a row of one worker."""

    count: int = 0
    repeats: int = 0  # how many of them were at the same record as the one before
    place: str | None = None
    error: str = ""


def wait_after(failures: int, first: float, cap: float, rng: random.Random) -> float:
    """Capped exponential backoff with jitter: between half and all of min(cap, first*2^n)."""
    ceiling: float = min(cap, first * 2.0 ** max(0, failures - 1))
    return jittered(ceiling, rng)


class Reports:
    """Whether a failure that keeps coming back is reported now: the first at once, then at
    most one every `every` seconds (by `clock`), each saying how many were not reported."""

    def __init__(
        self, every: float = REPORT_EVERY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.every = every
        self.clock = clock
        self.last: float | None = None
        self.unreported = 0

    def due(self) -> int | None:
        """None when this failure is not to be reported; else how many went unreported
        since the last report."""
        now = self.clock()
        if self.last is not None and now - self.last < self.every:
            self.unreported += 1
            return None
        self.last, held = now, self.unreported
        self.unreported = 0
        return held


def jittered(ceiling: float, rng: random.Random) -> float:
    """Between half and all of `ceiling`: peers waiting the same time do not wake in step."""
    return ceiling / 2 + rng.random() * ceiling / 2


class Worker(ABC):
    stopping: threading.Event
    # When the loop last went round (monotonic and Unix time); None before its first round.
    beat_at: float | None = None
    beat_unix: float | None = None

    @property
    def kind(self) -> str:
        """The worker's kind, as its heartbeat and its figures name it: relay, projector,
        notifications, sender, scheduler."""
        return type(self).__name__.lower()

    def beat(self) -> None:
        """Say the loop is going round (the readiness probe and the heartbeat read it)."""
        self.beat_at, self.beat_unix = time.monotonic(), time.time()
        WORKER_BEAT.labels(self.kind).set(self.beat_unix)

    @abstractmethod
    def run(self) -> None:
        """One life of the loop: returns when stopped, raises when something failed."""

    def stop(self) -> None:
        self.stopping.set()

    def failure(self, failures: Failures) -> None:
        """Called after each failure (to record it where others can see it)."""
        return None

    def recovered(self) -> None:
        """Called by the worker when it made progress after failures."""
        return None

    @property
    def failures(self) -> Failures:
        found = getattr(self, "_failures", None)
        if found is None:
            found = self._failures = Failures()
        return found

    def run_until_stopped(
        self,
        backoff: float = FIRST_WAIT,
        cap: float = MOST_WAIT,
        *,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        """Run, and after a failure (the broker or the database went away) run again.
        `clock` and `sleep` are the monotonic clock and the wait (the tests pass their own)."""
        rng = rng or random.Random()
        sleep = sleep or self.stopping.wait
        reports = Reports(clock=clock)
        name = type(self).__name__
        while not self.stopping.is_set():
            started = clock()
            try:
                self.run()
            except StartAgain as news:
                log.info("%s starts again: %s", name, news)
                continue
            except Exception as error:
                failures = self.failures
                WORKER_FAILURES.labels(self.kind).inc()
                if clock() - started > HEALTHY_AFTER:
                    failures.count = failures.repeats = 0
                    failures.place = None
                place = error.place if isinstance(error, FailedAt) else None
                again = place is not None and place == failures.place
                failures.count += 1
                failures.repeats = failures.repeats + 1 if again else 0
                failures.place = place
                failures.error = f"{type(error).__name__}: {error}"
                wait = wait_after(failures.count, backoff, cap, rng)
                if failures.repeats == 1:
                    log.error(
                        "%s keeps failing at the same record, %s: %s; retrying with backoff "
                        "(up to %.0f s), not logged again while it repeats",
                        name,
                        place,
                        failures.error,
                        cap,
                    )
                elif failures.repeats > 1:
                    log.debug("%s failed again at %s (%d times)", name, place, failures.repeats)
                elif (unreported := reports.due()) is not None:
                    log.exception(
                        "%s failed (%d in a row%s); starting again in %.1f s",
                        name,
                        failures.count,
                        f", {unreported} since the last report" if unreported else "",
                        wait,
                    )
                else:
                    log.debug("%s failed again (%d in a row): %s", name, failures.count, error)
                try:
                    self.failure(failures)
                except Exception:
                    log.debug("%s could not record its failure", name, exc_info=True)
                sleep(wait)
