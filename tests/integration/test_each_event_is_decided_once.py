"""Each complaint event is decided once: a replayed topic never turns an old event into a
message it did not make at the time, and an officer hears only news that is still true.

Real PostgreSQL and broker; the local stand-in plays the WhatsApp Cloud API.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID, uuid4

import psycopg

from api.services import Services
from infra import migrations
from infra.local.standin import ProviderStandIn
from infra.settings import Settings
from tests.conftest import Pipeline
from tests.integration.test_notifications import (  # noqa: F401 (fixtures)
    Notifier,
    eventually,
    file,
    notifier,
    resolve,
    standin,
)
from tests.support import ADMIN, citizen, new_mobile

WATER_OFFICER = "PHED-JAI-L1"


def hand_post_to(services: Services, holder: str | None, mobile: str | None) -> None:
    services.app.change_directory(
        ADMIN,
        lambda d, at: d.change_holder(WATER_OFFICER, holder, ADMIN.actor, at, mobile=mobile),
    )


def decided(database: str, complaint: UUID) -> list[tuple[Any, ...]]:
    with psycopg.connect(database) as conn:
        return conn.execute(
            "SELECT version, event, told, note FROM notify.decided WHERE complaint_id = %s "
            "ORDER BY version",
            (complaint,),
        ).fetchall()


def read_the_topic_again(running: Notifier, database: str) -> None:
    """Stop the notifications consumer, forget where it was, and start it from the start."""
    running.consumer.stop()
    running.threads[0].join(timeout=15)
    with psycopg.connect(database) as conn:
        conn.execute(
            "DELETE FROM read.offsets WHERE consumer_group = %s", (running.consumer.current_group,)
        )
    running.consumer.totals.duplicates = 0
    running.consumer.stopping.clear()
    running.consumer.assigned.clear()
    running.start_consumer()


def test_an_assignment_to_a_vacant_post_is_not_announced_to_whoever_fills_it_later(
    services: Services,
    standin: ProviderStandIn,  # noqa: F811
    notifier: Notifier,  # noqa: F811
    database: str,
) -> None:
    hand_post_to(services, None, None)
    mobile = new_mobile()
    complaint = file(services, mobile)  # routed to the vacant water officer's post
    eventually(lambda: len(decided(database, complaint)) == 2)  # Filed, Assigned
    notifier.wait_settled(complaint)
    (_, assigned) = decided(database, complaint)
    assert assigned[1:] == ("Assigned", [], None), "decided: nobody to tell"

    newcomer = new_mobile()
    hand_post_to(services, "Suresh Meena", newcomer)
    before = notifier.messages()
    read_the_topic_again(notifier, database)
    eventually(lambda: notifier.consumer.totals.duplicates >= 2)
    time.sleep(0.5)
    assert standin.whatsapp_to(newcomer) == [], "an old assignment is not news to the newcomer"
    assert notifier.messages() == before


def test_replaying_a_whole_history_sends_nothing_new(
    services: Services,
    standin: ProviderStandIn,  # noqa: F811
    notifier: Notifier,  # noqa: F811
    database: str,
) -> None:
    hand_post_to(services, None, None)
    quiet = file(services, new_mobile())  # while the post was vacant
    services.app.remind(quiet, by=citizen(services.app.complaint(quiet).complainant.mobile))
    hand_post_to(services, "Suresh Meena", new_mobile())
    disposed = file(services, new_mobile())
    resolve(services, disposed)
    complaints = (quiet, disposed)
    events = sum(len(services.app.timeline(c)) for c in complaints)
    eventually(lambda: sum(len(decided(database, c)) for c in complaints) == events)
    for complaint in complaints:
        notifier.wait_settled(complaint)
    time.sleep(0.3)
    messages, sent, decisions = (
        notifier.messages(),
        len(standin.received),
        [decided(database, c) for c in complaints],
    )

    hand_post_to(services, "Kavita Rathore", new_mobile())  # the directory changed since
    read_the_topic_again(notifier, database)
    eventually(lambda: notifier.consumer.totals.duplicates >= events)
    time.sleep(0.5)
    assert notifier.messages() == messages
    assert len(standin.received) == sent
    assert [decided(database, c) for c in complaints] == decisions


def test_an_officer_catching_up_hears_only_what_is_still_true(
    services: Services,
    settings: Settings,
    database: str,
    standin: ProviderStandIn,  # noqa: F811
    pipeline: Pipeline,
) -> None:
    officer = new_mobile()
    hand_post_to(services, "Suresh Meena", officer)
    mobile = new_mobile()
    complaint = file(services, mobile)
    services.app.remind(complaint, by=citizen(mobile), note="Still no water")
    resolve(services, complaint)
    services.app.close_complaint(complaint, by=citizen(mobile), reason="relief given")
    # The notifier reads this history only now, all of it at once (as after a relay that
    # started over, or a long outage): the complaint is closed.
    running = Notifier(services, settings, database, standin)
    try:
        eventually(lambda: len(decided(database, complaint)) == 5)
        running.wait_settled(complaint)
        time.sleep(0.3)
        to_complainant = [m["template"] for m in standin.whatsapp_to(mobile)]
        assert sorted(to_complainant) == ["sampark_closed", "sampark_filed", "sampark_resolved"]
        assert standin.whatsapp_to(officer) == [], "no reminder, no 'with you' once it is closed"
        notes = {event: note for _, event, _, note in decided(database, complaint)}
        assert "moved on" in notes["ReminderReceived"] and "moved on" in notes["Assigned"]
    finally:
        running.stop()


def test_an_outbox_kept_by_the_previous_version_counts_its_queued_events_as_decided(
    database: str,
) -> None:
    complaint = uuid4()
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("DROP TABLE notify.decided")  # as the previous version left it
        conn.execute("DELETE FROM sampark.schema_migrations")  # a release before migrations
        for version, audience in ((1, "complainant"), (2, "holder"), (5, "complainant")):
            conn.execute(
                "INSERT INTO notify.messages (key, complaint_id, audience, mobile, language, "
                "template, params, text) VALUES (%s, %s, %s, '9000000001', 'hi', "
                "'sampark_filed', '[]', 'old')",
                (f"{complaint}:{version}:{audience}", complaint, audience),
            )
        conn.execute(
            "INSERT INTO notify.messages (key, audience, mobile, language, template, params, "
            "text) VALUES ('reply:wamid.1', 'complainant', '9000000001', 'hi', "
            "'sampark_unmatched', '[]', 'old')"
        )
    assert migrations.migrate(database)
    assert migrations.migrate(database) == []  # and again, at the next start: nothing changes
    assert [(v, told) for v, _, told, _ in decided(database, complaint)] == [
        (1, ["complainant"]),
        (2, ["holder"]),
        (5, ["complainant"]),
    ]
