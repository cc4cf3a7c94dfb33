"""Group commit: the events of concurrent commands recorded in one transaction, under one lock.

The relay reads the notification log in order and must never pass a gap that fills in later,
so writers take the events table's EXCLUSIVE lock and hold it until they commit (the
eventsourcing library's rule, kept). Taken once per command, that lock makes every writer
wait for another's round trip and fsync in turn. Here the commands that arrive while one
batch is being written queue up, and the next writer takes them all: one call of
`sampark.record_commands`, one lock, one commit, one fsync.

Each command keeps its own answer. The function checks a command before writing it (its
events' versions are free, its idempotency key is unused, the record its decision read has
not moved) and skips a command that fails a check, so a conflict refuses that command only.
If the batch fails for a reason the checks did not foresee, each command is written again on
its own, and the error lands on the command that caused it. An answer is given only after
PostgreSQL has committed: an acknowledged command is durable.

The hash chain (`audit.py`) is computed in the same function, from the previous link
as stored, with PostgreSQL's sha256: the same bytes as `audit.event_hash`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    PersistenceError,
    StoredEvent,
)

from domain.errors import StaleDecision
from infra.eventstore.pg_arrays import array_literal
from infra.eventstore.receipts import Receipt

MOST_COMMANDS = 64  # per batch: a bound on one transaction's size, and on a retry's cost

RECORD_SQL = """
CREATE OR REPLACE FUNCTION sampark.record_commands(
    first_event int[], event_count int[],
    principals text[], keys text[], request_hashes text[],
    read_ids uuid[], read_versions bigint[],
    ids uuid[], versions bigint[], topics text[], states bytea[]
) RETURNS TABLE (command int, refusal text, notification_ids bigint[])
LANGUAGE plpgsql AS $body$
DECLARE
    f int;
    l int;
    i int;
    previous bytea;
    link bytea;
    kept int;
BEGIN
    -- One writer at a time, until commit: notification ids are issued in commit order.
    LOCK TABLE public.sampark_events IN EXCLUSIVE MODE;
    NOTIFY sampark_events;
    FOR c IN 1 .. coalesce(array_length(first_event, 1), 0) LOOP
        command := c;
        refusal := NULL;
        notification_ids := NULL;
        f := first_event[c];
        l := f + event_count[c] - 1;
        IF read_ids[c] IS NOT NULL AND read_versions[c] <> coalesce((
            SELECT max(e.originator_version) FROM public.sampark_events e
            WHERE e.originator_id = read_ids[c]), 0)
        THEN
            refusal := 'stale';
        END IF;
        FOR i IN f .. l LOOP  -- one index probe per event (a join may plan a scan)
            EXIT WHEN refusal IS NOT NULL;
            IF EXISTS (SELECT 1 FROM public.sampark_events e
                       WHERE e.originator_id = ids[i] AND e.originator_version = versions[i])
            THEN
                refusal := 'conflict';
            END IF;
        END LOOP;
        IF refusal IS NULL AND principals[c] IS NOT NULL THEN
            INSERT INTO sampark.idempotency_keys
                (principal, key, request_hash, originator_id, originator_version)
            VALUES (principals[c], keys[c], request_hashes[c], ids[l], versions[l])
            ON CONFLICT DO NOTHING;
            GET DIAGNOSTICS kept = ROW_COUNT;
            IF kept = 0 THEN
                refusal := 'conflict';
            END IF;
        END IF;
        IF refusal IS NULL THEN
            FOR i IN f .. l LOOP
                previous := NULL;
                IF versions[i] > 1 THEN
                    SELECT h.event_hash INTO previous FROM sampark.event_hashes h
                    WHERE h.originator_id = ids[i] AND h.originator_version = versions[i] - 1;
                END IF;
                previous := coalesce(previous, decode(repeat('00', 32), 'hex'));  -- genesis
                link := sha256(previous || uuid_send(ids[i]) || int8send(versions[i])
                    || int4send(length(topics[i])) || convert_to(topics[i], 'UTF8')
                    || states[i]);
                INSERT INTO sampark.event_hashes
                    (originator_id, originator_version, previous_hash, event_hash)
                VALUES (ids[i], versions[i], previous, link);
            END LOOP;
            WITH stored AS (
                INSERT INTO public.sampark_events
                    (originator_id, originator_version, topic, state)
                SELECT * FROM unnest(ids[f:l], versions[f:l], topics[f:l], states[f:l])
                RETURNING notification_id
            )
            SELECT array_agg(s.notification_id ORDER BY s.notification_id)
            INTO notification_ids FROM stored s;
        END IF;
        RETURN NEXT;
    END LOOP;
