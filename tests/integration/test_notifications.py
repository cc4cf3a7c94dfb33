"""The citizen hears back: events become messages once, and the messages get through.

Real PostgreSQL and broker; a local HTTP stand-in plays the WhatsApp Cloud API and the SMS
gateway (the only thing outside this machine) and records what it is sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from litestar.testing import TestClient

from api.services import Services
from domain.access import citizen
from domain.values import Channel, Complainant, Language, Outcome
from infra.adapters.providers import SmsGateway, WhatsAppCloud, token_source
from infra.local.standin import ProviderStandIn
from infra.security.report_links import report_link
from infra.security.signing import hub_signature
from infra.settings import Settings
from projections.notify.delivery import Backoff, Sender
from projections.notify.messages import Links
from projections.notify.notifications import Notifications
from tests.conftest import Pipeline, Tokens
from tests.support import ADMIN, JAIPUR_WATER_OFFICER, OPERATOR, TurnableClock, new_mobile
from tests.unit.test_complaint_rules import PHOTO

Client = TestClient[Any]


class Notifier:
    """The notifications consumer and the sender, in threads, against the stand-in."""

    def __init__(
        self,
        services: Services,
        settings: Settings,
        database: str,
        standin: ProviderStandIn,
        *,
        token_file: Path | None = None,
    ) -> None:
        assert settings.kafka_bootstrap is not None
        self.database = database
        self.consumer = Notifications(
            database,
            settings.kafka_bootstrap,
            directory=services.app.directory,
            links=Links(report=lambda complaint, at: report_link(services.settings, complaint, at)),
            clock=services.app.clock,
            topic=settings.kafka_topic,
            group=f"{settings.kafka_group}.notify",
            poll_ms=50,
            session_timeout_ms=1000,
        )
        self.sender = Sender(
            database,
            whatsapp=WhatsAppCloud(
                standin.whatsapp_base,
                "sampark",
                token_source(next(iter(standin.tokens)), str(token_file) if token_file else None),
            ),
            sms=SmsGateway(standin.sms_base, standin.sms_key),
            clock=services.app.clock,
            backoff=Backoff(first=timedelta(minutes=1), cap=timedelta(minutes=10), attempts=3),
            idle_seconds=0.05,
            probe_seconds=0.2,
        )
        self.threads: list[threading.Thread] = []
        self.start_consumer()
        self._run(self.sender)

    def _run(self, worker: Any) -> None:
        thread = threading.Thread(target=lambda: worker.run_until_stopped(backoff=0.1), daemon=True)
        thread.start()
        self.threads.append(thread)

    def start_consumer(self) -> None:
        self._run(self.consumer)
        assert self.consumer.assigned.wait(30), "the notifications consumer got no partitions"

    def stop(self) -> None:
        self.consumer.stop()
        self.sender.stop()
        for thread in self.threads:
            thread.join(timeout=15)

    def wait_settled(self, complaint: UUID) -> None:
        """Until every message of the complaint is queued and sent, in the database."""

        def settled() -> bool:
            states = [m["state"] for m in self.messages(complaint)]
            return bool(states) and all(state == "sent" for state in states)

        eventually(settled)

    def messages(self, complaint: UUID | None = None) -> list[dict[str, Any]]:
        with psycopg.connect(self.database) as conn:
            rows = conn.execute(
                "SELECT key, audience, template, state, channel, attempts, provider_message_id, "
                "params, last_error FROM notify.messages "
                "WHERE %s::uuid IS NULL OR complaint_id = %s ORDER BY id",
                (complaint, complaint),
            ).fetchall()
        names = ("key", "audience", "template", "state", "channel", "attempts", "id", "params")
        return [dict(zip((*names, "error"), r, strict=True)) for r in rows]


def eventually(check: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {check.__doc__ or check}")
        time.sleep(0.05)


@pytest.fixture
def standin() -> Iterator[ProviderStandIn]:
    running = ProviderStandIn().start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def notifier(
    services: Services,
    settings: Settings,
    database: str,
    standin: ProviderStandIn,
    pipeline: Pipeline,
) -> Iterator[Notifier]:
    running = Notifier(services, settings, database, standin)
    try:
        yield running
    finally:
        running.stop()


def file(services: Services, mobile: str, language: Language = Language.HINDI) -> UUID:
    return services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Sunita Devi", mobile=mobile, language=language),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="No water supply",
        description="Ward 9: no water for four days.",
        channel=Channel.HELPLINE_181,
    ).id


def resolve(services: Services, complaint: UUID) -> None:
    services.app.resolve(
        complaint,
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Burst main line repaired; supply restored",
        evidence=(PHOTO,),
    )


def webhook(client: Client, payload: dict[str, Any], secret: str | None) -> Any:
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = hub_signature(secret, body)
    return client.post("/v1/webhooks/whatsapp", content=body, headers=headers)


def button_reply(mobile: str, message_id: str, answers: str, payload: str) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messages": [
                                {
                                    "from": f"91{mobile}",
                                    "id": message_id,
                                    "type": "button",
                                    "context": {"id": answers},
                                    "button": {"payload": payload, "text": payload.title()},
                                }
                            ]
                        },
                    }
                ]
            }
        ],
    }


def test_from_resolution_to_feedback_to_reopening_the_loop_closes_on_whatsapp(
    client: Client,
    services: Services,
    settings: Settings,
    standin: ProviderStandIn,
    notifier: Notifier,
) -> None:
    mobile = new_mobile()
    complaint = file(services, mobile, Language.ENGLISH)

    def officer_told() -> bool:
        """the officer's post heard of the complaint, on its own number"""
        return any(
            m["template"] == "sampark_assigned"
            for m in standin.received
            if m["to"] != f"91{mobile}"
        )

    eventually(officer_told)  # before the disposal: then "now with you" is news no more
    resolve(services, complaint)

    def atr_sent() -> list[dict[str, Any]]:
        """the Action Taken Report reached the complainant"""
        return [m for m in standin.whatsapp_to(mobile) if m["template"] == "sampark_resolved"]

    (atr,) = eventually(atr_sent)
    notifier.wait_settled(complaint)  # the provider's id is saved: a reply can refer to it
    assert atr["language"] == "en" and atr["buttons"] == ["SATISFIED", "NOT_SATISFIED"]
    link = atr["params"][2]
    assert link.startswith(f"{settings.public_url}/atr/")
    page = client.get(link.removeprefix(settings.public_url))
    assert page.status_code == 200
    assert "Burst main line repaired" in page.text and "Assistant Engineer, Jaipur" in page.text

    answer = webhook(
        client,
        button_reply(mobile, "wamid.in.1", atr["id"], "NOT_SATISFIED"),
        settings.whatsapp_app_secret,
    )
    assert answer.status_code == 200 and answer.json() == {"recorded": 1}
    kinds = [type(e).__name__ for e in services.app.timeline(complaint)]
    assert kinds[-3:] == ["Resolved", "FeedbackGiven", "Reopened"]
    feedback = services.app.timeline(complaint)[-2]
    assert feedback.actor.id == citizen(mobile).id and feedback.satisfied is False  # type: ignore[attr-defined]
    eventually(
        lambda: [m for m in standin.whatsapp_to(mobile) if m["template"] == "sampark_thanks"]
    )


