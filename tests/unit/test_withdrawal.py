"""Withdrawal (issue 17, item 5): Ramesh takes back his open complaint, saying why; only he
may, only while it is open; it leaves the office's pending work as withdrawn, not disposed
of; he and the post that held it are told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import Forbidden, IllegalMove, InvalidCommand, NotFound
from domain.events import Withdrawn
from domain.values import Outcome, Status
from projections.notify.messages import COMPLAINANT, HOLDER, Recipient, messages_for
from projections.rows import apply, tallies
from tests.support import (
    ADMIN,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    START,
    citizen,
)
from tests.unit import world
from tests.unit.test_complaint_rules import PHOTO
from tests.unit.test_officer_messages_reach_the_current_holder import LINKS, jaipur_water_office

RAMESH = citizen("9876543210")
LATER = START + timedelta(hours=5)


def test_the_complainant_withdraws_an_open_complaint_with_a_reason() -> None:
    complaint = world.file(world.directory(), RAMESH)
    complaint.withdraw(by=RAMESH, reason="  The pump was repaired by the villagers ", at=LATER)
    assert complaint.status == Status.WITHDRAWN
    assert complaint.due_at is None and not complaint.is_open
    last = complaint.collect_events()[-1]
    assert isinstance(last, Withdrawn)
    assert (last.reason, last.holder, last.level) == (
        "The pump was repaired by the villagers",
        "PHED-JAI-L1",
        1,
    )


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        (OPERATOR, Forbidden),  # the helpline cannot tell the complainant from anyone
        (JAIPUR_WATER_OFFICER, Forbidden),  # nor may the office drop its own work
        (JAIPUR_COLLECTOR, Forbidden),
        (ADMIN, Forbidden),
        (citizen("9876500000"), NotFound),  # another citizen learns nothing of it
    ],
)
def test_no_one_else_may_withdraw_it(who: object, refusal: type[Exception]) -> None:
    complaint = world.file(world.directory(), RAMESH)
    with pytest.raises(refusal):
        complaint.withdraw(by=who, reason="not needed", at=LATER)  # type: ignore[arg-type]
    assert complaint.status == Status.ASSIGNED


def test_only_an_open_complaint_and_only_with_a_reason() -> None:
    complaint = world.file(world.directory(), RAMESH)
    for blank in ("", "   ", "why\x00"):
        with pytest.raises(InvalidCommand) as refused:
            complaint.withdraw(by=RAMESH, reason=blank, at=LATER)
        assert refused.value.field == "reason"
    complaint.withdraw(by=RAMESH, reason="solved", at=LATER)
    with pytest.raises(IllegalMove):
        complaint.withdraw(by=RAMESH, reason="again", at=LATER)
    with pytest.raises(IllegalMove):
        complaint.remind(by=RAMESH, note=None, at=LATER)

    disposed = world.file(world.directory(), RAMESH)
    disposed.resolve(
        by=JAIPUR_WATER_OFFICER,
        outcome=Outcome.RELIEF,
        action_taken="Valve replaced",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=LATER,
    )
    with pytest.raises(IllegalMove):
        disposed.withdraw(by=RAMESH, reason="solved", at=LATER)


def test_it_leaves_the_pending_work_as_withdrawn_not_disposed() -> None:
    complaint = world.file(world.directory(), RAMESH)
    complaint.withdraw(by=RAMESH, reason="solved", at=LATER)
    row = None
    for event in complaint.collect_events():
        before, row = row, apply(row, event)
    assert row is not None and row.status == Status.WITHDRAWN and row.due_at is None
    counted = tallies(before, row, event)
    assert [(t.holder, t.counts) for t in counted] == [("PHED-JAI-L1", {"withdrawn": 1})]


def test_the_complainant_and_the_holder_are_told() -> None:
    directory = jaipur_water_office()
    complaint = world.file(directory, RAMESH)
    complaint.withdraw(by=RAMESH, reason="solved", at=LATER)
    withdrawn = complaint.collect_events()[-1]
    recipient = Recipient(complaint.id, complaint.registration_no, RAMESH.mobile or "", "en")
    told = messages_for(withdrawn, recipient, directory, LINKS)
    assert [(m.audience, m.template) for m in told] == [
        (COMPLAINANT, "sampark_withdrawn"),
        (HOLDER, "sampark_withdrawn_holder"),
    ]
    assert told[0].text == f"Your complaint {complaint.registration_no} is withdrawn, as you asked."
    assert told[0].key != told[1].key


def test_a_complaint_waiting_for_his_answer_is_answered_first_then_withdrawn() -> None:
    complaint = world.file(world.directory(), RAMESH)
    complaint.seek_clarification(by=JAIPUR_WATER_OFFICER, question="Your meter no.?", at=LATER)
    # The wait ends only by an answer or a lapse, which the figures of waiting count.
    with pytest.raises(IllegalMove, match="waits for the complainant's answer"):
        complaint.withdraw(by=RAMESH, reason="the supply is back", at=LATER)
    assert complaint.is_open
    complaint.answer_clarification(by=RAMESH, answer="No need now", at=LATER)
    complaint.withdraw(by=RAMESH, reason="the supply is back", at=LATER)
    assert complaint.status == Status.WITHDRAWN
