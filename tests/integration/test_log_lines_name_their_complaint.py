"""Every line the notifications consumer, the sender, the WhatsApp conversation and the
replies log about a complaint names it: the operator who greps the JSON lines for one
complaint finds what the notifier did with its news, not only what the API did. The mobile
numbers and report links stay redacted.

Real PostgreSQL (and the broker for the conversation's read model); the stand-in plays
WhatsApp and the SMS gateway over HTTP.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from api.services import Services
from domain import access
from domain.events import Linked
from domain.values import Actor, Role
from infra.adapters.providers import SmsGateway, WhatsAppCloud, token_source
from infra.local.standin import ProviderStandIn
from infra.logs import formatter, install_context
from infra.security.redaction import install as install_redaction
from infra.settings import Settings
from projections.notify.delivery import Backoff, Sender
from projections.notify.messages import Links, Message
from projections.notify.notifications import Notifications
from projections.notify.outbox import Outbox
from tests.conftest import Pipeline
from tests.integration import whatsapp_payloads as wa
from tests.integration.test_notifications import (
    button_reply,
    standin,  # noqa: F401 (fixture)
    webhook,
)
from tests.integration.test_notifications import file as file_by_operator
from tests.integration.test_whatsapp_conversation import (
    JPEG,
    Chat,
    Client,
    talking,  # noqa: F401 (fixture)
)
from tests.support import TurnableClock, new_mobile
from tests.unit import world


@contextmanager
def json_lines() -> Iterator[list[dict[str, Any]]]:
    """The lines logged inside, as production writes them (JSON, redacted, with context)."""
    install_redaction()
    install_context()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    lines: list[dict[str, Any]] = []
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        lines += [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_consumers_lines_name_the_complaint_of_the_event_they_are_about(
    database: str, clock: TurnableClock
) -> None:
    directory = world.directory()
    mobile = new_mobile()
    filed = world.file(directory, access.citizen(mobile), at=clock())
    linked = uuid4()
    # A link whose first complaint is no id (a stored event of another time): the consumer says so.
    broken_link = Linked(  # type: ignore[call-arg]
        originator_id=linked,
        originator_version=2,
        timestamp=clock(),
        actor=Actor(id="desk", role=Role.OPERATOR),
        duplicate_of=f"call {mobile}",
        duplicate_of_registration_no="JAI-2026-0000009",
    )
    consumer = Notifications(
        database,
        "unused:9092",
        directory=lambda: directory,
        links=Links(report=lambda complaint, at: f"https://sampark.test/atr/{complaint}.secret"),
        clock=clock,
    )
    with json_lines() as lines:
        with psycopg.connect(database, autocommit=True) as conn, conn.transaction():
            consumer.prepare(conn)
            consumer.project(conn, [*filed.collect_events(), broken_link])
        logging.getLogger("sampark.test").info("after the batch")

    (warned,) = [line for line in lines if line["logger"] == "projections.notify.notifications"]
    assert warned["complaint_id"] == str(linked)
    assert warned["message"] == "a link or follow names no complaint id: 'call <mobile>'"
    assert "complaint_id" not in lines[-1], "the context ends with the event"
    assert not any(mobile in json.dumps(line) for line in lines)


def test_the_senders_lines_name_the_complaint_of_the_message_they_are_about(
    database: str, clock: TurnableClock
) -> None:
    complaint, mobile = uuid4(), new_mobile()
    provider = ProviderStandIn().start()
    provider.outage = 1_000  # WhatsApp and SMS both answer 503: a fall-back, then given up
    pool: ConnectionPool[Any] = ConnectionPool(
        database, min_size=1, max_size=2, kwargs={"autocommit": True}, open=True
    )
    try:
        with pool.connection() as conn, conn.transaction():  # tables: the template's
            Outbox(conn).add(
                [
                    Message(
                        key=f"{complaint}:3:complainant",
                        complaint_id=complaint,
                        audience="complainant",
                        mobile=mobile,
                        language="en",
                        template="sampark_resolved",
                        params=["JAI-2026-0000001", "x", "https://sampark.test/atr/ab.c"],
                        text=f"resolved; tell {mobile}: https://sampark.test/atr/ab.c",
                        buttons=True,
                    )
                ],
                clock(),
            )
        sender = Sender(
            database,
            whatsapp=WhatsAppCloud(
                provider.whatsapp_base, "sampark", token_source(next(iter(provider.tokens)), None)
            ),
            sms=SmsGateway(provider.sms_base, provider.sms_key),
            clock=clock,
            backoff=Backoff(first=timedelta(seconds=0), attempts=1),
        )
        sender.claimant = "notifier:logs"
        with json_lines() as lines:
            sender.send_due(pool)  # WhatsApp fails, SMS fails: given up on, in one pass
            logging.getLogger("sampark.test").info("after the pass")
    finally:
        pool.close()
        provider.stop()

    told = [line for line in lines if line["logger"] == "projections.notify.delivery"]
    assert [line["level"] for line in told] == ["WARNING", "WARNING"]
    assert "falling back to SMS" in told[0]["message"]
    assert "failed for good" in told[1]["message"]
    assert all(line["complaint_id"] == str(complaint) for line in told)
    assert "complaint_id" not in lines[-1], "the context ends with the message"
    assert not any(mobile in json.dumps(line) for line in lines)


def test_a_conversations_lines_name_the_complaint_the_citizen_chose(
    client: Client,
    talking: Services,  # noqa: F811
    settings: Settings,
    standin: ProviderStandIn,  # noqa: F811
    pipeline: Pipeline,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mobile = new_mobile()
    complaint = file_by_operator(talking, mobile)
    pipeline.settle()
    registration_no = talking.app.complaint(complaint).registration_no
    chat = Chat(client, talking, settings, mobile)
    chat.text("hi")
    chat.tap("lang:en")
    chat.pick("menu:photo")

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError(f"the event store went away while adding a photo for {mobile}")

    with json_lines() as lines:
        chat.pick(f"photo:{registration_no}")
        chat.send(wa.image(mobile, "5000404"))  # the provider has no such media
        standin.media["5000001"] = JPEG
        monkeypatch.setattr("api.conversation.acts.add_photo", broken)
        chat.send(wa.image(mobile, "5000001"))  # a fault of ours: an apology

    talk = [line for line in lines if line["logger"] == "api.conversation.talk"]
    assert talk[0]["message"] == "WhatsApp media not taken: media 5000404: HTTP 404"
    assert talk[1]["message"].endswith("could not be taken")
    fault = "RuntimeError: the event store went away while adding a photo for <mobile>"
    assert fault in talk[1]["exception"]
    assert len(talk) == 2
    assert all(line["complaint_id"] == str(complaint) for line in talk)
    assert all(line.get("request_id") for line in talk), "and the webhook's request"
    named = [line for line in lines if "complaint_id" in line]
    fetched = [line for line in named if line["logger"] == "httpx"]
    assert all(line["message"].startswith("HTTP Request: GET") for line in fetched), (
        "the media fetched for it"
    )
    assert len(named) == len(talk) + len(fetched) == 2 + 3
    assert all(line["complaint_id"] == str(complaint) for line in named)
    assert not any(mobile in json.dumps(line) for line in lines)


def test_a_reply_on_whatsapp_names_the_complaint_it_ties_to(
    client: Client, services: Services, settings: Settings, clock: TurnableClock
) -> None:
    mobile = new_mobile()
    complaint = file_by_operator(services, mobile)  # still open: no feedback is taken yet
    with services.pool.connection() as conn, conn.transaction():
        Outbox(conn).add(
            [
                Message(
                    key=f"{complaint}:1:complainant",
                    complaint_id=complaint,
                    audience="complainant",
                    mobile=mobile,
                    language="en",
                    template="sampark_filed",
                    params=["JAI-2026-0000001"],
                    text="filed",
                )
            ],
            clock(),
        )
        conn.execute(
            "UPDATE notify.messages SET state = 'sent', provider_message_id = 'wamid.out.1' "
            "WHERE complaint_id = %s",
            (complaint,),
        )
    with json_lines() as lines:
        answer = webhook(
            client,
            button_reply(mobile, "wamid.in.1", "wamid.out.1", "SATISFIED"),
            settings.whatsapp_app_secret,
        )
    assert answer.json() == {"recorded": 0}
    (refused,) = [line for line in lines if line["logger"] == "projections.notify.replies"]
    assert refused["message"].startswith("WhatsApp reply wamid.in.1 not recorded")
    assert refused["complaint_id"] == str(complaint) and refused["request_id"]
    assert not any(mobile in json.dumps(line) for line in lines)
