"""`/atr/{token}`: the Action Taken Report a citizen opens from WhatsApp, without logging in.

The token is signed, names one complaint, and expires (`SAMPARK_ATR_DAYS`, default 90 days
from the message that carried it). The same token lets the complainant give feedback from
the page and open the evidence of the disposal, and nothing else. A token is accepted only
exactly as it was issued (`infra/security/report_links.py`, `signing.py`).

Pages are rendered from templates with auto-escaping (`api/pages.py`) and carry a strict
Content-Security-Policy (`api/headers.py`); they are not cached (the token is their key).
A browser that asks for HTML gets an error as a page too; other clients get problem+json.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery

from api import headers, pages, report, report_pdf
from api.attachments import file_response
from api.problems import EXCEPTION_HANDLERS, PROBLEM_JSON, Problem
from api.schemas import checked
from api.services import Services
from domain import access, inputs
from domain.errors import DomainError
from domain.values import Language
from infra.security.report_links import complaint_of
from infra.security.signing import BadToken

Injected = NamedDependency[Services]
HTML = "text/html"  # Litestar adds "; charset=utf-8" to text types
Handler = Callable[[Request[Any, Any, Any], Any], Response[Any]]


def _complaint_of(services: Services, token: str) -> UUID:
    try:
        return complaint_of(services.settings, token, services.app.clock())
    except BadToken as refused:
        raise Problem(403, f"this report link is not valid: {refused}") from None


def html_page(
    content: str, nonce: str, status_code: int = 200, **extra_headers: str
) -> Response[str]:
    """A page with its own strict Content-Security-Policy, never kept by a cache."""
    return Response(
        content,
        media_type=HTML,
        status_code=status_code,
        headers={
            **extra_headers,
            "Content-Security-Policy": headers.page_policy(nonce),
            "Cache-Control": "no-store",
        },
    )


def _photos(services: Services, built: report.Report) -> dict[str, bytes]:
    """The evidence's photos, for the PDF's thumbnails (by their sha256)."""
    found = {e.sha256: services.blobs.get(e.sha256) for e in built.evidence if e.is_photo}
    return {sha256: content for sha256, content in found.items() if content is not None}


def _wants_a_page(request: Request[Any, Any, Any]) -> bool:
    """A browser's `Accept` prefers HTML to problem+json (`*/*` alone does not)."""
    try:
        return request.accept.best_match([PROBLEM_JSON, "text/html"]) == "text/html"
    except (ValueError, OverflowError):  # a q-value the parser cannot read
        return False


def as_page(handler: Handler) -> Handler:
    """The same error, as a page for a browser that asks for HTML."""

    def answer(request: Request[Any, Any, Any], error: Any) -> Response[Any]:
        problem = handler(request, error)
        if not _wants_a_page(request):
            return problem
        body = problem.content if isinstance(problem.content, dict) else {}
        nonce = headers.nonce()
        page = pages.render(
            "problem.html",
            language=Language.ENGLISH,
            title=body.get("title", "Error"),
            detail=body.get("detail", ""),
            nonce=nonce,
        )
        kept = {k: str(v) for k, v in problem.headers.items() if k.lower() != "content-type"}
        return html_page(page, nonce, problem.status_code or 500, **kept)

    return answer


def language_of(wanted: str | None, default: str) -> str:
    if wanted is None:
        return default
    if wanted not in (Language.HINDI, Language.ENGLISH):
        raise Problem(400, "lang is hi or en", field="lang")
    return wanted


@dataclass(frozen=True)
class FormAnswer:
    """The report page's feedback form, read by the domain's input rules."""

    satisfied: bool
    rating: int | None  # None: not given
    comment: str | None


def feedback_form(data: dict[str, str]) -> FormAnswer:
    """`satisfied` yes or no, an optional `rating` 1-5 and an optional `comment`, each by
    the rule every other way in applies; a 400 naming the field when one is broken."""
    satisfied = data.get("satisfied")
    if satisfied not in ("yes", "no"):
        raise Problem(400, "satisfied is yes or no", field="satisfied")
    given = data.get("rating") or ""
    rating = checked("rating", given, inputs.rating) if given.strip() else None
    comment = checked("comment", data.get("comment") or "", inputs.COMMENT.clean)
    return FormAnswer(
        satisfied=satisfied == "yes",
        rating=rating,
        comment=comment if comment and comment.strip() else None,
    )


