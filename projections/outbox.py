"""The notification outbox: one row per message, with its delivery state, in PostgreSQL.

It lives in its own schema (`notify`), which `sampark projections rebuild` never touches: the
read models may be thrown away and rebuilt, the record of what was sent to whom may not. A
message's key (complaint, event version, audience) is unique, so a replayed topic, a relay
that starts over, or a rebuild adds nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from projections.messages import Message, Recipient

OUTBOX_LOCK = 7210006  # creating the schema
GROUP = "sampark-notifications"  # the notifications consumer's group on the complaint topic
PENDING, RETRYING, SENT, FAILED = "pending", "retrying", "sent", "failed"

DDL = """
CREATE SCHEMA IF NOT EXISTS notify;
-- Who hears about a complaint, from its Filed event.
CREATE TABLE IF NOT EXISTS notify.recipients (
    complaint_id uuid PRIMARY KEY,
    registration_no text NOT NULL,
    mobile text NOT NULL,
    language text NOT NULL
);
CREATE TABLE IF NOT EXISTS notify.messages (
    id bigserial PRIMARY KEY,
    key text NOT NULL UNIQUE,
    complaint_id uuid,
    audience text NOT NULL,
    mobile text NOT NULL,
    language text NOT NULL,
    template text NOT NULL,
    params jsonb NOT NULL,
    text text NOT NULL,
    buttons boolean NOT NULL DEFAULT false,
    state text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'retrying', 'sent', 'failed')),
    channel text NOT NULL DEFAULT 'whatsapp',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    provider_message_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
);
CREATE INDEX IF NOT EXISTS messages_due ON notify.messages (next_attempt_at, id)
    WHERE state IN ('pending', 'retrying');
