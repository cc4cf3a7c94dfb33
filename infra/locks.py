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
"""Creating the event store's tables: processes that start together take turns."""

READ_MODELS = 7210002
"""The live read models: each projector batch takes it shared; a rebuild's switch alone."""

READ_SCHEMA = 7210003
"""Creating or migrating a read-model schema."""

RELAY = 7210004
"""The one relay publishing the event store's log to a topic (second key: the topic)."""

SCHEDULER = 7210005
"""The scheduler's leadership: one of two schedulers moves complaints, the other waits."""

OUTBOX = 7210006
"""Creating the notifications' outbox schema."""

SENDER = 7210007
"""Held (with each sender's own second key) by a live sender while its claims are its own."""

CHECKPOINT = 7210007
"""Signing an audit checkpoint: one at a time (one key, so apart from `SENDER`)."""

REPORTS_SCHEMA = 7210008
"""Creating the schema of the documents made and kept (`reports/kept.py`)."""

ASSIST_SCHEMA = 7210009
"""Creating the assistant's schema of trained models (`assist/store.py`)."""

CONVERSATIONS = 7210010
"""Creating the WhatsApp conversations' tables (`projections/notify/conversations.py`)."""
