"""`/atr/{token}`: the Action Taken Report a citizen opens from WhatsApp, without logging in.

The token is signed, names one complaint, and expires (`SAMPARK_ATR_DAYS`, default 90 days
from the message that carried it). The same token lets the complainant give feedback from
the page and open the evidence of the disposal, and nothing else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery

from api import report
from api.problems import Problem
from api.services import Services
from domain.errors import DomainError
from domain.values import Identity, Language, Role
from infra.signing import BadToken, sign, verify

Injected = NamedDependency[Services]
PURPOSE = "atr"
HTML = "text/html; charset=utf-8"


def atr_secret(services: Services) -> str:
    return services.settings.atr_secret or services.settings.jwt_secret


def atr_link(services: Services, complaint: UUID, issued_at: datetime) -> str:
    """The link a message carries: valid for `atr_days` from when it was issued."""
    expires = issued_at + timedelta(days=services.settings.atr_days)
    token = sign(atr_secret(services), PURPOSE, str(complaint), expires)
    return f"{services.settings.public_url}/atr/{token}"


def _complaint_of(services: Services, token: str) -> UUID:
    try:
        subject = verify(atr_secret(services), PURPOSE, token, services.app.clock())
        return UUID(subject)
    except (BadToken, ValueError) as refused:
        raise Problem(403, f"this report link is not valid: {refused}") from None


def _language(wanted: str | None, default: str) -> str:
    if wanted is None:
        return default
    if wanted not in (Language.HINDI, Language.ENGLISH):
        raise Problem(400, "lang is hi or en", field="lang")
    return wanted


class ActionTakenReport(Controller):
    path = "/atr/{token:str}"
    tags = ["citizens"]

    def _report(self, services: Services, token: str, lang: str | None) -> report.Report:
        complaint = services.app.complaint(_complaint_of(services, token))
        return report.build(
            complaint,
            services.app.directory(),
            _language(lang, complaint.complainant.language),
            f"{services.settings.public_url}/atr/{token}/evidence",
        )

    @get("/", sync_to_thread=True, summary="The Action Taken Report (HTML, or ?format=pdf)")
    def show(
        self,
        services: Injected,
        token: FromPath[str],
        lang: FromQuery[str | None] = None,
        format: FromQuery[str] = "html",
    ) -> Response[Any]:
        built = self._report(services, token, lang)
        if format == "pdf":
            return Response(
                report.pdf(built),
                media_type="application/pdf",
                headers={
                    "Content-Disposition": (
                        f'inline; filename="ATR-{built.complaint.registration_no}.pdf"'
                    )
                },
            )
        if format != "html":
            raise Problem(400, "format is html or pdf", field="format")
        return Response(report.page(built, f"/atr/{token}"), media_type=HTML)

    @post("/feedback", sync_to_thread=True, status_code=200, summary="Feedback from the report")
    def feedback(
        self,
        services: Injected,
        token: FromPath[str],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        lang: FromQuery[str | None] = None,
    ) -> Response[Any]:
        complaint_id = _complaint_of(services, token)
        complaint = services.app.complaint(complaint_id)
        satisfied = data.get("satisfied")
        if satisfied not in ("yes", "no"):
            raise Problem(400, "satisfied is yes or no", field="satisfied")
        text = (data.get("rating") or "").strip()
        if text and not (text.isdigit() and 1 <= int(text) <= 5):
            raise Problem(400, "rating is a whole number from 1 to 5", field="rating")
        rating = int(text) if text else None  # a button alone gives no rating
        complainant = Identity(
            id=f"citizen-{complaint.complainant.mobile}",
            role=Role.CITIZEN,
            mobile=complaint.complainant.mobile,
        )
        notice = None
        try:
            services.app.give_feedback(
                complaint_id,
                by=complainant,
                satisfied=satisfied == "yes",
                rating=rating,
                comment=data.get("comment") or None,
            )
        except DomainError as refused:
            notice = str(refused)
        built = self._report(services, token, lang)
        notice = notice or built.label("given")
        return Response(
            report.page(built, f"/atr/{token}", notice=notice),
            media_type=HTML,
            status_code=200 if notice == built.label("given") else 409,
        )

    @get("/evidence/{sha256:str}", sync_to_thread=True, summary="Evidence of the disposal")
    def evidence(self, services: Injected, token: FromPath[str], sha256: FromPath[str]) -> Any:
        complaint = services.app.complaint(_complaint_of(services, token))
        resolution = complaint.resolution
        found = (
            next((a for a in resolution.evidence if a.sha256 == sha256), None)
            if resolution
            else None
        )
        content = services.blobs.get(sha256) if found else None
        if found is None or content is None:
            raise Problem(404, "no such evidence for this complaint")
        return Response(content, media_type=found.media_type)
