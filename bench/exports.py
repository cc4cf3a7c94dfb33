"""What an export costs: time and peak Python memory to write N search rows as CSV and XLSX.

    .venv/bin/python -m bench.exports [--rows 2000 20000]

The rows are made one at a time (a complaint summary with a Hindi name and subject), as the
search's pages hand them over, and written by `api/exports.py` into a byte sink that keeps
nothing; tracemalloc's peak shows whether memory grows with the number of rows (it must
not: a file is streamed, never held). No database: the search itself is `bench/finding.py`.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from api import exports
from api.schemas import ComplaintSummary
from domain.values import Channel, Priority, Status

FILED = datetime(2026, 11, 2, 4, 30, tzinfo=UTC)


def summaries(count: int) -> Iterator[ComplaintSummary]:
    for n in range(count):
        yield ComplaintSummary(
            id=uuid4(),
            registration_no=f"JAI-2026-{n:07d}",
            version=3,
            status=Status.ASSIGNED,
            level=1,
            holder="PHED-JAI-L1",
            priority=Priority.NORMAL,
            district="JAI",
            department="PHED",
            category="water-supply",
            channel=Channel.HELPLINE_181,
            subject="तीन दिन से पानी नहीं आया, वार्ड 12",
            complainant_name="सुनीता देवी शर्मा",
            filed_at=FILED + timedelta(minutes=n),
            due_at=FILED + timedelta(days=3, minutes=n),
            overdue=False,
            resolved_at=None,
            outcome=None,
            feedback_satisfied=None,
            reopen_count=0,
            escalation_count=0,
            transfer_count=0,
        )


def measure(fmt: exports.Format, count: int) -> dict[str, Any]:
    """Timed once as it runs, then again under tracemalloc (which slows it) for the peak."""
    header = list(ComplaintSummary.__struct_fields__)
    write = exports.csv_bytes if fmt == exports.Format.CSV else exports.xlsx_bytes
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in write(header, exports.struct_rows(summaries(count))))
    seconds = time.perf_counter() - started
    tracemalloc.start()
    for _ in write(header, exports.struct_rows(summaries(count))):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": count,
        "bytes": size,
        "seconds": round(seconds, 2),
        "rows_per_s": round(count / seconds),
        "peak_python_mib": round(peak / 2**20, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, nargs="+", default=[2_000, 20_000])
    args = parser.parse_args()
    found = {
        fmt.value: [measure(fmt, count) for count in args.rows]
        for fmt in (exports.Format.CSV, exports.Format.XLSX)
    }
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
