"""`/fonts/{name}`: the web fonts the citizen's pages use, served by us, so a phone without a
Devanagari font still shows Hindi (Noto Sans Devanagari, from the wheel that draws the PDFs;
SIL Open Font License). Public, and kept by caches for a week."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from litestar import Response, get
from litestar.params import FromPath

from api.problems import Problem
from reports.drawing import fonts

DEVANAGARI = "noto-sans-devanagari.ttf"
WEEK = 7 * 24 * 3600


@cache
def _font(name: str) -> bytes:
    devanagari, _ = fonts()
    return Path(devanagari).read_bytes()


@get("/fonts/{name:str}", sync_to_thread=True, summary="A web font of the citizen's pages")
def web_font(name: FromPath[str]) -> Response[bytes]:
    if name != DEVANAGARI:
        raise Problem(404, "no such font")
    return Response(
        _font(name),
        media_type="font/ttf",
        headers={"Cache-Control": f"public, max-age={WEEK}"},
    )
