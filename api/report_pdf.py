"""The Action Taken Report as a PDF (A4, one or two pages): the state's letterhead, the same
rows as the page, photos of the evidence as thumbnails and other files as labelled links,
what to do when not satisfied, and the helpline. Devanagari shaped by HarfBuzz in Noto Sans
Devanagari (`reports/drawing.py`)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from api.report import Report
from reports.drawing import fonts

NAVY = (24, 58, 94)
GREY = (90, 90, 85)
INK = (20, 20, 20)
THUMB = 42.0  # mm: a photo's longer side


def letterhead(document: Any, state: str, sampark: str, helpline: str, size: float = 13) -> None:
    """The band at the top of the citizen's papers: the state, Sampark, and the helpline."""
    document.set_fill_color(*NAVY)
    document.rect(0, 0, document.w, 24, style="F")
    document.set_text_color(255, 255, 255)
    document.set_xy(18, 5)
    document.set_font("Devanagari", size=size)
    document.cell(0, 7, state, new_x="LMARGIN", new_y="NEXT")
    document.set_font("Devanagari", size=size - 3)
    document.cell(0, 6, sampark)
    document.set_xy(18, 5)
    document.set_font("Devanagari", size=size)
    document.cell(document.w - 36, 7, helpline, align="R")
    document.set_text_color(*INK)
    document.set_y(30)


def pdf(report: Report, public_url: str, photos: Mapping[str, bytes]) -> bytes:
    """`report` as a PDF; `photos` are the evidence's photos by sha256 (a photo not given,
    or not readable, is linked instead), links made absolute with `public_url`."""
    from fpdf import FPDF

    devanagari, latin = fonts()
    document = FPDF(format="A4")
    document.set_title(f"{report.label('title')} {report.complaint.registration_no}")
    document.add_font("Devanagari", fname=devanagari)
    document.add_font("Latin", fname=latin)
    # The script named, not guessed per line, in either language: a line of Hindi (the
    # complainant's words, in an English report too) that starts with a date, a number or a
    # Latin word (IST) would otherwise be shaped as Latin, its i-matras left after the letter.
    # Latin text is drawn the same under it.
    document.set_text_shaping(True, script="deva")
    document.set_fallback_fonts(["Latin"])
    document.set_margins(18, 18, 18)
    document.add_page()
    letterhead(document, report.label("state"), report.label("sampark"), report.helpline)
    document.set_font("Devanagari", size=17)
    document.multi_cell(0, 10, report.title, new_x="LMARGIN", new_y="NEXT")
    document.ln(2)
    width = document.epw
    for name, value in report.rows():
        document.set_font("Devanagari", size=9)
        document.set_text_color(*GREY)
        document.multi_cell(width, 5, name, new_x="LMARGIN", new_y="NEXT")
        document.set_font("Devanagari", size=12)
        document.set_text_color(*INK)
        document.multi_cell(width, 6.5, value, new_x="LMARGIN", new_y="NEXT")
        document.ln(1.5)
    if report.evidence:
        evidence(document, report, public_url, photos)
    advice(document, report)
    return bytes(document.output())


def evidence(document: Any, report: Report, public_url: str, photos: Mapping[str, bytes]) -> None:
    width = document.epw
    document.set_font("Devanagari", size=9)
    document.set_text_color(*GREY)
    document.multi_cell(width, 5, report.label("evidence"), new_x="LMARGIN", new_y="NEXT")
    document.set_text_color(*INK)
    x = document.l_margin
    drawn: set[str] = set()
    for item in report.evidence:
        content = photos.get(item.sha256) if item.is_photo else None
        if content is None:
            continue
        if x + THUMB > document.w - document.r_margin:
            x = document.l_margin
            document.set_y(document.get_y() + THUMB + 3)
        if document.get_y() + THUMB > document.h - 20:
            document.add_page()
        try:
            document.image(
                io.BytesIO(content),
                x=x,
                y=document.get_y(),
                w=THUMB,
                h=THUMB,
                keep_aspect_ratio=True,
                link=public_url + item.path,
            )
        except (OSError, ValueError):  # a photo the PDF cannot draw is linked instead
            continue
        drawn.add(item.sha256)
        x += THUMB + 4
    if drawn:
        document.set_y(document.get_y() + THUMB + 3)
    document.set_font("Devanagari", size=11)
    for item in report.evidence:
        if item.sha256 in drawn:
            continue
        document.set_text_color(20, 60, 160)
        document.cell(
            width,
            6.5,
            f"{item.kind(report.language)}: {item.filename}",
            link=public_url + item.path,
            new_x="LMARGIN",
            new_y="NEXT",
        )
    document.set_text_color(*INK)
    document.ln(2)


def advice(document: Any, report: Report) -> None:
    """What to do when not satisfied, and the helpline, in a framed box."""
    width = document.epw
    if document.get_y() > document.h - 50:
        document.add_page()
    document.ln(2)
    document.set_draw_color(*NAVY)
    document.set_line_width(0.4)
    top = document.get_y()
    document.set_x(document.l_margin + 3)
    step = report.if_not_satisfied(on_the_page=False)
    if step is not None:
        document.set_font("Devanagari", size=12)
        document.multi_cell(
            width - 6, 7, report.label("unsatisfied"), new_x="LMARGIN", new_y="NEXT"
        )
        document.set_x(document.l_margin + 3)
        document.set_font("Devanagari", size=11)
        document.multi_cell(width - 6, 6, step, new_x="LMARGIN", new_y="NEXT")
    else:
        document.set_font("Devanagari", size=11)
        document.multi_cell(width - 6, 6, report.questions(), new_x="LMARGIN", new_y="NEXT")
    document.ln(1)
    document.rect(document.l_margin, top - 2, width, document.get_y() - top + 2)
