"""A long-running loop (the relay, a projector) that outlives the failures of its peers."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod

log = logging.getLogger(__name__)


class Worker(ABC):
    stopping: threading.Event

    @abstractmethod
    def run(self) -> None:
        """One life of the loop: returns when stopped, raises when something failed."""

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
