"""Making a document and recording it: the one way the API and the scheduler make them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from domain.directory import Directory
from domain.values import Identity
from reports import infographic, meeting_pack, monthly_data, review_report
from reports.kept import Name, Shelf, data_version


class Picture(StrEnum):
    PNG = "png"
    PDF = "pdf"


LANGUAGES = ("hi", "en")  # every document is made in Hindi and English


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
    made from; recorded (and kept, for the scheduler's copies, which are those published;
    else held as the copy of that data version)."""
    with pool.connection() as conn:
        version = data_version(conn)
        info = infographic.gather(conn, directory, day, language)
        made = infographic.pdf(info)
        files = {Picture.PDF: made, Picture.PNG: infographic.png(made)}
        shelf = Shelf(conn)
        for picture, content in files.items():
            name = infographic_name(day, language, picture)
            if keep:
                shelf.keep(name, content, version, by, now)
            else:
                shelf.record(name, content, version, by, now)
                shelf.remember(name, content, version)
    return files, version


def infographic_name(day: date, language: str, picture: Picture) -> Name:
    return Name("infographic", "state", day.isoformat(), language, picture.value)


def infographic_copy(
    pool: ConnectionPool[Any],
    directory: Directory,
    now: datetime,
    day: date,
    language: str,
    picture: Picture,
    by: str,
) -> tuple[bytes, str]:
    """The infographic to serve, and its data version: the morning's kept copy (as
    published); else the copy made from the data as they stand now, if one was; else one
    made (and recorded) now. Asking again changes nothing until an event is applied."""
    name = infographic_name(day, language, picture)
    with pool.connection() as conn:
        shelf = Shelf(conn)
        kept = shelf.kept(name)
        if kept is not None:
            return kept.content, kept.data_version
        version = data_version(conn)
        held = shelf.copy(name, version)
        if held is not None:
            return held, version
    files, version = make_infographic(pool, directory, now, day, language, by)
    return files[picture], version


def all_kept(pool: ConnectionPool[Any], day: date) -> bool:
    """Whether the scheduler's copies of `day`'s infographic (each language and format)
    are all kept."""
    with pool.connection() as conn:
        shelf = Shelf(conn)
        return all(
            shelf.kept(infographic_name(day, language, picture)) is not None
            for language in LANGUAGES
            for picture in Picture
        )


class Sheet(StrEnum):
    PDF = "pdf"
    XLSX = "xlsx"


def make_meeting_pack(
    pool: ConnectionPool[Any],
    directory: Directory,
    now: datetime,
    who: Identity,
    district: str,
    monday: date,
    language: str,
    form: Sheet,
) -> tuple[bytes, str]:
    """A district's meeting pack for the week from `monday`, as `who` may see it, and the
    data version it was made from; recorded."""
    with pool.connection() as conn:
        version = data_version(conn)
        pack = meeting_pack.gather(conn, directory, who, district, monday, language)
        content = meeting_pack.pdf(pack) if form == Sheet.PDF else meeting_pack.xlsx(pack)
        name = Name("district_pack", district, monday.isoformat(), language, form.value)
        Shelf(conn).record(name, content, version, who.id, now)
    return content, version


def make_review_report(
    pool: ConnectionPool[Any],
    directory: Directory,
    now: datetime,
    by: str,
    department: str,
    day: date,
    language: str,
    *,
    personal: bool,
) -> tuple[bytes, str, list[UUID]]:
    """The review report of `department` for `day` (with the complainants' subjects when
    `personal`), the data version it was made from, and the complaints it shows; recorded."""
    with pool.connection() as conn:
        version = data_version(conn)
        report = review_report.gather(
            conn, directory, department, day, language, version, personal=personal
        )
        content = review_report.pdf(report)
        name = Name("review_report", department, day.isoformat(), language, "pdf")
        Shelf(conn).record(name, content, version, by, now)
    return content, version, [line.complaint_id for line in report.lines]


def make_monthly_data(
    pool: ConnectionPool[Any],
    directory: Directory,
    now: datetime,
    who: Identity,
    department: str,
    first: date,
    language: str,
    form: Sheet,
) -> tuple[bytes, str]:
    """A department's monthly data for the month from `first`, as `who` may see it, and the
    data version it was made from; recorded."""
    with pool.connection() as conn:
        version = data_version(conn)
        data = monthly_data.gather(conn, directory, who, department, first, language)
        content = monthly_data.pdf(data) if form == Sheet.PDF else monthly_data.xlsx(data)
        name = Name("monthly_data", department, f"{first:%Y-%m}", language, form.value)
        Shelf(conn).record(name, content, version, who.id, now)
    return content, version
