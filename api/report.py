"""The Action Taken Report, as a phone-sized HTML page and as a PDF, in Hindi or English.

Built from the complaint as the event store has it (never from a read model): what was asked,
who disposed of it and how, with which evidence, and where it stands now. A reader of Hindi
reads the directory's Hindi names (`name_hi`) where the directory has them; every time is
India's, marked IST; the helpline's number and what to do when not satisfied are on both.
The PDF is drawn by `api/report_pdf.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from api.attachments import OPENS_IN_BROWSER
from api.pages import render
from domain.complaint import Complaint
from domain.directory import Directory, in_hindi
from domain.sla import INDIA
from domain.values import HELPLINE, Language, Status
from projections.notify.messages import OUTCOMES

LABELS: dict[str, dict[str, str]] = {
    "title": {"hi": "की गई कार्यवाही की रिपोर्ट", "en": "Action Taken Report"},
    "progress": {"hi": "शिकायत की स्थिति", "en": "Complaint status"},
    "state": {"hi": "राजस्थान सरकार", "en": "Government of Rajasthan"},
    "sampark": {
        "hi": "राजस्थान सम्पर्क · जन शिकायत निवारण",
        "en": "Rajasthan Sampark · Public grievance redressal",
    },
    "helpline": {"hi": "हेल्पलाइन {0} (निःशुल्क)", "en": "Helpline {0} (toll-free)"},
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
    "rating": {"hi": "कार्यवाही को अंक दें (चाहें तो)", "en": "Rate the action taken (optional)"},
    "comment": {"hi": "टिप्पणी (चाहें तो)", "en": "Comment (optional)"},
    "given": {"hi": "आपकी राय दर्ज है", "en": "Your feedback is recorded"},
    "other": {"hi": "English", "en": "हिंदी"},
    "pdf": {"hi": "PDF डाउनलोड करें", "en": "Download PDF"},
    "level": {"hi": "स्तर", "en": "level"},
    "unsatisfied": {"hi": "संतुष्ट नहीं हैं?", "en": "Not satisfied?"},
    "unsatisfied_now": {
        "hi": "{0} तक ऊपर «असंतुष्ट» चुनें: आपकी शिकायत फिर से खोली जाएगी और उस पर दोबारा "
        "कार्यवाही होगी। सहायता के लिए {1} पर कॉल करें और अपनी पंजीयन संख्या बताएं।",
        "en": "Choose «Not satisfied» above by {0}: your complaint is reopened and acted on "
        "again. For help, call {1} and give your registration number.",
    },
    "unsatisfied_link": {
        "hi": "{0} तक रिपोर्ट का लिंक खोलकर «असंतुष्ट» चुनें: आपकी शिकायत फिर से खोली जाएगी और "
        "उस पर दोबारा कार्यवाही होगी। सहायता के लिए {1} पर कॉल करें और अपनी पंजीयन संख्या बताएं।",
        "en": "By {0}, open the report's link and choose «Not satisfied»: your complaint is "
        "reopened and acted on again. For help, call {1} and give your registration number.",
    },
    "unsatisfied_later": {
        "hi": "हेल्पलाइन {0} पर कॉल करें और अपनी पंजीयन संख्या बताएं: आगे क्या हो सकता है, वहाँ बताया जाएगा।",
        "en": "Call the helpline {0} and give your registration number: they will tell you "
        "what can be done.",
    },
    "questions": {
        "hi": "शिकायत के बारे में कुछ पूछना है? {0} पर कॉल करें और अपनी पंजीयन संख्या बताएं।",
        "en": "Any question about your complaint? Call {0} and give your registration number.",
    },
}
# The rating's five choices, each with its meaning (1 the worst).
RATINGS: dict[int, dict[str, str]] = {
    5: {"hi": "बहुत अच्छा", "en": "Very good"},
    4: {"hi": "अच्छा", "en": "Good"},
    3: {"hi": "ठीक-ठाक", "en": "Fair"},
    2: {"hi": "खराब", "en": "Poor"},
    1: {"hi": "बहुत खराब", "en": "Very poor"},
}
STATUSES: dict[str, dict[str, str]] = {
    Status.UNASSIGNED: {"hi": "राज्य स्तर पर प्रतीक्षारत", "en": "waiting at state level"},
    Status.ASSIGNED: {"hi": "कार्यवाही जारी", "en": "in progress"},
    Status.RESOLVED: {"hi": "निस्तारित", "en": "disposed of"},
    Status.REOPENED: {"hi": "पुनः खोली गई", "en": "reopened"},
    Status.CLOSED: {"hi": "बंद", "en": "closed"},
}
# What a piece of evidence is, said to the citizen (a photo is shown, the others linked).
KINDS: dict[str, dict[str, str]] = {
    "photo": {"hi": "फ़ोटो", "en": "Photo"},
    "application/pdf": {"hi": "दस्तावेज़ (PDF)", "en": "Document (PDF)"},
    "video": {"hi": "वीडियो", "en": "Video"},
    "file": {"hi": "फ़ाइल", "en": "File"},
}
PHOTOS = frozenset(t for t in OPENS_IN_BROWSER if t.startswith("image/"))


@dataclass(frozen=True)
class Evidence:
    sha256: str
    filename: str
    media_type: str
    path: str  # under the report's own link: /atr/{token}/evidence/{sha256}

    @property
    def is_photo(self) -> bool:
        return self.media_type in PHOTOS

    def kind(self, language: str) -> str:
        if self.is_photo:
            return KINDS["photo"][language]
        if self.media_type.startswith("video/"):
            return KINDS["video"][language]
        return KINDS.get(self.media_type, KINDS["file"])[language]


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

    @property
    def title(self) -> str:
        return self.label("title") if self.complaint.resolution else self.label("progress")

    @property
    def helpline(self) -> str:
        return self.label("helpline").format(HELPLINE)

    def ratings(self) -> list[tuple[int, str]]:
        return [(n, f"{n} · {names[self.language]}") for n, names in RATINGS.items()]

    def if_not_satisfied(self, on_the_page: bool = True) -> str | None:
        """What to do when not satisfied with a disposal (None: nothing disposed of yet); the
        page has the form, a printed copy points to the link."""
        resolution = self.complaint.resolution
        if resolution is None:
            return None
        if self.may_give_feedback:
            step = "unsatisfied_now" if on_the_page else "unsatisfied_link"
            return self.label(step).format(when(resolution.feedback_until), HELPLINE)
        return self.label("unsatisfied_later").format(HELPLINE)

    def questions(self) -> str:
        return self.label("questions").format(HELPLINE)

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
    evidence_path: str,
    served_as: Callable[[str], str | None] = lambda _: None,
) -> Report:
    """The report of `complaint` in `language`; its evidence under `evidence_path`, each
    file of the type it is served as (`served_as`: found in its bytes at upload; None: the
    type the event records)."""

    def designation(post_id: str | None) -> str | None:
        post = directory.posts.get(post_id) if post_id else None
        return in_hindi(post.designation, post.name_hi, language) if post else None

    department = directory.departments.get(complaint.department)
    category = directory.category(complaint.department, complaint.category)
    district = directory.districts.get(complaint.district)
    resolution = complaint.resolution
    return Report(
        language=language,
        complaint=complaint,
        department=(
            in_hindi(department.name, department.name_hi, language)
            if department
            else complaint.department
        ),
        category=(
            in_hindi(category.name, category.name_hi, language) if category else complaint.category
        ),
        district=(
            in_hindi(district.name, district.name_hi, language) if district else complaint.district
        ),
        holder=designation(complaint.holder),
        resolved_by=designation(resolution.resolved_by) if resolution else None,
        evidence=[
            Evidence(
                a.sha256,
                a.filename,
                served_as(a.sha256) or a.media_type,
                f"{evidence_path}/{a.sha256}",
            )
            for a in (resolution.evidence if resolution else ())
        ],
        may_give_feedback=complaint.status == Status.RESOLVED and complaint.feedback is None,
    )


def when(moment: datetime | None) -> str:
    """A moment as India reads it, marked so: 30-11-2026 18:05 IST."""
    return moment.astimezone(INDIA).strftime("%d-%m-%Y %H:%M IST") if moment else "-"


# --- HTML --------------------------------------------------------------------------------


def page(report: Report, token_path: str, nonce: str, notice: str | None = None) -> str:
    """The report as a page (`api/templates/report.html`); its style carries `nonce`, the
    only style the page's Content-Security-Policy lets in."""
    return render(
        "report.html",
        report=report,
        language=report.language,
        title=report.title,
        other="en" if report.language == Language.HINDI else "hi",
        token_path=token_path,
        notice=notice,
        nonce=nonce,
        helpline=HELPLINE,
    )
