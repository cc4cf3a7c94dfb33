"""Training needs (docs/reports.md): a department's posts whose work most often came back in
a month, from the dashboard by post for the department and month.

Per post: disposals, disposals reopened (`received_by_kind.reopened`: a reopened complaint
returns to the post that disposed of it), "not satisfied" answers (`feedback`), and
complaints it transferred to another department (`transferred_out_by_kind.to_department`,
"not mine"); most of these first. Appeals are escalations and are not told apart from a
deadline's in the dashboards, so they are not listed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

from domain.directory import Directory
from domain.values import Identity
from projections.queries import ReadQueries
from reports.infographic import figures_as_of
from reports.monthly_index import month_days


def needs(
    conn: psycopg.Connection[Any], directory: Directory, who: Identity, department: str, first: date
) -> list[dict[str, Any]]:
    """The department's posts with anything come back in the month from `first`, as `who`
    may see them, most first."""
    start, last = month_days(first)
    rows = ReadQueries(conn).dashboard(
        who, "post", start, last, figures_as_of(last), department=department
    )
    listed = []
    for row in rows:
        if not row["key"]:  # the state-level pool is no post
            continue
        counts = {
            "disposed": row["disposed"],
            "reopened": row["received_by_kind"]["reopened"],
            "not_satisfied": row["feedback"]["not_satisfied"],
            "transferred_away": row["transferred_out_by_kind"]["to_department"],
        }
        came_back = counts["reopened"] + counts["not_satisfied"] + counts["transferred_away"]
        if not came_back:
            continue
        post = directory.posts.get(row["key"])
        listed.append(
            {
                "post": row["key"],
                "designation": post.designation if post else None,
                "district": post.district if post else None,
                **counts,
                "came_back": came_back,
            }
        )
    return sorted(listed, key=lambda p: (-p["came_back"], p["post"]))