CREATE UNIQUE INDEX IF NOT EXISTS messages_provider_id ON notify.messages (provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_complaint ON notify.messages (complaint_id);
-- The sender's health: halted while the provider refuses our credentials.
CREATE TABLE IF NOT EXISTS notify.sender (
    name text PRIMARY KEY,
    state text NOT NULL,
    reason text,
    since timestamptz NOT NULL,
    checked_at timestamptz NOT NULL
);
"""


def migrate(conn: psycopg.Connection[Any]) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (OUTBOX_LOCK,))
        conn.execute(DDL.encode())


@dataclass(frozen=True)
class Queued:
    """A message the sender has claimed."""

    id: int
    mobile: str
    language: str
    template: str
    params: list[str]
    text: str
    buttons: bool
    channel: str
    attempts: int


class Outbox:
    """The outbox, used inside the caller's transaction."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    # --- filled by the notifications consumer -------------------------------------------

    def remember(self, recipient: Recipient) -> None:
        self.conn.execute(
            "INSERT INTO notify.recipients (complaint_id, registration_no, mobile, language) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (complaint_id) DO NOTHING",
            (
                recipient.complaint_id,
                recipient.registration_no,
                recipient.mobile,
                recipient.language,
            ),
        )

    def recipients(self, complaints: Iterable[UUID]) -> dict[UUID, Recipient]:
        found = self.conn.execute(
            "SELECT complaint_id, registration_no, mobile, language FROM notify.recipients "
            "WHERE complaint_id = ANY(%s)",
            (list(set(complaints)),),
        ).fetchall()
        return {r[0]: Recipient(*r) for r in found}

    def add(self, messages: Iterable[Message], at: datetime) -> int:
        """Queue messages not queued before; returns how many are new."""
        added = 0
        with self.conn.cursor() as cur:
            for m in messages:
                cur.execute(
                    "INSERT INTO notify.messages (key, complaint_id, audience, mobile, language, "
                    "template, params, text, buttons, created_at, next_attempt_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (key) DO NOTHING",
                    (
                        m.key,
                        m.complaint_id,
                        m.audience,
                        m.mobile,
                        m.language,
                        m.template,
                        Jsonb(m.params),
                        m.text,
                        m.buttons,
                        at,
                        at,
                    ),
                )
                added += cur.rowcount
        return added

    # --- worked through by the sender ---------------------------------------------------

    def claim(self, now: datetime, limit: int) -> list[Queued]:
        """Due messages, locked for this transaction (others skip them)."""
        rows = self.conn.execute(
            "SELECT id, mobile, language, template, params, text, buttons, channel, attempts "
            "FROM notify.messages WHERE state IN ('pending', 'retrying') "
            "AND next_attempt_at <= %s ORDER BY next_attempt_at, id LIMIT %s "
            "FOR UPDATE SKIP LOCKED",
            (now, limit),
        ).fetchall()
        return [Queued(*r) for r in rows]

    def sent(self, message: int, channel: str, provider_id: str, at: datetime) -> None:
        self.conn.execute(
            "UPDATE notify.messages SET state = 'sent', channel = %s, provider_message_id = %s, "
            "sent_at = %s, attempts = attempts + 1, last_error = NULL WHERE id = %s",
            (channel, provider_id, at, message),
        )

    def retry(self, message: int, channel: str, error: str, at: datetime) -> None:
        self.conn.execute(
            "UPDATE notify.messages SET state = 'retrying', channel = %s, "
            "attempts = attempts + 1, last_error = %s, next_attempt_at = %s WHERE id = %s",
            (channel, error, at, message),
        )

    def fall_back(self, message: int, channel: str, error: str, at: datetime) -> None:
        """Try another channel from its first attempt."""
        self.conn.execute(
            "UPDATE notify.messages SET state = 'retrying', channel = %s, attempts = 0, "
            "last_error = %s, next_attempt_at = %s WHERE id = %s",
            (channel, error, at, message),
        )

    def failed(self, message: int, error: str) -> None:
        self.conn.execute(
            "UPDATE notify.messages SET state = 'failed', attempts = attempts + 1, "
            "last_error = %s WHERE id = %s",
            (error, message),
        )

    # --- replies and health ---------------------------------------------------------------

    def answered(self, provider_message_id: str) -> UUID | None:
        """The complaint of the message a citizen's reply answers."""
        found = self.conn.execute(
            "SELECT complaint_id FROM notify.messages WHERE provider_message_id = %s",
            (provider_message_id,),
        ).fetchone()
        return found[0] if found else None

    def awaiting_feedback_from(self, mobile: str) -> list[UUID]:
        """Complaints whose Action Taken Report went to this number (newest first)."""
        found = self.conn.execute(
            "SELECT DISTINCT ON (complaint_id) complaint_id, created_at FROM notify.messages "
            "WHERE mobile = %s AND template = 'sampark_resolved' AND state = 'sent' "
            "ORDER BY complaint_id, created_at DESC",
            (mobile,),
        ).fetchall()
        return [r[0] for r in sorted(found, key=lambda r: r[1], reverse=True)]

    def set_sender(self, name: str, state: str, reason: str | None, at: datetime) -> None:
        self.conn.execute(
            "INSERT INTO notify.sender (name, state, reason, since, checked_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET "
            "since = CASE WHEN notify.sender.state = excluded.state "
            "THEN notify.sender.since ELSE excluded.since END, "
            "state = excluded.state, reason = excluded.reason, checked_at = excluded.checked_at",
            (name, state, reason, at, at),
        )

    def status(self) -> dict[str, Any]:
        counts = dict.fromkeys((PENDING, RETRYING, SENT, FAILED), 0)
        for state, count in self.conn.execute(
            "SELECT state, count(*) FROM notify.messages GROUP BY state"
        ).fetchall():
            counts[state] = count
        senders = [
            {"name": n, "state": s, "reason": r, "since": since, "checked_at": c}
            for n, s, r, since, c in self.conn.execute(
                "SELECT name, state, reason, since, checked_at FROM notify.sender ORDER BY name"
            ).fetchall()
        ]
        oldest = self.conn.execute(
            "SELECT min(created_at) FROM notify.messages WHERE state IN ('pending', 'retrying')"
        ).fetchone()
        return {
            "messages": counts,
            "senders": senders,
            "oldest_unsent": oldest[0] if oldest else None,
        }
