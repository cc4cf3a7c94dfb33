"""Making a document and recording it: the one way the API and the scheduler make them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from psycopg_pool import ConnectionPool

from domain.directory import Directory
from reports import infographic
from reports.kept import Name, Shelf, data_version


class Picture(StrEnum):
    PNG = "png"
    PDF = "pdf"


def make_infographic(
    pool: ConnectionPool[Any],
    directory: Directory,
    now: datetime,
    day: date,
    language: str,
    by: str,
    *,
    keep: bool = False,
) -> tuple[dict[Picture, bytes], str]:
    """The state's infographic for `day` as PDF and PNG, and the data version they were
    made from; recorded (and kept, for the scheduler's copies, which are those published)."""
    with pool.connection() as conn:
        version = data_version(conn)
        info = infographic.gather(conn, directory, day, language)
        made = infographic.pdf(info)
        files = {Picture.PDF: made, Picture.PNG: infographic.png(made)}
        shelf = Shelf(conn)
        for picture, content in files.items():
            name = Name("infographic", "state", day.isoformat(), language, picture.value)
            (shelf.keep if keep else shelf.record)(name, content, version, by, now)
    return files, version
