"""The composition root: the one place that puts `domain`, `api`, `projections` and
`scheduler` together with the adapters of `infra`.

`cli` (the `sampark` command), `services` (the container the API is given), `stack` (the
servers: configured or embedded), `workers` (relay, projector, scheduler, notifier),
`lifecycle` (workers on threads, stopped together), `directory` (the master data at start or
from a file), `welcome` (what `sampark run` prints), `simulation` (a realistic history).
"""
