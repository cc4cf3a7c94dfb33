"""The Public Services Guarantee Act's clock on a complaint, every path with a clock the test
sets: served in time, rejected, unserved past the stipulated time, the first appeal in time
and late, the second appeal in time and late, the penalty (minimum, per day, the cap, a lump
sum) and the revision the officer penalised may seek."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from domain import guarantee
from domain.access import may_see
from domain.complaint import Complaint
from domain.directory import Directory
from domain.errors import Forbidden, IllegalMove, InvalidCommand
from domain.events import (
    FirstAppealDecided,
    FirstAppealFiled,
    PenaltyImposed,
    RevisionSought,
    SecondAppealDecided,
    SecondAppealFiled,
    StipulatedTimePassed,
)
from domain.guarantee import AppealDecision, NotifiedService, PenaltyBasis
from domain.sla import INDIA
from domain.values import SCHEDULER, Identity, Outcome, Role
from tests.support import JAIPUR_WATER_L2, JAIPUR_WATER_OFFICER, START, citizen
from tests.unit import world
from tests.unit.test_complaint_rules import PHOTO

RAMESH = citizen("9876543210")
HOD = Identity(id="ce-phed", role=Role.OFFICER, post="PHED-HOD", department="PHED")
CONNECTION = NotifiedService(
    code="phed-new-connection",
    name="New water connection",
    department="PHED",
    category="new-connection",
    stipulated_days=7,
    designated_officer="Assistant Engineer",
    first_appeal_officer="Executive Engineer",
    second_appeal_authority="Chief Engineer",
)
APPLIED = date(2026, 11, 1)
DUE = date(2026, 11, 8)  # seven days after the application


def on(day: date, hour: int = 11) -> datetime:
    """`hour` o'clock in Jaipur on `day`."""
    return datetime.combine(day, time(hour), INDIA)


def the_directory() -> Directory:
    directory = world.directory()
    directory.notify_service(CONNECTION, world.ROOT, START)
    return directory


def a_complaint(directory: Directory) -> Complaint:
    complaint = world.file(
        directory,
        RAMESH,
        category="new-connection",
        service=CONNECTION.code,
        applied_on=APPLIED,
    )
    complaint.collect_events()
    return complaint


def resolved(complaint: Complaint, outcome: Outcome, at: datetime) -> None:
    complaint.resolve(
        by=JAIPUR_WATER_OFFICER,
        outcome=outcome,
        action_taken="as recorded",
        evidence=(PHOTO,),
        feedback_window=timedelta(days=7),
        at=at,
    )


def new_events(complaint: Complaint) -> list[type]:
    return [type(e) for e in complaint.collect_events()]


def lapsed(directory: Directory) -> Complaint:
    complaint = a_complaint(directory)
    complaint.pass_stipulated_time(by=SCHEDULER, at=on(DUE + timedelta(days=1), 0))
    complaint.collect_events()
    return complaint


def appealed_twice(directory: Directory, second_on: date) -> Complaint:
    complaint = lapsed(directory)
    complaint.first_appeal(by=RAMESH, grounds="no connection", directory=directory, at=on(DUE))
    complaint.decide_first_appeal(
        by=JAIPUR_WATER_L2,
        decision=AppealDecision.ALLOWED,
        order="connect",
        at=on(date(2026, 11, 20)),
    )
    complaint.second_appeal(
        by=RAMESH, grounds="still not connected", directory=directory, at=on(second_on)
    )
    complaint.collect_events()
    return complaint


# --- filing ---------------------------------------------------------------------------


