"""Every PostgreSQL advisory lock Sampark takes, by name: one place to see that no two jobs
share an id by accident.

A lock taken with one key (`pg_advisory_lock(id)`) and one taken with two
(`pg_advisory_lock(id, n)`) are different locks to PostgreSQL: `RELAY` and `SENDER` are
taken with a second key (the topic's hash, each sender's own name's), so `SENDER` and
`CHECKPOINT` (one key) do not meet although they share 7210007. A new lock takes the next
free id after the highest below.
"""

from __future__ import annotations

STARTUP = 7210001
"""The event store's function and the library's events table: processes that start together
take turns (the other tables are the migrations', `MIGRATIONS`)."""

READ_MODELS = 7210002
"""The live read models: each projector batch takes it shared; a rebuild's switch alone."""

READ_SCHEMA = 7210003
"""Creating or migrating a read-model schema."""

RELAY = 7210004
"""The one relay publishing the event store's log to a topic (second key: the topic)."""

SCHEDULER = 7210005
"""The scheduler's leadership: one of two schedulers moves complaints, the other waits."""

SENDER = 7210007
"""Held (with each sender's own second key) by a live sender while its claims are its own."""

CHECKPOINT = 7210007
"""Signing an audit checkpoint: one at a time (one key, so apart from `SENDER`)."""

MIGRATIONS = 7210011
"""Applying the schema's migrations (`infra/migrations/`): one process at a time."""

REBUILD_TURN = 7210012
"""A rebuild's workers adding to its copy's keyed rows (the pending work's margins, a chunk
replayed the projector's way): one worker at a time (`projections/partition.py`)."""

# 7210006, 7210008, 7210009 and 7210010 made the outbox's, the reports', the assistant's and
# the conversations' tables before the migrations did: retired, not to be used again.
