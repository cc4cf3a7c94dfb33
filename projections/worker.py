"""A long-running loop (the relay, a projector) that outlives the failures of its peers."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class Worker:
    stopping: threading.Event

    def run(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        self.stopping.set()

    def run_until_stopped(self, backoff: float = 1.0) -> None:
        """Run, and after a failure (the broker or the database went away) run again."""
        while not self.stopping.is_set():
            try:
                self.run()
            except Exception:
                log.exception("%s failed; starting again in %.1f s", type(self).__name__, backoff)
                self.stopping.wait(backoff)