def test_a_complaint_about_a_notified_service_carries_the_statutory_clock() -> None:
    complaint = a_complaint(the_directory())
    assert complaint.guarantee is not None
    claim = complaint.guarantee.claim
    assert (claim.service, claim.applied_on, claim.due_on) == (CONNECTION.code, APPLIED, DUE)
    assert claim.designated_post == "PHED-JAI-L1"
    assert guarantee.lapses_at(claim) == datetime(2026, 11, 9, tzinfo=INDIA)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"service": CONNECTION.code}, "applied_on"),
        ({"applied_on": APPLIED}, "service"),
        ({"service": "no-such-service", "applied_on": APPLIED}, "service"),
        ({"service": CONNECTION.code, "applied_on": date(2026, 11, 3)}, "applied_on"),
        ({"service": CONNECTION.code, "applied_on": date(2011, 11, 13)}, "applied_on"),
    ],
)
def test_a_claim_under_the_act_is_whole_and_true(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        world.file(the_directory(), RAMESH, category="new-connection", **fields)
    assert refused.value.field == field


def test_the_service_belongs_to_the_complaints_category() -> None:
    with pytest.raises(InvalidCommand) as refused:
        world.file(
            the_directory(), RAMESH, service=CONNECTION.code, applied_on=APPLIED
        )  # filed as water-supply
    assert refused.value.field == "service"


# --- the stipulated time ------------------------------------------------------------------


def test_served_in_time_the_clock_stops_and_there_is_nothing_to_appeal() -> None:
    directory = the_directory()
    complaint = a_complaint(directory)
    resolved(complaint, Outcome.RELIEF, on(DUE - timedelta(days=2)))
    complaint.collect_events()
    complaint.pass_stipulated_time(by=SCHEDULER, at=on(DUE + timedelta(days=3)))
    assert new_events(complaint) == []
    with pytest.raises(IllegalMove, match="nothing to appeal"):
        complaint.first_appeal(by=RAMESH, grounds="?", directory=directory, at=on(DUE))


def test_the_stipulated_time_passes_once_at_the_end_of_its_last_day() -> None:
    complaint = a_complaint(the_directory())
    complaint.pass_stipulated_time(by=SCHEDULER, at=on(DUE, 23))
    assert new_events(complaint) == []
    complaint.pass_stipulated_time(by=SCHEDULER, at=on(DUE + timedelta(days=1), 0))
    (passed,) = complaint.collect_events()
    assert isinstance(passed, StipulatedTimePassed)
    assert (passed.due_on, passed.appeal_until) == (DUE, date(2026, 12, 8))
    complaint.pass_stipulated_time(by=SCHEDULER, at=on(DUE + timedelta(days=2)))
    assert new_events(complaint) == []


def test_only_the_scheduler_marks_the_stipulated_time() -> None:
    complaint = a_complaint(the_directory())
    with pytest.raises(Forbidden):
        complaint.pass_stipulated_time(by=JAIPUR_WATER_OFFICER, at=on(DUE + timedelta(days=2)))


def test_a_complaint_outside_the_act_has_no_statutory_clock() -> None:
    directory = the_directory()
    complaint = world.file(directory, RAMESH)
    complaint.collect_events()
    complaint.pass_stipulated_time(by=SCHEDULER, at=on(DUE + timedelta(days=40)))
    assert new_events(complaint) == []
    with pytest.raises(IllegalMove, match="not about a service notified"):
        complaint.first_appeal(by=RAMESH, grounds="late", directory=directory, at=on(DUE))


# --- the first appeal -----------------------------------------------------------------


def test_a_rejected_application_may_be_appealed_within_30_days_of_the_rejection() -> None:
    directory = the_directory()
    complaint = a_complaint(directory)
    resolved(complaint, Outcome.REJECTED, on(date(2026, 11, 5)))
    complaint.collect_events()
    complaint.first_appeal(
        by=RAMESH, grounds="wrongly rejected", directory=directory, at=on(date(2026, 12, 5), 22)
    )
    (appeal,) = complaint.collect_events()
    assert isinstance(appeal, FirstAppealFiled)
    assert appeal.post == "PHED-JAI-L2"  # the first appeal officer: level 2 of the chain
    assert appeal.decide_by == on(date(2026, 12, 5), 22) + guarantee.APPEAL_DECIDED_WITHIN
    assert complaint.holder == "PHED-JAI-L1"  # the appeal does not move the complaint


def test_a_first_appeal_after_the_30_days_is_refused() -> None:
    directory = the_directory()
    complaint = lapsed(directory)
    with pytest.raises(IllegalMove, match="ended on 2026-12-08"):
        complaint.first_appeal(
            by=RAMESH, grounds="late", directory=directory, at=on(date(2026, 12, 9), 9)
        )
    complaint.first_appeal(by=RAMESH, grounds="just in time", directory=directory, at=on(DUE))
    assert new_events(complaint) == [FirstAppealFiled]
    with pytest.raises(IllegalMove, match="filed already"):
        complaint.first_appeal(by=RAMESH, grounds="again", directory=directory, at=on(DUE))


def test_only_the_first_appeal_officer_decides_it() -> None:
    directory = the_directory()
    complaint = lapsed(directory)
    complaint.first_appeal(by=RAMESH, grounds="late", directory=directory, at=on(DUE))
    for someone in (JAIPUR_WATER_OFFICER, HOD, RAMESH):
        with pytest.raises(Forbidden):
            complaint.decide_first_appeal(
                by=someone, decision=AppealDecision.ALLOWED, order="x", at=on(DUE)
            )
    complaint.decide_first_appeal(
        by=JAIPUR_WATER_L2, decision=AppealDecision.DISMISSED, order="cause shown", at=on(DUE)
    )
    (decided,) = complaint.collect_events()[-1:]
    assert isinstance(decided, FirstAppealDecided)
    assert decided.second_appeal_until == DUE + timedelta(days=60)
    with pytest.raises(Forbidden):  # decided: it lies before that post no more
        complaint.decide_first_appeal(
            by=JAIPUR_WATER_L2, decision=AppealDecision.ALLOWED, order="x", at=on(DUE)
        )


def test_the_posts_the_act_brings_it_before_see_it_by_their_post_alone() -> None:
    directory = the_directory()
    complaint = appealed_twice(directory, date(2026, 11, 25))
    complaint.decide_second_appeal(
        by=HOD,
        decision=AppealDecision.ALLOWED,
        order="connect at once",
        penalty=PenaltyBasis.PER_DAY,
        amount=None,
        reasons="late without cause",
        directory=directory,
        at=on(date(2026, 12, 1)),
    )
    assert complaint.guarantee is not None
    assert complaint.guarantee.posts_concerned == {"PHED-JAI-L1", "PHED-JAI-L2", "PHED-HOD"}
    for post in ("PHED-JAI-L2", "PHED-HOD"):  # appeals decided: they lay before these posts
        assert may_see(Identity(id=post, role=Role.OFFICER, post=post), complaint)
    assert not may_see(Identity(id="x", role=Role.OFFICER, post="PHED-AJM-L2"), complaint)


# --- the second appeal ----------------------------------------------------------------


def test_a_second_appeal_lies_within_60_days_of_the_first_decision() -> None:
    directory = the_directory()
    complaint = lapsed(directory)
    with pytest.raises(IllegalMove, match="against the first appeal's decision"):
        complaint.second_appeal(by=RAMESH, grounds="x", directory=directory, at=on(DUE))
    complaint.first_appeal(by=RAMESH, grounds="late", directory=directory, at=on(DUE))
    decided_on = date(2026, 11, 20)
    complaint.decide_first_appeal(
        by=JAIPUR_WATER_L2, decision=AppealDecision.ALLOWED, order="connect", at=on(decided_on)
    )
    with pytest.raises(IllegalMove, match="ended on 2027-01-19"):
        complaint.second_appeal(
            by=RAMESH, grounds="x", directory=directory, at=on(date(2027, 1, 20), 1)
        )
    complaint.second_appeal(
        by=RAMESH, grounds="not connected", directory=directory, at=on(date(2027, 1, 19), 23)
    )
    appeal = complaint.collect_events()[-1]
    assert isinstance(appeal, SecondAppealFiled)
    assert appeal.post == "PHED-HOD"  # the second appeal authority: level 3 of the chain


# --- the penalty ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("served_on", "days", "amount"),
    [
        (DUE + timedelta(days=1), 1, 500),  # Rs 250 a day, but never less than Rs 500
        (DUE + timedelta(days=10), 10, 2500),  # Rs 250 for each day of delay
        (DUE + timedelta(days=25), 25, 5000),  # never more than Rs 5,000
    ],
)
def test_a_penalty_for_delay_is_rs_250_a_day_from_500_to_5000(
    served_on: date, days: int, amount: int
) -> None:
    directory = the_directory()
    complaint = appealed_twice(directory, date(2026, 11, 25))
    resolved(complaint, Outcome.RELIEF, on(served_on))
    complaint.collect_events()
    complaint.decide_second_appeal(
        by=HOD,
        decision=AppealDecision.ALLOWED,
        order="served late without cause",
        penalty=PenaltyBasis.PER_DAY,
        amount=None,
        reasons="no reason shown for the delay",
        directory=directory,
        at=on(date(2026, 12, 30)),
    )
    decided, fined = complaint.collect_events()
    assert isinstance(decided, SecondAppealDecided)
    assert isinstance(fined, PenaltyImposed)
    assert (fined.post, fined.officer, fined.days_late, fined.amount) == (
        "PHED-JAI-L1",
        "A. E.",
        days,
        amount,
    )
    assert fined.reasons == "no reason shown for the delay"


