"""The Public Services Guarantee Act over HTTP (docs/guarantee.md): the appeals, their
decisions (with the penalty), the revision, and where a complaint stands under the Act.

Who may do each is the permissions table's (`first_appeal`, `second_appeal`, `decide_appeal`,
`seek_revision`); the rules are the domain's (`domain/appeals.py`, `domain/guarantee.py`).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from functools import partial
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import JSONBody, QueryParameter
from msgspec import Meta

from api import schemas
from api.complaints import Injected, Ref, Req, on_complaint, seen_complaint
from api.guards import only_roles_allowed_to
from api.problems import Problem
from api.read import Day, Department, District, LastDay, figures_window
from api.schemas import Base, Reason, Version
from domain import guarantee
from domain.guarantee import AppealDecision, PenaltyBasis
from projections.guarantee import figures, pending_appeals

Rupees = Annotated[int, Meta(ge=guarantee.PENALTY_MIN, le=guarantee.PENALTY_MAX)]


class AppealIn(Base):
    """A first or second appeal: the citizen's grounds."""

    grounds: Reason
    expected_version: Version | None = None


class PenaltyIn(Base):
    """A penalty on the designated officer: Rs 250 a day of delay from Rs 500 to Rs 5,000
    (`per_day`, no `amount`: the Act's rule counts it), or a lump sum (`lump_sum`, `amount`
    from 500 to 5000 rupees); with the reasons recorded."""

    basis: PenaltyBasis
    reasons: Reason
    amount: Rupees | None = None


class DecisionIn(Base):
    """The decision of the appeal that lies before the caller's post; `penalty` only from
    the second appeal authority."""

    decision: AppealDecision
    order: Reason
    penalty: PenaltyIn | None = None
    expected_version: Version | None = None


class RevisionIn(Base):
    grounds: Reason
    expected_version: Version | None = None


class AppealOut(msgspec.Struct, kw_only=True):
    stage: int
    post: str
    filed_at: datetime
    decide_by: datetime
    decision: AppealDecision | None
    decided_at: datetime | None


class PenaltyOut(msgspec.Struct, kw_only=True):
    post: str
    basis: PenaltyBasis
    days_late: int
    amount: int
    imposed_at: datetime
    revision_sought_at: datetime | None


class GuaranteeOut(msgspec.Struct, kw_only=True):
    """Where a complaint about a notified service stands under the Act."""

    service: str
    applied_on: date
    stipulated_days: int
    due_on: date  # the stipulated time's last day
    lapsed_at: datetime | None  # recorded passed, the complaint undisposed
    appeal_until: date | None  # the last day of a first appeal, once one lies
    first_appeal: AppealOut | None
    second_appeal: AppealOut | None
    penalty: PenaltyOut | None


class PendingAppealOut(msgspec.Struct, kw_only=True):
    complaint_id: UUID
    registration_no: str
    district: str
    department: str
    service: str
    stage: int  # 1: first appeal, 2: second
    post: str  # the post it lies before
    decide_by: datetime


class AppealsController(Controller):
    path = "/v1/appeals"
    tags = ["complaints"]

    @get(
        "/",
        sync_to_thread=True,
        summary="Appeals under the Public Services Guarantee Act awaiting a decision",
        guards=[only_roles_allowed_to("appeals_pending", "list the appeals pending")],
    )
    def pending(
        self,
        request: Req,
        services: Injected,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
    ) -> list[PendingAppealOut]:
        """An officer's: those before its post; a collector's, head's or secretary's: those
        of its district or department; those to be decided soonest first."""
        with services.pool.connection() as conn:
            found = pending_appeals(conn, request.user, limit)
        services.looked(request.user, (a.complaint_id for a in found), "GET /v1/appeals")
        return [PendingAppealOut(**dataclasses.asdict(a)) for a in found]


def _appeal(a: guarantee.Appeal | None) -> AppealOut | None:
    if a is None:
        return None
    return AppealOut(
        stage=a.stage,
        post=a.post,
        filed_at=a.filed_at,
        decide_by=a.decide_by,
        decision=a.decision,
        decided_at=a.decided_at,
    )


