"""The Action Taken Report, as a phone-sized HTML page and as a PDF, in Hindi or English.

Built from the complaint as the event store has it (never from a read model): what was asked,
who disposed of it and how, with which evidence, and where it stands now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.pages import render
from domain.complaint import Complaint
from domain.directory import Directory
from domain.sla import INDIA
from domain.values import Language, Status
from projections.notify.messages import OUTCOMES
from reports.drawing import fonts

LABELS: dict[str, dict[str, str]] = {
    "title": {"hi": "की गई कार्यवाही की रिपोर्ट", "en": "Action Taken Report"},
    "progress": {"hi": "शिकायत की स्थिति", "en": "Complaint status"},
    "registration_no": {"hi": "पंजीयन संख्या", "en": "Registration no."},
    "subject": {"hi": "विषय", "en": "Subject"},
    "description": {"hi": "शिकायत", "en": "Complaint"},
    "place": {"hi": "ज़िला / विभाग", "en": "District / department"},
    "filed_at": {"hi": "दर्ज होने की तिथि", "en": "Filed on"},
    "status": {"hi": "स्थिति", "en": "Status"},
    "with": {"hi": "अभी किसके पास", "en": "Now with"},
    "due_at": {"hi": "निस्तारण की अंतिम तिथि", "en": "To be disposed of by"},
    "outcome": {"hi": "परिणाम", "en": "Outcome"},
    "action_taken": {"hi": "की गई कार्यवाही", "en": "Action taken"},
    "resolved_by": {"hi": "निस्तारण करने वाले अधिकारी", "en": "Disposed of by"},
    "resolved_at": {"hi": "निस्तारण की तिथि", "en": "Disposed of on"},
    "evidence": {"hi": "साक्ष्य", "en": "Evidence"},
    "feedback": {"hi": "आपकी राय", "en": "Your feedback"},
    "ask": {"hi": "क्या आप की गई कार्यवाही से संतुष्ट हैं?", "en": "Are you satisfied?"},
    "yes": {"hi": "संतुष्ट", "en": "Satisfied"},
    "no": {"hi": "असंतुष्ट", "en": "Not satisfied"},
    "rating": {"hi": "अंक (1-5)", "en": "Rating (1-5)"},
    "comment": {"hi": "टिप्पणी", "en": "Comment"},
    "given": {"hi": "आपकी राय दर्ज है", "en": "Your feedback is recorded"},
    "other": {"hi": "English", "en": "हिंदी"},
    "pdf": {"hi": "PDF डाउनलोड करें", "en": "Download PDF"},
    "level": {"hi": "स्तर", "en": "level"},
    "question": {"hi": "अधिकारी का प्रश्न", "en": "The officer asks"},
    "answer_by": {"hi": "उत्तर देने की अंतिम तिथि", "en": "Answer by"},
    "waiting": {
        "hi": "आपके उत्तर तक समय-सीमा रुकी है",
        "en": "the deadline waits for your answer",
    },
    "answer": {"hi": "आपका उत्तर", "en": "Your answer"},
    "send": {"hi": "उत्तर भेजें", "en": "Send the answer"},
    "answered": {"hi": "आपका उत्तर दर्ज है", "en": "Your answer is recorded"},
}
STATUSES: dict[str, dict[str, str]] = {
    Status.UNASSIGNED: {"hi": "राज्य स्तर पर प्रतीक्षारत", "en": "waiting at state level"},
    Status.ASSIGNED: {"hi": "कार्यवाही जारी", "en": "in progress"},
    Status.RESOLVED: {"hi": "निस्तारित", "en": "disposed of"},
    Status.REOPENED: {"hi": "पुनः खोली गई", "en": "reopened"},
    Status.CLOSED: {"hi": "बंद", "en": "closed"},
}


@dataclass(frozen=True)
class Evidence:
    filename: str
    media_type: str
    link: str


@dataclass(frozen=True)
class Report:
    language: str
    complaint: Complaint
    department: str
    category: str
    district: str
    holder: str | None  # designation of the post that holds it now
    resolved_by: str | None  # designation of the post that disposed of it
    evidence: list[Evidence]
    may_give_feedback: bool

    def label(self, name: str) -> str:
        return LABELS[name][self.language]

    def rows(self) -> list[tuple[str, str]]:
        c = self.complaint
        rows = [
            (self.label("registration_no"), c.registration_no),
            (self.label("subject"), c.subject),
            (self.label("description"), c.description),
            (self.label("place"), f"{self.district} / {self.department} ({self.category})"),
            (self.label("filed_at"), when(c.filed_at)),
            (self.label("status"), STATUSES[c.status][self.language]),
        ]
        if c.is_open:
            level = f"{self.label('level')} {c.level}"
            rows.append((self.label("with"), f"{self.holder or '-'} ({level})"))
            if c.due_at:
                rows.append((self.label("due_at"), when(c.due_at)))
        if c.clarification is not None:  # the clock that waits (docs/hearings.md)
            rows += [
                (self.label("due_at"), self.label("waiting")),
                (self.label("question"), c.clarification.question),
                (self.label("answer_by"), when(c.clarification.answer_by)),
            ]
        if c.resolution is not None:
            r = c.resolution
            rows += [
                (self.label("outcome"), OUTCOMES[r.outcome][self.language]),
                (self.label("action_taken"), r.action_taken),
                (self.label("resolved_by"), f"{self.resolved_by or '-'}, {self.department}"),
                (self.label("resolved_at"), when(r.resolved_at)),
            ]
        return rows


def build(
    complaint: Complaint,
    directory: Directory,
    language: str,
    evidence_link: str,
) -> Report:
    def designation(post_id: str | None) -> str | None:
        post = directory.posts.get(post_id) if post_id else None
        return post.designation if post else None

    department = directory.departments.get(complaint.department)
    category = directory.category(complaint.department, complaint.category)
    district = directory.districts.get(complaint.district)
    resolution = complaint.resolution
    return Report(
        language=language,
        complaint=complaint,
        department=department.name if department else complaint.department,
        category=category.name if category else complaint.category,
        district=district.name if district else complaint.district,
        holder=designation(complaint.holder),
        resolved_by=designation(resolution.resolved_by) if resolution else None,
        evidence=[
            Evidence(a.filename, a.media_type, f"{evidence_link}/{a.sha256}")
            for a in (resolution.evidence if resolution else ())
        ],
        may_give_feedback=complaint.status == Status.RESOLVED and complaint.feedback is None,
    )


def when(moment: datetime | None) -> str:
    return moment.astimezone(INDIA).strftime("%d-%m-%Y %H:%M") if moment else "-"


# --- HTML --------------------------------------------------------------------------------


def page(report: Report, token_path: str, nonce: str, notice: str | None = None) -> str:
    """The report as a page (`api/templates/report.html`); its style carries `nonce`, the
    only style the page's Content-Security-Policy lets in."""
    title = report.label("title") if report.complaint.resolution else report.label("progress")
    return render(
        "report.html",
        report=report,
        language=report.language,
        title=title,
        other="en" if report.language == Language.HINDI else "hi",
        token_path=token_path,
        notice=notice,
        nonce=nonce,
    )