def test_never_served_the_delay_counts_to_the_order() -> None:
    directory = the_directory()
    complaint = appealed_twice(directory, date(2026, 11, 25))
    complaint.decide_second_appeal(
        by=HOD,
        decision=AppealDecision.ALLOWED,
        order="serve within 3 days",
        penalty=PenaltyBasis.PER_DAY,
        amount=None,
        reasons="not served",
        directory=directory,
        at=on(DUE + timedelta(days=4)),
    )
    fined = complaint.collect_events()[-1]
    assert isinstance(fined, PenaltyImposed)
    assert (fined.days_late, fined.amount) == (4, 1000)


@pytest.mark.parametrize(("amount", "ok"), [(499, False), (500, True), (5000, True), (5001, False)])
def test_a_lump_sum_is_from_500_to_5000(amount: int, ok: bool) -> None:
    directory = the_directory()
    complaint = appealed_twice(directory, date(2026, 11, 25))

    def decide() -> None:
        complaint.decide_second_appeal(
            by=HOD,
            decision=AppealDecision.ALLOWED,
            order="rejected without cause",
            penalty=PenaltyBasis.LUMP_SUM,
            amount=amount,
            reasons="no cause",
            directory=directory,
            at=on(date(2026, 12, 1)),
        )

    if ok:
        decide()
        assert complaint.collect_events()[-1].amount == amount  # type: ignore[attr-defined]
    else:
        with pytest.raises(InvalidCommand) as refused:
            decide()
        assert refused.value.field == "penalty.amount"
        assert complaint.guarantee is not None and complaint.guarantee.penalty is None


