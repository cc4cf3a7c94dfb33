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
from domain import guarantee
from domain.appeals import service_department
from domain.complaint import Complaint
from domain.directory import Directory, in_hindi
from domain.location import Location
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
    "location": {"hi": "स्थान", "en": "Location"},
    "withdraw": {
        "hi": "समस्या हल हो गई या अब शिकायत नहीं रखनी? कारण लिखकर शिकायत वापस लें।",
        "en": "Problem solved, or no longer want to pursue it? Withdraw it, saying why.",
    },
    "reason": {"hi": "कारण", "en": "Reason"},
    "withdraw_button": {"hi": "शिकायत वापस लें", "en": "Withdraw the complaint"},
    "withdrawn": {"hi": "आपकी शिकायत वापस ले ली गई है", "en": "Your complaint is withdrawn"},
    # The Public Services Guarantee Act (docs/guarantee.md).
    "service": {"hi": "अधिसूचित सेवा (लोक सेवा गारंटी अधिनियम)", "en": "Notified service (the Act)"},
    "applied_on": {"hi": "आवेदन की तिथि", "en": "Applied on"},
    "due_on": {"hi": "सेवा की निर्धारित अंतिम तिथि", "en": "Service due by"},
    "appeal_right": {"hi": "अपील का अधिकार", "en": "Right to appeal"},
    "may_appeal": {
        "hi": "आप {date} तक प्रथम अपील अधिकारी ({officer}) को अपील कर सकते हैं।",
        "en": "You may appeal to the first appeal officer ({officer}) until {date}.",
    },
    "may_appeal_again": {
        "hi": "आप {date} तक द्वितीय अपील प्राधिकारी ({officer}) को अपील कर सकते हैं।",
        "en": "You may appeal to the second appeal authority ({officer}) until {date}.",
    },
    "first_appeal": {"hi": "प्रथम अपील", "en": "First appeal"},
    "second_appeal": {"hi": "द्वितीय अपील", "en": "Second appeal"},
    "appeal_filed": {
        "hi": "{filed} को दर्ज; {officer} द्वारा {by} तक निर्णय",
        "en": "filed {filed}; to be decided by {officer} by {by}",
    },
    "appeal_decided": {"hi": "{at} को निर्णय: {decision}", "en": "decided {at}: {decision}"},
    "allowed": {"hi": "स्वीकार", "en": "allowed"},
    "dismissed": {"hi": "अस्वीकार", "en": "dismissed"},
    "penalty": {"hi": "शास्ति", "en": "Penalty"},
    "grounds": {"hi": "अपील का आधार", "en": "Grounds of appeal"},
    "appeal": {"hi": "अपील करें", "en": "Appeal"},
    "appealed": {"hi": "आपकी अपील दर्ज हो गई है", "en": "Your appeal is recorded"},
    "penalty_text": {
        "hi": "पदाभिहित अधिकारी पर {amount} रुपये ({days} दिन का विलंब)",
        "en": "Rs {amount} on the designated officer ({days} days late)",
    },
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
    Status.WITHDRAWN: {"hi": "आपके द्वारा वापस ली गई", "en": "withdrawn by you"},
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
    may_withdraw: bool  # open: the complainant may still take it back
    # Under the Public Services Guarantee Act: the service's name, and the designations of
    # the posts its appeals go to (level 2, level 3), as the directory has them.
    service: str | None = None
    appeal_officers: tuple[str | None, str | None] = (None, None)

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
            *([(self.label("location"), place(c.location))] if c.location else []),
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
        return rows + self.under_the_act()

    @property
    def may_appeal(self) -> bool:
        """Whether an appeal under the Act lies now: the first, or the second once the first
        is decided (the domain still checks the days when it comes)."""
        g = self.complaint.guarantee
        if g is None:
            return False
        if g.first is None:
            return self.complaint.appeal_opens_on() is not None
        return g.first.decided_at is not None and g.second is None

    def under_the_act(self) -> list[tuple[str, str]]:
        """Where the complaint stands under the Public Services Guarantee Act: the service,
        its stipulated time, the right to appeal while it lies, and each appeal."""
        c, g = self.complaint, self.complaint.guarantee
        if g is None:
            return []
        day = "%d-%m-%Y"
        rows = [
            (self.label("service"), self.service or g.claim.service),
            (self.label("applied_on"), g.claim.applied_on.strftime(day)),
            (self.label("due_on"), g.claim.due_on.strftime(day)),
        ]
        first_officer, second_officer = (o or "-" for o in self.appeal_officers)
        opens = c.appeal_opens_on()
        if g.first is None and opens is not None:
            until = guarantee.first_appeal_until(opens)
            text = self.label("may_appeal").format(date=until.strftime(day), officer=first_officer)
            rows.append((self.label("appeal_right"), text))
        for name, appeal, officer in (
            ("first_appeal", g.first, first_officer),
            ("second_appeal", g.second, second_officer),
        ):
            if appeal is None:
                continue
            text = self.label("appeal_filed").format(
                filed=when(appeal.filed_at), officer=officer, by=when(appeal.decide_by)
            )
            if appeal.decision is not None and appeal.decided_at is not None:
                text = self.label("appeal_decided").format(
                    at=when(appeal.decided_at), decision=self.label(appeal.decision.value)
                )
            rows.append((self.label(name), text))
        if g.first is not None and g.first.decided_at is not None and g.second is None:
            until = guarantee.second_appeal_until(guarantee.day_in_india(g.first.decided_at))
            text = self.label("may_appeal_again").format(
                date=until.strftime(day), officer=second_officer
            )
            rows.append((self.label("appeal_right"), text))
        if g.penalty is not None:
            text = self.label("penalty_text").format(
                amount=g.penalty.amount, days=g.penalty.days_late
            )
            rows.append((self.label("penalty"), text))
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
        may_withdraw=complaint.is_open,
        service=_service_name(complaint, directory),
        appeal_officers=(
            designation(_appeal_post(complaint, directory, guarantee.FIRST_APPEAL_LEVEL)),
            designation(_appeal_post(complaint, directory, guarantee.SECOND_APPEAL_LEVEL)),
        ),
    )


def place(location: Location) -> str:
    """A location in one line: ward, landmark, pincode, and the point."""
    point = f"{location.latitude:.5f}, {location.longitude:.5f}" if location.point else None
    parts = (location.ward, location.landmark, location.pincode, point)
    return ", ".join(p for p in parts if p)


def _service_name(complaint: Complaint, directory: Directory) -> str | None:
    g = complaint.guarantee
    service = directory.services.get(g.claim.service) if g else None
    return service.name if service else None


def _appeal_post(complaint: Complaint, directory: Directory, level: int) -> str | None:
    """The post an appeal at `level` goes (or went) to."""
    g = complaint.guarantee
    if g is None:
        return None
    appeal = g.first if level == guarantee.FIRST_APPEAL_LEVEL else g.second
    if appeal is not None:
        return appeal.post
    department = service_department(g, directory, complaint.department)
    post = directory.post_at_level(department, complaint.district, level)
    return post.id if post else None


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
