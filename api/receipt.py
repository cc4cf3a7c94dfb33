"""`GET /v1/complaints/{id}/receipt`: the receipt an e-Mitra kiosk or the 181 desk hands the
citizen, one A4 page in Hindi and English: the registration number, what was filed, where and
by which desk, the deadline, the helpline's number, and a QR code of the public status link
(`/status/{registration_no}?key=...`, signed; see `api/status.py`).

The directory's names are given in both languages (Hindi from `name_hi`); times in IST. The
QR code is drawn by segno (error correction M: a crumpled printout still scans).
"""

from __future__ import annotations

import io
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency

from api.complaints import Ref, seen_complaint
from api.guards import only_roles_allowed_to
from api.report import when
from api.report_pdf import GREY, INK, NAVY, letterhead
from api.services import Services
from domain import access
from domain.complaint import Complaint
from domain.directory import Directory
from domain.values import HELPLINE, Channel, Identity
from infra.security.report_links import status_link
from reports.drawing import fonts

Req = Request[Identity, Any, Any]
Injected = NamedDependency[Services]
MAX_WORDS = 400  # characters of the description on the receipt (one page); the rest is on record
CHANNELS = {
    Channel.EMITRA: "ई-मित्र / e-Mitra",
    Channel.HELPLINE_181: "हेल्पलाइन 181 / Helpline 181",
    Channel.PORTAL: "पोर्टल / Portal",
    Channel.WHATSAPP: "व्हाट्सऐप / WhatsApp",
    Channel.CMO: "मुख्यमंत्री कार्यालय / CMO",
    Channel.VIP: "वीआईपी / VIP",
    Channel.SAMPARK_DIWAS: "सम्पर्क दिवस / Sampark Diwas",
}


def _both(name: str, name_hi: str | None) -> str:
    return f"{name_hi} / {name}" if name_hi and name_hi != name else name


def _masked(mobile: str) -> str:
    return "X" * (len(mobile) - 4) + mobile[-4:]


def rows(complaint: Complaint, directory: Directory) -> list[tuple[str, str]]:
    """What the receipt says, each line labelled in Hindi and English."""
    district = directory.districts.get(complaint.district)
    department = directory.departments.get(complaint.department)
    category = directory.category(complaint.department, complaint.category)
    description = complaint.description
    if len(description) > MAX_WORDS:
        description = description[:MAX_WORDS].rstrip() + " …"
    found = [
        ("पंजीयन संख्या / Registration no.", complaint.registration_no),
        ("दर्ज होने की तिथि / Filed on", when(complaint.filed_at)),
        (
            "शिकायतकर्ता / Complainant",
            complaint.complainant.name,
        ),
        ("मोबाइल / Mobile", _masked(complaint.complainant.mobile)),
        (
            "ज़िला / District",
            _both(district.name, district.name_hi) if district else complaint.district,
        ),
        (
            "विभाग / Department",
            _both(department.name, department.name_hi) if department else complaint.department,
        ),
        (
            "श्रेणी / Category",
            _both(category.name, category.name_hi) if category else complaint.category,
        ),
        ("विषय / Subject", complaint.subject),
        ("शिकायत / Complaint", description),
        ("निस्तारण की अंतिम तिथि / To be disposed of by", when(complaint.due_at)),
        ("माध्यम / Filed through", CHANNELS.get(complaint.channel, str(complaint.channel))),
    ]
    if complaint.desk:
        found.append(("केंद्र / Kiosk or desk", complaint.desk))
    return found


# The most lines a value takes (the others 2), so that the longest filing the input rules
# allow still prints on one page.
LINES = {"विषय / Subject": 3, "शिकायत / Complaint": 6}


def fitted(document: Any, width: float, text: str, most: int) -> str:
    """`text` cut to the lines it may take in the current font, marked … when cut."""
    lines = document.multi_cell(width, 5.6, text, dry_run=True, output="LINES")
    if len(lines) <= most:
        return text
    kept = " ".join(line.strip() for line in lines[:most])
    while (
        kept
        and len(document.multi_cell(width, 5.6, kept + " …", dry_run=True, output="LINES")) > most
    ):
        kept = kept[:-8].rstrip()
    return kept + " …"