def test_a_penalty_needs_reasons_and_the_second_appeal_authority() -> None:
    directory = the_directory()
    complaint = appealed_twice(directory, date(2026, 11, 25))
    with pytest.raises(Forbidden):
        complaint.decide_second_appeal(
            by=JAIPUR_WATER_L2,
            decision=AppealDecision.ALLOWED,
            order="x",
            penalty=None,
            amount=None,
            reasons=None,
            directory=directory,
            at=on(date(2026, 12, 1)),
        )
    with pytest.raises(InvalidCommand) as refused:
        complaint.decide_second_appeal(
            by=HOD,
            decision=AppealDecision.ALLOWED,
            order="x",
            penalty=PenaltyBasis.PER_DAY,
            amount=None,
            reasons="  ",
            directory=directory,
            at=on(date(2026, 12, 1)),
        )
    assert refused.value.field == "penalty.reasons"
    assert new_events(complaint) == []


def test_the_penalty_amounts_read_like_the_act() -> None:
    assert [guarantee.penalty_for_delay(d) for d in (1, 2, 3, 19, 20, 21, 400)] == [
        500,
        500,
        750,
        4750,
        5000,
        5000,
        5000,
    ]
    with pytest.raises(InvalidCommand):
        guarantee.penalty_for_delay(0)


# --- revision -------------------------------------------------------------------------


def penalised(directory: Directory) -> Complaint:
    complaint = appealed_twice(directory, date(2026, 11, 25))
    complaint.decide_second_appeal(
        by=HOD,
        decision=AppealDecision.ALLOWED,
        order="serve at once",
        penalty=PenaltyBasis.PER_DAY,
        amount=None,
        reasons="not served",
        directory=directory,
        at=on(date(2026, 12, 1)),
    )
    complaint.collect_events()
    return complaint


def test_the_officer_penalised_may_seek_revision_within_60_days() -> None:
    complaint = penalised(the_directory())
    for someone in (JAIPUR_WATER_L2, HOD, RAMESH):
        with pytest.raises(Forbidden):
            complaint.seek_revision(by=someone, grounds="x", at=on(date(2026, 12, 2)))
    with pytest.raises(IllegalMove, match="ended on 2027-01-30"):
        complaint.seek_revision(by=JAIPUR_WATER_OFFICER, grounds="late", at=on(date(2027, 1, 31)))
    complaint.seek_revision(
        by=JAIPUR_WATER_OFFICER, grounds="the pipe was not in stock", at=on(date(2027, 1, 30))
    )
    (sought,) = complaint.collect_events()
    assert isinstance(sought, RevisionSought) and sought.post == "PHED-JAI-L1"
    with pytest.raises(IllegalMove, match="sought already"):
        complaint.seek_revision(by=JAIPUR_WATER_OFFICER, grounds="again", at=on(date(2027, 1, 30)))


