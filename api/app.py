"""The Litestar application: routes, authentication, problem+json, OpenAPI at /schema."""

from __future__ import annotations

from litestar import Litestar, get
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from api.atr import ActionTakenReport
from api.attachments import AttachmentController
from api.audit import complaint_audit, who_looked
from api.auth import jwt_auth
from api.complaints import ComplaintController
from api.directory import DirectoryController
from api.headers import security_headers
from api.limits import MAX_BODY_BYTES, input_limits
from api.oversight import ReviewController, directory_gaps
from api.problems import EXCEPTION_HANDLERS
from api.read import DashboardController, InboxController, pipeline
from api.services import Services
from api.webhooks import WhatsAppWebhook

MAX_JSON_BODY = MAX_BODY_BYTES


@get("/health", summary="Liveness", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app(services: Services) -> Litestar:
    settings = services.settings
    auth = jwt_auth(
        settings.jwt_secret,
        jwks_file=settings.jwt_jwks_file,
        leeway_seconds=settings.jwt_leeway_seconds,
    )
    return Litestar(
        route_handlers=[
            health,
            ComplaintController,
            AttachmentController,
            directory_gaps,
            DirectoryController,
            ReviewController,
            InboxController,
            DashboardController,
            pipeline,
            ActionTakenReport,
            complaint_audit,
            who_looked,
            WhatsAppWebhook,
        ],
        dependencies={"services": Provide(lambda: services, sync_to_thread=False)},
        on_app_init=[auth.on_app_init],
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers],
        request_max_body_size=MAX_JSON_BODY,
        middleware=[input_limits],
        openapi_config=OpenAPIConfig(
            title="Sampark",
            version="1",
            description=(
                "Citizen grievance redressal: file, route, transfer, escalate, resolve with "
                "evidence, feedback, reopen, close; timelines rebuilt from the event store. "
                "Errors are RFC 9457 problem+json."
            ),
            path="/schema",
            render_plugins=[SwaggerRenderPlugin(), ScalarRenderPlugin(path="/scalar")],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
            security=[{"BearerToken": []}],
        ),
    )
