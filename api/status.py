"""`/status/{registration_no}`: where a complaint stands, for anyone who holds its receipt.

Opened with the last 4 digits of the complainant's mobile (a form), or with the signed link
of the receipt's QR code (`?key=`, `infra/security/report_links.py`). It says where the
complaint stands, at which level and with which office, until when, and how it was disposed
of; nothing personal (no name, number, address or the complaint's own words). In Hindi by
default, in English with `lang=en`.

Against enumeration: every check counts against the client's address and against the
registration number asked about (`SAMPARK_STATUS_LIMIT_PER_ADDRESS`, `..._PER_COMPLAINT`),
whether or not such a complaint exists, and a wrong check gets the very answer a registration
number never issued gets. The receipt's valid key counts against the client only, so one who
spends a number's checks cannot lock out the holder of its receipt.
"""

from __future__ import annotations

import hmac
import re
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery

from api import headers, report
from api.atr import as_page, html_page, language_of
from api.pages import render
from api.problems import EXCEPTION_HANDLERS, Problem
from api.services import Services
from domain.complaint import Complaint, complaint_id
from domain.errors import NotFound
from domain.values import HELPLINE, Language
from infra.security.rate_limits import client_address
from infra.security.report_links import status_key_holds
from projections.notify.messages import OUTCOMES

Injected = NamedDependency[Services]
Req = Request[Any, Any, Any]
DIGITS = re.compile(r"[0-9]{4}")
LABELS: dict[str, dict[str, str]] = {
    "digits": {"hi": "मोबाइल नंबर के अंतिम 4 अंक", "en": "Last 4 digits of your mobile number"},
    "check": {"hi": "स्थिति देखें", "en": "See the status"},
    "intro": {
        "hi": "शिकायत दर्ज कराते समय दिए गए मोबाइल नंबर के अंतिम 4 अंक डालें।",
        "en": "Enter the last 4 digits of the mobile number given when the complaint was filed.",
    },
    "no_match": {
        "hi": "इस पंजीयन संख्या और इन अंकों से कोई शिकायत नहीं मिली। अंक जाँचकर फिर प्रयास करें, "
        "या {0} पर कॉल करें।",
        "en": "No complaint matches this registration number and these digits. Check them and "
        "try again, or call {0}.",
    },
    "private": {
        "hi": "इस पृष्ठ पर आपका नाम, नंबर या शिकायत का विवरण नहीं दिखाया जाता।",
        "en": "This page does not show your name, number or what the complaint says.",
    },
}


def label(name: str, language: str) -> str:
    return LABELS[name][language]


def public_rows(view: report.Report) -> list[tuple[str, str]]:
    """What anyone holding the registration number may learn: where it stands, nothing more."""
    c = view.complaint
    rows = [
        (view.label("registration_no"), c.registration_no),
        (view.label("place"), f"{view.district} / {view.department} ({view.category})"),
        (view.label("filed_at"), report.when(c.filed_at)),
        (view.label("status"), report.STATUSES[c.status][view.language]),
    ]
    if c.is_open:
        level = f"{view.label('level')} {c.level}"
        rows.append((view.label("with"), f"{view.holder or '-'} ({level})"))
        if c.due_at:
            rows.append((view.label("due_at"), report.when(c.due_at)))
    if c.resolution is not None:
        rows += [
            (view.label("outcome"), OUTCOMES[c.resolution.outcome][view.language]),
            (view.label("resolved_at"), report.when(c.resolution.resolved_at)),
        ]
    return rows