class GuaranteeController(Controller):
    path = "/v1/complaints"
    tags = ["complaints"]

    @get(
        "/{ref:str}/guarantee",
        sync_to_thread=True,
        summary="Where the complaint stands under the Public Services Guarantee Act",
    )
    def position(self, request: Req, services: Injected, ref: Ref) -> GuaranteeOut:
        """From the event store; 404 for a complaint that is not about a notified service."""
        complaint = seen_complaint(services, ref, request.user)
        services.looked(request.user, [complaint.id], "GET /v1/complaints/{ref}/guarantee")
        g = complaint.guarantee
        if g is None:
            raise Problem(404, "the complaint is not about a service notified under the Act")
        opens = complaint.appeal_opens_on()
        p = g.penalty
        return GuaranteeOut(
            service=g.claim.service,
            applied_on=g.claim.applied_on,
            stipulated_days=g.claim.stipulated_days,
            due_on=g.claim.due_on,
            lapsed_at=g.lapsed_at,
            appeal_until=guarantee.first_appeal_until(opens) if opens else None,
            first_appeal=_appeal(g.first),
            second_appeal=_appeal(g.second),
            penalty=PenaltyOut(
                post=p.post,
                basis=p.basis,
                days_late=p.days_late,
                amount=p.amount,
                imposed_at=p.imposed_at,
                revision_sought_at=p.revision_sought_at,
            )
            if p
            else None,
        )

    @post(
        "/{ref:str}/appeals/first",
        sync_to_thread=True,
        status_code=200,
        summary="A first appeal under the Public Services Guarantee Act",
    )
    def first_appeal(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[AppealIn]
    ) -> Response[schemas.CommandResult]:
        """Within 30 days of the rejection or of the stipulated time's end; to the first
        appeal officer (the level-2 post of the complaint's department and district)."""
        return on_complaint(
            services, request, ref, data, partial(services.app.first_appeal, grounds=data.grounds)
        )

    @post(
        "/{ref:str}/appeals/second",
        sync_to_thread=True,
        status_code=200,
        summary="A second appeal under the Public Services Guarantee Act",
    )
    def second_appeal(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[AppealIn]
    ) -> Response[schemas.CommandResult]:
        """Within 60 days of the first appeal's decision; to the second appeal authority
        (the level-3 post of the chain)."""
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(services.app.second_appeal, grounds=data.grounds),
        )

    @post(
        "/{ref:str}/appeals/decision",
        sync_to_thread=True,
        status_code=200,
        summary="The decision of the appeal before the caller's post (and a penalty)",
    )
    def decide(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[DecisionIn]
    ) -> Response[schemas.CommandResult]:
        penalty = data.penalty
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(
                services.app.decide_appeal,
                decision=data.decision,
                order=data.order,
                penalty=penalty.basis if penalty else None,
                amount=penalty.amount if penalty else None,
                reasons=penalty.reasons if penalty else None,
            ),
        )

    @post(
        "/{ref:str}/revision",
        sync_to_thread=True,
        status_code=200,
        summary="The officer penalised seeks revision of the penalty",
    )
    def revision(
        self, request: Req, services: Injected, ref: Ref, data: JSONBody[RevisionIn]
    ) -> Response[schemas.CommandResult]:
        """Within 60 days of the penalty's order."""
        return on_complaint(
            services,
            request,
            ref,
            data,
            partial(services.app.seek_revision, grounds=data.grounds),
        )


class ActFiguresOut(msgspec.Struct, kw_only=True):
    """`GET /v1/dashboards/guarantee`: the Act's figures of a scope over a window of days,
    each defined in docs/read-models.md ("The Act's figures")."""

    first_day: date
    last_day: date
    district: str | None
    department: str | None
    filed: int  # complaints filed about a notified service
    lapsed: int  # stipulated times that passed unserved
    first_appeals: int
    second_appeals: int
    appeals_received: int  # first_appeals + second_appeals
    first_decided: int
    second_decided: int
    appeals_decided: int  # first_decided + second_decided
    penalties: int
    penalty_rupees: int
    revisions: int


class GuaranteeDashboard(Controller):
    path = "/v1/dashboards"
    tags = ["read side"]
    guards = [only_roles_allowed_to("dashboards", "read the dashboards")]

    @get(
        "/guarantee",
        sync_to_thread=True,
        summary="The Public Services Guarantee Act: appeals received, decided, penalties",
    )
    def guarantee(
        self,
        request: Req,
        services: Injected,
        first: Day = None,
        last: LastDay = None,
        district: District = None,
        department: Department = None,
    ) -> ActFiguresOut:
        """The scope's figures under the Act over a window of days (30 to today by default,
        at most 366), from `read.guarantee_days`: each step counted on its day under the
        complaint's district and department then."""
        first, last, scope = figures_window(
            request, services.app.clock(), first, last, district, department
        )
        with services.pool.connection() as conn:
            found = figures(conn, first, last, department=scope.department, district=scope.district)
        return ActFiguresOut(
            first_day=first,
            last_day=last,
            district=scope.district,
            department=scope.department,
            appeals_received=found.appeals_received,
            appeals_decided=found.appeals_decided,
            **dataclasses.asdict(found),
        )