def qr_png(link: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make_qr(link, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def pdf(complaint: Complaint, directory: Directory, link: str) -> bytes:
    """The receipt: one A4 page, Hindi and English side by side in each line."""
    from fpdf import FPDF

    devanagari, latin = fonts()
    document = FPDF(format="A4")
    document.set_title(f"Receipt {complaint.registration_no}")
    document.set_creation_date(complaint.filed_at)
    document.add_font("Devanagari", fname=devanagari)
    document.add_font("Latin", fname=latin)
    document.set_text_shaping(True, script="deva")
    document.set_fallback_fonts(["Latin"])
    document.set_margins(18, 18, 18)
    document.set_auto_page_break(False)
    document.add_page()
    letterhead(
        document,
        "राजस्थान सरकार / Government of Rajasthan",
        "राजस्थान सम्पर्क · जन शिकायत निवारण / Rajasthan Sampark",
        f"हेल्पलाइन / Helpline {HELPLINE}",
        size=12.5,
    )
    document.set_font("Devanagari", size=16)
    document.cell(0, 9, "शिकायत की पावती / Complaint receipt", new_x="LMARGIN", new_y="NEXT")
    document.ln(1)
    width = document.epw - 62  # the QR code's column on the right
    top = document.get_y()
    document.image(io.BytesIO(qr_png(link)), x=document.w - 18 - 56, y=top, w=56, h=56, link=link)
    document.set_xy(document.w - 18 - 58, top + 57)
    document.set_font("Devanagari", size=8.5)
    document.multi_cell(
        60, 4.2, "स्कैन करें: शिकायत की स्थिति\nScan: where your complaint stands", align="C"
    )
    document.set_xy(document.l_margin, top)
    for name, value in rows(complaint, directory):
        document.set_font("Devanagari", size=8.5)
        document.set_text_color(*GREY)
        document.multi_cell(width, 4.5, name, new_x="LMARGIN", new_y="NEXT")
        document.set_font("Devanagari", size=11.5 if name.endswith("Registration no.") else 10.5)
        document.set_text_color(*INK)
        shown = fitted(document, width, value, LINES.get(name, 2))
        document.multi_cell(width, 5.6, shown, new_x="LMARGIN", new_y="NEXT")
        document.ln(1.2)
    _how_to_follow(document, complaint, link)
    return bytes(document.output())


def _how_to_follow(document: Any, complaint: Complaint, link: str) -> None:
    """How the citizen follows the complaint, in a framed box at the foot of the page."""
    y = max(document.get_y() + 3, 200.0)
    if y > document.h - 62:
        y = document.get_y() + 3
    document.set_draw_color(*NAVY)
    document.set_line_width(0.4)
    document.set_xy(document.l_margin + 3, y + 2)
    width = document.epw - 6
    page = link.split("?", 1)[0]
    lines = (
        f"अपनी शिकायत की स्थिति जानने के लिए QR कोड स्कैन करें; या {page} खोलकर अपने मोबाइल "
        f"नंबर के अंतिम 4 अंक डालें; या {HELPLINE} पर कॉल करके पंजीयन संख्या "
        f"{complaint.registration_no} बताएं। निस्तारण होने पर आपको SMS/व्हाट्सऐप पर की गई "
        "कार्यवाही की रिपोर्ट भेजी जाएगी।",
        f"To follow your complaint, scan the QR code; or open {page} and enter the last 4 "
        f"digits of your mobile number; or call {HELPLINE} and give the registration number "
        f"{complaint.registration_no}. When it is disposed of, you will get the Action Taken "
        "Report by SMS or WhatsApp.",
    )
    document.set_font("Devanagari", size=10)
    for line in lines:
        document.set_x(document.l_margin + 3)
        document.multi_cell(width, 5.2, line, align="L", new_x="LMARGIN", new_y="NEXT")
        document.ln(1)
    document.set_x(document.l_margin + 3)
    document.set_font("Devanagari", size=8)
    document.set_text_color(*GREY)
    document.multi_cell(width, 4, link, align="L", new_x="LMARGIN", new_y="NEXT", link=link)
    document.set_text_color(*INK)
    document.rect(document.l_margin, y, document.epw, document.get_y() - y + 2)


@get(
    "/v1/complaints/{ref:str}/receipt",
    sync_to_thread=True,
    tags=["complaints"],
    summary="The filing's receipt for the citizen (PDF, Hindi and English, with a QR code)",
    guards=[only_roles_allowed_to("receipt", "print the receipt of a complaint")],
)
def complaint_receipt(request: Req, services: Injected, ref: Ref) -> Response[bytes]:
    complaint = seen_complaint(services, ref, request.user)
    access.require(request.user, complaint, "receipt")
    # Signed from the filing's time: a receipt printed again is the same receipt.
    filed_at = complaint.filed_at or services.app.clock()
    link = status_link(services.settings, complaint.registration_no, filed_at)
    return Response(
        pdf(complaint, services.app.directory(), link),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="receipt-{complaint.registration_no}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
