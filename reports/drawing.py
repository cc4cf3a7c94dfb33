"""Pages drawn with fpdf2, their text shaped by HarfBuzz (Devanagari conjuncts and matras
right) in the Noto fonts that ship as wheels; a page as a PNG through PDFium.

A document is the same bytes for the same figures: its creation date is the moment its
figures stand at (never the wall clock), and fpdf2 derives the file's /ID from the bytes and
that date.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

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
