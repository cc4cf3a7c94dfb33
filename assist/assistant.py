"""The assistant the API asks: the newest stored model, picked up without a restart.

`judge` asks the store for the newest version at most once every `poll_seconds` (one
`max(version)`, an index read) and loads a new one when it appears; until a model is
trained, there is none (`NoModel`), and every request asks again. Loading happens under a
lock, once, whichever request notices first; the others keep judging with the model they
have.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from psycopg_pool import ConnectionPool

from assist.model import Judgement, Model
from assist.store import Models


class NoModel(Exception):
    """No model has been trained yet (`sampark assist train`)."""


class Assistant:
    def __init__(self, pool: ConnectionPool, poll_seconds: float = 30.0) -> None:
        self.pool = pool
        self.poll_seconds = poll_seconds
        self._model: Model | None = None
        self._checked = float("-inf")
        self._loading = threading.Lock()

    def model(self) -> Model:
        # Without a model, every request asks (one cheap query) until one is trained.
        due = self._model is None or time.monotonic() - self._checked >= self.poll_seconds
        if due and self._loading.acquire(blocking=self._model is None):
            try:
                self._refresh()
                self._checked = time.monotonic()
            finally:
                self._loading.release()
        if self._model is None:
            raise NoModel("no model has been trained yet: run `sampark assist train`")
        return self._model

    def _refresh(self) -> None:
        with self.pool.connection() as conn:
            models = Models(conn)
            latest = models.latest_version()
            if latest is None or (self._model is not None and self._model.version == latest):
                return
            loaded = models.load(latest)
        if loaded is not None:
            self._model = loaded

    def judge(self, texts: Sequence[str], *, top: int | None = 3) -> list[Judgement]:
        return self.model().judge(texts, top=top)
