"""What every benchmark stands on: the servers named by `SAMPARK_*`, else embedded ones."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from infra.local.broker import EmbeddedBroker
from infra.local.embedded import EmbeddedPostgres


@dataclass(frozen=True)
class Servers:
    home: str
    database: str  # the server's URL; each scenario makes its own database on it
    bootstrap: str  # empty when the scenario asked for no broker


@contextmanager
def servers(prefix: str, *, broker: bool = True) -> Iterator[Servers]:
    home = tempfile.mkdtemp(prefix=prefix)
    database = os.environ.get("SAMPARK_DATABASE_URL")
    postgres = None if database else EmbeddedPostgres(Path(home) / "pg", temporary=True)
    bootstrap = os.environ.get("SAMPARK_KAFKA_BOOTSTRAP") or ""
    kafka = EmbeddedBroker() if broker and not bootstrap else None
    try:
        yield Servers(
            home=home,
            database=database or postgres.url,  # type: ignore[union-attr]
            bootstrap=bootstrap or (kafka.bootstrap if kafka else ""),
        )
    finally:
        if kafka:
            kafka.stop()
        if postgres:
            postgres.stop()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]
