"""A complaint filed without a category: the assistant's choice routes it when confident and
is recorded on `Filed`; otherwise it waits for the helpline desk, whose choice is `Triaged`.
A risk to life raises the priority, as the assistant's own act."""

from __future__ import annotations

import pytest

from domain.errors import Forbidden, IllegalMove, InvalidCommand
from domain.events import Assigned, Filed, PriorityRaised, Triaged
from domain.values import ASSISTANT, AssistantChoice, Priority, RiskRead, Status
from projections.rows import apply, row_from_complaint
from tests.support import ANALYST, JAIPUR_COLLECTOR, OPERATOR, START, citizen
from tests.unit import world

SURE = AssistantChoice(model_version=3, score=0.91, routed=True)
UNSURE = AssistantChoice(model_version=3, score=0.31, routed=False)


def events_of(complaint: object) -> list[object]:
    return list(complaint.collect_events())  # type: ignore[attr-defined]


def test_a_confident_choice_routes_and_is_recorded_on_the_filing() -> None:
    complaint = world.file(
        world.directory(), citizen("9876543210"), department="ENERGY", category="meter-billing",
        assistant=SURE,
    )  # fmt: skip
    filed, assigned = events_of(complaint)
    assert isinstance(filed, Filed) and filed.assistant == SURE
    assert isinstance(assigned, Assigned) and assigned.post == "ENERGY-JAI-L1"
    assert not complaint.awaiting_triage


def test_an_unsure_choice_waits_unassigned_for_the_desk_who_routes_it() -> None:
    directory = world.directory()
    complaint = world.file(
        directory, citizen("9876543210"), department="PHED", category="water-supply",
        assistant=UNSURE,
    )  # fmt: skip
    (filed,) = events_of(complaint)
    assert complaint.awaiting_triage and complaint.holder is None
    assert complaint.status == Status.UNASSIGNED
    row = apply(None, filed)
    assert row.awaiting_triage

    with pytest.raises(Forbidden):
        complaint.triage(
            by=ANALYST, department="ENERGY", category="meter-billing", directory=directory, at=START
        )
    with pytest.raises(InvalidCommand) as refused:
        complaint.triage(
            by=OPERATOR, department="ENERGY", category="sewerage", directory=directory, at=START
        )
    assert refused.value.field == "category"
    complaint.triage(
        by=OPERATOR, department="ENERGY", category="meter-billing", directory=directory, at=START
    )
    (triaged,) = events_of(complaint)
    assert isinstance(triaged, Triaged)
    assert (triaged.from_department, triaged.to_department) == ("PHED", "ENERGY")
    assert complaint.holder == "ENERGY-JAI-L1" and complaint.status == Status.ASSIGNED
    assert not complaint.awaiting_triage
    # The read model's fold agrees with the domain's.
    assert apply(row, triaged) == row_from_complaint(complaint)
    with pytest.raises(IllegalMove):
        complaint.triage(
            by=JAIPUR_COLLECTOR, department="PHED", category="water-supply",
            directory=directory, at=START,
        )  # fmt: skip


def test_a_risk_read_raises_the_priority_as_the_assistants_act() -> None:
    complaint = world.file(
        world.directory(), citizen("9876543210"),
        risk=RiskRead(model_version=3, score=0.93, reasons=("taar", "current")),
    )  # fmt: skip
    filed, _assigned, raised = events_of(complaint)
    assert isinstance(filed, Filed) and filed.priority == Priority.NORMAL
    assert isinstance(raised, PriorityRaised) and raised.actor == ASSISTANT.actor
    assert "model 3" in raised.reason and "taar, current" in raised.reason
    assert complaint.priority == Priority.HIGH
