"""The review report to the minister (docs/reports.md): a department's complaints its
secretary reviewed on a day, with the secretary's notes and where each stands now, as a PDF
in Hindi or English.

Read from `read.reviews` and `read.complaints` (docs/read-models.md). The complainant's own
words (the subject) are personal data: shown only to the roles `PERSONAL_DATA_IN` lists
(and each complaint so shown is logged by the caller); no name, mobile or address ever.
"where each stands now" is as the read models stand when the report is made: the document
names that data version, so the same events make the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import psycopg

from domain.directory import Directory
from domain.sla import INDIA
from projections.store import LIVE
from reports import drawing, places
from reports.infographic import figures_as_of, shown_day

WORDS: dict[str, dict[str, str]] = {
    "title": {"hi": "सचिव द्वारा शिकायतों की समीक्षा", "en": "Complaints reviewed by the secretary"},
    "to_minister": {"hi": "माननीय मंत्री महोदय हेतु प्रतिवेदन", "en": "Report to the minister"},
    "reviewed": {"hi": "समीक्षित शिकायतें", "en": "Complaints reviewed"},
    "registration_no": {"hi": "पंजीयन संख्या", "en": "Registration no."},
    "district": {"hi": "ज़िला", "en": "District"},
    "category": {"hi": "श्रेणी", "en": "Category"},
    "subject": {"hi": "विषय", "en": "Subject"},
    "filed": {"hi": "दर्ज", "en": "Filed"},
    "note": {"hi": "सचिव की टिप्पणी", "en": "Secretary's note"},
    "status": {"hi": "वर्तमान स्थिति", "en": "Where it stands"},
    "post": {"hi": "पद", "en": "Post"},
    "due": {"hi": "समय-सीमा", "en": "Due"},
    "none": {"hi": "इस दिन कोई समीक्षा दर्ज नहीं", "en": "No review recorded on this day"},
    "level": {"hi": "स्तर", "en": "level"},
    "cmo_vip": {"hi": "सीएमओ/वीआईपी", "en": "CMO/VIP"},
    "as_made": {
        "hi": "वर्तमान स्थिति: बनाते समय के अभिलेख ({version})",
        "en": "Where each stands: the records when made ({version})",
    },
}
STATUSES: dict[str, dict[str, str]] = {
    "unassigned": {"hi": "अनावंटित", "en": "unassigned"},
    "assigned": {"hi": "लंबित", "en": "pending"},
    "reopened": {"hi": "पुनः खोली गई", "en": "reopened"},
    "resolved": {"hi": "निस्तारित", "en": "disposed of"},
    "closed": {"hi": "बंद", "en": "closed"},
    "withdrawn": {"hi": "वापस ली गई", "en": "withdrawn"},
}


@dataclass(frozen=True)
class Reviewed:
    complaint_id: UUID
    registration_no: str
    district: str
    category: str
    subject: str | None  # None unless the reader may see it
    filed_at: datetime
    reviewed_at: datetime
    note: str
    status: str
    level: int
    holder: str | None
    due_at: datetime | None
    high_priority: bool


@dataclass(frozen=True)
class ReviewReport:
    department: str
    department_name: str
    day: date
    language: str
    data_version: str
    lines: list[Reviewed]
    districts: dict[str, str]
    categories: dict[str, str]
    posts: dict[str, str]

    def word(self, name: str) -> str:
        return WORDS[name][self.language]


def reviewed(
    conn: psycopg.Connection[Any], department: str, day: date, *, personal: bool
) -> list[Reviewed]:
    """The complaints of `department` reviewed on `day` (India), in the order reviewed."""
    rows = conn.execute(
        "SELECT c.id, c.registration_no, c.district, c.category, "
        f"{'c.subject' if personal else 'NULL'}, c.filed_at, r.reviewed_at, r.note, c.status, "
        "c.level, c.holder, c.due_at, c.priority = 'high' "
        f"FROM {LIVE}.reviews r JOIN {LIVE}.complaints c ON c.id = r.complaint_id "
        "WHERE r.department = %s AND r.day = %s AND r.reviewed_at IS NOT NULL "
        "ORDER BY r.reviewed_at, c.registration_no",
        (department, day),
    ).fetchall()
    return [Reviewed(*row) for row in rows]


def gather(
    conn: psycopg.Connection[Any],
    directory: Directory,
    department: str,
    day: date,
    language: str,
    version: str,
    *,
    personal: bool,
) -> ReviewReport:
    lines = reviewed(conn, department, day, personal=personal)
    categories = {}
    for line in lines:
        found = directory.category(department, line.category)
        categories[line.category] = found.name if found else line.category
    return ReviewReport(
        department=department,
        department_name=places.department_name(directory, department, language),
        day=day,
        language=language,
        data_version=version,
        lines=lines,
        districts={
            line.district: places.district_name(directory, line.district, language)
            for line in lines
        },
        categories=categories,
        posts={
            line.holder: directory.posts[line.holder].designation
            for line in lines
            if line.holder and line.holder in directory.posts
        },
    )


def _stands(report: ReviewReport, line: Reviewed) -> str:
    status = STATUSES.get(line.status, {}).get(report.language, line.status)
    where = f"{status}, {report.word('level')} {line.level}"
    if line.holder:
        where += f": {report.posts.get(line.holder, line.holder)}"
    return where


def table(report: ReviewReport) -> tuple[list[str], list[list[Any]], tuple[int, ...]]:
    personal = any(line.subject is not None for line in report.lines)
    names = ["registration_no", "district", "category"]
    widths = [86, 58, 80]
    if personal:
        names.append("subject")
        widths.append(110)
    names += ["filed", "note", "status", "due"]
    widths += [52, 210 if personal else 300, 130 if personal else 150, 52]  # 778 points
    rows = []
    for line in report.lines:
        high = f" ({report.word('cmo_vip')})" if line.high_priority else ""
        number = line.registration_no + high
        row: list[Any] = [number, report.districts[line.district], report.categories[line.category]]
        if personal:
            row.append(line.subject or "")
        row += [
            line.filed_at.astimezone(INDIA).strftime("%d-%m-%Y"),
            line.note,
            _stands(report, line),
            line.due_at.astimezone(INDIA).strftime("%d-%m-%Y") if line.due_at else "-",
        ]
        rows.append(row)
    return [report.word(n) for n in names], rows, tuple(widths)


def pdf(report: ReviewReport) -> bytes:
    title = f"{report.word('title')}: {report.department_name}"
    # Dated at the day's end: the same events (the same data version) make the same bytes.
    page = drawing.document(title, figures_as_of(report.day), "A4", landscape=True)
    page.set_auto_page_break(True, margin=30)
    page.set_margins(30, 28, 30)
    page.add_page()
    page.set_font("Devanagari", size=18)
    page.cell(0, 26, title, new_x="LMARGIN", new_y="NEXT")
    page.set_font("Devanagari", size=11)
    page.set_text_color(90, 94, 100)
    heading = f"{report.word('to_minister')}: {shown_day(report.day, report.language)}"
    page.cell(0, 18, heading, new_x="LMARGIN", new_y="NEXT")
    page.set_font("Devanagari", size=8.5)
    as_made = report.word("as_made").format(version=report.data_version)
    page.multi_cell(0, 13, as_made, new_x="LMARGIN", new_y="NEXT")
    page.ln(6)
    page.set_text_color(20, 20, 20)
    page.set_font("Devanagari", size=13)
    count = f"{report.word('reviewed')}: {len(report.lines)}"
    page.cell(0, 20, count, new_x="LMARGIN", new_y="NEXT")
    header, rows, widths = table(report)
    if rows:
        drawing.table(page, header, rows, widths, size=8)
    else:
        page.set_font("Devanagari", size=10)
        page.cell(0, 16, report.word("none"), new_x="LMARGIN", new_y="NEXT")
    return bytes(page.output())
