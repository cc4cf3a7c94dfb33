"""The secretary's monthly data (docs/reports.md): a department's month, by district and by
level, as a PDF and an XLSX, in Hindi or English.

Every figure but two lists is a dashboard's for the department and the month, asked as the
reader (so its scope holds) with the figures standing at the month's end (midnight after
its last day, India): by district, by post, and the department's own row (its pending by
level, escalations, CMO/VIP pending). The ranking index is the month's
(`reports/monthly_index.py`). From `read.complaints`: the categories with most complaints
registered in the month (those now of the department), and the complaints of the
department transferred between departments more than twice. No personal data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg
import xlsxwriter

from domain.directory import Directory
from domain.values import Identity
from projections import guarantee
from projections.figures import AGE_BANDS, window_end, window_start
from projections.queries import ReadQueries
from projections.store import LIVE
from reports import drawing, places
from reports.infographic import figures_as_of, number, percent
from reports.monthly_index import month_days, standings
from reports.ranking import Standing

Row = dict[str, Any]
TOP = 10  # categories and posts listed
MANY_TRANSFERS = 2  # transferred between departments more than this many times
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "hi": "जनवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्टूबर नवंबर दिसंबर",
}
# The pending's age bands (projections/figures.py AGE_BANDS), as the tables head them.
BAND_NAMES = {
    "0_7": {"hi": "0-7", "en": "0-7"},
    "8_15": {"hi": "8-15", "en": "8-15"},
    "16_30": {"hi": "16-30", "en": "16-30"},
    "over_30": {"hi": "30 से अधिक", "en": "over 30"},
}
WORDS: dict[str, dict[str, str]] = {
    "title": {"hi": "विभागीय मासिक आंकड़े", "en": "Monthly data of the department"},
    "district": {"hi": "ज़िला", "en": "District"},
    "total": {"hi": "कुल", "en": "Total"},
    "brought_forward": {"hi": "पिछला शेष", "en": "Brought fwd."},
    "received": {"hi": "प्राप्त", "en": "Received"},
    "disposed": {"hi": "निस्तारित", "en": "Disposed"},
    "transferred_out": {"hi": "अन्यत्र भेजी", "en": "Transferred out"},
    "withdrawn": {"hi": "वापस ली गई", "en": "Withdrawn"},
    "pending": {"hi": "लंबित", "en": "Pending"},
    "pending_end": {"hi": "माह के अंत में लंबित", "en": "Pending at month end"},
    "pending_now": {"hi": "लंबित (अभी)", "en": "Pending now"},
    "age": {"hi": "इनमें {band} दिन", "en": "of which {band} d"},
    "beyond": {"hi": "समय-सीमा पार (अभी)", "en": "Beyond deadline (now)"},
    "relief": {"hi": "राहत %", "en": "Relief %"},
    "satisfaction": {"hi": "संतुष्टि %", "en": "Satisfied %"},
    "by_district": {"hi": "ज़िलेवार", "en": "By district"},
    "by_level": {"hi": "स्तरवार", "en": "By level"},
    "level": {"hi": "स्तर", "en": "Level"},
    "escalated": {"hi": "इस स्तर पर भेजी गई (माह में)", "en": "Escalated to it (month)"},
    "categories": {"hi": "सर्वाधिक शिकायतों वाली श्रेणियाँ", "en": "Categories with most complaints"},
    "category": {"hi": "श्रेणी", "en": "Category"},
    "registered": {"hi": "दर्ज", "en": "Registered"},
    "most_pending": {"hi": "सर्वाधिक लंबित वाले पद", "en": "Posts with most pending"},
    "most_reopened": {"hi": "सर्वाधिक पुनः खुली वाले पद", "en": "Posts with most reopened"},
    "post": {"hi": "पद", "en": "Post"},
    "reopened": {"hi": "पुनः खुली", "en": "Reopened"},
    "cmo_vip": {"hi": "सीएमओ/वीआईपी लंबित", "en": "CMO/VIP pending"},
    "transfers": {
        "hi": "दो से अधिक बार विभाग बदली गई शिकायतें",
        "en": "Complaints transferred between departments more than twice",
    },
    "registration_no": {"hi": "पंजीयन संख्या", "en": "Registration no."},
    "status": {"hi": "स्थिति", "en": "Status"},
    "times": {"hi": "स्थानांतरण", "en": "Transfers"},
    "index": {"hi": "रैंकिंग सूचकांक (सभी विभाग)", "en": "Ranking index (all departments)"},
    "rank": {"hi": "रैंक", "en": "Rank"},
    "department": {"hi": "विभाग", "en": "Department"},
    "score": {"hi": "सूचकांक", "en": "Index"},
    "change": {"hi": "परिवर्तन", "en": "Change"},
    "none": {"hi": "कोई नहीं", "en": "None"},
    # The Public Services Guarantee Act (docs/guarantee.md; projections/guarantee.py).
    "the_act": {
        "hi": "लोक सेवा प्रदान करने की गारंटी अधिनियम, 2011",
        "en": "Guaranteed Delivery of Public Services Act, 2011",
    },
    "act_filed": {"hi": "अधिसूचित सेवा की शिकायतें", "en": "Complaints on notified services"},
    "act_lapsed": {"hi": "समय-सीमा पार", "en": "Time limit passed"},
    "act_first_appeals": {"hi": "प्रथम अपील प्राप्त", "en": "First appeals received"},
    "act_first_decided": {"hi": "प्रथम अपील निर्णीत", "en": "First appeals decided"},
    "act_second_appeals": {"hi": "द्वितीय अपील प्राप्त", "en": "Second appeals received"},
    "act_second_decided": {"hi": "द्वितीय अपील निर्णीत", "en": "Second appeals decided"},
    "act_penalties": {"hi": "शास्तियाँ", "en": "Penalties"},
    "act_penalty_rupees": {"hi": "शास्ति राशि (रु.)", "en": "Penalties (Rs)"},
    "act_revisions": {"hi": "पुनरीक्षण आवेदन", "en": "Revisions sought"},
    "source": {
        "hi": "स्रोत: सम्पर्क के आंकड़े, माह के अंत (रात 12 बजे) तक",
        "en": "Source: Sampark's figures, up to the month's end (midnight)",
    },
}


@dataclass(frozen=True)
class Transferred:
    registration_no: str
    district: str
    status: str
    transfers: int


@dataclass(frozen=True)
class MonthlyData:
    department: str
    department_name: str
    language: str
    first: date
    total: Row  # the department's row for the month
    districts: list[Row]  # by district
    posts: list[Row]  # by post
    categories: list[tuple[str, int]]  # (category, registered), most first
    transferred: list[Transferred]
    index: list[Standing]  # every department
    names: dict[str, str]  # "district:JAI", "department:", "category:", "post:" -> name
    # The Act's figures of the month (projections/guarantee.py), by district and in all.
    act_districts: dict[str, guarantee.Figures] = field(default_factory=dict)
    act_total: guarantee.Figures = field(default_factory=guarantee.Figures)

    @property
    def last(self) -> date:
        return month_days(self.first)[1]

    @property
    def as_of(self) -> datetime:
        return figures_as_of(self.last)

    def word(self, name: str) -> str:
        return WORDS[name][self.language]

    def month(self) -> str:
        return f"{MONTHS[self.language].split()[self.first.month - 1]} {self.first.year}"


def categories(
    conn: psycopg.Connection[Any], department: str, first: date, last: date
) -> list[tuple[str, int]]:
    """The department's complaints registered in first..last, by category, most first."""
    rows = conn.execute(
        f"SELECT category, count(*) FROM {LIVE}.complaints WHERE department = %s "
        "AND filed_at >= %s AND filed_at < %s GROUP BY category ORDER BY count(*) DESC, category "
        "LIMIT %s",
        (department, window_start(first), window_end(last), TOP),
    ).fetchall()
    return [(category, int(count)) for category, count in rows]


def transferred(conn: psycopg.Connection[Any], department: str, last: date) -> list[Transferred]:
    """The department's complaints (filed by `last`) moved between departments more than
    MANY_TRANSFERS times, most moved first."""
    rows = conn.execute(
        f"SELECT registration_no, district, status, transfer_count FROM {LIVE}.complaints "
        "WHERE department = %s AND transfer_count > %s AND filed_at < %s "
        "ORDER BY transfer_count DESC, registration_no",
        (department, MANY_TRANSFERS, window_end(last)),
    ).fetchall()
    return [Transferred(*row) for row in rows]


def gather(
    conn: psycopg.Connection[Any],
    directory: Directory,
    who: Identity,
    department: str,
    first: date,
    language: str,
) -> MonthlyData:
    """The month from `first` of `department`, read as `who` (whose dashboards must cover
    it: else `OutsideScope` or `OutOfScope`, as the dashboards answer)."""
    queries = ReadQueries(conn)
    start, last = month_days(first)
    now = figures_as_of(last)

    def rows(by: str) -> list[Row]:
        return queries.dashboard(who, by, start, last, now, department=department)

    total = rows("department")
    districts, posts = rows("district"), rows("post")
    found = categories(conn, department, start, last)
    index = standings(conn, "department", first)
    moved = transferred(conn, department, last)
    act = guarantee.figures_by_district(conn, department, start, last)
    names = {
        f"district:{code}": places.district_name(directory, code, language)
        for code in {*(r["key"] for r in districts), *(t.district for t in moved), *act}
    } | {
        f"department:{code}": places.department_name(directory, code, language)
        for code in {department, *(s.key for s in index)}
    }
    for category, _ in found:
        names[f"category:{category}"] = places.category_name(
            directory, department, category, language
        )
    for row in posts:
        post = directory.posts.get(row["key"] or "")
        shown = places.post_name(directory, row["key"] or "", language) if post else None
        names[f"post:{row['key']}"] = (
            f"{shown} ({post.district})" if post and post.district
            else shown if shown else (row["key"] or "-")
        )  # fmt: skip
    return MonthlyData(
        department=department,
        department_name=names[f"department:{department}"],
        language=language,
        first=start,
        total=total[0] if total else {},
        districts=districts,
        posts=[r for r in posts if r["key"]],
        categories=found,
        transferred=moved,
        index=index,
        names=names,
        act_districts=act,
        act_total=guarantee.figures(conn, start, last, department=department),
    )


# --- the tables ----------------------------------------------------------------------------


def district_table(data: MonthlyData) -> tuple[list[str], list[list[Any]]]:
    # brought forward + received - disposed - transferred out - withdrawn = pending at month
    # end, each row
    names = (
        "district",
        "brought_forward",
        "received",
        "disposed",
        "transferred_out",
        "withdrawn",
        "pending_end",
        "pending_now",
    )
    header = [data.word(n) for n in names]
    header += [
        data.word("age").format(band=BAND_NAMES[band][data.language]) for band, _, _ in AGE_BANDS
    ]
    header += [data.word(n) for n in ("beyond", "relief", "satisfaction")]

    def cells(name: str, row: Row) -> list[Any]:
        return [
            name,
            row["brought_forward"],
            row["received"],
            row["disposed"],
            row["transferred_out"],
            row["withdrawn"],
            row["pending"],
            row["pending_now"],
            *(row["pending_by_age"][band] for band, _, _ in AGE_BANDS),
            row["pending_beyond_deadline"],
            percent(row["relief_pct"]),
            percent(row["satisfaction_pct"]),
        ]

    body = [cells(data.names[f"district:{r['key']}"], r) for r in data.districts]
    if data.total:
        body.append(cells(data.word("total"), data.total))
    return header, body


def level_table(data: MonthlyData) -> tuple[list[str], list[list[Any]]]:
    header = [data.word(n) for n in ("level", "pending_now", "escalated")]
    if not data.total:
        return header, []
    by_level = data.total["pending_by_level"]
    escalated = data.total["escalations"]
    return header, [
        [level[1:], by_level[level], escalated.get(level, "-")] for level in sorted(by_level)
    ]


def category_table(data: MonthlyData) -> tuple[list[str], list[list[Any]]]:
    header = [data.word("category"), data.word("registered")]
    return header, [[data.names[f"category:{c}"], n] for c, n in data.categories]


def post_tables(data: MonthlyData) -> list[tuple[str, list[str], list[list[Any]]]]:
    def top(figure: Any) -> list[Row]:
        ranked = sorted(data.posts, key=lambda r: (-figure(r), r["key"]))
        return [r for r in ranked[:TOP] if figure(r) > 0]

    def reopened(r: Row) -> int:
        return int(r["received_by_kind"]["reopened"])

    def pending(r: Row) -> int:
        return int(r["pending"])

    tables = []
    for title, figure, word in (
        ("most_pending", pending, "pending"),
        ("most_reopened", reopened, "reopened"),
    ):
        header = [data.word("post"), data.word(word)]
        tables.append(
            (title, header, [[data.names[f"post:{r['key']}"], figure(r)] for r in top(figure)])
        )
    return tables


