"""A Rajasthan Sampark Diwas from the directory to its proceedings: the session is fixed for
Jaipur, complaints are listed (by the collector, and at a complainant's request), the day's
list shows them in turn, each is heard (or missed) with directions recorded, and the
proceedings are drawn as a PDF in Hindi and English. The complainant is told of the hearing.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from litestar.testing import TestClient

from api.services import Services
from domain.events import HearingScheduled
from domain.values import Channel, Complainant
from reports import drawing
from tests.conftest import Pipeline, Tokens
from tests.support import (
    ADMIN,
    AJMER_COLLECTOR,
    JAIPUR_COLLECTOR,
    JAIPUR_WATER_OFFICER,
    OPERATOR,
    TurnableClock,
    citizen,
    new_mobile,
)

Client = TestClient[Any]
# Where a rendered page is kept for a person to look at (`SAMPARK_RENDER_TO`), if anywhere.
RENDER_TO = os.environ.get("SAMPARK_RENDER_TO")


def filed(services: Services, mobile: str, subject: str) -> UUID:
    return services.app.file_complaint(
        by=OPERATOR,
        complainant=Complainant(name="Asha", mobile=mobile),
        district="JAI",
        department="PHED",
        category="water-supply",
        subject=subject,
        description="Ward 12, near the temple",
        channel=Channel.HELPLINE_181,
    ).id


def test_a_sampark_diwas_lists_hears_in_turn_and_prints_its_proceedings(
    client: Client, services: Services, tokens: Tokens, pipeline: Pipeline, clock: TurnableClock
) -> None:
    starts_at = clock.now + timedelta(days=10)
    day = (starts_at + timedelta(hours=5, minutes=30)).date()
    session = {"district": "JAI", "starts_at": starts_at.isoformat(), "place": "Collectorate"}
    refused = client.post(
        "/v1/directory/diwas", json=session, headers=tokens.headers(JAIPUR_COLLECTOR)
    )
    assert refused.status_code == 403  # the directory is the admins'
    nowhere = {**session, "district": "NOPE"}
    unknown = client.post("/v1/directory/diwas", json=nowhere, headers=tokens.headers(ADMIN))
    assert unknown.status_code == 422 and unknown.json()["field"] == "district"
    fixed = client.post("/v1/directory/diwas", json=session, headers=tokens.headers(ADMIN))
    assert fixed.status_code == 200, fixed.text
    sessions = client.get("/v1/directory/diwas?district=JAI", headers=tokens.headers(ADMIN))
    assert {"district": "JAI", "starts_at": session["starts_at"], "place": "Collectorate"} in [
        {**d, "starts_at": datetime.fromisoformat(d["starts_at"]).isoformat()}
        for d in sessions.json()
    ]

    by_collector = filed(services, new_mobile(), "No water for a week")
    asha = new_mobile()
    on_request = filed(services, asha, "हैंडपंप खराब है")
    url = f"/v1/diwas/JAI/{day.isoformat()}"

    listed = client.post(
        f"/v1/complaints/{by_collector}/diwas",
        json={"day": day.isoformat()},
        headers=tokens.headers(JAIPUR_COLLECTOR),
    )
    assert listed.status_code == 200, listed.text
    clock.now += timedelta(hours=1)
    asked = client.post(
        f"/v1/complaints/{on_request}/diwas",
        json={"day": day.isoformat(), "mode": "video"},
        headers=tokens.headers(citizen(asha)),
    )
    assert asked.status_code == 200, asked.text
    no_session = client.post(
        f"/v1/complaints/{on_request}/diwas",
        json={"day": (day + timedelta(days=1)).isoformat()},
        headers=tokens.headers(JAIPUR_COLLECTOR),
    )
    assert no_session.status_code == 422 and no_session.json()["field"] == "day"
    twice = client.post(
        f"/v1/complaints/{on_request}/diwas",
        json={"day": day.isoformat()},
        headers=tokens.headers(JAIPUR_COLLECTOR),
    )
    assert twice.status_code == 409  # its hearing is already fixed

    pipeline.settle()
    today = client.get(url, headers=tokens.headers(JAIPUR_COLLECTOR))
    assert today.status_code == 200, today.text
    items = today.json()["items"]
    assert [(i["turn"], i["id"], i["listed_by_role"]) for i in items] == [
        (1, str(by_collector), "collector"),
        (2, str(on_request), "citizen"),
    ]
    assert client.get(url, headers=tokens.headers(AJMER_COLLECTOR)).status_code == 403
    nothing = client.get("/v1/diwas/JAI/2026-12-31", headers=tokens.headers(JAIPUR_COLLECTOR))
    assert nothing.status_code == 404

    clock.now = starts_at + timedelta(minutes=20)
    services.app.record_hearing(
        by_collector,
        by=JAIPUR_COLLECTOR,
        attended=True,
        directions="The XEN to restore the supply of ward 12 within three days",
    )
    services.app.record_hearing(
        on_request,
        by=JAIPUR_WATER_OFFICER,
        attended=False,
        directions="परिवादी उपस्थित नहीं; अगले सम्पर्क दिवस पर सुनवाई",
    )
    pipeline.settle()
    heard = client.get(url, headers=tokens.headers(JAIPUR_COLLECTOR)).json()["items"]
    assert [(i["attended"], i["directions"][:7]) for i in heard] == [
        (True, "The XEN"),
        (False, "परिवादी"),
    ]
    scheduled = [e for e in services.app.timeline(on_request) if isinstance(e, HearingScheduled)]
    assert [(e.diwas, e.on) for e in scheduled] == [(day, starts_at)]

    for lang in ("en", "hi"):
        answer = client.get(
            f"{url}?format=pdf&lang={lang}", headers=tokens.headers(JAIPUR_COLLECTOR)
        )
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.content.startswith(b"%PDF")
        picture = drawing.png(answer.content, 1400)
        assert picture.startswith(b"\x89PNG")
        if RENDER_TO:
            Path(RENDER_TO, f"diwas-{lang}.png").write_bytes(picture)
