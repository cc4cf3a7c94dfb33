"""The helpline desk's triage queue (`GET /v1/triage`): complaints the assistant was not
sure of, oldest first, each with the assistant's suggestions as they stand now. The desk's
choice is a command on the complaint (`POST /v1/complaints/{ref}/triage`)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from api import schemas, views
from api.assist import classification
from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.services import Services
from assist.assistant import NoModel
from assist.corpus import words
from domain.values import Identity
from projections.triage import after_in_triage, awaiting_triage, triage_cursor

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]


class TriageController(Controller):
    path = "/v1/triage"
    tags = ["assistant"]

    @get(
        "/",
        sync_to_thread=True,
        summary="Complaints awaiting triage, oldest first, with the assistant's suggestions",
        guards=[only_roles_allowed_to("triage_queue", "read the triage queue")],
    )
    def queue(
        self,
        request: Req,
        services: Injected,
        cursor: schemas.Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> schemas.TriagePage:
        who, now = request.user, services.app.clock()
        try:
            after = after_in_triage(cursor) if cursor else None
        except ValueError as bad:
            raise Problem(400, str(bad), field="cursor") from None
        with services.pool.connection() as conn:
            rows = awaiting_triage(conn, who, after=after, limit=limit + 1)
        more, rows = len(rows) > limit, rows[:limit]
        try:
            judged = services.assistant.judge([words(r.subject, r.description) for r in rows])
        except NoModel:
            judged = []
        services.looked(who, (r.id for r in rows), "GET /v1/triage")
        items = []
        for index, row in enumerate(rows):
            shown = classification(judged[index]) if judged else None
            items.append(
                schemas.Awaiting(
                    complaint=views.summary(row, who, now),
                    description=row.description,
                    suggestions=shown.suggestions if shown else [],
                    model_version=shown.model_version if shown else None,
                )
            )
        return schemas.TriagePage(
            items=items, next_cursor=triage_cursor(rows[-1]) if more and rows else None
        )
