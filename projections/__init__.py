"""The read side (to come): the relay from the event store to Kafka, the projector, and the
read models for search, inboxes and dashboards."""