class PublicStatus(Controller):
    path = "/status/{registration_no:str}"
    tags = ["citizens"]
    exception_handlers = {kind: as_page(handler) for kind, handler in EXCEPTION_HANDLERS.items()}

    def _count(self, services: Services, request: Req, registration_no: str) -> None:
        """One check, counted against the client and the number asked about."""
        self._count_address(services, request)
        self._count_number(services, registration_no)

    def _count_address(self, services: Services, request: Req) -> None:
        settings = services.settings
        address = client_address(
            request.client.host if request.client else None,
            request.headers.get("x-forwarded-for"),
            settings.trusted_proxy_networks(),
        )
        self._take(
            services,
            f"status:address:{address}",
            settings.status_limit_per_address,
            settings.status_limit_per_address_seconds,
        )

    def _count_number(self, services: Services, registration_no: str) -> None:
        settings = services.settings
        self._take(
            services,
            f"status:complaint:{registration_no}",
            settings.status_limit_per_complaint,
            settings.status_limit_per_complaint_seconds,
        )

    def _take(self, services: Services, key: str, limit: int, seconds: int) -> None:
        """Count one use of `key`; a 429 when it has had its share."""
        wait = services.limits.take(key, limit, seconds, services.app.clock())
        if wait is not None:
            raise Problem(
                429,
                f"too many status checks; try again in {int(wait)} seconds",
                retry_after_seconds=int(wait),
            )

    def _complaint(self, services: Services, registration_no: str) -> Complaint | None:
        if not 1 <= len(registration_no) <= 64:
            return None
        try:
            return services.app.complaint(complaint_id(registration_no))
        except NotFound:
            return None

    def _page(
        self,
        services: Services,
        registration_no: str,
        language: str,
        found: Complaint | None,
        *,
        notice: str | None = None,
        key: str | None = None,
        status_code: int = 200,
    ) -> Response[str]:
        view = (
            report.build(found, services.app.directory(), language, "")
            if found is not None
            else None
        )
        nonce = headers.nonce()
        other = Language.ENGLISH if language == Language.HINDI else Language.HINDI
        switch = {"lang": other, **({"key": key} if key and view else {})}
        page = render(
            "status.html",
            language=language,
            nonce=nonce,
            registration_no=registration_no,
            rows=public_rows(view) if view else None,
            labels={name: label(name, language) for name in LABELS},
            report_labels={k: v[language] for k, v in report.LABELS.items()},
            helpline=HELPLINE,
            helpline_text=report.LABELS["helpline"][language].format(HELPLINE),
            no_match=label("no_match", language).format(HELPLINE),
            notice=notice,
            switch=switch,
            path=f"/status/{registration_no}",
        )
        return html_page(page, nonce, status_code)

    @get("/", sync_to_thread=True, summary="A complaint's public status: the check, or by key")
    def show(
        self,
        services: Injected,
        request: Req,
        registration_no: FromPath[str],
        lang: FromQuery[str | None] = None,
        key: FromQuery[str | None] = None,
    ) -> Response[str]:
        language = language_of(lang, Language.HINDI)
        if key is None:  # the form: nothing looked up, nothing counted
            return self._page(services, registration_no, language, None)
        # A key is counted against the client; against the number only when it is not the
        # number's: one who spends a number's checks cannot lock its receipt's holder out.
        self._count_address(services, request)
        if not status_key_holds(services.settings, registration_no, key, services.app.clock()):
            self._count_number(services, registration_no)
            return self._no_match(services, registration_no, language)
        found = self._complaint(services, registration_no)
        if found is None:
            return self._no_match(services, registration_no, language)
        return self._page(services, registration_no, language, found, key=key)

    @post("/", sync_to_thread=True, status_code=200, summary="A complaint's public status")
    def check(
        self,
        services: Injected,
        request: Req,
        registration_no: FromPath[str],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        lang: FromQuery[str | None] = None,
    ) -> Response[str]:
        language = language_of(lang, Language.HINDI)
        digits = (data.get("digits") or "").strip()
        if not DIGITS.fullmatch(digits):
            raise Problem(400, "digits are the last 4 digits of the mobile number", field="digits")
        self._count(services, request, registration_no)
        found = self._complaint(services, registration_no)
        mobile = found.complainant.mobile if found is not None else "0000000000"
        if found is None or not hmac.compare_digest(mobile[-4:], digits):
            return self._no_match(services, registration_no, language)
        return self._page(services, registration_no, language, found)

    def _no_match(self, services: Services, registration_no: str, language: str) -> Response[str]:
        """The one answer for a number never issued, a wrong check and a link not valid."""
        return self._page(
            services,
            registration_no,
            language,
            None,
            notice=label("no_match", language).format(HELPLINE),
            status_code=404,
        )
