"""Pages drawn with fpdf2, their text shaped by HarfBuzz (Devanagari conjuncts and matras
right) in the Noto fonts that ship as wheels; a page as a PNG through PDFium.

A document is the same bytes for the same figures: its creation date is the moment its
figures stand at (never the wall clock), and fpdf2 derives the file's /ID from the bytes and
that date.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fpdf import FPDF

PRODUCER = "Sampark"


@cache
def fonts() -> tuple[str, str]:
    """The regular Noto Sans Devanagari and Noto Sans files (the first for text in either
    script, the second as the fallback for what Devanagari's font lacks)."""
    import fontpkg_noto_sans
    import fontpkg_noto_sans_devanagari

    def regular(module: object) -> str:
        folder = Path(module.__file__).parent / "files"  # type: ignore[attr-defined]
        return str(next(p for p in sorted(folder.glob("*.ttf")) if "Italic" not in p.name))

    return regular(fontpkg_noto_sans_devanagari), regular(fontpkg_noto_sans)


def document(
    title: str, as_of: datetime, page: tuple[float, float] | str = "A4", *, landscape: bool = False
) -> FPDF:
    """An empty document in points, font "Devanagari" (Latin falls back to Noto Sans), its
    text shaped, dated `as_of` so that the same figures make the same bytes."""
    from fpdf import FPDF

    devanagari, latin = fonts()
    pdf = FPDF(orientation="L" if landscape else "P", unit="pt", format=page)
    pdf.set_title(title)
    pdf.set_producer(PRODUCER)
    pdf.set_creator(PRODUCER)
    pdf.set_creation_date(as_of)
    pdf.add_font("Devanagari", fname=devanagari)
    pdf.add_font("Latin", fname=latin)
    pdf.set_text_shaping(True)
    pdf.set_fallback_fonts(["Latin"])
    pdf.set_auto_page_break(False)
    pdf.set_font("Devanagari", size=10)
    return pdf


def png(pdf: bytes, width: int, page: int = 0) -> bytes:
    """One page of a PDF as a PNG `width` pixels wide (the height in proportion)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        sheet = document[page]
        image = sheet.render(scale=width / sheet.get_width()).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def table(
    page: Any,
    header: list[str],
    rows: list[list[Any]],
    widths: tuple[int, ...],
    size: float,
    text: Callable[[Any], str] = str,
) -> None:
    """A table on `page`: a dark heading row, then `rows` (each value shown by `text`)."""
    page.set_font("Devanagari", size=size)
    # Counts and percentages to the right, words to the left.
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in widths]
    aligns = tuple(
        "LEFT" if n == 0 or any(isinstance(v, str) and v[:1].isalpha() for v in column) else "RIGHT"
        for n, column in enumerate(columns)
    )
    with page.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align=aligns,
        line_height=size * 1.6,
        headings_style=_headings(),
        cell_fill_color=(244, 246, 249),
        cell_fill_mode="ROWS",
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        heading = table.row()
        for title in header:
            heading.cell(title)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(text(value))


def _headings() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis=None, color=(255, 255, 255), fill_color=(24, 58, 94))
