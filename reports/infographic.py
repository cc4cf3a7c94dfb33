"""The daily infographic (docs/reports.md): a day that has ended and its month to date, for
the whole state, as one page of 1080 x 1350 pixels (PNG) or points x 2 (PDF), in Hindi or
English.

It shows the day's and the month's registered, disposed, pending, relief % and
satisfaction %; the departments doing best and worst by the ranking index over the month to
date; and a tile map of the districts coloured by their relief % over the month to date.
Every figure is a dashboard's: the state's by day (the month's are the days' added up: counts
summed, pending at the last day's end, rates from the summed counts as docs/read-models.md
defines them), by district and by department, asked with the figures standing at the
day's end (midnight, India), so the same events make the same figures, whenever it is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import psycopg

from domain.directory import Directory
from domain.sla import INDIA
from domain.values import Identity, Role
from projections.queries import ReadQueries
from reports import drawing, places
from reports.ranking import Standing, ranking

Row = dict[str, Any]
PAGE = (540.0, 675.0)  # points: rendered at 2 pixels a point, 1080 x 1350
PIXELS = (1080, 1350)
# The state's figures are read as an analyst reads them: aggregates, no personal data.
STATE_READER = Identity(id="reports", role=Role.ANALYST)
SHOWN = 3  # departments shown as best and as worst

WORDS: dict[str, dict[str, str]] = {
    "title": {"hi": "राजस्थान सम्पर्क", "en": "Rajasthan Sampark"},
    "subtitle": {"hi": "जन शिकायतों का दैनिक विवरण", "en": "Citizens' complaints, daily figures"},
    "day": {"hi": "दिन", "en": "Day"},
    "month": {"hi": "माह में अब तक", "en": "Month to date"},
    "registered": {"hi": "दर्ज", "en": "Registered"},
    "disposed": {"hi": "निस्तारित", "en": "Disposed of"},
    "pending": {"hi": "लंबित", "en": "Pending"},
    "relief_pct": {"hi": "राहत %", "en": "Relief %"},
    "satisfaction_pct": {"hi": "संतुष्टि %", "en": "Satisfied %"},
    "map": {"hi": "ज़िलेवार राहत % (माह में अब तक)", "en": "Relief % by district, month to date"},
    "no_disposal": {"hi": "कोई निस्तारण नहीं", "en": "nothing disposed of"},
    "best": {"hi": "सर्वश्रेष्ठ विभाग", "en": "Departments doing best"},
    "worst": {"hi": "सुधार की आवश्यकता", "en": "Departments needing attention"},
    "index": {"hi": "सूचकांक", "en": "index"},
    "index_note": {
        "hi": "सूचकांक 0-100: समय पर निस्तारण, समय-सीमा पार लंबित, राहत, संतुष्टि, "
        "पुनः खुलना, निस्तारण में दिन",
        "en": "Index 0-100: disposal in time, pending beyond deadline, relief, "
        "satisfaction, reopening, days to dispose",
    },
    "source": {
        "hi": "स्रोत: सम्पर्क के आंकड़े, {day} की रात 12 बजे तक",
        "en": "Source: Sampark's figures, up to midnight of {day}",
    },
}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "hi": "जनवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्टूबर नवंबर दिसंबर",
}
# Relief % in five bands, light to dark; grey where nothing was disposed of.
BANDS = ((20, (237, 248, 233)), (40, (186, 228, 179)), (60, (116, 196, 118)), (80, (49, 163, 84)))
DARKEST = (0, 109, 44)
NONE_COLOUR = (214, 214, 210)
INK = (30, 34, 40)
MUTED = (96, 100, 108)
BAND = (24, 58, 94)


@dataclass(frozen=True)
class Infographic:
    day: date
    language: str
    today: Row  # the state's figures for `day`
    month: Row  # the state's figures for the month to `day`
    districts: dict[str, Row]  # month to date, by district code
    departments: list[Standing]  # month to date, ranked
    names: dict[str, str]  # department code -> name in the language

    @property
    def as_of(self) -> datetime:
        """The moment its figures stand at: the end of `day` in India."""
        return datetime.combine(self.day + timedelta(days=1), time(), INDIA)


def last_whole_day(now: datetime) -> date:
    return now.astimezone(INDIA).date() - timedelta(days=1)


def figures_as_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), INDIA)


def month_total(days: list[Row]) -> Row:
    """The state's figures over several days, from its rows per day."""
    disposed = sum(r["disposed"] for r in days)
    relief = sum(r["disposed_by_outcome"]["relief"] for r in days)
    satisfied = sum(r["feedback"]["satisfied"] for r in days)
    answered = satisfied + sum(r["feedback"]["not_satisfied"] for r in days)
    return {
        "registered": sum(r["registered"] for r in days),
        "disposed": disposed,
        "pending": days[-1]["pending"],
        "relief_pct": round(100 * relief / disposed, 1) if disposed else None,
        "satisfaction_pct": round(100 * satisfied / answered, 1) if answered else None,
    }


