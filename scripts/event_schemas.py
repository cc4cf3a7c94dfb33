"""Prints the JSON Schema of every complaint event's `data` (the stored state), for
docs/events.md. `tests/unit/test_docs.py` checks the document holds exactly these.

    python scripts/event_schemas.py
"""

from __future__ import annotations

import json

import msgspec

from domain.events import COMPLAINT_EVENTS
from infra.eventstore.codec import stored_struct


def schemas() -> str:
    parts = []
    for event in COMPLAINT_EVENTS:
        schema = msgspec.json.schema(stored_struct(event))
        parts.append(f"### {event.__name__}\n\n```json\n{json.dumps(schema, indent=1)}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(schemas())