END;
$body$;
"""


@dataclass(frozen=True)
class Command:
    """One command's events, with what must hold for them to be recorded."""

    events: Sequence[StoredEvent]
    receipt: Receipt | None = None
    decided_on: tuple[UUID, int] | None = None  # (aggregate, version) the decision read


@dataclass
class Outcome:
    notification_ids: list[int] = field(default_factory=list)
    refusal: str | None = None


Write = Callable[[Sequence[Command]], list[Outcome]]


def record_commands_call(commands: Sequence[Command]) -> tuple[str, tuple[str, ...]]:
    """The statement and parameters that record `commands` in one call."""
    first, count = [], []
    principals: list[str | None] = []
    keys: list[str | None] = []
    hashes: list[str | None] = []
    read_ids: list[UUID | None] = []
    read_versions: list[int | None] = []
    ids: list[UUID] = []
    versions: list[int] = []
    topics: list[str] = []
    states: list[bytes] = []
    for command in commands:
        first.append(len(ids) + 1)
        count.append(len(command.events))
        receipt = command.receipt
        principals.append(receipt.principal if receipt else None)
        keys.append(receipt.key if receipt else None)
        hashes.append(receipt.request_hash if receipt else None)
        read_ids.append(command.decided_on[0] if command.decided_on else None)
        read_versions.append(command.decided_on[1] if command.decided_on else None)
        for event in command.events:
            ids.append(event.originator_id)  # type: ignore[arg-type]
            versions.append(event.originator_version)
            topics.append(event.topic)
            states.append(event.state)
    statement = (
        "SELECT command, refusal, notification_ids FROM sampark.record_commands("
        "%s::int[], %s::int[], %s::text[], %s::text[], %s::text[], %s::uuid[], %s::bigint[], "
        "%s::uuid[], %s::bigint[], %s::text[], %s::bytea[])"
    )
    columns = (first, count, principals, keys, hashes, read_ids, read_versions)
    return statement, tuple(array_literal(c) for c in (*columns, ids, versions, topics, states))


class _Ticket:
    __slots__ = ("command", "error", "outcome", "settled")

    def __init__(self, command: Command) -> None:
        self.command = command
        self.settled = False
        self.outcome: Outcome | None = None
        self.error: BaseException | None = None

    def answer(self) -> list[int]:
        if self.error is not None:
            raise self.error
        assert self.outcome is not None
        if self.outcome.refusal == "stale":
            raise StaleDecision("the record this decision read has changed since")
        if self.outcome.refusal is not None:
            raise IntegrityError("an event's version or the idempotency key is already used")
        return self.outcome.notification_ids


class GroupCommit:
    """Whoever finds no batch being written writes every command waiting (its own among
    them); the others wait for their answer, or for their turn to write."""

    def __init__(self, write: Write, *, most: int = MOST_COMMANDS) -> None:
        self._write = write
        self._most = most
        self._turn = threading.Condition()
        self._waiting: list[_Ticket] = []
        self._writing = False

    def record(self, command: Command) -> list[int]:
        ticket = _Ticket(command)
        with self._turn:
            self._waiting.append(ticket)
        while True:
            with self._turn:
                while self._writing and not ticket.settled:
                    self._turn.wait()
                if ticket.settled:
                    return ticket.answer()
                self._writing = True
                batch = self._waiting[: self._most]
                del self._waiting[: self._most]
            try:
                self._settle(batch)
            finally:
                with self._turn:
                    self._writing = False
                    self._turn.notify_all()

    def _settle(self, batch: list[_Ticket]) -> None:
        try:
            outcomes = self._write([t.command for t in batch])
        except (InterfaceError, OperationalError) as lost:
            # The connection failed: whether the batch committed is unknown to us, so
            # writing it again could record a command twice. Each caller hears of it.
            self._fail(batch, lost)
            return
        except PersistenceError as refused:
            if len(batch) == 1:
                self._fail(batch, refused)
                return
            for ticket in batch:  # nothing was written: each on its own, with its own error
                self._settle([ticket])
            return
        except BaseException as crash:
            self._fail(batch, crash)
            raise
        for ticket, outcome in zip(batch, outcomes, strict=True):
            ticket.outcome = outcome
            ticket.settled = True

    @staticmethod
    def _fail(batch: list[_Ticket], error: BaseException) -> None:
        for ticket in batch:
            ticket.error = error
            ticket.settled = True
