"""Configuration: `SAMPARK_*` environment variables, read once into one struct."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec

DEVELOPMENT_SECRET = "sampark-development-secret-change-me-0123456789"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None  # None: start the embedded PostgreSQL
    kafka_bootstrap: str | None = None  # None: start the embedded broker
    kafka_topic: str = "sampark.complaints"
    kafka_group: str = "sampark-read-models"  # the projectors' consumer group
    kafka_partitions: int = 6
    kafka_session_timeout_ms: int | None = None  # default: 1000 embedded, 10000 otherwise
    home: str = ".sampark"  # embedded data, blobs and logs live here
    blob_dir: str | None = None  # default: <home>/blobs
    jwt_secret: str = DEVELOPMENT_SECRET
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = 25 * 1024 * 1024
    feedback_window_days: int = 7
    read_wait_seconds: float = 5.0  # how long `?min_version=` waits for the read model
    scan_seconds: float = 60.0  # how often the scheduler looks for passed deadlines
    reminder_lead_hours: float = 48.0  # how long before a deadline its holder is warned
    review_time: str = "08:00"  # when the secretaries' daily lists are made (Asia/Kolkata)
    review_size: int = 10  # complaints on each department's daily list
    scheduler_workers: int = 4  # complaints the scheduler moves at once
    environment: str = "development"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        fields = {
            name: environ[f"SAMPARK_{name.upper()}"]
            for name in cls.__struct_fields__
            if f"SAMPARK_{name.upper()}" in environ
        }
        try:
            return msgspec.convert(fields, cls, strict=False)
        except msgspec.ValidationError as error:
            field = str(error).rsplit("`$.", 1)[-1].rstrip("`")
            raise SystemExit(f"bad configuration in SAMPARK_{field.upper()}: {error}") from None

    def check(self) -> None:
        """Refuse to run production on the development secret everyone can read."""
        if self.environment == "production" and self.jwt_secret == DEVELOPMENT_SECRET:
            raise SystemExit("SAMPARK_JWT_SECRET must be set to a secret of your own in production")
        if len(self.jwt_secret) < 32:
            raise SystemExit("SAMPARK_JWT_SECRET must be at least 32 characters long")
        if not 0 < self.scan_seconds <= 3600:
            raise SystemExit("SAMPARK_SCAN_SECONDS must be above 0 and at most 3600")
        if self.reminder_lead_hours < 0 or self.review_size < 1 or self.scheduler_workers < 1:
            raise SystemExit(
                "SAMPARK_REMINDER_LEAD_HOURS must not be negative; SAMPARK_REVIEW_SIZE and "
                "SAMPARK_SCHEDULER_WORKERS must be at least 1"
            )
        self.review_clock()

    def review_clock(self) -> tuple[int, int]:
        """`review_time` as (hour, minute)."""
        hour, _, minute = self.review_time.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise SystemExit(f"SAMPARK_REVIEW_TIME must be HH:MM, not {self.review_time!r}")
        return int(hour), int(minute)

    @property
    def blobs(self) -> Path:
        return Path(self.blob_dir) if self.blob_dir else Path(self.home) / "blobs"
