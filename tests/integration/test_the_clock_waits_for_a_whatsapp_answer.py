"""The clock that waits, on WhatsApp: the officer's question reaches the complainant, whose
plain reply (quoting nothing) is recorded as the answer, once however often it is delivered,
and the deadline resumes with the time that was left. An interim reply reaches them too.

Real PostgreSQL and broker; the local stand-in plays the WhatsApp Cloud API.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.testing import TestClient

from api.services import Services
from domain.events import ClarificationAnswered, ClarificationSought
from infra.local.standin import ProviderStandIn
from infra.settings import Settings
from tests.integration.test_notifications import (  # noqa: F401 (fixtures)
    Notifier,
    eventually,
    file,
    notifier,
    standin,
    webhook,
)
from tests.support import JAIPUR_WATER_OFFICER, TurnableClock, new_mobile

Client = TestClient[Any]


def text_reply(mobile: str, message_id: str, body: str) -> dict[str, Any]:
    message = {"from": f"91{mobile}", "id": message_id, "type": "text", "text": {"body": body}}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"field": "messages", "value": {"messages": [message]}}]}],
    }


def test_a_plain_whatsapp_reply_answers_the_question_and_the_clock_resumes(
    client: Client,
    services: Services,
    settings: Settings,
    clock: TurnableClock,
    standin: ProviderStandIn,  # noqa: F811
    notifier: Notifier,  # noqa: F811
) -> None:
    mobile = new_mobile()
    complaint = file(services, mobile)
    services.app.seek_clarification(
        complaint, by=JAIPUR_WATER_OFFICER, question="Which ward is the broken pipe in?"
    )
    (asked,) = eventually(
        lambda: [m for m in standin.whatsapp_to(mobile) if m["template"] == "sampark_clarify"]
    )
    assert "Which ward is the broken pipe in?" in asked["params"]
    notifier.wait_settled(complaint)

    clock.now += timedelta(days=2)
    payload = text_reply(mobile, "wamid.in.answer", "वार्ड 12, मंदिर के पास")
    assert webhook(client, payload, settings.whatsapp_app_secret).json() == {"recorded": 1}
    assert webhook(client, payload, settings.whatsapp_app_secret).json() == {"recorded": 0}

    timeline = services.app.timeline(complaint)
    (sought,) = [e for e in timeline if isinstance(e, ClarificationSought)]
    answers = [e for e in timeline if isinstance(e, ClarificationAnswered)]
    assert [a.answer for a in answers] == ["वार्ड 12, मंदिर के पास"]
    assert sought.paused_due_at is not None
    left = sought.paused_due_at - sought.timestamp  # what was left when the clock stopped
    assert services.app.complaint(complaint).due_at == answers[0].timestamp + left
    assert answers[0].paused_seconds == int(
        (answers[0].timestamp - sought.timestamp).total_seconds()
    )
    eventually(
        lambda: [m for m in standin.whatsapp_to(mobile) if m["template"] == "sampark_answer_thanks"]
    )

    services.app.reply_interim(complaint, by=JAIPUR_WATER_OFFICER, note="A new pipe is ordered")
    (interim,) = eventually(
        lambda: [m for m in standin.whatsapp_to(mobile) if m["template"] == "sampark_interim"]
    )
    assert "A new pipe is ordered" in interim["params"]