def test_every_step_is_stored_and_replays_to_the_same_state() -> None:
    from tests.unit.test_stored_events import mapper

    directory = the_directory()
    complaint = world.file(
        directory, RAMESH, category="new-connection", service=CONNECTION.code, applied_on=APPLIED
    )
    complaint.pass_stipulated_time(by=SCHEDULER, at=on(DUE + timedelta(days=1)))
    complaint.first_appeal(by=RAMESH, grounds="late", directory=directory, at=on(DUE))
    complaint.decide_first_appeal(
        by=JAIPUR_WATER_L2, decision=AppealDecision.ALLOWED, order="connect", at=on(DUE)
    )
    complaint.second_appeal(by=RAMESH, grounds="still not", directory=directory, at=on(DUE))
    complaint.decide_second_appeal(
        by=HOD,
        decision=AppealDecision.ALLOWED,
        order="serve at once",
        penalty=PenaltyBasis.PER_DAY,
        amount=None,
        reasons="not served",
        directory=directory,
        at=on(date(2026, 12, 1)),
    )
    complaint.seek_revision(by=JAIPUR_WATER_OFFICER, grounds="stock", at=on(date(2026, 12, 3)))
    replayed = None
    for event in complaint.collect_events():
        stored = mapper.to_stored_event(event)  # type: ignore[arg-type]
        replayed = mapper.to_domain_event(stored).mutate(replayed)  # type: ignore[attr-defined]
    assert isinstance(replayed, Complaint)
    assert replayed.guarantee == complaint.guarantee
    g = replayed.guarantee
    assert (
        g is not None and g.penalty is not None and g.penalty.amount == 5000
    )  # 23 days late: the cap
    assert g.penalty.revision_sought_at == on(date(2026, 12, 3))
    assert g.pending_appeal_post is None


# --- what the citizen and the appeal officer are told -----------------------------------


def test_the_citizen_is_told_of_the_right_to_appeal_and_the_appeal_officer_of_the_appeal() -> None:
    from projections.notify.messages import APPEAL_POST, COMPLAINANT, Links, Recipient
    from projections.notify.messages import messages_for as told

    directory = the_directory()
    directory.change_holder("PHED-JAI-L2", "X. E.", world.ROOT, START, mobile="9414000002")
    complaint = a_complaint(directory)
    ramesh = Recipient(complaint.id, complaint.registration_no, RAMESH.mobile or "", "en")
    links = Links(report=lambda c, at: f"https://sampark.example/r/{c}")
    complaint.pass_stipulated_time(by=SCHEDULER, at=on(DUE + timedelta(days=1)))
    complaint.first_appeal(by=RAMESH, grounds="late", directory=directory, at=on(DUE))
    passed, appealed = complaint.collect_events()
    (right,) = told(passed, ramesh, directory, links)
    assert (right.audience, right.mobile, right.template) == (
        COMPLAINANT,
        RAMESH.mobile,
        "sampark_appeal_right",
    )
    assert "until 08-12-2026" in right.text and f"/r/{complaint.id}" in right.text
    (before_you,) = told(appealed, ramesh, directory, links)
    assert (before_you.audience, before_you.mobile) == (APPEAL_POST, "9414000002")
    assert before_you.template == "sampark_appeal_before_you"


def test_a_transferred_complaint_still_appeals_to_the_services_department() -> None:
    directory = the_directory()
    complaint = a_complaint(directory)
    complaint.transfer(
        by=JAIPUR_WATER_OFFICER,
        department="ENERGY",
        category=None,
        reason="the pump's power",
        directory=directory,
        at=on(DUE - timedelta(days=3)),
    )
    complaint.pass_stipulated_time(by=SCHEDULER, at=on(DUE + timedelta(days=1)))
    complaint.first_appeal(by=RAMESH, grounds="late", directory=directory, at=on(DUE))
    appeal = complaint.collect_events()[-1]
    assert isinstance(appeal, FirstAppealFiled) and appeal.post == "PHED-JAI-L2"
