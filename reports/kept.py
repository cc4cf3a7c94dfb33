"""The record of the documents made, and the copies kept (schema `reports`).

Every document made is recorded in `reports.made`: what (kind, subject, period, language,
format), its SHA-256, who made it and when, and the data version it was made from (how many
events the read models had applied, and the time of the last). The scheduler's documents (the
morning's infographic) are kept in `reports.kept`, one per kind, subject, period, language
and format: the copy that was published is the copy served. The last copy made on request
is in `reports.copies` with its data version: asked again before any event is applied, it
is served rather than made again. Like `notify`, this schema is no
read model: `sampark projections rebuild` never touches it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg

from projections.store import LIVE


@dataclass(frozen=True)
class Name:
    """Which document: e.g. ("infographic", "state", "2026-11-29", "hi", "png")."""

    kind: str
    subject: str
    period: str
    language: str
    format: str

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.kind, self.subject, self.period, self.language, self.format)


@dataclass(frozen=True)
class Copy:
    content: bytes
    sha256: str
    data_version: str
    made_by: str
    made_at: datetime


def data_version(conn: psycopg.Connection[Any]) -> str:
    """How far the read models are: events applied (all partitions), and the last one's time."""
    found = conn.execute(f"SELECT to_regclass('{LIVE}.offsets')").fetchone()
    if not found or not found[0]:
        return "0 events applied"
    row = conn.execute(
        f"SELECT coalesce(sum(next_offset), 0), max(last_event_time) FROM {LIVE}.offsets"
    ).fetchone()
    assert row is not None
    applied, last = row
    return f"{applied} events applied" + (f", the last of {last.isoformat()}" if last else "")


def anything_by(conn: psycopg.Connection[Any], day: date) -> bool:
    """Whether the read models saw anything happen on or before `day` (India's days): a
    period that ended before the first complaint has nothing to report, so the scheduler
    makes and sends nothing for it (a new store, a first start)."""
    found = conn.execute(f"SELECT to_regclass('{LIVE}.flows')").fetchone()
    if not found or not found[0]:
        return False
    row = conn.execute(f"SELECT 1 FROM {LIVE}.flows WHERE day <= %s LIMIT 1", (day,)).fetchone()
    return row is not None


class Shelf:
    """The documents made and kept."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def record(self, name: Name, content: bytes, version: str, by: str, at: datetime) -> str:
        digest = hashlib.sha256(content).hexdigest()
        self.conn.execute(
            "INSERT INTO reports.made (kind, subject, period, language, format, sha256, size, "
            "data_version, made_by, made_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (*name.key(), digest, len(content), version, by, at),
        )
        return digest

    def keep(self, name: Name, content: bytes, version: str, by: str, at: datetime) -> str:
        """Record it and keep it (replacing what was kept under the same name)."""
        digest = self.record(name, content, version, by, at)
        self.conn.execute(
            "INSERT INTO reports.kept (kind, subject, period, language, format, sha256, content, "
            "data_version, made_by, made_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (kind, subject, period, language, format) DO UPDATE SET "
            "sha256 = excluded.sha256, content = excluded.content, "
            "data_version = excluded.data_version, made_by = excluded.made_by, "
            "made_at = excluded.made_at",
            (*name.key(), digest, content, version, by, at),
        )
        return digest

    def kept(self, name: Name) -> Copy | None:
        row = self.conn.execute(
            "SELECT content, sha256, data_version, made_by, made_at FROM reports.kept "
            "WHERE kind = %s AND subject = %s AND period = %s AND language = %s AND format = %s",
            name.key(),
        ).fetchone()
        return Copy(bytes(row[0]), row[1], row[2], row[3], row[4]) if row else None

    def remember(self, name: Name, content: bytes, version: str) -> None:
        """Hold `content` as the copy of `name` made from data `version` (replacing any)."""
        self.conn.execute(
            "INSERT INTO reports.copies (kind, subject, period, language, format, "
            "data_version, content) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (kind, subject, period, language, format) DO UPDATE SET "
            "data_version = excluded.data_version, content = excluded.content",
            (*name.key(), version, content),
        )

    def copy(self, name: Name, version: str) -> bytes | None:
        """The copy of `name` made from data `version`, if one was."""
        row = self.conn.execute(
            "SELECT content FROM reports.copies WHERE kind = %s AND subject = %s "
            "AND period = %s AND language = %s AND format = %s AND data_version = %s",
            (*name.key(), version),
        ).fetchone()
        return bytes(row[0]) if row else None

    def made(self, kind: str) -> list[dict[str, Any]]:
        """What was made of `kind`, oldest first."""
        cursor = self.conn.execute(
            "SELECT kind, subject, period, language, format, sha256, size, data_version, "
            "made_by, made_at FROM reports.made WHERE kind = %s ORDER BY id",
            (kind,),
        )
        names = [c.name for c in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor]
