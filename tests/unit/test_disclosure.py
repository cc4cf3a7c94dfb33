"""The rules of what each reader is shown, checked against every event the domain has: a
new text field must be classified before an analyst can be shown it."""

from __future__ import annotations

import dataclasses
import typing

from domain.disclosure import FILES, FREE_TEXT, PERSONAL, Disclosure, is_public, office_of
from domain.events import COMPLAINT_EVENTS, CommentAdded, EscalationBlocked, ReviewRecorded
from domain.values import Actor, Role, Visibility
from tests.support import JAIPUR_COLLECTOR, JAIPUR_WATER_OFFICER, START, citizen
from tests.unit import world

# Text fields that hold codes or posts, never a citizen's words.
CODES = {
    "originator_topic",
    "registration_no",
    "desk",  # an e-Mitra kiosk's or a 181 desk's code: an office, not a person
    "duplicate_of",  # a complaint id
    "duplicate_of_registration_no",
    "following",  # a complaint id
    "following_registration_no",
    "district",
    "department",
    "category",
    "post",
    "holder",
    "from_department",
    "to_department",
    "from_category",
    "to_category",
    "resolved_by",
    "service",  # a notified service's code
}
SYSTEM_TEXT = {(EscalationBlocked, "reason")}  # written by the scheduler


def test_every_text_field_of_every_event_is_classified() -> None:
    unclassified = []
    for event in COMPLAINT_EVENTS:
        hints = typing.get_type_hints(event)
        for field in dataclasses.fields(event):  # type: ignore[arg-type]
            name = field.name
            if "str" not in str(hints[name]) or name in CODES or (event, name) in SYSTEM_TEXT:
                continue
            if not any(name in table.get(event, ()) for table in (FREE_TEXT, PERSONAL, FILES)):
                unclassified.append(f"{event.__name__}.{name}")
    assert unclassified == []


def test_a_citizens_pseudonym_is_stable_and_needs_the_key() -> None:
    ours, theirs = Disclosure(b"k" * 32), Disclosure(b"q" * 32)
    ramesh = citizen("9876543210").id
    assert ours.pseudonym(ramesh) == ours.pseudonym(ramesh)
    assert ours.pseudonym(ramesh) != ours.pseudonym(citizen("9876543211").id)
    assert ours.pseudonym(ramesh) != theirs.pseudonym(ramesh)
    assert "9876543210" not in ours.pseudonym(ramesh)


def test_notes_are_internal_unless_marked_public_and_reviews_always_are() -> None:
    directory = world.directory()
    complaint = world.file(directory, citizen("9876543210"))
    complaint.comment(by=JAIPUR_COLLECTOR, text="for the office", at=START)
    complaint.comment(
        by=JAIPUR_COLLECTOR, text="for Ramesh", at=START, visibility=Visibility.PUBLIC
    )
    notes = [e for e in complaint.collect_events() if isinstance(e, CommentAdded)]
    assert [is_public(n) for n in notes] == [False, True]
    assert not is_public(object.__new__(ReviewRecorded))


def test_staff_are_named_to_the_complainant_by_post_and_office() -> None:
    directory = world.directory()
    complaint = world.file(directory, citizen("9876543210"))
    assert complaint.holder == "PHED-JAI-L1"
    assert office_of(JAIPUR_WATER_OFFICER.actor, complaint) == "PHED-JAI-L1"
    assert office_of(JAIPUR_COLLECTOR.actor, complaint) == "collector-JAI"
    assert office_of(Actor("ce-phed", Role.DEPARTMENT_HEAD), complaint) == "department_head-PHED"
    assert office_of(Actor("helpline-181-agent-07", Role.OPERATOR), complaint) == "operator"


def test_a_note_stored_before_notes_had_a_visibility_stays_internal() -> None:
    from tests.unit.test_stored_events import mapper, stored

    note = mapper.to_domain_event(stored("domain.events.CommentAdded"))
    assert isinstance(note, CommentAdded)
    assert note.visibility == Visibility.INTERNAL and not is_public(note)
