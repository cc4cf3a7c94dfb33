"""A citizen hears each thing once: a notifier killed or cut off mid-send, or a provider that
repeats itself, never makes the sender send in a loop; only the Action Taken Report may go
twice (the rule in projections/notify/uncertain.py), because losing it is worse.

Real PostgreSQL and broker; the stand-in plays WhatsApp over HTTP and counts what it gets.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from api.services import Services
from infra import migrations
from infra.adapters.providers import SmsGateway, WhatsAppCloud, token_source
from infra.local.standin import ProviderStandIn
from infra.metrics import SENDS
from infra.settings import Settings
from projections.notify.delivery import Backoff, Sender
from projections.notify.messages import Message
from projections.notify.outbox import Outbox
from projections.notify.uncertain import MAX_RESENDS
from tests.conftest import Pipeline
from tests.integration.test_notifications import Notifier, eventually, file, resolve
from tests.support import TurnableClock, new_mobile

ATR = "sampark_resolved"
FINAL = {"sent", "failed", "uncertain"}


def outbox_rows(database: str) -> list[dict[str, Any]]:
    with psycopg.connect(database) as conn:
        rows = conn.execute(
            "SELECT template, state, resends, provider_message_id, last_error "
            "FROM notify.messages ORDER BY id"
        ).fetchall()
    names = ("template", "state", "resends", "id", "error")
    return [dict(zip(names, r, strict=True)) for r in rows]


def outbox_status(database: str) -> dict[str, Any]:
    with psycopg.connect(database) as conn:
        return Outbox(conn).status()


def sends_timed(channel: str, outcome: str) -> float:
    """How many sends the send-latency histogram has seen (`infra/metrics.py`)."""
    return sum(
        s.value
        for family in SENDS.collect()
        for s in family.samples
        if s.name.endswith("_count") and s.labels == {"channel": channel, "outcome": outcome}
    )


def per_message(standin: ProviderStandIn) -> Counter[tuple[str, str, str]]:
    """What the provider got, per (recipient, kind, registration number): one complaint's
    event version and audience."""
    return Counter((m["to"], m["template"], m["params"][0]) for m in standin.received)


def test_a_restarted_provider_never_makes_the_sender_send_again(
    services: Services,
    settings: Settings,
    database: str,
    pipeline: Pipeline,
) -> None:
    first = ProviderStandIn().start()
    port = int(first.base_url.rsplit(":", 1)[1])
    notifier = Notifier(services, settings, database, first)
    timed_before = sends_timed("whatsapp", "sent")
    try:
        before = file(services, new_mobile())
        eventually(lambda: len(first.received) == 2)  # filed, and the officer's "with you"
        notifier.wait_settled(before)
        first.stop()
        second = ProviderStandIn(port=port).start()  # the same provider, restarted
        try:
            mobile = new_mobile()
            after = file(services, mobile)
            notifier.wait_settled(after)
            time.sleep(1.5)  # a sender in a loop would have sent again by now
            assert len(second.received) == 2
            assert len(second.whatsapp_to(mobile)) == 1
            ids = [m["id"] for m in first.received + second.received]
            assert len(set(ids)) == len(ids), "a provider's ids stay unique across restarts"
            status = outbox_status(database)["messages"]
            assert status["sent"] == 4 and status["failed"] == 0 and status["sending"] == 0
            assert sends_timed("whatsapp", "sent") == timed_before + 4, "each send is timed"
        finally:
            second.stop()
    finally:
        notifier.stop()


def test_a_provider_that_repeats_an_id_is_recorded_and_a_reply_finds_the_newest(
    services: Services,
    settings: Settings,
    database: str,
    pipeline: Pipeline,
) -> None:
    standin = ProviderStandIn(message_ids=lambda channel: f"{channel}.always-the-same").start()
    notifier = Notifier(services, settings, database, standin)
    try:
        mobiles = [new_mobile() for _ in range(2)]
        complaints = [file(services, m) for m in mobiles]
        for complaint in complaints:
            notifier.wait_settled(complaint)
        time.sleep(1.5)
        assert len(standin.received) == 4, "each message went once, none again"
        with psycopg.connect(database) as conn:
            newest = conn.execute(
                "SELECT complaint_id FROM notify.messages ORDER BY sent_at DESC, id DESC LIMIT 1"
            ).fetchone()
            assert newest is not None
            assert Outbox(conn).answered("wamid.always-the-same") == newest[0]
    finally:
        notifier.stop()
        standin.stop()


@pytest.fixture
def slow_provider() -> Iterator[ProviderStandIn]:
    """A provider that takes the message at once and answers a second later."""
    standin = ProviderStandIn().start()
    standin.answer_delay = 1.0
    try:
        yield standin
    finally:
        standin.stop()


def queue(database: str, clock: TurnableClock, *templates: str) -> dict[str, str]:
    """Messages of the given kinds for one complainant; returns template -> mobile."""
    complaint = uuid4()
    mobile = new_mobile()
    with psycopg.connect(database, autocommit=True) as conn, conn.transaction():
        Outbox(conn).add(
            [
                Message(
                    key=f"{complaint}:{n}:complainant",
                    complaint_id=complaint,
                    audience="complainant",
                    mobile=mobile,
                    language="en",
                    template=template,
                    params=[f"RJ-{n}", "x", "https://example.test/atr"],
                    text=f"message {n}",
                    buttons=template == ATR,
                )
                for n, template in enumerate(templates, start=1)
            ],
            clock(),
        )
    return dict.fromkeys(templates, mobile)


def test_an_answer_that_never_comes_is_not_sent_again_except_the_report_once(
    database: str, clock: TurnableClock, slow_provider: ProviderStandIn
) -> None:
    queue(database, clock, "sampark_filed", ATR)
    sender = Sender(
        database,
        whatsapp=WhatsAppCloud(
            slow_provider.whatsapp_base,
            "sampark",
            token_source(next(iter(slow_provider.tokens)), None),
            timeout=0.3,  # gives up reading long before the provider answers
        ),
        sms=SmsGateway(slow_provider.sms_base, slow_provider.sms_key),
        clock=clock,
        idle_seconds=0.05,
    )
    thread = threading.Thread(target=sender.run_until_stopped, daemon=True)
    thread.start()
    try:

        def settled() -> list[dict[str, Any]] | None:
            """every message settled"""
            rows = outbox_rows(database)
            return rows if rows and all(r["state"] in FINAL for r in rows) else None

        filed, report = eventually(settled)
        time.sleep(0.5)
    finally:
        sender.stop()
        thread.join(timeout=15)
    kinds = Counter(m["template"] for m in slow_provider.received)
    assert kinds == {"sampark_filed": 1, ATR: 1 + MAX_RESENDS}
    assert all(m["channel"] == "whatsapp" for m in slow_provider.received), "no SMS on a doubt"
    assert (filed["state"], filed["resends"]) == ("uncertain", 0)
    assert "not sent again (at_most_once)" in filed["error"]
    assert (report["state"], report["resends"]) == ("uncertain", MAX_RESENDS)
    status = outbox_status(database)
    assert status["messages"]["uncertain"] == 2 and status["sent_again_after_doubt"] == 1


class SenderWhoseFirstRecordFails(Sender):
    """The provider accepts; saving its answer fails once (as a duplicate id once did)."""

    failures = 0

    def _write(self, outbox: Outbox, answer: Any) -> bool:
        if answer.outcome == "sent" and type(self).failures == 0:
            type(self).failures += 1
            raise psycopg.errors.UniqueViolation("duplicate key value: messages_provider_id")
        return super()._write(outbox, answer)


def test_a_failure_to_record_an_accepted_message_never_sends_it_again(
    database: str, clock: TurnableClock
) -> None:
    standin = ProviderStandIn().start()
    (mobile,) = queue(database, clock, "sampark_filed").values()
    sender = SenderWhoseFirstRecordFails(
        database,
        whatsapp=WhatsAppCloud(
            standin.whatsapp_base, "sampark", token_source(next(iter(standin.tokens)), None)
        ),
        sms=None,
        clock=clock,
        backoff=Backoff(first=timedelta(seconds=0)),
        idle_seconds=0.05,
    )
    thread = threading.Thread(target=sender.run_until_stopped, daemon=True)
    thread.start()
    try:
        eventually(lambda: [r for r in outbox_rows(database) if r["state"] in FINAL])
        time.sleep(1.0)
    finally:
        sender.stop()
        thread.join(timeout=15)
        standin.stop()
    assert SenderWhoseFirstRecordFails.failures == 1
    assert len(standin.whatsapp_to(mobile)) == 1
    (row,) = outbox_rows(database)
    assert row["state"] == "sent"


# --- the notifier killed between the provider's acceptance and the saved state ---------------


def start_notifier(
    settings: Settings, database: str, standin: ProviderStandIn, home: Path, n: int
) -> subprocess.Popen[bytes]:
    assert settings.kafka_bootstrap is not None
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SAMPARK_HOME": str(home),
        "SAMPARK_DATABASE_URL": database,
        "SAMPARK_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "SAMPARK_KAFKA_TOPIC": settings.kafka_topic,
        "SAMPARK_KAFKA_SESSION_TIMEOUT_MS": "1000",
        "SAMPARK_WHATSAPP_BASE_URL": standin.whatsapp_base,
        "SAMPARK_WHATSAPP_TOKEN": next(iter(standin.tokens)),
        "SAMPARK_SMS_BASE_URL": standin.sms_base,
        "SAMPARK_SMS_API_KEY": standin.sms_key,
        "SAMPARK_NOTIFY_MAX_AGE_HOURS": "1000000",  # the test's clock is weeks behind
    }
    log = (home / f"notifier-{n}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "infra.run.cli", "notifier"], env=env, stdout=log, stderr=log
    )


def test_a_notifier_killed_after_the_provider_accepted_sends_each_message_at_most_once(
    services: Services,
    settings: Settings,
    database: str,
    pipeline: Pipeline,
    slow_provider: ProviderStandIn,
    tmp_path: Path,
) -> None:
    complaints: list[UUID] = []
    # Each disposed of before the notifier starts: the complainant's "filed" and the report
    # (the officer's "with you" is old news by then, and not sent), six messages in all.
    for _ in range(3):
        complaint = file(services, new_mobile())
        resolve(services, complaint)
        complaints.append(complaint)
    kills = 0
    for round_ in range(6):
        accepted = len(slow_provider.received)
        notifier = start_notifier(settings, database, slow_provider, tmp_path, round_)
        try:
            eventually(lambda n=accepted: len(slow_provider.received) > n, timeout=90)
            os.kill(notifier.pid, signal.SIGKILL)  # the provider has it; the answer is a
            kills += 1  # second away
        finally:
            notifier.kill()
            notifier.wait(timeout=15)
    slow_provider.answer_delay = 0.0
    notifier = start_notifier(settings, database, slow_provider, tmp_path, 99)
    try:

        def settled() -> list[dict[str, Any]] | None:
            """every message of the three complaints settled"""
            rows = outbox_rows(database)
            return rows if len(rows) == 6 and all(r["state"] in FINAL for r in rows) else None

        rows = eventually(settled, timeout=90)
        time.sleep(1.0)
    finally:
        notifier.send_signal(signal.SIGINT)
        try:
            notifier.wait(timeout=20)
        except subprocess.TimeoutExpired:
            notifier.kill()
            notifier.wait()

    got = per_message(slow_provider)
    assert len(got) == 6, "every message reached the provider"
    for (_, template, _), times in got.items():
        assert times <= (1 + MAX_RESENDS if template == ATR else 1), (template, times)
    # Each kill left one claim without an answer, settled by the rule: marked uncertain, or
    # (the report, once) sent again.
    uncertain = sum(1 for r in rows if r["state"] == "uncertain")
    assert uncertain + sum(r["resends"] for r in rows) == kills
    assert all(r["state"] != "failed" for r in rows)
    status = outbox_status(database)["messages"]
    assert status["uncertain"] == uncertain
    assert status["sending"] == status["pending"] == status["retrying"] == 0


OLD_OUTBOX = """
CREATE SCHEMA notify;
CREATE TABLE notify.messages (
    id bigserial PRIMARY KEY,
    key text NOT NULL UNIQUE,
    complaint_id uuid,
    audience text NOT NULL,
    mobile text NOT NULL,
    language text NOT NULL,
    template text NOT NULL,
    params jsonb NOT NULL,
    text text NOT NULL,
    buttons boolean NOT NULL DEFAULT false,
    state text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'retrying', 'sent', 'failed')),
    channel text NOT NULL DEFAULT 'whatsapp',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    provider_message_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
);
CREATE UNIQUE INDEX messages_provider_id ON notify.messages (provider_message_id)
    WHERE provider_message_id IS NOT NULL;