def gather(
    conn: psycopg.Connection[Any], directory: Directory, day: date, language: str
) -> Infographic:
    """The infographic's figures for `day`, from the dashboards."""
    queries = ReadQueries(conn)
    first = day.replace(day=1)
    now = figures_as_of(day)
    days = queries.dashboard(STATE_READER, "day", first, day, now)
    districts = queries.dashboard(STATE_READER, "district", first, day, now)
    departments = queries.dashboard(STATE_READER, "department", first, day, now)
    return Infographic(
        day=day,
        language=language,
        today=days[-1],
        month=month_total(days),
        districts={r["key"]: r for r in districts},
        departments=ranking(departments),
        names={
            code: places.department_name(directory, code, language)
            for code in {*directory.departments, *(r["key"] for r in departments)}
        },
    )


# --- drawing ------------------------------------------------------------------------------


def number(value: int) -> str:
    """A count grouped the Indian way: 12,34,567."""
    digits = str(abs(value))
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ("-" if value < 0 else "") + ",".join([*groups, tail])


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def shown_day(day: date, language: str) -> str:
    return f"{day.day} {MONTHS[language].split()[day.month - 1]} {day.year}"


def colour(relief: float | None) -> tuple[int, int, int]:
    if relief is None:
        return NONE_COLOUR
    for upper, shade in BANDS:
        if relief < upper:
            return shade
    return DARKEST


def pdf(info: Infographic) -> bytes:
    lang = info.language

    def word(name: str) -> str:
        return WORDS[name][lang]

    page = drawing.document(f"{word('title')}: {info.day.isoformat()}", info.as_of, PAGE)
    page.add_page()
    width, margin = PAGE[0], 24.0
    # The band: title and the day.
    page.set_fill_color(*BAND)
    page.rect(0, 0, width, 84, style="F")
    page.set_text_color(255, 255, 255)
    page.set_font("Devanagari", size=24)
    page.set_xy(margin, 14)
    page.cell(width - 2 * margin, 32, word("title"))
    page.set_font("Devanagari", size=12)
    page.set_xy(margin, 48)
    page.cell(width - 2 * margin, 20, f"{word('subtitle')}: {shown_day(info.day, lang)}")
    # The figures: the day, then the month to date.
    month_name = f"{word('month')}: 1-{shown_day(info.day, lang)}"
    y = 98.0
    for heading, row in ((f"{word('day')}: {shown_day(info.day, lang)}", info.today),
                         (month_name, info.month)):  # fmt: skip
        page.set_text_color(*INK)
        page.set_font("Devanagari", size=11)
        page.set_xy(margin, y)
        page.cell(width - 2 * margin, 16, heading)
        y += 20
        _figure_cards(page, row, margin, y, width - 2 * margin, word)
        y += 66
    # The map on the left, the departments on the right.
    top = y + 8
    _tile_map(page, info, margin, top, word)
    _departments(page, info, 350.0, top, width - margin - 350.0, word)
    page.set_text_color(*MUTED)
    page.set_font("Devanagari", size=7.5)
    page.set_xy(margin, PAGE[1] - 26)
    page.cell(width - 2 * margin, 12, word("source").format(day=shown_day(info.day, lang)))
    return bytes(page.output())


def _figure_cards(page: Any, row: Row, x: float, y: float, width: float, word: Any) -> None:
    names = ("registered", "disposed", "pending", "relief_pct", "satisfaction_pct")
    gap = 6.0
    card = (width - gap * (len(names) - 1)) / len(names)
    for n, name in enumerate(names):
        left = x + n * (card + gap)
        page.set_fill_color(240, 243, 247)
        page.rect(left, y, card, 58, style="F")
        value = row[name]
        text = percent(value) if name.endswith("_pct") else number(value)
        page.set_text_color(*BAND)
        page.set_font("Devanagari", size=19)
        page.set_xy(left, y + 6)
        page.cell(card, 26, text, align="C")
        page.set_text_color(*MUTED)
        page.set_font("Devanagari", size=9)
        page.set_xy(left, y + 34)
        page.cell(card, 16, word(name), align="C")


