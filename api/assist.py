"""The assistant's answers (`docs/assist.md`): what a complaint's words suggest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from api import schemas
from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.services import Services
from assist.assistant import NoModel
from assist.choosing import choose, risk
from assist.corpus import words
from assist.duplicates import THRESHOLD
from assist.finding import Candidate, likely_duplicates
from assist.model import Judgement
from assist.routing import ENOUGH, MAJORITY, CellHealth, routing_health
from domain.values import AssistantChoice, Identity, RiskRead

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]


def judged(services: Services, subject: str, description: str) -> Judgement:
    """The newest model's judgement of these words; 409 while no model is trained (the
    system's state, not a failure: nothing to retry until someone trains one)."""
    try:
        return services.assistant.judge([words(subject, description)])[0]
    except NoModel as none:
        raise Problem(409, str(none)) from None


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

    @post(
        "/duplicates",
        sync_to_thread=True,
        status_code=200,
        summary="The open complaints the caller may see that these words likely repeat",
        guards=[only_roles_allowed_to("assist", "ask the assistant")],
    )
    def duplicates(
        self, request: Req, services: Injected, data: JSONBody[schemas.FindDuplicates]
    ) -> schemas.Duplicates:
        if data.district not in services.app.directory().districts:
            raise Problem(400, f"unknown district {data.district!r}", field="district")
        place = data.location.value() if data.location else None
        found = duplicates_of(
            services,
            request.user,
            data.district,
            data.subject,
            data.description,
            data.mobile,
            point=place.point if place else None,
        )
        return schemas.Duplicates(candidates=found, threshold=THRESHOLD)

    @get(
        "/routing",
        sync_to_thread=True,
        summary="The routing map's health: where officers move complaints the map sent them",
        guards=[only_roles_allowed_to("routing_health", "see the routing map's health")],
    )
    def routing(self, request: Req, services: Injected) -> schemas.RoutingHealth:
        with services.pool.connection() as conn:
            cells = routing_health(conn)
        return schemas.RoutingHealth(
            majority=MAJORITY, enough=ENOUGH, cells=[routing_cell(c) for c in cells]
        )


def duplicates_of(
    services: Services,
    who: Identity,
    district: str,
    subject: str,
    description: str,
    mobile: str | None,
    leave_out: UUID | None = None,
    point: tuple[float, float] | None = None,
) -> list[schemas.DuplicateOut]:
    """The likely duplicates the caller may see (without a model, by words and places)."""
    try:
        model = services.assistant.model()
    except NoModel:
        model = None
    with services.pool.connection() as conn:
        found = likely_duplicates(
            conn,
            model,
            who,
            district=district,
            text=words(subject, description),
            mobile=mobile,
            now=services.app.clock(),
            leave_out=leave_out,
            point=point,
        )
    return [duplicate_out(c) for c in found]


def duplicate_out(c: Candidate) -> schemas.DuplicateOut:
    return schemas.DuplicateOut(id=c.id, registration_no=c.registration_no, score=c.score)


def routing_cell(cell: CellHealth) -> schemas.RoutingCell:
    best = cell.suggestion()
    change = None
    if best is not None:
        change = schemas.RouteChange(
            action="set_route" if best.kind == "post" else "file_under",
            department=cell.department,
            category=cell.category,
            district=cell.district,
            post=best.post,
            to_department=best.department if best.kind == "category" else None,
            to_category=best.category if best.kind == "category" else None,
        )
    return schemas.RoutingCell(
        district=cell.district,
        department=cell.department,
        category=cell.category,
        routed=cell.routed,
        moved=cell.moved,
        destinations=[
            schemas.RouteDestination(
                kind=d.kind,
                department=d.department,
                category=d.category,
                post=d.post,
                complaints=n,
            )
            for d, n in sorted(cell.destinations.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        suggestion=change,
    )


@dataclass(frozen=True)
class Filing:
    """Where a filing goes, and what the assistant did about it."""

    department: str
    category: str
    assistant: AssistantChoice | None  # it chose the category
    risk: RiskRead | None  # it read a risk to life or safety


def at_filing(
    services: Services,
    subject: str,
    description: str,
    department: str | None,
    category: str | None,
) -> Filing:
    """The assistant reads every filing (for urgency) and chooses the category of one that
    names none. Without a trained model a filing that names its category goes on as before;
    one that does not is refused, 422 naming `category` (the desk may name it)."""
    if category is not None and department is None:
        raise Problem(400, "a category is named with its department", field="department")
    try:
        judgement = services.assistant.judge([words(subject, description)], top=None)[0]
    except NoModel:
        if category is None or department is None:
            raise Problem(
                422,
                "the assistant has no trained model yet: name the department and category",
                field="category",
            ) from None
        return Filing(department, category, None, None)
    threat = risk(judgement)
    if category is not None and department is not None:
        return Filing(department, category, None, threat)
    directory = services.app.directory()
    chosen = choose(judgement, directory, department)
    if chosen is not None:
        return Filing(chosen.department, chosen.category, chosen.assistant, threat)
    if department is None:
        raise Problem(
            422,
            "the assistant's model knows no category of the directory: name the category",
            field="category",
        )
    # A department the model knows nothing of: its default category, for the desk to check.
    known = directory.departments.get(department)
    fallback = AssistantChoice(model_version=judgement.model_version or 0, score=0.0, routed=False)
    return Filing(department, known.default_category if known else "", fallback, threat)
