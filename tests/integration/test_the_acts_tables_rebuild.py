"""The Act's read-model tables (`read.guarantee_cases`, `read.guarantee_days`) can be thrown
away and rebuilt from the events: a rebuild, in one worker or in several, holds what the
projector wrote."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
import pytest

from api.services import Services
from domain.guarantee import AppealDecision, PenaltyBasis
from domain.values import Channel, Complainant, Identity, Role
from projections.rebuild import rebuild
from scheduler.jobs import Clockwork
from tests.conftest import Pipeline
from tests.support import JAIPUR_WATER_L2, OPERATOR, TurnableClock, citizen, new_mobile

CHIEF_ENGINEER = Identity(id="ce-phed", role=Role.OFFICER, post="PHED-HOD", department="PHED")


def tables(database: str) -> tuple[list[Any], list[Any]]:
    with psycopg.connect(database) as conn:
        cases = conn.execute("SELECT * FROM read.guarantee_cases ORDER BY id").fetchall()
        days = conn.execute(
            "SELECT * FROM read.guarantee_days ORDER BY department, day, district"
        ).fetchall()
    return cases, days


@pytest.mark.parametrize("workers", [1, 3])
def test_a_rebuild_holds_what_the_projector_wrote(
    services: Services, pipeline: Pipeline, database: str, clock: TurnableClock, workers: int
) -> None:
    app = services.app
    filed = []
    for district, applied in (("JAI", date(2026, 10, 25)), ("AJM", date(2026, 11, 1))):
        mobile = new_mobile()
        complaint = app.file_complaint(
            by=OPERATOR,
            complainant=Complainant(name="Asha", mobile=mobile),
            district=district,
            department="PHED",
            category="new-connection",
            subject="No connection",
            description="Applied and waiting",
            channel=Channel.HELPLINE_181,
            service="phed-new-connection",
            applied_on=applied,
        ).id
        filed.append((complaint, citizen(mobile)))
    clock.advance(days=3)
    pipeline.settle()
    assert Clockwork(app, services.pool, workers=1).pass_stipulated_times() == {
        "StipulatedTimePassed": 1
    }
    jaipur, owner = filed[0]
    app.first_appeal(jaipur, by=owner, grounds="late")
    app.decide_appeal(jaipur, by=JAIPUR_WATER_L2, decision=AppealDecision.DISMISSED, order="no")
    app.second_appeal(jaipur, by=owner, grounds="unfair")
    app.decide_appeal(
        jaipur,
        by=CHIEF_ENGINEER,
        decision=AppealDecision.ALLOWED,
        order="serve",
        penalty=PenaltyBasis.PER_DAY,
        reasons="no cause shown",
    )
    pipeline.settle()
    projected = tables(database)
    assert len(projected[0]) == 2 and projected[1]
    rebuild(database, workers=workers)
    assert tables(database) == projected
