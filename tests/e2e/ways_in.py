"""What the tests of the ways in share: a disposed complaint, its report link, a report
sent on WhatsApp to reply to, signed webhooks, and the count of stored events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest
from litestar.testing import TestClient

from api.services import Services
from domain.values import Attachment, Channel, Complainant, Outcome
from infra.security.report_links import report_link
from infra.security.signing import hub_signature
from projections.notify.messages import Message
from projections.notify.outbox import Outbox
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR, new_mobile

Client = TestClient[Any]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x07" * 64


def stored_events(database: str) -> int:
    with psycopg.connect(database) as conn:
        found = conn.execute("SELECT count(*) FROM sampark_events").fetchone()
    return int(found[0]) if found else 0


@pytest.fixture
def unchanged(database: str) -> Iterator[None]:
    """The event store holds exactly what it held before the test's refusals."""
    before = stored_events(database)
    yield
    assert stored_events(database) == before, "a refused input was written"


def refused(answer: Any, field: str) -> None:
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["field"] == field, answer.json()


def disposed(services: Services, mobile: str | None = None) -> UUID:
    blob = services.blobs.put(PNG)
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Sunita Devi", mobile=mobile or new_mobile()),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="No water supply",
        description="Ward 9: no water for four days.",
        channel=Channel.HELPLINE_181,
    ).id
    services.app.resolve(
        complaint,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Burst main line repaired; supply restored",
        evidence=(
            Attachment(sha256=blob, filename="repair.png", media_type="image/png", size=len(PNG)),
        ),
    )
    return complaint


def report_path(services: Services, complaint: UUID) -> str:
    link = report_link(services.settings, complaint, services.app.clock())
    return link.removeprefix(services.settings.public_url)


@pytest.fixture
def awaiting_reply(services: Services) -> tuple[UUID, str, str]:
    """A disposed complaint whose report went out on WhatsApp: (complaint, mobile, the
    provider's id of the report message)."""
    mobile = new_mobile()
    complaint = disposed(services, mobile)
    provider_id = f"wamid.report.{mobile}"
    with services.pool.connection() as conn, conn.transaction():
        outbox = Outbox(conn)
        outbox.add(
            [
                Message(
                    key=f"{complaint}:report",
                    complaint_id=complaint,
                    audience="complainant",
                    mobile=mobile,
                    language="en",
                    template="sampark_resolved",
                    params=[],
                    text="Your complaint was disposed of",
                )
            ],
            services.app.clock(),
        )
        row = conn.execute(
            "SELECT id FROM notify.messages WHERE key = %s", (f"{complaint}:report",)
        ).fetchone()
        assert row is not None
        claim = next(
            c for c in outbox.claim(services.app.clock(), "a-sender", 1000) if c.id == row[0]
        )
        outbox.sent(claim, "whatsapp", provider_id, services.app.clock())
    return complaint, mobile, provider_id


def text_reply(mobile: str, message_id: str, answers: str, text: str) -> dict[str, Any]:
    message = {
        "from": f"91{mobile}",
        "id": message_id,
        "type": "text",
        "context": {"id": answers},
        "text": {"body": text},
    }
    return {"entry": [{"changes": [{"field": "messages", "value": {"messages": [message]}}]}]}


def webhook(client: Client, services: Services, payload: Any) -> Any:
    """`payload` signed with the app secret, as the provider sends it (bytes: as they are)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signature = hub_signature(services.settings.whatsapp_app_secret, body)
    return client.post(
        "/v1/webhooks/whatsapp",
        content=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )
