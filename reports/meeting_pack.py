"""The collector's meeting pack (docs/reports.md): a district's week, department by
department, for the weekly review, as a PDF and an XLSX, in Hindi or English.

Per department: received, disposed, pending, pending beyond deadline, relief % and
satisfaction % with their change since the week before, CMO/VIP pending, and pending
complaints transferred at least once (inter-departmental); departments with CMO/VIP pending
first. Then the district's oldest pending complaints. The figures are the dashboard's by
department for the district and each week (`ReadQueries.dashboard`, as the caller, so the
caller's scope holds), standing at each week's end (midnight after its Sunday, India).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
import xlsxwriter

from domain.directory import Directory
from domain.sla import INDIA
from domain.values import Identity
from projections.queries import ReadQueries
from reports import drawing, places
from reports.district_lists import Pending, oldest_pending, transferred_pending
from reports.infographic import figures_as_of, number, percent, shown_day

Row = dict[str, Any]

WORDS: dict[str, dict[str, str]] = {
    "title": {"hi": "ज़िला स्तरीय साप्ताहिक समीक्षा", "en": "District weekly review"},
    "week": {"hi": "सप्ताह", "en": "Week"},
    "change_note": {
        "hi": "कोष्ठक में: पिछले सप्ताह से परिवर्तन (प्रतिशत अंक)",
        "en": "In brackets: the change since the week before (percentage points)",
    },
    "department": {"hi": "विभाग", "en": "Department"},
    "brought_forward": {"hi": "पिछला शेष", "en": "Brought forward"},
    "received": {"hi": "प्राप्त", "en": "Received"},
    "transferred_out": {"hi": "अन्यत्र भेजी", "en": "Moved out"},
    "withdrawn": {"hi": "वापस ली गई", "en": "Withdrawn"},
    "disposed": {"hi": "निस्तारित", "en": "Disposed of"},
    "pending": {"hi": "लंबित", "en": "Pending"},
    "beyond": {"hi": "समय-सीमा पार", "en": "Beyond deadline"},
    "relief": {"hi": "राहत %", "en": "Relief %"},
    "satisfaction": {"hi": "संतुष्टि %", "en": "Satisfied %"},
    "cmo_vip": {"hi": "सीएमओ/वीआईपी लंबित", "en": "CMO/VIP pending"},
    "transferred": {"hi": "अंतर्विभागीय लंबित", "en": "Inter-dept. pending"},
    "cmo_vip_short": {"hi": "सीएमओ/वीआईपी", "en": "CMO/VIP"},
    "oldest": {"hi": "सबसे पुरानी लंबित शिकायतें", "en": "Oldest pending complaints"},
    "registration_no": {"hi": "पंजीयन संख्या", "en": "Registration no."},
    "category": {"hi": "श्रेणी", "en": "Category"},
    "filed": {"hi": "दर्ज", "en": "Filed"},
    "days": {"hi": "दिन से लंबित", "en": "Days pending"},
    "level": {"hi": "स्तर", "en": "Level"},
    "post": {"hi": "पद", "en": "Post"},
    "transfers": {"hi": "स्थानांतरण", "en": "Transfers"},
    "yes": {"hi": "हाँ", "en": "yes"},
    "none": {"hi": "कोई लंबित शिकायत नहीं", "en": "No complaint pending"},
    "source": {
        "hi": "स्रोत: सम्पर्क के आंकड़े, {day} की रात 12 बजे तक",
        "en": "Source: Sampark's figures, up to midnight of {day}",
    },
}


@dataclass(frozen=True)
class MeetingPack:
    district: str
    district_name: str
    language: str
    monday: date
    rows: list[Row]  # this week's figures, one row per department
    before: dict[str, Row]  # the week before's, by department
    transferred: dict[str, int]  # inter-departmental pending, by department
    oldest: list[Pending]
    names: dict[str, str]  # department code -> name
    categories: dict[tuple[str, str], str]  # (department, category) -> name
    posts: dict[str, str]  # post id -> designation

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def as_of(self) -> datetime:
        return figures_as_of(self.sunday)

    def word(self, name: str) -> str:
        return WORDS[name][self.language]

    def change(self, department: str, figure: str) -> float | None:
        now = self.row(department)[figure]
        then = self.before.get(department, {}).get(figure)
        return None if now is None or then is None else round(now - then, 1)

    def row(self, department: str) -> Row:
        return next(r for r in self.rows if r["key"] == department)

    def departments(self) -> list[str]:
        """CMO/VIP pending first, then most beyond deadline, then most pending."""
        return [
            r["key"]
            for r in sorted(
                self.rows,
                key=lambda r: (
                    -r["pending_cmo_vip"],
                    -r["pending_beyond_deadline"],
                    -r["pending"],
                    r["key"],
                ),
            )
        ]


def week_title(pack: MeetingPack) -> str:
    number_of_week = pack.monday.isocalendar().week
    lang = pack.language
    return (
        f"{pack.word('week')} {number_of_week}: {shown_day(pack.monday, lang)} - "
        f"{shown_day(pack.sunday, lang)}"
    )


def gather(
    conn: psycopg.Connection[Any],
    directory: Directory,
    who: Identity,
    district: str,
    monday: date,
    language: str,
) -> MeetingPack:
    """The pack's figures for the week from `monday`, read as `who` (whose scope must
    hold `district`: else `OutsideScope` or `OutOfScope`, as the dashboards answer)."""
    queries = ReadQueries(conn)
    sunday = monday + timedelta(days=6)
    rows = queries.dashboard(
        who, "department", monday, sunday, figures_as_of(sunday), district=district
    )
    sunday_before = monday - timedelta(days=1)
    before = queries.dashboard(
        who,
        "department",
        monday - timedelta(days=7),
        sunday_before,
        figures_as_of(sunday_before),
        district=district,
    )
    oldest = oldest_pending(conn, district)
    return MeetingPack(
        district=district,
        district_name=places.district_name(directory, district, language),
        language=language,
        monday=monday,
        rows=rows,
        before={r["key"]: r for r in before},
        transferred=transferred_pending(conn, district),
        oldest=oldest,
        names={
            r["key"]: places.department_name(directory, r["key"], language)
            for r in [*rows, *before]
        }
        | {p.department: places.department_name(directory, p.department, language) for p in oldest},
        categories={
            (p.department, p.category): places.category_name(
                directory, p.department, p.category, language
            )
            for p in oldest
        },
        posts={
            p.holder: places.post_name(directory, p.holder, language)
            for p in oldest
            if p.holder and p.holder in directory.posts
        },
    )


def _with_change(value: float | None, change: float | None) -> str:
    if value is None:
        return "-"
    shown = percent(value)
    return shown if change is None else f"{shown} ({change:+.1f})"


def department_table(pack: MeetingPack) -> tuple[list[str], list[list[Any]]]:
    """The departments' table: header and rows (numbers as numbers, for the XLSX)."""
    header = [pack.word(n) for n in ("department", "brought_forward", "received", "disposed")]
    # brought forward + received - disposed - moved out - withdrawn = pending, on every row.
    header += [pack.word(n) for n in ("transferred_out", "withdrawn", "pending", "beyond")]
    header += [pack.word(n) for n in ("relief", "satisfaction", "cmo_vip", "transferred")]
    rows = []
    for code in pack.departments():
        row = pack.row(code)
        rows.append(
            [
                pack.names[code],
                row["brought_forward"],
                row["received"],
                row["disposed"],
                row["transferred_out"],
                row["withdrawn"],
                row["pending"],
                row["pending_beyond_deadline"],
                _with_change(row["relief_pct"], pack.change(code, "relief_pct")),
                _with_change(row["satisfaction_pct"], pack.change(code, "satisfaction_pct")),
                row["pending_cmo_vip"],
                pack.transferred.get(code, 0),
            ]
        )
    return header, rows


def oldest_table(pack: MeetingPack) -> tuple[list[str], list[list[Any]]]:
    names = ("registration_no", "department", "category", "filed", "days", "level", "post")
    header = [pack.word(n) for n in (*names, "cmo_vip_short", "transfers")]
    rows = []
    for p in pack.oldest:
        filed = p.filed_at.astimezone(INDIA).date()
        rows.append(
            [
                p.registration_no,
                pack.names[p.department],
                pack.categories[(p.department, p.category)],
                filed.strftime("%d-%m-%Y"),
                (pack.sunday - filed).days,
                p.level,
                pack.posts.get(p.holder or "", p.holder or "-"),
                pack.word("yes") if p.cmo_vip else "",
                p.transfers,
            ]
        )
    return header, rows


def _text(value: Any) -> str:
    return number(value) if isinstance(value, int) else str(value)


def pdf(pack: MeetingPack) -> bytes:
    title = f"{pack.word('title')}: {pack.district_name}"
    page = drawing.document(title, pack.as_of, "A4", landscape=True)
    page.set_auto_page_break(True, margin=30)
    page.set_margins(30, 28, 30)
    page.add_page()
    page.set_font("Devanagari", size=18)
    page.cell(0, 26, title, new_x="LMARGIN", new_y="NEXT")
    page.set_font("Devanagari", size=11)
    page.set_text_color(90, 94, 100)
    page.cell(0, 18, week_title(pack), new_x="LMARGIN", new_y="NEXT")
    page.set_font("Devanagari", size=8.5)
    page.cell(0, 14, pack.word("change_note"), new_x="LMARGIN", new_y="NEXT")
    page.ln(6)
    page.set_text_color(20, 20, 20)
    header, rows = department_table(pack)
    widths: tuple[int, ...] = (112, 58, 52, 56, 54, 54, 52, 56, 56, 60, 86, 76)
    drawing.table(page, header, rows, widths, size=8.5, text=_text)
    page.ln(14)
    page.set_font("Devanagari", size=13)
    page.cell(0, 20, pack.word("oldest"), new_x="LMARGIN", new_y="NEXT")
    header, rows = oldest_table(pack)
    if rows:
        widths = (96, 120, 110, 62, 56, 38, 146, 64, 50)
        drawing.table(page, header, rows, widths, size=8, text=_text)
    else:
        page.set_font("Devanagari", size=10)
        page.cell(0, 16, pack.word("none"), new_x="LMARGIN", new_y="NEXT")
    page.ln(8)
    page.set_font("Devanagari", size=7.5)
    page.set_text_color(90, 94, 100)
    source = pack.word("source").format(day=shown_day(pack.sunday, pack.language))
    page.cell(0, 12, source, new_x="LMARGIN", new_y="NEXT")
    return bytes(page.output())


def xlsx(pack: MeetingPack) -> bytes:
    """The same tables as a workbook: one sheet each, numbers as numbers."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
         "strings_to_urls": False},
    )  # fmt: skip
    book.set_properties(
        {"title": f"{pack.word('title')}: {pack.district_name}", "created": pack.as_of}
    )
    bold = book.add_format({"bold": True})
    for name, (header, rows) in (
        ("departments", department_table(pack)),
        ("oldest pending", oldest_table(pack)),
    ):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [week_title(pack)], bold)
        sheet.write_row(1, 0, header, bold)
        for number_of_row, values in enumerate(rows, start=2):
            sheet.write_row(number_of_row, 0, values)
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, len(header) - 1, 14)
    book.close()
    return out.getvalue()