class ActionTakenReport(Controller):
    path = "/atr/{token:str}"
    tags = ["citizens"]
    exception_handlers = {kind: as_page(handler) for kind, handler in EXCEPTION_HANDLERS.items()}

    def _report(self, services: Services, token: str, lang: str | None) -> report.Report:
        complaint = services.app.complaint(_complaint_of(services, token))
        return report.build(
            complaint,
            services.app.directory(),
            language_of(lang, complaint.complainant.language),
            f"/atr/{token}/evidence",
            services.blobs.media_type,
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
                report_pdf.pdf(built, services.settings.public_url, _photos(services, built)),
                media_type="application/pdf",
                headers={
                    "Content-Disposition": (
                        f'inline; filename="ATR-{built.complaint.registration_no}.pdf"'
                    ),
                    "Cache-Control": "no-store",
                },
            )
        if format != "html":
            raise Problem(400, "format is html or pdf", field="format")
        nonce = headers.nonce()
        return html_page(report.page(built, f"/atr/{token}", nonce), nonce)

    @post("/feedback", sync_to_thread=True, status_code=200, summary="Feedback from the report")
    def feedback(
        self,
        services: Injected,
        token: FromPath[str],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        lang: FromQuery[str | None] = None,
    ) -> Response[Any]:
        complaint_id = _complaint_of(services, token)
        answer = feedback_form(data)
        complaint = services.app.complaint(complaint_id)
        satisfied = answer.satisfied
        rating = answer.rating  # None: a button alone gives no rating
        complainant = access.citizen(complaint.complainant.mobile)
        notice = None
        try:
            services.app.give_feedback(
                complaint_id,
                by=complainant,
                satisfied=satisfied,
                rating=rating,
                comment=answer.comment,
            )
        except DomainError as refused:
            notice = str(refused)
        built = self._report(services, token, lang)
        notice = notice or built.label("given")
        nonce = headers.nonce()
        return html_page(
            report.page(built, f"/atr/{token}", nonce, notice=notice),
            nonce,
            status_code=200 if notice == built.label("given") else 409,
        )

    @post("/withdraw", sync_to_thread=True, status_code=200, summary="Withdrawal from the page")
    def withdraw(
        self,
        services: Injected,
        token: FromPath[str],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        lang: FromQuery[str | None] = None,
    ) -> Response[Any]:
        """The complainant takes back its open complaint from the page its link opens (the
        signed link stands for its login, as for feedback)."""
        complaint_id = _complaint_of(services, token)
        reason = checked("reason", data.get("reason") or "", inputs.REASON.clean)
        assert reason is not None
        complaint = services.app.complaint(complaint_id)
        notice = None
        try:
            services.app.withdraw(
                complaint_id, by=access.citizen(complaint.complainant.mobile), reason=reason
            )
        except DomainError as refused:
            notice = str(refused)
        built = self._report(services, token, lang)
        done = notice is None
        nonce = headers.nonce()
        return html_page(
            report.page(built, f"/atr/{token}", nonce, notice=notice or built.label("withdrawn")),
            nonce,
            status_code=200 if done else 409,
        )

    @post(
        "/appeal",
        sync_to_thread=True,
        status_code=200,
        summary="An appeal under the Public Services Guarantee Act, from the report",
    )
    def appeal(
        self,
        services: Injected,
        token: FromPath[str],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        lang: FromQuery[str | None] = None,
    ) -> Response[Any]:
        """The complainant's first appeal, or the second once the first is decided
        (`domain/appeals.py`): `grounds`, by the rule every other way in applies."""
        complaint_id = _complaint_of(services, token)
        grounds = checked("grounds", data.get("grounds") or "", inputs.REASON.clean) or ""
        complaint = services.app.complaint(complaint_id)
        complainant = access.citizen(complaint.complainant.mobile)
        g = complaint.guarantee
        command = (
            services.app.second_appeal
            if g is not None and g.first is not None and g.first.decided_at is not None
            else services.app.first_appeal
        )
        notice = None
        try:
            command(complaint_id, by=complainant, grounds=grounds)
        except DomainError as refused:
            notice = str(refused)
        built = self._report(services, token, lang)
        taken = notice is None
        nonce = headers.nonce()
        return html_page(
            report.page(built, f"/atr/{token}", nonce, notice=notice or built.label("appealed")),
            nonce,
            status_code=200 if taken else 409,
        )

    @post("/answer", sync_to_thread=True, status_code=200, summary="Answer the officer's question")
    def answer(
        self,
        services: Injected,
        token: FromPath[str],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        lang: FromQuery[str | None] = None,
    ) -> Response[Any]:
        """The complainant's answer from the report page: the clock runs again."""
        complaint_id = _complaint_of(services, token)
        answer = checked("answer", data.get("answer") or "", inputs.LONG_TEXT.clean)
        complaint = services.app.complaint(complaint_id)
        notice = None
        try:
            services.app.answer_clarification(
                complaint_id, by=access.citizen(complaint.complainant.mobile), answer=answer or ""
            )
        except DomainError as refused:
            notice = str(refused)
        built = self._report(services, token, lang)
        notice = notice or built.label("answered")
        nonce = headers.nonce()
        return html_page(
            report.page(built, f"/atr/{token}", nonce, notice=notice),
            nonce,
            status_code=200 if notice == built.label("answered") else 409,
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
        # The type found in the bytes at upload, never the one the event records.
        return file_response(
            content,
            services.blobs.media_type(sha256),
            found.filename,
            **{"Cache-Control": "private, no-store"},
        )
