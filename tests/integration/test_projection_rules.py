"""Applying events to the read models: duplicates are skipped, a gap is reported, not applied."""

from __future__ import annotations

import psycopg

from api.services import Services
from domain.values import Channel, Complainant
from projections.apply import apply_events
from projections.store import ReadModels
from tests.support import JAIPUR_COLLECTOR, JAIPUR_WATER_OFFICER, OPERATOR


def test_a_duplicate_is_skipped_and_a_gap_is_reported_never_applied(
    services: Services, database: str
) -> None:
    complaint = services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Meena", mobile="9414111111"),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject="Low pressure",
        description="Water comes for ten minutes only.",
        channel=Channel.HELPLINE_181,
    )
    services.app.comment(complaint.id, by=JAIPUR_WATER_OFFICER, text="Checking the valve")
    services.app.escalate(complaint.id, by=JAIPUR_COLLECTOR, reason="Ward-wide problem")
    filed, assigned, commented, escalated = services.app.timeline(complaint.id)

    with psycopg.connect(database) as conn:
        models = ReadModels(conn)
        first = apply_events(models, [filed, assigned])
        again = apply_events(models, [filed, assigned])  # redelivered
        skipped = apply_events(models, [escalated])  # version 4 before version 3
        row = models.rows([complaint.id])[complaint.id]
        gaps = conn.execute(
            "SELECT have_version, got_version FROM read.gaps WHERE complaint_id = %s",
            (complaint.id,),
        ).fetchall()
        late = apply_events(models, [commented, escalated])  # the missing one arrives
        healed = models.rows([complaint.id])[complaint.id]

    assert (first.applied, again.duplicates, skipped.gaps) == (2, 2, 1)
    assert (row.version, row.level) == (2, 1), "the event after the gap was not applied"
    assert gaps == [(2, 4)]
    assert late.applied == 2
    assert (healed.version, healed.level, healed.comment_count) == (4, 2, 1)
