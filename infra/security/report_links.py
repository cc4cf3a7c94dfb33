"""The links to a complaint's Action Taken Report (`/atr/{token}`) that messages carry.

The notifier makes them, the API opens them: both sides meet here, in the secret that signs
them (`SAMPARK_ATR_SECRET`, or the JWT secret), their purpose and how long they last
(`SAMPARK_ATR_DAYS` from the message that carried the link).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from infra.security.signing import BadToken, sign, verify
from infra.settings import Settings

PURPOSE = "atr"


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


def _secret(settings: Settings) -> str:
    return settings.atr_secret or settings.jwt_secret
