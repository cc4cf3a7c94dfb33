"""An officer's messages go to the officer who holds the post now: a post's number goes with
its holder, a vacant post has none, and a citizen's reminder reaches the post that holds the
complaint."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from eventsourcing.persistence import StoredEvent

from domain.directory import Directory, Post, PostDefined, PostHolderChanged
from domain.errors import InvalidCommand
from domain.events import ReminderReceived
from infra.eventstore.codec import MsgspecMapper, MsgspecTranscoder
from projections.notify.messages import COMPLAINANT, HOLDER, Links, Message, Recipient, messages_for
from tests.support import START, citizen
from tests.unit import world

RAMESH = citizen("9876543210")
LINKS = Links(report=lambda complaint, at: f"https://sampark.example/atr/{complaint}")
OLD_NUMBER, NEW_NUMBER = "9414000001", "9414000002"
STORED = Path(__file__).parent / "stored"


def jaipur_water_office(mobile: str | None = OLD_NUMBER) -> Directory:
    """The sample directory, with the Jaipur water officer reachable at `mobile`."""
    directory = world.directory()
    post = dataclasses.replace(directory.posts["PHED-JAI-L1"], holder="A. E.", mobile=mobile)
    directory.define_post(post, world.ROOT, START)
    directory.collect_events()
    return directory


def to_holder(directory: Directory) -> list[Message]:
    """What a new complaint routed to PHED-JAI-L1 sends to the post."""
    complaint = world.file(directory, RAMESH)
    recipient = Recipient(complaint.id, "JAI-2026-0000001", "9876543210", "hi")
    return [
        m
        for e in complaint.collect_events()
        for m in messages_for(e, recipient, directory, LINKS)
        if m.audience == HOLDER
    ]


def test_an_officer_who_left_a_post_hears_nothing_more_of_its_complaints() -> None:
    directory = jaipur_water_office()
    assert [m.mobile for m in to_holder(directory)] == [OLD_NUMBER]
    directory.change_holder("PHED-JAI-L1", None, world.ROOT, START)
    assert directory.posts["PHED-JAI-L1"].mobile is None
    assert to_holder(directory) == []  # the vacant post hears of it in its inbox only


def test_a_new_holder_is_reached_at_their_own_number_never_their_predecessors() -> None:
    directory = jaipur_water_office()
    directory.change_holder("PHED-JAI-L1", "Suresh Meena", world.ROOT, START, mobile=NEW_NUMBER)
    assert [m.mobile for m in to_holder(directory)] == [NEW_NUMBER]
    directory.change_holder("PHED-JAI-L1", "Kavita Rathore", world.ROOT, START)
    assert to_holder(directory) == []  # no number given: not Suresh Meena's


def test_a_vacant_post_cannot_be_given_a_number() -> None:
    directory = jaipur_water_office()
    with pytest.raises(InvalidCommand) as refused:
        directory.change_holder("PHED-JAI-L1", None, world.ROOT, START, mobile=NEW_NUMBER)
    assert refused.value.field == "mobile"
    vacant = Post("PHED-JAI-CELL", "Cell", "PHED", "JAI", 1, None, NEW_NUMBER)
    with pytest.raises(InvalidCommand) as refused:
        directory.define_post(vacant, world.ROOT, START)
    assert refused.value.field == "mobile"
    assert directory.collect_events() == []


def test_a_stale_number_on_a_vacant_post_is_never_used() -> None:
    directory = jaipur_water_office()
    found = directory.posts["PHED-JAI-L1"]
    directory.posts["PHED-JAI-L1"] = dataclasses.replace(found, holder=None)  # an old record
    assert directory.posts["PHED-JAI-L1"].reachable_at is None
    assert to_holder(directory) == []


def test_a_post_vacated_before_numbers_went_with_holders_replays_without_the_number() -> None:
    mapper = MsgspecMapper(transcoder=MsgspecTranscoder())
    directory = world.directory()
    for name in ("PostDefined", "PostHolderChanged"):  # as stored before this change
        state = (STORED / f"domain.directory.{name}.json").read_bytes()
        event = mapper.to_domain_event(
            StoredEvent(directory.id, 1, f"domain.directory:{name}", state)
        )
        assert isinstance(event, PostDefined | PostHolderChanged)
        event.apply(directory)
    post = directory.posts["PHED-JAI-L1"]
    assert (post.holder, post.mobile) == (None, None)


def test_a_citizens_reminder_reaches_the_post_that_holds_the_complaint() -> None:
    directory = jaipur_water_office()
    complaint = world.file(directory, RAMESH)
    complaint.collect_events()
    complaint.remind(by=RAMESH, note="कब तक?", at=START)
    (reminder,) = complaint.collect_events()
    assert isinstance(reminder, ReminderReceived) and reminder.holder == "PHED-JAI-L1"
    recipient = Recipient(complaint.id, "JAI-2026-0000001", "9876543210", "hi")
    told, heard = messages_for(reminder, recipient, directory, LINKS)
    assert (told.audience, told.mobile, told.template) == (HOLDER, OLD_NUMBER, "sampark_reminder")
    assert told.key == f"{complaint.id}:{reminder.originator_version}:holder"
    assert "JAI-2026-0000001" in told.text and "स्मरण" in told.text
    # And Ramesh hears that it was passed on, to whom (once: the key names the event).
    assert (heard.audience, heard.mobile, heard.template) == (
        COMPLAINANT,
        "9876543210",
        "sampark_reminder_passed",
    )
    assert heard.params == ["JAI-2026-0000001", "Assistant Engineer"]
    assert heard.key == f"{complaint.id}:{reminder.originator_version}:complainant"


def test_a_reminder_on_a_complaint_in_the_pool_goes_to_no_one() -> None:
    directory = world.directory()
    pooled = world.file(
        directory, RAMESH, department="ENERGY", category="power-supply", district="BKN"
    )  # Bikaner has no power route
    assert pooled.holder is None
    pooled.collect_events()
    pooled.remind(by=RAMESH, note=None, at=START)
    (reminder,) = pooled.collect_events()
    assert messages_for(reminder, None, directory, LINKS) == []
    # Nor is Ramesh told it was passed on: it reached no one's phone.
    recipient = Recipient(pooled.id, "BKN-2026-0000001", "9876543210", "hi")
    assert messages_for(reminder, recipient, directory, LINKS) == []