def test_unsigned_or_wrongly_signed_webhooks_are_refused(
    client: Client, services: Services, settings: Settings
) -> None:
    payload = button_reply("9876543210", "wamid.in.2", "wamid.x", "SATISFIED")
    unsigned = webhook(client, payload, None)
    assert unsigned.status_code == 401 and unsigned.json()["field"] == "X-Hub-Signature-256"
    forged = webhook(client, payload, "not-the-app-secret")
    assert forged.status_code == 403
    with psycopg.connect(services.pool.conninfo) as conn:
        assert conn.execute("SELECT to_regclass('notify.messages')").fetchone() == (None,) or (
            conn.execute("SELECT count(*) FROM notify.messages").fetchone() == (0,)
        )


def test_a_webhook_delivered_twice_is_recorded_once(
    client: Client,
    services: Services,
    settings: Settings,
    standin: ProviderStandIn,
    notifier: Notifier,
) -> None:
    mobile = new_mobile()
    complaint = file(services, mobile)
    resolve(services, complaint)
    (atr,) = eventually(
        lambda: [m for m in standin.whatsapp_to(mobile) if m["template"] == "sampark_resolved"]
    )
    notifier.wait_settled(complaint)
    payload = button_reply(mobile, "wamid.in.3", atr["id"], "SATISFIED")
    first = webhook(client, payload, settings.whatsapp_app_secret)
    again = webhook(client, payload, settings.whatsapp_app_secret)
    assert (first.json(), again.json()) == ({"recorded": 1}, {"recorded": 0})
    kinds = [type(e).__name__ for e in services.app.timeline(complaint)]
    assert kinds.count("FeedbackGiven") == 1 and kinds[-1] == "Closed"
    eventually(
        lambda: [m for m in standin.whatsapp_to(mobile) if m["template"] == "sampark_thanks"]
    )
    time.sleep(0.3)
    assert len([m for m in standin.whatsapp_to(mobile) if m["template"] == "sampark_thanks"]) == 1


