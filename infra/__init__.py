"""Adapters, in rooms: `eventstore/`, `local/`, `adapters/`, `security/`; `settings`,
`cursors`, `locks`; and the composition root (`run/`), the one place that puts the others
together."""