# --- PDF ---------------------------------------------------------------------------------


def pdf(report: Report) -> bytes:
    """The same report as a PDF: Devanagari shaped by HarfBuzz, in Noto Sans Devanagari."""
    from fpdf import FPDF

    devanagari, latin = fonts()
    document = FPDF(format="A4")
    document.set_title(f"{report.label('title')} {report.complaint.registration_no}")
    document.add_font("Devanagari", fname=devanagari)
    document.add_font("Latin", fname=latin)
    document.set_text_shaping(True)
    document.set_fallback_fonts(["Latin"])
    document.add_page()
    document.set_margins(18, 18, 18)
    document.set_font("Devanagari", size=17)
    title = report.label("title") if report.complaint.resolution else report.label("progress")
    document.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    document.ln(2)
    width = document.epw
    for name, value in report.rows():
        document.set_font("Devanagari", size=9)
        document.set_text_color(90, 90, 85)
        document.multi_cell(width, 5, name, new_x="LMARGIN", new_y="NEXT")
        document.set_font("Devanagari", size=12)
        document.set_text_color(20, 20, 20)
        document.multi_cell(width, 6.5, value, new_x="LMARGIN", new_y="NEXT")
        document.ln(1.5)
    if report.evidence:
        document.set_font("Devanagari", size=9)
        document.multi_cell(width, 5, report.label("evidence"), new_x="LMARGIN", new_y="NEXT")
        document.set_font("Devanagari", size=11)
        for item in report.evidence:
            document.cell(width, 6.5, item.filename, link=item.link, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())
