"""Webhook bodies in the WhatsApp Cloud API's own shapes (Meta's webhook reference: the
`messages` field's text, interactive list_reply and button_reply, image, audio, location,
and the `statuses` of our own messages), and a way to send them signed."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from litestar.testing import TestClient

from infra.security.signing import hub_signature

BUSINESS = "15550783881"


def message_id() -> str:
    """Unique like Meta's, across runs too."""
    return f"wamid.HBgMOTE5OTk5OTk5OTk5FQIAEhgg{uuid4().hex.upper()}"


def envelope(mobile: str, *messages: dict[str, Any], name: str = "सुनीता देवी") -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": BUSINESS,
                                "phone_number_id": "106540352242922",
                            },
                            "contacts": [{"profile": {"name": name}, "wa_id": f"91{mobile}"}],
                            "messages": list(messages),
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def _base(mobile: str, kind: str, id_: str | None) -> dict[str, Any]:
    return {
        "from": f"91{mobile}",
        "id": id_ or message_id(),
        "timestamp": "1764650000",
        "type": kind,
    }


def text(mobile: str, body: str, id_: str | None = None) -> dict[str, Any]:
    return {**_base(mobile, "text", id_), "text": {"body": body}}


def list_reply(mobile: str, row: str, title: str = "", id_: str | None = None) -> dict[str, Any]:
    return {
        **_base(mobile, "interactive", id_),
        "context": {"from": BUSINESS, "id": "wamid.our-list"},
        "interactive": {"type": "list_reply", "list_reply": {"id": row, "title": title or row}},
    }


def button_reply(
    mobile: str, button: str, title: str = "", id_: str | None = None
) -> dict[str, Any]:
    return {
        **_base(mobile, "interactive", id_),
        "context": {"from": BUSINESS, "id": "wamid.our-buttons"},
        "interactive": {
            "type": "button_reply",
            "button_reply": {"id": button, "title": title or button},
        },
    }


def image(mobile: str, media_id: str, id_: str | None = None) -> dict[str, Any]:
    return {
        **_base(mobile, "image", id_),
        "image": {
            "caption": "टूटा हैंडपंप",
            "mime_type": "image/jpeg",
            "sha256": "81d3bd8a8db4868c9520ed47186e8b7c5789e61ff79f7f834be6950b808a90d3",
            "id": media_id,
        },
    }


def audio(mobile: str, media_id: str, id_: str | None = None) -> dict[str, Any]:
    return {
        **_base(mobile, "audio", id_),
        "audio": {
            "mime_type": "audio/ogg; codecs=opus",
            "sha256": "0b3c5d6e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4",
            "id": media_id,
            "voice": True,
        },
    }


def location(
    mobile: str, latitude: float, longitude: float, id_: str | None = None
) -> dict[str, Any]:
    return {
        **_base(mobile, "location", id_),
        "location": {
            "latitude": latitude,
            "longitude": longitude,
            "name": "सांगानेर बस स्टैंड",
            "address": "Sanganer, Jaipur, Rajasthan 302029",
        },
    }


def statuses(mobile: str, our_message: str) -> dict[str, Any]:
    """What became of one of our messages: never a citizen's message."""
    body = envelope(mobile)
    value = body["entry"][0]["changes"][0]["value"]
    del value["messages"], value["contacts"]
    value["statuses"] = [
        {
            "id": our_message,
            "status": "delivered",
            "timestamp": "1764650001",
            "recipient_id": f"91{mobile}",
            "conversation": {
                "id": "a75d17ad06104c51166f948319b03c6a",
                "origin": {"type": "service"},
            },
            "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
        }
    ]
    return body


def send(client: TestClient[Any], secret: str, body: dict[str, Any]) -> Any:
    raw = json.dumps(body, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": hub_signature(secret, raw),
    }
    answer = client.post("/v1/webhooks/whatsapp", content=raw, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()