def transfer_table(data: MonthlyData) -> tuple[list[str], list[list[Any]]]:
    header = [data.word(n) for n in ("registration_no", "district", "status", "times")]
    rows = [
        [t.registration_no, data.names[f"district:{t.district}"], t.status, t.transfers]
        for t in data.transferred
    ]
    return header, rows


def act_table(data: MonthlyData) -> tuple[list[str], list[list[Any]]]:
    """The Act's figures of the month by district: appeals received and decided, penalties."""
    header = [data.word("district"), *(data.word(f"act_{name}") for name in guarantee.FIGURES)]

    def cells(name: str, figures: guarantee.Figures) -> list[Any]:
        return [name, *(getattr(figures, f) for f in guarantee.FIGURES)]

    body = [
        cells(data.names[f"district:{code}"], figures)
        for code, figures in data.act_districts.items()
    ]
    if body:
        body.append(cells(data.word("total"), data.act_total))
    return header, body


def index_table(data: MonthlyData) -> tuple[list[str], list[list[Any]]]:
    header = [data.word(n) for n in ("department", "rank", "score", "change")]
    rows = [
        [
            data.names[f"department:{s.key}"] + (" *" if s.key == data.department else ""),
            s.rank if s.rank is not None else "-",
            "-" if s.index is None else f"{s.index:.1f}",
            "-" if s.change is None else f"{s.change:+d}",
        ]
        for s in data.index
    ]
    return header, rows


def tables(data: MonthlyData) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Every table of the document, titled: the same for the PDF and the XLSX."""
    return [
        ("by_district", *district_table(data)),
        ("by_level", *level_table(data)),
        ("categories", *category_table(data)),
        *post_tables(data),
        ("transfers", *transfer_table(data)),
        ("the_act", *act_table(data)),
        ("index", *index_table(data)),
    ]


def _text(value: Any) -> str:
    return number(value) if isinstance(value, int) else str(value)


def pdf(data: MonthlyData) -> bytes:
    title = f"{data.word('title')}: {data.department_name}"
    page = drawing.document(title, data.as_of, "A4", landscape=True)
    page.set_auto_page_break(True, margin=30)
    page.set_margins(30, 28, 30)
    page.add_page()
    page.set_font("Devanagari", size=18)
    page.cell(0, 26, title, new_x="LMARGIN", new_y="NEXT")
    page.set_font("Devanagari", size=11)
    page.set_text_color(90, 94, 100)
    cmo_vip = data.total.get("pending_cmo_vip", 0) if data.total else 0
    heading = f"{data.month()} · {data.word('cmo_vip')}: {number(cmo_vip)}"
    page.cell(0, 18, heading, new_x="LMARGIN", new_y="NEXT")
    page.set_text_color(20, 20, 20)
    for name, header, rows in tables(data):
        page.ln(8)
        if page.get_y() > page.h - 110:  # a heading goes with the first rows of its table
            page.add_page()
        page.set_font("Devanagari", size=12)
        page.cell(0, 18, data.word(name), new_x="LMARGIN", new_y="NEXT")
        if not rows:
            page.set_font("Devanagari", size=9)
            page.cell(0, 14, data.word("none"), new_x="LMARGIN", new_y="NEXT")
            continue
        first = 120 if len(header) > 4 else 300
        rest = min(70, (781 - first) // (len(header) - 1))
        widths = (first, *([rest] * (len(header) - 1)))
        drawing.table(page, header, rows, widths, size=8, text=_text)
    page.ln(8)
    page.set_font("Devanagari", size=7.5)
    page.set_text_color(90, 94, 100)
    page.cell(0, 12, data.word("source"), new_x="LMARGIN", new_y="NEXT")
    return bytes(page.output())


def xlsx(data: MonthlyData) -> bytes:
    """The same tables as a workbook: one sheet each, numbers as numbers."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
         "strings_to_urls": False},
    )  # fmt: skip
    book.set_properties(
        {"title": f"{data.word('title')}: {data.department_name}", "created": data.as_of}
    )
    bold = book.add_format({"bold": True})
    for name, header, rows in tables(data):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [f"{data.department_name}, {data.month()}: {data.word(name)}"], bold)
        sheet.write_row(1, 0, header, bold)
        for number_of_row, values in enumerate(rows, start=2):
            sheet.write_row(number_of_row, 0, values)
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, len(header) - 1, 14)
    book.close()
    return out.getvalue()