def test_a_stranger_who_writes_is_answered_by_the_conversation_and_a_stray_button_politely(
    client: Client, settings: Settings, standin: ProviderStandIn, notifier: Notifier
) -> None:
    stranger = new_mobile()
    payload = {
        "entry": [
            {
                "changes": [
                    {
                        "value": {
                            "messages": [
                                {
                                    "from": f"91{stranger}",
                                    "id": "wamid.in.4",
                                    "type": "text",
                                    "text": {"body": "हमारे गाँव में बिजली नहीं है"},
                                }
                            ]
                        }
                    }
                ]
            }
        ]
    }
    answer = webhook(client, payload, settings.whatsapp_app_secret)
    assert answer.status_code == 200 and answer.json() == {"recorded": 0}
    (asked,) = eventually(lambda: standin.whatsapp_to(stranger))
    assert asked["session"] == "interactive" and asked["choices"] == ["lang:hi", "lang:en"]
    stray = button_reply(stranger, "wamid.in.4b", "wamid.never-ours", "SATISFIED")
    assert webhook(client, stray, settings.whatsapp_app_secret).json() == {"recorded": 0}
    polite = eventually(
        lambda: [m for m in standin.whatsapp_to(stranger) if m["template"] == "sampark_unmatched"]
    )
    assert polite[0]["language"] == "hi"


def test_an_outage_at_the_provider_is_retried_with_backoff_and_nothing_is_doubled(
    services: Services, clock: TurnableClock, standin: ProviderStandIn, notifier: Notifier
) -> None:
    standin.outage = 2
    mobile = new_mobile()
    complaint = file(services, mobile)

    def retrying() -> bool:
        """the filing message waits for its retry"""
        return any(m["state"] == "retrying" for m in notifier.messages(complaint))

    eventually(retrying)
    time.sleep(0.3)
    assert standin.whatsapp_to(mobile) == []  # the backoff holds it: a minute, then two
    clock.advance(minutes=4)

    def filed_message() -> dict[str, Any] | None:
        """the filing message is sent"""
        found = next(m for m in notifier.messages(complaint) if m["template"] == "sampark_filed")
        return found if found["state"] == "sent" else None

    filed = eventually(filed_message)
    assert (filed["state"], filed["channel"], filed["attempts"]) == ("sent", "whatsapp", 2)
    assert len(standin.whatsapp_to(mobile)) == 1


def test_a_number_not_on_whatsapp_gets_an_sms_and_an_invalid_one_is_failed(
    services: Services, standin: ProviderStandIn, notifier: Notifier
) -> None:
    sms_only, invalid = new_mobile(), new_mobile()
    standin.not_on_whatsapp |= {sms_only, invalid}
    standin.invalid_numbers.add(invalid)
    by_sms, nowhere = file(services, sms_only), file(services, invalid)

    def settled() -> bool:
        """both filing messages settled"""
        states = [
            m["state"]
            for c in (by_sms, nowhere)
            for m in notifier.messages(c)
            if m["audience"] == "complainant"
        ]
        return len(states) == 2 and not {"pending", "retrying", "sending"} & set(states)

    eventually(settled)
    (sms,) = [m for m in standin.received if m["to"].endswith(sms_only)]
    assert sms["channel"] == "sms" and "दर्ज" in sms["text"]
    (failed,) = [m for m in notifier.messages(nowhere) if m["audience"] == "complainant"]
    assert failed["state"] == "failed" and "invalid number" in failed["error"]


