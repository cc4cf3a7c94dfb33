"""The links to a complaint's Action Taken Report (`/atr/{token}`) that messages carry, and
to a document the scheduler sent (`/documents/{token}`: the secretary's monthly data).

The notifier and the scheduler make them, the API opens them: both sides meet here, in the
secret that signs them (`SAMPARK_ATR_SECRET`, or the JWT secret), their purpose and how long
they last (`SAMPARK_ATR_DAYS` from the message that carried a report link; DOCUMENT_DAYS for
a document's).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from infra.security.signing import BadToken, sign, verify
from infra.settings import Settings

PURPOSE = "atr"
STATUS = "status"
STATUS_DAYS = 400  # a receipt's QR code: as long as a complaint may take and a while after
DOCUMENT = "document"
DOCUMENT_DAYS = 45  # a month's data, opened until the next month's is sent and a fortnight
DOCUMENT_PARTS = 5  # kind, subject, period, language, format (`reports.kept.Name`)


def report_link(settings: Settings, complaint: UUID, issued_at: datetime) -> str:
    """The link a message carries: valid for `atr_days` from when it was issued."""
    expires = issued_at + timedelta(days=settings.atr_days)
    token = sign(_secret(settings), PURPOSE, str(complaint), expires)
    return f"{settings.public_url}/atr/{token}"


def complaint_of(settings: Settings, token: str, now: datetime) -> UUID:
    """The complaint a report link's token names, or `BadToken`."""
    subject = verify(_secret(settings), PURPOSE, token, now)
    try:
        complaint = UUID(subject)
    except ValueError:
        raise BadToken("the token names no complaint") from None
    if str(complaint) != subject:
        raise BadToken("the token names no complaint")
    return complaint


def status_link(settings: Settings, registration_no: str, issued_at: datetime) -> str:
    """The public status page of a complaint, opened without the mobile's last digits:
    what the e-Mitra receipt's QR code holds (valid STATUS_DAYS)."""
    expires = issued_at + timedelta(days=STATUS_DAYS)
    token = sign(_secret(settings), STATUS, registration_no, expires)
    return f"{settings.public_url}/status/{registration_no}?key={token}"


def status_key_holds(settings: Settings, registration_no: str, key: str, now: datetime) -> bool:
    """Whether `key` is a status link's signature for exactly this registration number."""
    try:
        return verify(_secret(settings), STATUS, key, now) == registration_no
    except BadToken:
        return False


def _secret(settings: Settings) -> str:
    return settings.atr_secret or settings.jwt_secret


def document_link(settings: Settings, name: tuple[str, ...], issued_at: datetime) -> str:
    """A link to the kept document `name` (its five parts), valid DOCUMENT_DAYS."""
    expires = issued_at + timedelta(days=DOCUMENT_DAYS)
    token = sign(_secret(settings), DOCUMENT, ":".join(name), expires)
    return f"{settings.public_url}/documents/{token}"


def document_of(settings: Settings, token: str, now: datetime) -> tuple[str, ...]:
    """The document a link's token names (its five parts), or `BadToken`."""
    parts = tuple(verify(_secret(settings), DOCUMENT, token, now).split(":"))
    if len(parts) != DOCUMENT_PARTS or not all(parts):
        raise BadToken("the token names no document")
    return parts
