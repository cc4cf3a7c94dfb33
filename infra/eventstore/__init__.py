"""The event store: the eventsourcing recorder and its group commit (`store`, `recording`),
the msgspec codec of stored events, idempotency receipts, and the tamper evidence (hash
chains and signed checkpoints, `audit`).
"""