def test_an_expired_token_halts_sending_loudly_and_the_queue_resumes_once_it_is_fixed(
    client: Client,
    tokens: Tokens,
    services: Services,
    settings: Settings,
    database: str,
    standin: ProviderStandIn,
    pipeline: Pipeline,
    tmp_path: Path,
) -> None:
    token_file = tmp_path / "whatsapp-token"
    token_file.write_text("an-expired-token")
    running = Notifier(services, settings, database, standin, token_file=token_file)
    try:
        mobiles = [new_mobile() for _ in range(3)]
        complaints = [file(services, m) for m in mobiles]

        def halted() -> Any:
            """the pipeline status shows the sender halted"""
            status = client.get("/v1/pipeline/status", headers=tokens.headers(ADMIN)).json()
            return status["notifications"]["sending"] == "halted" and status

        status = eventually(halted)
        assert "190" in status["notifications"]["halted_because"]
        assert status["notifications"]["outbox"]["messages"]["failed"] == 0
        assert standin.received == []
        assert all(m["state"] == "pending" for c in complaints for m in running.messages(c))

        token_file.write_text(next(iter(standin.tokens)))  # the token is rotated
        eventually(lambda: all(standin.whatsapp_to(m) for m in mobiles))

        def running_again() -> bool:
            """the pipeline status shows the sender running again"""
            status = client.get("/v1/pipeline/status", headers=tokens.headers(ADMIN)).json()
            return bool(status["notifications"]["sending"] == "running")

        eventually(running_again)
        assert sorted(len(standin.whatsapp_to(m)) for m in mobiles) == [1, 1, 1]
    finally:
        running.stop()


def test_replaying_the_topic_sends_nothing_twice(
    services: Services, standin: ProviderStandIn, notifier: Notifier, database: str
) -> None:
    mobile = new_mobile()
    complaint = file(services, mobile)
    resolve(services, complaint)
    eventually(lambda: len(standin.whatsapp_to(mobile)) == 2)
    notifier.wait_settled(complaint)
    before = notifier.messages()
    notifier.consumer.stop()
    notifier.threads[0].join(timeout=15)
    with psycopg.connect(database) as conn:  # forget where the consumer was: read it all again
        conn.execute(
            "DELETE FROM read.offsets WHERE consumer_group = %s", (notifier.consumer.current_group,)
        )
    notifier.consumer.stopping.clear()
    notifier.consumer.assigned.clear()
    notifier.start_consumer()
    eventually(lambda: notifier.consumer.totals.duplicates >= len(before))
    time.sleep(0.3)
    assert notifier.messages() == before
    assert len(standin.whatsapp_to(mobile)) == 2


def test_when_the_first_is_disposed_of_its_linked_complainants_are_told_once(
    services: Services, standin: ProviderStandIn, notifier: Notifier
) -> None:
    first_mobile, second_mobile = new_mobile(), new_mobile()
    first, second = file(services, first_mobile), file(services, second_mobile, Language.ENGLISH)
    services.app.link(second, by=OPERATOR, duplicate_of=first)
    resolve(services, first)
    notifier.wait_settled(second)
    eventually(lambda: len(standin.whatsapp_to(second_mobile)) == 2)
    told = [m for m in notifier.messages(second) if m["template"] == "sampark_first_disposed"]
    assert len(told) == 1
    second_no = services.app.complaint(second).registration_no
    assert told[0]["params"][:2] == [second_no, services.app.complaint(first).registration_no]
    assert told[0]["state"] == "sent"
    # The first's own complainant hears of the disposal as before, and only of it.
    assert [m["template"] for m in notifier.messages(first) if m["audience"] == "complainant"] == [
        "sampark_filed",
        "sampark_resolved",
    ]