INSERT INTO notify.messages (key, audience, mobile, language, template, params, text, state,
    provider_message_id) VALUES ('old:1:complainant', 'complainant', '9000000001', 'hi',
    'sampark_filed', '[]', 'old', 'sent', 'wamid.standin.1');
"""


def test_an_outbox_kept_by_the_previous_version_takes_claims_and_repeated_ids(
    database: str, clock: TurnableClock
) -> None:
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("DROP SCHEMA notify CASCADE")  # as a release before migrations left it
        conn.execute("DELETE FROM sampark.schema_migrations")
        conn.execute(OLD_OUTBOX.encode())
    assert [str(m) for m in migrations.migrate(database)] == ["0001_tables_before_migrations"]
    assert migrations.migrate(database) == []  # and again: nothing to do
    (mobile,) = queue(database, clock, "sampark_filed").values()
    with psycopg.connect(database, autocommit=True) as conn:
        outbox = Outbox(conn)
        (claim,) = outbox.claim(clock(), "a-sender")
        assert outbox.sent(claim, "whatsapp", "wamid.standin.1", clock())  # the id again
        assert outbox.status()["messages"]["sent"] == 2
        newest = conn.execute("SELECT mobile FROM notify.messages ORDER BY id DESC").fetchone()
        assert newest == (mobile,)
        conn.execute(  # the new states are allowed
            "UPDATE notify.messages SET state = 'uncertain' WHERE mobile = %s", (mobile,)
        )


def test_a_message_the_providers_keep_refusing_is_given_up_on_and_counted(
    database: str, clock: TurnableClock
) -> None:
    standin = ProviderStandIn().start()
    standin.outage = 1_000  # every request answered 503, WhatsApp and SMS alike
    queue(database, clock, "sampark_filed")
    sender = Sender(
        database,
        whatsapp=WhatsAppCloud(
            standin.whatsapp_base, "sampark", token_source(next(iter(standin.tokens)), None)
        ),
        sms=SmsGateway(standin.sms_base, standin.sms_key),
        clock=clock,
        backoff=Backoff(first=timedelta(seconds=0), attempts=3),
        idle_seconds=0.05,
    )
    thread = threading.Thread(target=sender.run_until_stopped, daemon=True)
    thread.start()
    try:
        eventually(lambda: [r for r in outbox_rows(database) if r["state"] == "failed"])
        time.sleep(0.5)
    finally:
        sender.stop()
        thread.join(timeout=15)
        standin.stop()
    assert 1_000 - standin.outage == 3 + 3, "three tries on WhatsApp, three by SMS, no more"
    (row,) = outbox_rows(database)
    assert row["error"].startswith("gave up: HTTP 503")
    assert outbox_status(database)["messages"]["failed"] == 1
