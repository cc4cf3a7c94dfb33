"""The read side: the relay from the event store to Kafka, the projector, and the read
models for search, inboxes and dashboards (`rows`, `store`, `figures`, `queries`, `agenda`);
their rebuild and verification (`rebuild`, `partition`, `oracle`); the consumers' dead
letters; and the notifications (`notify/`)."""
