"""Lists and figures as files a spreadsheet opens: CSV and XLSX, streamed.

An export has the columns of the JSON answer, flattened (`received_by_kind.filed`), and only
what the caller may see: it is made from the same answer structs (`api/views.py` decides what
each reader is shown). Rows are written as they come, so memory stays flat however many:

- CSV: UTF-8 with a byte order mark (so Excel shows Hindi), RFC 4180 (commas, `"` doubled,
  CRLF). Citizens write the text, so a cell that a spreadsheet would take for a formula (it
  starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe.
- XLSX: XlsxWriter in `constant_memory` mode, each row flushed to a temporary file as it is
  written; the finished file is then sent in chunks and removed. Text is written as text,
  never as a formula, a number or a link.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any

import msgspec
import xlsxwriter
from litestar import Response
from litestar.params import QueryParameter
from litestar.response import Stream


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


FormatQuery = Annotated[
    Format,
    QueryParameter(description="json (the default), or a file: csv (UTF-8 with BOM) or xlsx"),
]

CSV_MEDIA_TYPE = "text/csv"  # Litestar adds "; charset=utf-8" to a text type
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {Format.CSV: CSV_MEDIA_TYPE, Format.XLSX: XLSX_MEDIA_TYPE}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK_BYTES = 64 * 1024
Cell = str | int | float | bool | None


def flattened(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A JSON object as one row: nested objects' members named by their path (`a.b`)."""
    flat: dict[str, Any] = {}
    for name, value in row.items():
        if isinstance(value, Mapping):
            flat.update(flattened(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def struct_rows(structs: Iterable[msgspec.Struct]) -> Iterator[list[Cell]]:
    """Answer structs as rows of their fields' JSON values (times ISO 8601, as in JSON)."""
    for struct in structs:
        values = msgspec.to_builtins(struct)
        yield [values[name] for name in type(struct).__struct_fields__]


def csv_cell(value: Cell) -> str:
    """A value as CSV text, the way JSON writes it; text a spreadsheet would evaluate is
    made inert with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}" if value.startswith(FORMULA_START) else value
    return str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """The CSV file, in chunks of about `CHUNK_BYTES`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield codecs.BOM_UTF8 + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """The XLSX file: written row by row to a temporary file, then sent in chunks."""
    handle, path = tempfile.mkstemp(prefix="sampark-export-", suffix=".xlsx")
    os.close(handle)
    try:
        book = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "tmpdir": tempfile.gettempdir(),
            },
        )
        sheet = book.add_worksheet("export")
        bold = book.add_format({"bold": True})
        sheet.write_row(0, 0, header, bold)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value is not None:
                    sheet.write(number, column, value)
        book.close()
        with open(path, "rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                yield chunk
    finally:
        os.unlink(path)


def download(
    fmt: Format, name: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> Response[Any]:
    """The rows as a file to save, `<name>.<format>`; streamed as they are produced."""
    if fmt == Format.JSON:
        raise ValueError("JSON is the ordinary answer, not a download")
    body = csv_bytes(header, rows) if fmt == Format.CSV else xlsx_bytes(header, rows)
    filename = f"{re.sub(r'[^A-Za-z0-9._-]', '-', name)}.{fmt.value}"
    return Stream(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
