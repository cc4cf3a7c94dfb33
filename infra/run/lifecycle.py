"""The long-running workers' lives in one process: each on a thread of its own, all asked
to stop together, and each given time to finish what it holds."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from projections.worker import Worker

STOP_SECONDS = 15  # how long a worker may take to finish what it holds


@contextmanager
def running(workers: Sequence[Worker], *, daemon: bool = False) -> Iterator[list[threading.Thread]]:
    """Start each worker on its own thread; on the way out, stop them all and wait for each
    (at most `STOP_SECONDS`)."""
    threads = [
        threading.Thread(target=w.run_until_stopped, name=type(w).__name__, daemon=daemon)
        for w in workers
    ]
    for thread in threads:
        thread.start()
    try:
        yield threads
    finally:
        for worker in workers:
            worker.stop()
        for thread in threads:
            thread.join(timeout=STOP_SECONDS)


def wait_while_alive(threads: Sequence[threading.Thread]) -> None:
    """Return when every thread has ended (a worker that fails for good ends its thread)."""
    while alive := [t for t in threads if t.is_alive()]:
        alive[0].join(timeout=1)
