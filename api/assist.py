"""The assistant's answers (`docs/assist.md`): what a complaint's words suggest."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from api import schemas
from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.services import Services
from assist.assistant import NoModel
from assist.corpus import words
from assist.model import Judgement
from domain.values import Identity

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]


def judged(services: Services, subject: str, description: str) -> Judgement:
    """The newest model's judgement of these words; 503 while no model is trained."""
    try:
        return services.assistant.judge([words(subject, description)])[0]
    except NoModel as none:
        raise Problem(503, str(none), retry_after_seconds=60) from None


def classification(judgement: Judgement) -> schemas.Classification:
    return schemas.Classification(
        suggestions=[
            schemas.SuggestionOut(department=s.department, category=s.category, score=s.score)
            for s in judgement.suggestions
        ],
        urgent=schemas.UrgencyOut(
            flag=judgement.urgent.flag,
            score=judgement.urgent.score,
            reasons=list(judgement.urgent.reasons),
        ),
        confident=judgement.confident,
        model_version=judgement.model_version or 0,
    )


class AssistController(Controller):
    path = "/v1/assist"
    tags = ["assistant"]

    @post(
        "/classify",
        sync_to_thread=True,
        status_code=200,
        summary="Suggest a complaint's department, category and urgency from its words",
        guards=[only_roles_allowed_to("assist", "ask the assistant")],
    )
    def classify(
        self, request: Req, services: Injected, data: JSONBody[schemas.Classify]
    ) -> schemas.Classification:
        if data.district is not None and data.district not in services.app.directory().districts:
            raise Problem(400, f"unknown district {data.district!r}", field="district")
        return classification(judged(services, data.subject, data.description))
