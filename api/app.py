"""The Litestar application: routes, authentication, problem+json, OpenAPI at /schema
(unless switched off: `SAMPARK_PUBLIC_SCHEMA`)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import partial

from litestar import Litestar
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from api.assist import AssistController
from api.atr import ActionTakenReport
from api.attachments import AttachmentController
from api.audit import complaint_audit, who_looked
from api.auth import jwt_auth
from api.complaints import ComplaintController
from api.directory import DirectoryController
from api.diwas import DiwasController, DiwasListing
from api.documents import sent_document
from api.fonts import web_font
from api.guarantee import AppealsController, GuaranteeController, GuaranteeDashboard
from api.headers import security_headers
from api.health import health, live, metrics, ready
from api.hearings import HearingController
from api.limits import MAX_BODY_BYTES, input_limits
from api.observing import Observed
from api.open311 import Open311Controller
from api.openapi import render_plugins
from api.oversight import ReviewController, directory_gaps
from api.parameters import DocumentedQuery
from api.problems import EXCEPTION_HANDLERS, allow_header
from api.read import DashboardController, InboxController, pipeline
from api.receipt import complaint_receipt
from api.reports import ReportController
from api.services import Services
from api.status import PublicStatus
from api.triage import TriageController
from api.waiting import WaitingController, WaitingDashboard
from api.webhooks import WhatsAppWebhook
from infra.logs import litestar_formatters
from infra.settings import Settings

MAX_JSON_BODY = MAX_BODY_BYTES


def create_app(services: Services) -> Litestar:
    """The API serving one services container."""
    return app_serving(services.settings, lambda: services)


def app_serving(settings: Settings, services: Callable[[], Services]) -> Litestar:
    """The API, laid out from `settings` (authentication, the schema), each request finding
    its services container through `services`. Laying out the routes takes a while, so the
    tests lay them out once and hand each test's container in this way."""
    auth = jwt_auth(
        settings.jwt_secret,
        jwks_file=settings.jwt_jwks_file,
        leeway_seconds=settings.jwt_leeway_seconds,
    )
    return Litestar(
        route_handlers=[
            health,
            live,
            ready,
            metrics,
            ComplaintController,
            GuaranteeController,
            GuaranteeDashboard,
            AppealsController,
            WaitingController,
            WaitingDashboard,
            HearingController,
            DiwasListing,
            DiwasController,
            AssistController,
            TriageController,
            AttachmentController,
            directory_gaps,
            DirectoryController,
            ReviewController,
            InboxController,
            DashboardController,
            ReportController,
            pipeline,
            ActionTakenReport,
            PublicStatus,
            web_font,
            sent_document,
            complaint_audit,
            complaint_receipt,
            who_looked,
            WhatsAppWebhook,
            Open311Controller,
        ],
        dependencies={"services": Provide(services, sync_to_thread=False)},
        on_app_init=[auth.on_app_init],
        on_startup=[settled_heap],
        on_shutdown=[partial(_close_reads, services)],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[Observed(), input_limits, DocumentedQuery()],
        logging_config=LoggingConfig(formatters=litestar_formatters(settings.logs_as)),
        before_send=[security_headers, allow_header],
        request_max_body_size=MAX_JSON_BODY,
        openapi_config=_openapi(_public(auth.exclude)) if settings.schema_served else None,
    )


def settled_heap() -> None:
    """What the process holds once started (modules, routes, the schema, the models) is put
    out of the garbage collector's reach: a full collection then walks only what requests
    made, not the whole heap, which otherwise cost a request, now and then, tens of
    milliseconds (the dashboards' p99 at 1 M, BENCHMARKS.md). Once a process: what a later
    start would find (a test's leftovers) is not frozen for good."""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


async def _close_reads(services: Callable[[], Services]) -> None:
    """The async handlers' pool of this event loop, closed with the application."""
    await services().reads.close_here()


def _public(exclude: str | list[str] | None) -> list[str]:
    """The paths the bearer token does not guard, as the authentication lists them."""
    return [exclude] if isinstance(exclude, str) else list(exclude or [])


def _openapi(public: list[str]) -> OpenAPIConfig:
    """The schema at /schema (`api/openapi.py` documents every operation's answers)."""
    return OpenAPIConfig(
        title="Sampark",
        version="1",
        description=(
            "Citizen grievance redressal: file, route, transfer, escalate, resolve with "
            "evidence, feedback, reopen, close; timelines rebuilt from the event store. "
            "Errors are RFC 9457 problem+json."
        ),
        path="/schema",
        render_plugins=render_plugins(public),
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
            }
        ),
        security=[{"BearerToken": []}],
    )
