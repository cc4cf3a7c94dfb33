"""Stored events are msgspec JSON and come back as the same typed events, whatever version
of their class wrote them (payloads kept from before versions are in tests/unit/stored)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from domain import directory as directory_module
from domain.complaint import Complaint
from domain.directory import DirectoryCreated, DirectoryEvent, PostHolderChanged
from domain.events import COMPLAINT_EVENTS, ComplaintEvent, FeedbackGiven, Filed
from domain.values import Actor, Attachment, Outcome, Role
from infra.eventstore.codec import MsgspecMapper, MsgspecTranscoder, class_version, upcaster_name
from projections import envelope
from tests.support import JAIPUR_COLLECTOR, JAIPUR_WATER_OFFICER, START, citizen
from tests.unit import world

mapper = MsgspecMapper(transcoder=MsgspecTranscoder())
PHOTO = Attachment(sha256="b" * 64, filename="after.png", media_type="image/png", size=99)


def a_full_life() -> list[object]:
    directory = world.directory()
    ramesh = citizen("9876543210")
    complaint = world.file(directory, ramesh)
    complaint.comment(by=JAIPUR_WATER_OFFICER, text="पाइपलाइन की जाँच 🚰", at=START)
    complaint.escalate(by=JAIPUR_COLLECTOR, reason="slow", directory=directory, at=START)
    complaint.transfer(
        by=JAIPUR_COLLECTOR,
        department="ENERGY",
        category=None,
        reason="pump power",
        directory=directory,
        at=START,
    )
    complaint.raise_priority(by=JAIPUR_COLLECTOR, reason="ward-wide", at=START)
    complaint.assign(by=JAIPUR_COLLECTOR, post_id="ENERGY-JAI-L1", directory=directory, at=START)
    complaint.remind(by=ramesh, note=None, at=START)
    officer = JAIPUR_WATER_OFFICER.__class__(
        id="ae", role=Role.OFFICER, post="ENERGY-JAI-L1", district="JAI", department="ENERGY"
    )
    complaint.resolve(
        by=officer,
        outcome=Outcome.INTERIM_RELIEF,
        action_taken="Generator placed",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=START,
    )
    complaint.give_feedback(by=ramesh, satisfied=False, rating=2, comment=None, at=START)
    complaint.reopen(by=ramesh, reason="still off", directory=directory, at=START)
    complaint.resolve(
        by=officer,
        outcome=Outcome.RELIEF,
        action_taken="Line repaired",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=START,
    )
    complaint.close(by=JAIPUR_COLLECTOR, reason="verified on site", at=START)
    return list(complaint.collect_events())


def test_every_event_survives_the_round_trip_through_storage() -> None:
    events = a_full_life()
    assert len({type(e).__name__ for e in events}) == 11
    for event in events:
        stored = mapper.to_stored_event(event)  # type: ignore[arg-type]
        assert mapper.to_domain_event(stored) == event


def test_stored_state_is_plain_json_with_the_actor_and_time() -> None:
    stored = mapper.to_stored_event(a_full_life()[0])  # type: ignore[arg-type]
    state = json.loads(stored.state)
    assert state["actor"] == {"id": "citizen-9876543210", "role": "citizen"}
    assert state["timestamp"].startswith("2026-11-02T04:30:00")
    assert state["channel"] == "portal"
    assert "originator_id" not in state


def test_replaying_stored_events_rebuilds_the_same_complaint() -> None:
    events = a_full_life()
    replayed: Complaint | None = None
    for stored in map(mapper.to_stored_event, events):  # type: ignore[arg-type]
        replayed = mapper.to_domain_event(stored).mutate(replayed)  # type: ignore[attr-defined]
    original: Complaint | None = None
    for event in events:
        original = event.mutate(original)  # type: ignore[attr-defined]
    assert replayed == original


# --- old payloads decode forever ------------------------------------------------------

STORED = Path(__file__).parent / "stored"
CID = UUID("0f4a7c3e-52a1-5b7e-9a0c-3d1e2f4a5b6c")


def stored(name: str, version: int = 1) -> StoredEvent:
    """A payload kept in tests/unit/stored, as the event store would hand it back."""
    module, _, event = name.rpartition(".")
    return StoredEvent(CID, version, f"{module}:{event}", (STORED / f"{name}.json").read_bytes())


def every_event_class() -> set[type]:
    directory_events = {
        c
        for c in vars(directory_module).values()
        if isinstance(c, type) and issubclass(c, DirectoryEvent) and c is not DirectoryEvent
    }
    return {*COMPLAINT_EVENTS, DirectoryCreated, *directory_events}


def test_every_kind_of_event_has_a_payload_kept_from_before_versions() -> None:
    kept = {p.stem for p in STORED.glob("*.json")}
    assert kept == {f"{c.__module__}.{c.__name__}" for c in every_event_class()}


@pytest.mark.parametrize("name", sorted(p.stem for p in STORED.glob("*.json")))
def test_a_payload_stored_before_versions_still_reads_as_its_event(name: str) -> None:
    event = mapper.to_domain_event(stored(name))
    assert f"{type(event).__module__}.{type(event).__name__}" == name
    assert event.originator_id == CID
    assert isinstance(event.timestamp, datetime)  # type: ignore[attr-defined]
    assert isinstance(event.actor, Actor)  # type: ignore[attr-defined]
    # Written again by today's classes, it reads back the same.
    assert mapper.to_domain_event(mapper.to_stored_event(event)) == event


def test_old_payloads_keep_their_meaning() -> None:
    feedback = mapper.to_domain_event(stored("domain.events.FeedbackGiven"))
    assert isinstance(feedback, FeedbackGiven)
    assert (feedback.satisfied, feedback.rating, feedback.comment) == (False, 2, "still off")
    filed = mapper.to_domain_event(stored("domain.events.Filed"))
    assert isinstance(filed, Filed)
    assert filed.complainant.name == "रमेश कुमार"
    assert filed.attachments[0].size == 2048
    assert filed.due_at == datetime(2026, 11, 5, 4, 30, 0, 123456, tzinfo=UTC)
    assert filed.assistant is None  # filed before the assistant: the filer chose
    vacated = mapper.to_domain_event(stored("domain.directory.PostHolderChanged"))
    assert isinstance(vacated, PostHolderChanged)
    assert (vacated.post, vacated.holder, vacated.mobile) == ("PHED-JAI-L1", None, None)


def test_every_event_class_past_version_one_has_its_upcasters() -> None:
    for event_class in every_event_class():
        for version in range(1, class_version(event_class)):
            assert callable(getattr(event_class, upcaster_name(version), None)), event_class


# A complaint event as it grew: `Noted` began with `words`; version 2 split the speaker's
# name out of them; version 3 renamed `words` to `text` and added `tone` (with a default).


class Noted(ComplaintEvent):
    class_version = 3
    speaker: str
    text: str
    tone: str = "plain"

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        speaker, _, words = state["words"].partition(": ")
        state["speaker"], state["words"] = speaker, words

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["text"] = state.pop("words")


NOTED = "tests.unit.test_stored_events:Noted"
V1 = b'{"timestamp":"2026-11-02T04:30:00Z","actor":{"id":"ae","role":"officer"},"words":"AE: ok"}'
V2 = (
    b'{"timestamp":"2026-11-02T04:30:00Z","actor":{"id":"ae","role":"officer"},'
    b'"speaker":"AE","words":"ok","class_version":2}'
)


@pytest.mark.parametrize("payload", [V1, V2], ids=["v1", "v2"])
def test_an_older_payload_is_upcast_to_the_current_shape(payload: bytes) -> None:
    event = mapper.to_domain_event(StoredEvent(CID, 3, NOTED, payload))
    assert isinstance(event, Noted)
    assert (event.speaker, event.text, event.tone) == ("AE", "ok", "plain")
    assert event.timestamp == datetime(2026, 11, 2, 4, 30, tzinfo=UTC)


def test_a_payload_records_its_class_version_and_reads_back_without_upcasting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    note = Noted(
        originator_id=CID,
        originator_version=3,
        timestamp=START,
        actor=Actor(id="ae", role=Role.OFFICER),
        speaker="AE",
        text="ok",
        tone="urgent",
    )
    written = mapper.to_stored_event(note)  # type: ignore[arg-type]
    assert json.loads(written.state)["class_version"] == 3

    def never(state: dict[str, Any]) -> None:
        raise AssertionError("a current payload must not be upcast")

    monkeypatch.setattr(Noted, "upcast_v1_v2", staticmethod(never))
    monkeypatch.setattr(Noted, "upcast_v2_v3", staticmethod(never))
    assert mapper.to_domain_event(written) == note


def test_a_version_one_payload_carries_no_version_key() -> None:
    state = json.loads(mapper.to_stored_event(a_full_life()[0]).state)  # type: ignore[arg-type]
    assert "class_version" not in state


def test_a_payload_that_no_upcaster_can_mend_is_refused_as_undecodable() -> None:
    broken = b'{"timestamp":"2026-11-02T04:30:00Z","actor":{"id":"ae","role":"officer"}}'
    with pytest.raises(MapperDeserialisationError, match="Noted"):
        mapper.to_domain_event(StoredEvent(CID, 3, NOTED, broken))
    wrong_version = V1.replace(b'"words"', b'"class_version":"x","words"')
    with pytest.raises(MapperDeserialisationError, match="class_version"):
        mapper.to_domain_event(StoredEvent(CID, 3, NOTED, wrong_version))
    not_text = V1.replace(b'"AE: ok"', b"42")  # upcast_v1_v2 cannot split a number
    with pytest.raises(MapperDeserialisationError, match="upcast_v1_v2"):
        mapper.to_domain_event(StoredEvent(CID, 3, NOTED, not_text))


def test_a_payload_written_by_a_newer_version_still_reads() -> None:
    """After a rollback, a payload from a newer class is read for the fields it shares."""
    newer = V2.replace(b'"words":"ok","class_version":2', b'"text":"ok","class_version":4')
    event = mapper.to_domain_event(StoredEvent(CID, 3, NOTED, newer))
    assert isinstance(event, Noted) and (event.speaker, event.text) == ("AE", "ok")


def test_the_broker_message_names_the_payloads_version() -> None:
    note = Noted(
        originator_id=CID,
        originator_version=3,
        timestamp=START,
        actor=Actor(id="ae", role=Role.OFFICER),
        speaker="AE",
        text="ok",
    )
    current = envelope.wrap(7, mapper.to_stored_event(note), epoch=1)  # type: ignore[arg-type]
    assert current.dataschema == "urn:sampark:event:Noted:3"
    old = envelope.wrap(8, StoredEvent(CID, 3, NOTED, V1), epoch=1)
    assert old.dataschema == "urn:sampark:event:Noted:1"
    assert bytes(old.data) == V1  # the stored bytes, as they are
