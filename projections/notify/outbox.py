"""The notification outbox: one row per message, with its delivery state, in PostgreSQL.

It lives in its own schema (`notify`), which `sampark projections rebuild` never touches: the
read models may be thrown away and rebuilt, the record of what was sent to whom may not. A
message's key (complaint, event version, audience) is unique, so a replayed topic, a relay
that starts over, or a rebuild adds nothing twice; and each event's decision is recorded
(`notify.decided`), so a replay does not decide again what an event says to whom.

A message's life: `pending` -> `sending` (claimed by a sender, committed before the provider
is asked) -> `sent`, or `retrying` (a transient failure, later), or `failed` (given up on);
a claim whose answer was never recorded is settled by the rule in `projections/notify/uncertain.py`:
sent again (the Action Taken Report, once) or `uncertain` (never sent again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from infra import locks
from projections.notify import uncertain
from projections.notify.messages import Message, Recipient

GROUP = "sampark-notifications"  # the notifications consumer's group on the complaint topic
PENDING, RETRYING, SENDING, SENT, FAILED, UNCERTAIN = (
    "pending",
    "retrying",
    "sending",
    "sent",
    "failed",
    "uncertain",
)
STATES = (PENDING, RETRYING, SENDING, SENT, FAILED, UNCERTAIN)
_STATE_CHECK = "CHECK (state IN ('pending', 'retrying', 'sending', 'sent', 'failed', 'uncertain'))"


@dataclass(frozen=True)
class Decision:
    """What the notifications consumer made of one complaint event: the messages to queue
    (none, maybe) and, when it left something out, why."""

    complaint_id: UUID
    version: int
    event: str
    messages: list[Message]
    note: str | None = None


@dataclass(frozen=True)
class Queued:
    """A message a sender has claimed: `attempt` names this claim, and only its holder may
    record how it ended."""

    id: int
    mobile: str
    language: str
    template: str
    params: list[str]
    text: str
    buttons: bool
    channel: str
    attempts: int
    attempt: UUID
    resends: int = 0
    session: dict[str, Any] | None = None  # a conversation's answer, while its window is open
    session_until: datetime | None = None
    complaint_id: UUID | None = None  # what it is about (a conversation's answer: nothing)


@dataclass(frozen=True)
class Doubt:
    """A claim settled by the rule for uncertain sends."""

    id: int
    template: str
    claimed_by: str | None
    sent_again: bool
    complaint_id: UUID | None = None


_QUEUED = (
    "id, mobile, language, template, params, text, buttons, channel, attempts, attempt, resends, "
    "session, session_until, complaint_id"
)


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

    def decide(self, decision: Decision, at: datetime) -> bool:
        """Record the decision on an event; False when it was decided before (a replay),
        and then nothing of this one may be queued. Waits for a concurrent decision on the
        same event to commit or roll back, so two consumers never both decide it."""
        done = self.conn.execute(
            "INSERT INTO notify.decided (complaint_id, version, event, told, note, decided_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (complaint_id, version) DO NOTHING",
            (
                decision.complaint_id,
                decision.version,
                decision.event,
                sorted({m.audience for m in decision.messages}),
                decision.note,
                at,
            ),
        )
        return done.rowcount == 1

    def add(self, messages: Iterable[Message], at: datetime) -> int:
        """Queue messages not queued before; returns how many are new."""
        added = 0
        with self.conn.cursor() as cur:
            for m in messages:
                cur.execute(
                    "INSERT INTO notify.messages (key, complaint_id, audience, mobile, language, "
                    "template, params, text, buttons, created_at, next_attempt_at, session, "
                    "session_until) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
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
                        None if m.session is None else Jsonb(m.session),
                        m.session_until,
                    ),
                )
                added += cur.rowcount
        return added

    def queued(self, key: str) -> bool:
        """Whether a message of this key was ever queued (whatever became of it)."""
        return (
            self.conn.execute("SELECT 1 FROM notify.messages WHERE key = %s", (key,)).fetchone()
            is not None
        )

    # --- worked through by the sender ---------------------------------------------------

    def claim(self, now: datetime, claimant: str, limit: int = 1) -> list[Queued]:
        """Claim due messages for `claimant`: once committed, no other sender takes them, and
        if the claimant dies before recording an answer, the uncertain-send rule decides."""
        rows = self.conn.execute(
            "UPDATE notify.messages m SET state = 'sending', claimed_at = %s, claimed_by = %s, "
            "attempt = gen_random_uuid() FROM (SELECT id FROM notify.messages "
            "WHERE state IN ('pending', 'retrying') AND next_attempt_at <= %s "
            "ORDER BY next_attempt_at, id LIMIT %s FOR UPDATE SKIP LOCKED) due "
            f"WHERE m.id = due.id RETURNING {', '.join('m.' + c for c in _QUEUED.split(', '))}",
            (now, claimant, now, limit),
        ).fetchall()
        return sorted((Queued(*r) for r in rows), key=lambda q: q.id)

    def _settle(self, claim: Queued, assignments: str, values: tuple[Any, ...]) -> bool:
        """Record how a claim ended; False when it is no longer this claim's to record."""
        done = self.conn.execute(
            f"UPDATE notify.messages SET {assignments}, claimed_by = NULL "
            "WHERE id = %s AND attempt = %s AND state = 'sending'",
            (*values, claim.id, claim.attempt),
        )
        return done.rowcount == 1

    def sent(self, claim: Queued, channel: str, provider_id: str | None, at: datetime) -> bool:
        return self._settle(
            claim,
            "state = 'sent', channel = %s, provider_message_id = %s, sent_at = %s, "
            "attempts = attempts + 1, last_error = %s",
            (
                channel,
                provider_id,
                at,
                None if provider_id else "accepted without a message id",
            ),
        )

    def retry(self, claim: Queued, channel: str, error: str, at: datetime) -> bool:
        return self._settle(
            claim,
            "state = 'retrying', channel = %s, attempts = attempts + 1, last_error = %s, "
            "next_attempt_at = %s",
            (channel, error, at),
        )

    def fall_back(self, claim: Queued, channel: str, error: str, at: datetime) -> bool:
        """Try another channel from its first attempt."""
        return self._settle(
            claim,
            "state = 'retrying', channel = %s, attempts = 0, last_error = %s, next_attempt_at = %s",
            (channel, error, at),
        )

    def failed(self, claim: Queued, error: str) -> bool:
        return self._settle(
            claim, "state = 'failed', attempts = attempts + 1, last_error = %s", (error,)
        )

    def release(self, claim: Queued) -> bool:
        """Put a claim back untried (the provider refused our credentials, not the message)."""
        return self._settle(
            claim,
            "state = CASE WHEN attempts = 0 AND last_error IS NULL "
            "THEN 'pending' ELSE 'retrying' END",
            (),
        )

    def doubt(self, claim: Queued, why: str, at: datetime) -> Doubt | None:
        """The provider may or may not have the message: settle it by the rule."""
        found = self.conn.execute(
            "SELECT id, template, claimed_by, resends, complaint_id FROM notify.messages "
            "WHERE id = %s AND attempt = %s AND state = 'sending' FOR UPDATE",
            (claim.id, claim.attempt),
        ).fetchone()
        return self._doubt(found, why, at) if found else None

    def abandoned(self, claimants: Iterable[str], before: datetime, at: datetime) -> list[Doubt]:
        """Settle, by the rule, the claims of senders that are gone (or claimed before
        `before`: a sender that never answers is as good as gone)."""
        found = self.conn.execute(
            "SELECT id, template, claimed_by, resends, complaint_id FROM notify.messages "
            "WHERE state = 'sending' AND (claimed_by = ANY(%s) OR claimed_at < %s) "
            "ORDER BY id FOR UPDATE SKIP LOCKED",
            (list(claimants), before),
        ).fetchall()
        why = "the sender stopped before recording the provider's answer"
        return [self._doubt(row, why, at) for row in found]

    def _doubt(self, row: tuple[Any, ...], why: str, at: datetime) -> Doubt:
        message, template, claimed_by, resends, complaint = row
        again = uncertain.send_again(template, resends)
        if again:
            verdict = f"outcome unknown ({why}); sent again ({uncertain.AT_LEAST_ONCE})"
            self.conn.execute(
                "UPDATE notify.messages SET state = 'retrying', resends = resends + 1, "
                "attempts = attempts + 1, next_attempt_at = %s, last_error = %s, "
                "claimed_by = NULL WHERE id = %s",
                (at, verdict, message),
            )
        else:
            rule = (
                "the resend allowed after a doubt is used"
                if uncertain.guarantee(template) == uncertain.AT_LEAST_ONCE
                else uncertain.AT_MOST_ONCE
            )
            verdict = f"outcome unknown ({why}); not sent again ({rule})"
            self.conn.execute(
                "UPDATE notify.messages SET state = 'uncertain', attempts = attempts + 1, "
                "last_error = %s, claimed_by = NULL WHERE id = %s",
                (verdict, message),
            )
        return Doubt(message, template, claimed_by, again, complaint)

    def claimants(self) -> list[str]:
        """The senders holding claims now."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT claimed_by FROM notify.messages "
                "WHERE state = 'sending' AND claimed_by IS NOT NULL"
            ).fetchall()
        ]

    def gone(self, claimant: str) -> bool:
        """Whether a claimant's sender is gone: its session no longer holds its lock. Call in
        a transaction (the probe's lock is released at its end)."""
        found = self.conn.execute(
            "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", (locks.SENDER, claimant)
        ).fetchone()
        return bool(found and found[0])

    # --- replies and health ---------------------------------------------------------------

    def answered(self, provider_message_id: str) -> UUID | None:
        """The complaint of the message a citizen's reply answers (the newest message with
        that id: a provider's ids are not ours to trust unique)."""
        found = self.conn.execute(
            "SELECT complaint_id FROM notify.messages WHERE provider_message_id = %s "
            "AND channel = 'whatsapp' ORDER BY sent_at DESC NULLS LAST, id DESC LIMIT 1",
            (provider_message_id,),
        ).fetchone()
        return found[0] if found else None

    def awaiting_feedback_from(self, mobile: str) -> list[UUID]:
        """Complaints whose Action Taken Report went to this number (newest first); one whose
        send is uncertain may have reached it too."""
        found = self.conn.execute(
            "SELECT DISTINCT ON (complaint_id) complaint_id, created_at FROM notify.messages "
            "WHERE mobile = %s AND template = 'sampark_resolved' "
            "AND state IN ('sent', 'uncertain') "
            "ORDER BY complaint_id, created_at DESC",
            (mobile,),
        ).fetchall()
        return [r[0] for r in sorted(found, key=lambda r: r[1], reverse=True)]

    def asked_of(self, mobile: str) -> list[UUID]:
        """Complaints whose officer's question went to this number (newest first)."""
        found = self.conn.execute(
            "SELECT DISTINCT ON (complaint_id) complaint_id, created_at FROM notify.messages "
            "WHERE mobile = %s AND template = 'sampark_clarify' "
            "AND state IN ('sent', 'uncertain') "
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
        counts = dict.fromkeys(STATES, 0)
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
            "SELECT min(created_at) FROM notify.messages "
            "WHERE state IN ('pending', 'retrying', 'sending')"
        ).fetchone()
        resent = self.conn.execute(
            "SELECT count(*) FROM notify.messages WHERE resends > 0"
        ).fetchone()
        return {
            "messages": counts,
            "sent_again_after_doubt": resent[0] if resent else 0,
            "senders": senders,
            "oldest_unsent": oldest[0] if oldest else None,
        }
