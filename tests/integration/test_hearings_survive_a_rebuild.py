"""`read.hearings` (a Sampark Diwas' list comes from it) is what the events say, whether the
projector wrote it event by event or a parallel rebuild folded it in partitions."""

from __future__ import annotations

from datetime import timedelta

import psycopg

from api.services import Services
from domain.values import Channel, Complainant, HearingMode
from projections.rebuild import rebuild
from tests.conftest import Pipeline
from tests.support import JAIPUR_WATER_OFFICER, OPERATOR, TurnableClock, new_mobile

ROWS = (
    "SELECT complaint_id, number, district, hearing_on, mode, attended, directions "
    "FROM read.hearings ORDER BY complaint_id, number"
)


def test_hearings_read_the_same_after_a_rebuild(
    services: Services, database: str, pipeline: Pipeline, clock: TurnableClock
) -> None:
    app = services.app
    heard = []
    for _ in range(3):
        filed = app.file_complaint(
            by=OPERATOR,
            complainant=Complainant(name="Asha", mobile=new_mobile()),
            district="JAI",
            department="PHED",
            category="water-supply",
            subject="No water",
            description="Ward 3",
            channel=Channel.HELPLINE_181,
        )
        app.schedule_hearing(
            filed.id,
            by=JAIPUR_WATER_OFFICER,
            on=clock.now + timedelta(days=1),
            post="PHED-JAI-L1",
            mode=HearingMode.VIDEO,
        )
        heard.append(filed.id)
    clock.now += timedelta(days=2)
    app.record_hearing(heard[0], by=JAIPUR_WATER_OFFICER, attended=True, directions="Repair it")
    app.record_hearing(heard[1], by=JAIPUR_WATER_OFFICER, attended=False, directions="Absent")
    pipeline.settle()
    with psycopg.connect(database) as conn:
        projected = conn.execute(ROWS).fetchall()
    outcomes = {r[0]: (r[5], r[6]) for r in projected}
    assert [outcomes[c] for c in heard] == [(True, "Repair it"), (False, "Absent"), (None, None)]
    rebuild(database, workers=2)
    with psycopg.connect(database) as conn:
        assert conn.execute(ROWS).fetchall() == projected