def _tile_map(page: Any, info: Infographic, x: float, y: float, word: Any) -> None:
    page.set_text_color(*INK)
    page.set_font("Devanagari", size=11)
    page.set_xy(x, y)
    page.cell(300, 16, word("map"))
    top = y + 22
    size, gap = 35.5, 3.0
    tiles = places.tiles()
    west = min(t.column for t in tiles)
    for tile in tiles:
        row = info.districts.get(tile.district)
        relief = row["relief_pct"] if row else None
        shade = colour(relief)
        left, upper = x + (tile.column - west) * (size + gap), top + tile.row * (size + gap)
        page.set_fill_color(*shade)
        page.rect(left, upper, size, size, style="F")
        dark = shade in (DARKEST, BANDS[-1][1])
        page.set_text_color(*((255, 255, 255) if dark else INK))
        fitted = 6.0
        page.set_font("Devanagari", size=fitted)
        while page.get_string_width(tile.names[info.language]) > size - 3 and fitted > 4:
            fitted -= 0.25
            page.set_font("Devanagari", size=fitted)
        page.set_xy(left, upper + 5)
        page.cell(size, 9, tile.names[info.language], align="C")
        page.set_font("Devanagari", size=9)
        page.set_xy(left, upper + 17)
        page.cell(size, 10, "-" if relief is None else f"{relief:.0f}", align="C")
    # The legend.
    legend = top + (1 + max(t.row for t in tiles)) * (size + gap) + 4
    steps = [("0-20", BANDS[0][1]), ("20-40", BANDS[1][1]), ("40-60", BANDS[2][1])]
    steps += [("60-80", BANDS[3][1]), ("80-100", DARKEST), (word("no_disposal"), NONE_COLOUR)]
    left = x
    page.set_font("Devanagari", size=7)
    for label, shade in steps:
        page.set_fill_color(*shade)
        page.rect(left, legend + 2, 10, 10, style="F")
        page.set_text_color(*MUTED)
        page.set_xy(left + 12, legend)
        span = page.get_string_width(label) + 4
        page.cell(span, 14, label)
        left += 12 + span + 6


def _departments(page: Any, info: Infographic, x: float, y: float, width: float, word: Any) -> None:
    ranked = [s for s in info.departments if s.index is not None]
    best = ranked[:SHOWN]
    worst = [s for s in ranked[-SHOWN:][::-1] if s not in best]
    top = y
    for heading, standings, shade in (
        (word("best"), best, DARKEST),
        (word("worst"), worst, (178, 34, 34)),
    ):
        if not standings:
            continue
        page.set_text_color(*INK)
        page.set_font("Devanagari", size=11)
        page.set_xy(x, top)
        page.multi_cell(width, 15, heading, align="L")
        top = page.get_y() + 4
        for standing in standings:
            page.set_text_color(*INK)
            page.set_font("Devanagari", size=8.5)
            page.set_xy(x, top)
            page.multi_cell(width, 11, f"{standing.rank}. {info.names[standing.key]}", align="L")
            bar = page.get_y() + 2
            page.set_fill_color(226, 229, 233)
            page.rect(x, bar, width - 40, 7, style="F")
            page.set_fill_color(*shade)
            page.rect(x, bar, (width - 40) * (standing.index or 0) / 100, 7, style="F")
            page.set_text_color(*MUTED)
            page.set_font("Devanagari", size=7.5)
            page.set_xy(x + width - 38, bar - 2.5)
            page.cell(38, 11, f"{standing.index:.0f}", align="R")
            top = bar + 14
        top += 10
    page.set_text_color(*MUTED)
    page.set_font("Devanagari", size=6.5)
    page.set_xy(x, top)
    page.multi_cell(width, 9, WORDS["index_note"][info.language], align="L")


def png(info_pdf: bytes) -> bytes:
    """The infographic's page at 1080 x 1350."""
    return drawing.png(info_pdf, PIXELS[0])
