"""The scheduler: turns passing time into commands. `jobs` (the clockwork: deadline scans,
warnings, closing unanswered disposals, the secretaries' review lists), `service` (the
APScheduler timetable, audit checkpoints), `leadership` (one of two schedulers acts)."""
