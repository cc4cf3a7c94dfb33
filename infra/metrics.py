"""The figures each process counts itself, for Prometheus (`docs/operations.md`, "Metrics").

Made with `prometheus-client` in its default registry, once per process; each process serves
them (the API at `/metrics`, a worker process on `SAMPARK_METRICS_PORT`). The figures read from
the database (lag, the outbox, deadlines) are not here: they are collected when scraped
(`projections/metrics.py`).

Labels never carry personal data or raw paths: a command's name, an outcome, a channel, a
job's name, a worker's kind; the HTTP figures are labelled by route template.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

# Every request the API routes, by method, route template (`/v1/complaints/{ref}`, never
# the raw path: it holds registration numbers and grows without end), status and app; the
# names and labels Litestar's Prometheus plugin gave them, which the alerts and dashboards use.
HTTP_LABELS = ["method", "path", "status_code", "app_name"]
HTTP_REQUESTS = Counter("sampark_http_requests_total", "Total requests", HTTP_LABELS)
HTTP_SECONDS = Histogram(
    "sampark_http_request_duration_seconds",
    "Request duration, in seconds",
    HTTP_LABELS,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
HTTP_IN_PROGRESS = Gauge(
    "sampark_http_requests_in_progress",
    "Total requests currently in progress",
    HTTP_LABELS,
    multiprocess_mode="livesum",
)
HTTP_ERRORS = Counter("sampark_http_requests_error_total", "Total errors in requests", HTTP_LABELS)
COMMANDS = Counter(
    "sampark_commands",
    "Commands received through the API, by command (the route's handler) and outcome: "
    "accepted (2xx), conflict (409: a concurrent change), refused (any other 4xx), failed (5xx)",
    ["command", "outcome"],
)
SENDS = Histogram(
    "sampark_notification_send_seconds",
    "How long a message provider took to answer one attempt, by channel and outcome",
    ["channel", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SENDER_HALTED = Gauge(
    "sampark_notification_sender_halted",
    "1 while this process's sender is halted (the provider refuses our credentials)",
)
JOB_RUNS = Counter(
    "sampark_scheduler_job_runs",
    "Scheduler jobs run while leading, by job and result (ok, failed)",
    ["job", "result"],
)
JOB_SECONDS = Histogram(
    "sampark_scheduler_job_seconds",
    "How long a scheduler job took, by job",
    ["job"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300),
)
COMPLAINTS_MOVED = Counter(
    "sampark_scheduler_complaints_moved",
    "Complaints a scheduler job moved (escalated, warned of, closed), each once a run, by job",
    ["job"],
)
SCHEDULER_LEADS = Gauge(
    "sampark_scheduler_leader",
    "1 while this scheduler holds the leadership lock, 0 while it stands by",
)
WORKER_FAILURES = Counter(
    "sampark_worker_failures",
    "Failures of a long-running worker's loop (each followed by a restart with backoff)",
    ["worker"],
)
WORKER_BEAT = Gauge(
    "sampark_worker_last_beat_timestamp_seconds",
    "When each worker of this process last went round its loop (Unix time)",
    ["worker"],
)


def command_outcome(status: int) -> str:
    """What a command's HTTP status says of it."""
    if status < 400:
        return "accepted"
    if status == 409:
        return "conflict"
    return "refused" if status < 500 else "failed"
