"""Stored events are msgspec JSON and come back as the same typed events."""

from __future__ import annotations

import json
from datetime import timedelta

from domain.complaint import Complaint
from domain.values import Attachment, Outcome, Role
from infra.codec import MsgspecMapper, MsgspecTranscoder
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
