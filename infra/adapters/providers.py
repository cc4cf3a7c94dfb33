"""The message providers over HTTPS: the WhatsApp Business Cloud API, and an SMS gateway.

Each `send` returns the provider's message id (None when it accepted the message without
naming it), or raises what kind of failure it was: `Transient` (not sent, try again later:
no connection, 5xx, 429), `Permanent` (this message will never go this way: an invalid or
non-WhatsApp number), `AuthFailed` (the provider refuses our credentials: nothing will go
until they are fixed), or `Unconfirmed` (the request went out but no answer came back: the
provider may have the message, and sending it again may send it twice).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

INDIA_PREFIX = "91"
AUTH_STATUSES = frozenset({401, 403})
WHATSAPP_AUTH_CODES = frozenset({190, 102, 10})  # expired/invalid token, no permission


class DeliveryError(Exception):
    pass


class Transient(DeliveryError):
    pass


class Permanent(DeliveryError):
    pass


class AuthFailed(DeliveryError):
    pass


class Unconfirmed(DeliveryError):
    """The request may have reached the provider: its outcome is unknown."""


# Failures before the request could reach the provider: it certainly has nothing.
NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)


def international(mobile: str) -> str:
    """A 10-digit Indian mobile number as the providers want it: country code 91 first."""
    return mobile if len(mobile) > 10 else INDIA_PREFIX + mobile


def token_source(token: str | None, token_file: str | None) -> Callable[[], str]:
    """The token, read afresh for each send when it comes from a file (a rotated secret
    takes effect without a restart)."""
    if token_file:
        return lambda: Path(token_file).read_text().strip()
    return lambda: token or ""


def _post(url: str, json: dict[str, Any], headers: dict[str, str], timeout: float) -> Any:
    try:
        response = httpx.post(url, json=json, headers=headers, timeout=timeout)
    except NOT_SENT as error:
        raise Transient(f"{type(error).__name__}: {error}") from error
    except httpx.HTTPError as error:  # a read timeout, a connection cut mid-answer
        raise Unconfirmed(f"{type(error).__name__}: {error}") from error
    try:
        body = response.json()
    except ValueError:
        body = {"raw": response.text[:200]}
    if response.status_code < 300:
        return body
    if response.status_code == 429 or response.status_code >= 500:
        raise Transient(f"HTTP {response.status_code}: {body}")
    raise _refusal(response.status_code, body)


def _refusal(status: int, body: Any) -> DeliveryError:
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code = error.get("code") if isinstance(error, dict) else None
    if status in AUTH_STATUSES or code in WHATSAPP_AUTH_CODES:
        return AuthFailed(f"HTTP {status}: {body}")
    return Permanent(f"HTTP {status}: {body}")


class WhatsAppCloud:
    """Template messages through the WhatsApp Business Cloud API."""

    channel = "whatsapp"

    def __init__(
        self,
        base_url: str,
        phone_number_id: str,
        token: Callable[[], str],
        timeout: float = 10.0,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self.token = token
        self.timeout = timeout

    def send(
        self, mobile: str, template: str, language: str, params: list[str], buttons: bool
    ) -> str | None:
        components: list[dict[str, Any]] = [
            {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
        ]
        if buttons:
            components += [
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": str(index),
                    "parameters": [{"type": "payload", "payload": payload}],
                }
                for index, payload in enumerate(("SATISFIED", "NOT_SATISFIED"))
            ]
        body = _post(
            self.url,
            {
                "messaging_product": "whatsapp",
                "to": international(mobile),
                "type": "template",
                "template": {
                    "name": template,
                    "language": {"code": language},
                    "components": components,
                },
            },
            {"Authorization": f"Bearer {self.token()}"},
            self.timeout,
        )
        return _message_id(body)

    def send_session(self, mobile: str, message: dict[str, Any]) -> str | None:
        """A free-form message (`text` or `interactive`, the Cloud API's own body), allowed
        only within 24 hours of the citizen's last message to us."""
        body = _post(
            self.url,
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": international(mobile),
                **message,
            },
            {"Authorization": f"Bearer {self.token()}"},
            self.timeout,
        )
        return _message_id(body)


def _message_id(body: Any) -> str | None:
    try:
        return str(body["messages"][0]["id"])
    except (KeyError, IndexError, TypeError):
        return None  # accepted (2xx), but unnamed: sent, and no reply can refer to it


class SmsGateway:
    """Plain text through an HTTP SMS gateway: POST {base}/send {to, text}."""

    channel = "sms"

    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0) -> None:
        self.url = f"{base_url.rstrip('/')}/send"
        self.api_key = api_key
        self.timeout = timeout

    def send_text(self, mobile: str, text: str) -> str | None:
        body = _post(
            self.url,
            {"to": international(mobile), "text": text},
            {"Authorization": f"Bearer {self.api_key}"},
            self.timeout,
        )
        try:
            return str(body["id"])
        except (KeyError, TypeError):
            return None  # accepted (2xx), but unnamed
