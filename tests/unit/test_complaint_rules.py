"""The rules of a complaint's life, one story at a time (no I/O: the aggregate alone)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.complaint import Complaint
from domain.directory import Directory
from domain.errors import Forbidden, IllegalMove, InvalidCommand, NotFound
from domain.events import Assigned, Closed, Escalated, Filed, Transferred
from domain.values import (
    Attachment,
    Channel,
    Identity,
    Outcome,
    Priority,
    Role,
    Status,
    Trigger,
)
from tests.support import (
    ADMIN,
    AJMER_COLLECTOR,
    AJMER_WATER_OFFICER,
    ANALYST,
    JAIPUR_COLLECTOR,
    JAIPUR_POWER_OFFICER,
    JAIPUR_WATER_L2,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    POWER_HEAD,
    START,
    WATER_HEAD,
    citizen,
)
from tests.unit import world

RAMESH = citizen("9876543210")
SUNITA = citizen("9812345678")
PHOTO = Attachment(sha256="a" * 64, filename="pipe.jpg", media_type="image/jpeg", size=2048)
WEEK = timedelta(days=7)


@pytest.fixture
def directory() -> Directory:
    return world.directory()


@pytest.fixture
def complaint(directory: Directory) -> Complaint:
    return world.file(directory, RAMESH)


def resolved(complaint: Complaint, outcome: Outcome = Outcome.RELIEF) -> Complaint:
    complaint.resolve(
        by=JAIPUR_WATER_OFFICER,
        outcome=outcome,
        action_taken="Pipe replaced",
        evidence=(PHOTO,),
        feedback_window=WEEK,
        at=START + timedelta(days=1),
    )
    return complaint


# --- filing and routing ---------------------------------------------------------------------


def test_filing_routes_at_once_to_the_level_one_post_with_the_categorys_deadline(
    complaint: Complaint,
) -> None:
    events = complaint.collect_events()
    assert [type(e) for e in events] == [Filed, Assigned]
    assert events[1].trigger == Trigger.ROUTE  # type: ignore[attr-defined]
    assert complaint.status == Status.ASSIGNED
    assert complaint.holder == "PHED-JAI-L1"
    assert complaint.level == 1
    assert complaint.due_at == START + timedelta(days=world.WATER_DAYS[0])
    assert all(e.actor == RAMESH.actor for e in events)  # type: ignore[attr-defined]


def test_a_category_route_wins_over_the_departments_route(directory: Directory) -> None:
    outage = world.file(directory, RAMESH, department="ENERGY", category="power-supply")
    billing = world.file(
        directory, RAMESH, department="ENERGY", category="meter-billing", registration_no="B"
    )
    assert outage.holder == "ENERGY-JAI-CONTROL-ROOM"
    assert billing.holder == "ENERGY-JAI-L1"


def test_with_no_route_the_complaint_waits_unassigned_in_the_state_pool(
    directory: Directory,
) -> None:
    complaint = world.file(
        directory, RAMESH, district="BKN", department="ENERGY", category="power-supply"
    )
    assert [type(e) for e in complaint.collect_events()] == [Filed]
    assert complaint.status == Status.UNASSIGNED
    assert complaint.holder is None
    assert complaint.due_at is not None  # its clock runs even in the pool


@pytest.mark.parametrize(
    ("channel", "priority"),
    [
        (Channel.CMO, Priority.HIGH),
        (Channel.VIP, Priority.HIGH),
        (Channel.HELPLINE_181, Priority.NORMAL),
    ],
)
def test_cmo_and_vip_complaints_are_high_priority_from_the_start(
    directory: Directory, channel: Channel, priority: Priority
) -> None:
    assert world.file(directory, OPERATOR, channel=channel).priority == priority


@pytest.mark.parametrize(
    ("field", "value"),
    [("district", "XYZ"), ("department", "NOPE"), ("category", "potholes"), ("subject", "  ")],
)
def test_filing_with_an_unknown_or_empty_field_names_that_field(
    directory: Directory, field: str, value: str
) -> None:
    with pytest.raises(InvalidCommand) as refused:
        world.file(directory, RAMESH, **{field: value})
    assert refused.value.field == field


def test_a_citizen_files_only_for_itself_and_only_through_citizen_channels(
    directory: Directory,
) -> None:
    with pytest.raises(Forbidden) as other_mobile:
        world.file(
            directory,
            Identity(id="x", role=Role.CITIZEN, mobile="9000000000"),
            complainant=RAMESH_COMPLAINANT,
        )
    assert other_mobile.value.field == "complainant.mobile"
    with pytest.raises(Forbidden) as cmo:
        world.file(directory, RAMESH, channel=Channel.CMO)
    assert cmo.value.field == "channel"
    with pytest.raises(Forbidden):
        world.file(directory, JAIPUR_WATER_OFFICER)


# --- assignment -----------------------------------------------------------------------------


def test_an_admin_assigns_a_pooled_complaint_to_a_post_of_its_department(
    directory: Directory,
) -> None:
    complaint = world.file(
        directory, RAMESH, district="BKN", department="ENERGY", category="power-supply"
    )
    complaint.assign(by=ADMIN, post_id="ENERGY-HOD", directory=directory, at=START)
    assert complaint.status == Status.ASSIGNED
    assert complaint.holder == "ENERGY-HOD"
    assert complaint.level == 3


def test_assignment_stays_within_the_department_and_the_callers_scope(
    complaint: Complaint, directory: Directory
) -> None:
    with pytest.raises(InvalidCommand) as other_department:
        complaint.assign(by=ADMIN, post_id="ENERGY-JAI-L1", directory=directory, at=START)
    assert other_department.value.field == "post"
    with pytest.raises(InvalidCommand):
        complaint.assign(by=ADMIN, post_id="PHED-AJM-L1", directory=directory, at=START)
    with pytest.raises(Forbidden):
        complaint.assign(
            by=JAIPUR_WATER_OFFICER, post_id="PHED-JAI-L2", directory=directory, at=START
        )
    with pytest.raises(Forbidden):
        complaint.assign(by=AJMER_COLLECTOR, post_id="PHED-JAI-L2", directory=directory, at=START)
    complaint.assign(by=JAIPUR_COLLECTOR, post_id="PHED-JAI-L2", directory=directory, at=START)
    assert complaint.holder == "PHED-JAI-L2"


# --- transfer and escalation -------------------------------------------------------------


def test_not_my_department_is_a_transfer_back_to_level_one_elsewhere(
    complaint: Complaint, directory: Directory
) -> None:
    complaint.escalate(by=JAIPUR_COLLECTOR, reason="slow", directory=directory, at=START)
    later = START + timedelta(hours=5)
    complaint.transfer(
        by=JAIPUR_WATER_L2,
        department="ENERGY",
        category=None,
        reason="The pump has no power: a Discom matter",
        directory=directory,
        at=later,
    )
    transferred = complaint.collect_events()[-1]
    assert isinstance(transferred, Transferred)
    assert (transferred.from_department, transferred.to_department) == ("PHED", "ENERGY")
    assert complaint.category == "power-supply"  # the department's default
    assert complaint.holder == "ENERGY-JAI-CONTROL-ROOM"
    assert complaint.level == 1
    assert complaint.due_at == later + timedelta(days=world.POWER_DAYS[0])


def test_a_transfer_needs_another_known_department_and_a_reason(
    complaint: Complaint, directory: Directory
) -> None:
    def transfer(department: str, reason: str = "wrong office") -> None:
        complaint.transfer(
            by=JAIPUR_WATER_OFFICER,
            department=department,
            category=None,
            reason=reason,
            directory=directory,
            at=START,
        )

    for department, reason, field in [
        ("PHED", "x", "department"),
        ("ROADS", "x", "department"),
        ("ENERGY", " ", "reason"),
    ]:
        with pytest.raises(InvalidCommand) as refused:
            transfer(department, reason)
        assert refused.value.field == field
    with pytest.raises(Forbidden):
        complaint.transfer(
            by=POWER_HEAD,
            department="ENERGY",
            category=None,
            reason="x",
            directory=directory,
            at=START,
        )


def test_a_transfer_to_a_district_without_a_route_goes_to_the_pool(directory: Directory) -> None:
    complaint = world.file(directory, RAMESH, district="BKN")
    complaint.transfer(
        by=ADMIN, department="ENERGY", category=None, reason="power", directory=directory, at=START
    )
    assert complaint.status == Status.UNASSIGNED
    assert complaint.holder is None


def test_escalation_climbs_the_chain_to_the_state_government_and_no_further(
    complaint: Complaint, directory: Directory
) -> None:
    holders = []
    for day in (1, 2, 3):
        at = START + timedelta(days=day)
        complaint.escalate(by=WATER_HEAD, reason="not disposed", directory=directory, at=at)
        holders.append((complaint.level, complaint.holder))
        assert complaint.due_at == at + timedelta(days=world.WATER_DAYS[complaint.level - 1])
    assert holders == [(2, "PHED-JAI-L2"), (3, "PHED-HOD"), (4, "PHED-STATE")]
    escalated = complaint.collect_events()[-1]
    assert isinstance(escalated, Escalated)
    assert escalated.trigger == Trigger.MANUAL
    assert (escalated.from_level, escalated.to_level) == (3, 4)
    with pytest.raises(IllegalMove, match="level 4"):
        complaint.escalate(by=WATER_HEAD, reason="again", directory=directory, at=START)


def test_only_officials_above_the_officer_escalate(
    complaint: Complaint, directory: Directory
) -> None:
    for who in (JAIPUR_WATER_OFFICER, RAMESH, ANALYST):
        with pytest.raises((Forbidden, NotFound)):
            complaint.escalate(by=who, reason="x", directory=directory, at=START)


# --- disposal -------------------------------------------------------------------------------


def test_only_the_holder_disposes_and_only_with_evidence(complaint: Complaint) -> None:
    def resolve(by: Identity, evidence: tuple[Attachment, ...], action: str = "Fixed") -> None:
        complaint.resolve(
            by=by,
            outcome=Outcome.RELIEF,
            action_taken=action,
            evidence=evidence,
            feedback_window=WEEK,
            at=START,
        )

    for outsider in (JAIPUR_WATER_L2, AJMER_WATER_OFFICER, JAIPUR_COLLECTOR, JAIPUR_POWER_OFFICER):
        with pytest.raises(Forbidden):
            resolve(outsider, (PHOTO,))
    with pytest.raises(InvalidCommand) as no_evidence:
        resolve(JAIPUR_WATER_OFFICER, ())
    assert no_evidence.value.field == "attachments"
    with pytest.raises(InvalidCommand) as no_action:
        resolve(JAIPUR_WATER_OFFICER, (PHOTO,), action=" ")
    assert no_action.value.field == "action_taken"
    resolve(JAIPUR_WATER_OFFICER, (PHOTO,))
    assert complaint.status == Status.RESOLVED
    assert complaint.resolution is not None
    assert complaint.resolution.resolved_by == "PHED-JAI-L1"
    assert complaint.due_at is None
    with pytest.raises(IllegalMove):
        resolve(JAIPUR_WATER_OFFICER, (PHOTO,))


# --- feedback, reopening and closure -----------------------------------------------------


def test_feedback_comes_once_after_disposal_and_satisfaction_closes_it(
    complaint: Complaint,
) -> None:
    with pytest.raises(IllegalMove, match="after disposal"):
        complaint.give_feedback(by=RAMESH, satisfied=True, rating=5, comment=None, at=START)
    resolved(complaint)
    with pytest.raises(InvalidCommand) as bad_rating:
        complaint.give_feedback(by=RAMESH, satisfied=True, rating=6, comment=None, at=START)
    assert bad_rating.value.field == "rating"
    with pytest.raises(NotFound):
        complaint.give_feedback(by=SUNITA, satisfied=True, rating=5, comment=None, at=START)
    complaint.give_feedback(by=RAMESH, satisfied=True, rating=5, comment="Thanks", at=START)
    closed = complaint.collect_events()[-1]
    assert isinstance(closed, Closed) and closed.trigger == Trigger.FEEDBACK_SATISFIED
    assert complaint.status == Status.CLOSED
    with pytest.raises(IllegalMove):
        complaint.give_feedback(by=RAMESH, satisfied=False, rating=1, comment=None, at=START)


def test_a_helpline_operator_records_feedback_for_the_complainant(complaint: Complaint) -> None:
    resolved(complaint)
    complaint.give_feedback(by=OPERATOR, satisfied=False, rating=2, comment=None, at=START)
    assert complaint.feedback is not None and not complaint.feedback.satisfied
    with pytest.raises(IllegalMove, match="already"):
        complaint.give_feedback(by=RAMESH, satisfied=True, rating=5, comment=None, at=START)


def test_a_dissatisfied_complainant_reopens_to_the_officer_who_disposed_of_it(
    complaint: Complaint, directory: Directory
) -> None:
    resolved(complaint, Outcome.REJECTED)
    at = START + timedelta(days=2)
    complaint.give_feedback(by=RAMESH, satisfied=False, rating=1, comment="Still dry", at=at)
    complaint.reopen(by=RAMESH, reason="Still no water", directory=directory, at=at)
    assert complaint.status == Status.REOPENED
    assert complaint.holder == "PHED-JAI-L1"
    assert complaint.reopen_count == 1
    assert complaint.due_at == at + timedelta(days=world.WATER_DAYS[0])
    assert complaint.is_open


def test_the_complainant_reopens_only_within_the_feedback_window(
    complaint: Complaint, directory: Directory
) -> None:
    resolved(complaint)
    too_late = START + timedelta(days=1) + WEEK + timedelta(seconds=1)
    with pytest.raises(IllegalMove, match="window"):
        complaint.reopen(by=RAMESH, reason="Still dry", directory=directory, at=too_late)
    # The collector may still reopen it.
    complaint.reopen(
        by=JAIPUR_COLLECTOR, reason="Field visit: still dry", directory=directory, at=too_late
    )
    assert complaint.status == Status.REOPENED


def test_a_satisfied_complainant_cannot_reopen_but_the_collector_can(
    complaint: Complaint, directory: Directory
) -> None:
    resolved(complaint)
    complaint.give_feedback(by=RAMESH, satisfied=True, rating=4, comment=None, at=START)
    with pytest.raises(IllegalMove):
        complaint.reopen(by=RAMESH, reason="changed my mind", directory=directory, at=START)
    with pytest.raises(Forbidden):
        complaint.reopen(by=AJMER_COLLECTOR, reason="x", directory=directory, at=START)
    with pytest.raises(Forbidden):
        complaint.reopen(by=JAIPUR_WATER_OFFICER, reason="x", directory=directory, at=START)
    complaint.reopen(by=WATER_HEAD, reason="Quality check failed", directory=directory, at=START)
    assert complaint.status == Status.REOPENED


def test_an_open_complaint_cannot_be_reopened_or_closed(
    complaint: Complaint, directory: Directory
) -> None:
    with pytest.raises(IllegalMove):
        complaint.reopen(by=JAIPUR_COLLECTOR, reason="x", directory=directory, at=START)
    with pytest.raises(IllegalMove, match="resolved or transferred"):
        complaint.close(by=JAIPUR_COLLECTOR, reason="x", at=START)


def test_a_collector_closes_a_disposed_complaint_once(complaint: Complaint) -> None:
    resolved(complaint)
    with pytest.raises(Forbidden):
        complaint.close(by=JAIPUR_WATER_OFFICER, reason="done", at=START)
    complaint.close(by=JAIPUR_COLLECTOR, reason="No response from complainant", at=START)
    assert complaint.status == Status.CLOSED
    with pytest.raises(IllegalMove, match="already closed"):
        complaint.close(by=ADMIN, reason="again", at=START)
    with pytest.raises(IllegalMove):
        complaint.resolve(
            by=JAIPUR_WATER_OFFICER,
            outcome=Outcome.RELIEF,
            action_taken="x",
            evidence=(PHOTO,),
            feedback_window=WEEK,
            at=START,
        )


# --- the rest of the timeline ------------------------------------------------------------


def test_reminders_come_from_the_complainant_while_the_complaint_is_open(
    complaint: Complaint,
) -> None:
    complaint.remind(by=RAMESH, note="Any update?", at=START)
    complaint.remind(by=OPERATOR, note=None, at=START + timedelta(days=1))
    assert complaint.reminder_count == 2
    with pytest.raises(Forbidden):
        complaint.remind(by=JAIPUR_WATER_OFFICER, note="x", at=START)
    resolved(complaint)
    with pytest.raises(IllegalMove):
        complaint.remind(by=RAMESH, note="x", at=START)


def test_staff_comment_and_citizens_analysts_do_not(complaint: Complaint) -> None:
    complaint.comment(by=JAIPUR_WATER_OFFICER, text="Site visit fixed for Thursday", at=START)
    assert complaint.comment_count == 1
    for who in (RAMESH, ANALYST):
        with pytest.raises(Forbidden):
            complaint.comment(by=who, text="x", at=START)


def test_a_collector_raises_priority_once(complaint: Complaint) -> None:
    with pytest.raises(Forbidden):
        complaint.raise_priority(by=JAIPUR_WATER_OFFICER, reason="x", at=START)
    complaint.raise_priority(by=JAIPUR_COLLECTOR, reason="Whole ward affected", at=START)
    assert complaint.priority == Priority.HIGH
    with pytest.raises(IllegalMove):
        complaint.raise_priority(by=JAIPUR_COLLECTOR, reason="x", at=START)


RAMESH_COMPLAINANT = world.Complainant(name="Ramesh Kumar", mobile="9876543210")
