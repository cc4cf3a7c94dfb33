"""The proceedings of a Rajasthan Sampark Diwas (docs/hearings.md): a district's day of
hearings, each complaint in its turn with the directions recorded, as a PDF in Hindi or
English, drawn like the other documents (`reports/drawing.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.sla import INDIA
from projections.hearings import Listed
from reports import drawing

WORDS: dict[str, dict[str, str]] = {
    "title": {"hi": "राजस्थान सम्पर्क दिवस की कार्यवाही", "en": "Rajasthan Sampark Diwas: proceedings"},
    "day": {"hi": "दिनांक", "en": "Day"},
    "place": {"hi": "स्थान", "en": "Place"},
    "turn": {"hi": "क्रम", "en": "Turn"},
    "registration_no": {"hi": "पंजीयन संख्या", "en": "Registration no."},
    "department": {"hi": "विभाग", "en": "Department"},
    "subject": {"hi": "विषय", "en": "Subject"},
    "listed_by": {"hi": "सूचीबद्ध", "en": "Listed by"},
    "heard": {"hi": "सुनवाई", "en": "Hearing"},
    "directions": {"hi": "दिए गए निर्देश", "en": "Directions given"},
    "attended": {"hi": "उपस्थित", "en": "attended"},
    "missed": {"hi": "अनुपस्थित", "en": "missed"},
    "pending": {"hi": "शेष", "en": "not yet heard"},
    "citizen": {"hi": "परिवादी", "en": "complainant"},
    "operator": {"hi": "ई-मित्र", "en": "e-Mitra"},
    "collector": {"hi": "जिला कलेक्टर", "en": "collector"},
    "none": {"hi": "इस दिन कोई प्रकरण सूचीबद्ध नहीं", "en": "No complaint was listed for the day"},
    "summary": {
        "hi": "सूचीबद्ध {0}, सुनवाई {1}, अनुपस्थित {2}, शेष {3}",
        "en": "Listed {0}, heard {1}, missed {2}, not yet heard {3}",
    },
    "as_of": {"hi": "स्थिति: {0} (भारतीय समय)", "en": "As of {0} (India time)"},
}


@dataclass(frozen=True)
class Proceedings:
    district: str  # its name
    day: date
    place: str
    listed: list[Listed]
    department_names: dict[str, str]
    language: str
    as_of: datetime

    def word(self, name: str) -> str:
        return WORDS[name][self.language]

    def summary(self) -> str:
        heard = sum(x.attended is True for x in self.listed)
        missed = sum(x.attended is False for x in self.listed)
        rest = len(self.listed) - heard - missed
        return self.word("summary").format(len(self.listed), heard, missed, rest)


def _outcome(p: Proceedings, x: Listed) -> str:
    if x.attended is None:
        return p.word("pending")
    return p.word("attended" if x.attended else "missed")


def _listed_by(p: Proceedings, role: str) -> str:
    return p.word(role) if role in WORDS else role


def pdf(p: Proceedings) -> bytes:
    title = f"{p.word('title')}: {p.district}"
    page = drawing.document(title, p.as_of, "A4", landscape=True)
    page.set_auto_page_break(True, margin=30)
    page.set_margins(30, 28, 30)
    page.add_page()
    page.set_font("Devanagari", size=18)
    page.cell(0, 26, title, new_x="LMARGIN", new_y="NEXT")
    page.set_font("Devanagari", size=11)
    page.set_text_color(90, 94, 100)
    line = f"{p.word('day')}: {p.day.strftime('%d-%m-%Y')}    {p.word('place')}: {p.place}"
    page.cell(0, 18, line, new_x="LMARGIN", new_y="NEXT")
    page.cell(0, 18, p.summary(), new_x="LMARGIN", new_y="NEXT")
    page.ln(6)
    page.set_text_color(20, 20, 20)
    if p.listed:
        header = [
            p.word("turn"),
            p.word("registration_no"),
            p.word("department"),
            p.word("subject"),
            p.word("listed_by"),
            p.word("heard"),
            p.word("directions"),
        ]
        rows = [
            [
                str(x.turn),
                x.registration_no,
                p.department_names.get(x.department, x.department),
                x.subject,
                _listed_by(p, x.listed_by_role),
                _outcome(p, x),
                x.directions or "",
            ]
            for x in p.listed
        ]
        drawing.table(page, header, rows, (34, 96, 110, 150, 66, 62, 262), size=8.5)
    else:
        page.set_font("Devanagari", size=11)
        page.cell(0, 18, p.word("none"), new_x="LMARGIN", new_y="NEXT")
    page.ln(8)
    page.set_font("Devanagari", size=7.5)
    page.set_text_color(90, 94, 100)
    shown = p.as_of.astimezone(INDIA).strftime("%d-%m-%Y %H:%M")
    page.cell(0, 12, p.word("as_of").format(shown), new_x="LMARGIN", new_y="NEXT")
    return bytes(page.output())
