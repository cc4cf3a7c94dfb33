"""What the event history teaches: every complaint's words with the category it ended in.

The read model holds each complaint's current department and category: the one it was filed
under, or, when an officer transferred it, the one the officer chose (a correction, weighed
`CORRECTED_WEIGHT` times a filing). A text met more than once is taken once, under the
category most of its complaints ended in (a correction counting twice): the same words
under two labels teach nothing and slow the training. Per category at most `PER_CATEGORY`
texts are taken, the corrected and the newest first: a history of millions would otherwise
teach the commonest categories' commonest words and take hours.
Only categories the directory still holds are learned.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

import psycopg

from assist.corpus import Example, label, words
from projections.store import LIVE

PER_CATEGORY = 3_000
CORRECTED_WEIGHT = 2.0


def examples(
    conn: psycopg.Connection[Any], known: Collection[str], per_category: int = PER_CATEGORY
) -> Iterator[Example]:
    """The history's examples of the categories `known` (labels `DEPARTMENT/category`)."""
    found = conn.execute("SELECT to_regclass(%s)", (f"{LIVE}.complaints",)).fetchone()
    if not found or not found[0]:
        return
    rows = conn.execute(
        f"""
        SELECT department, category, subject, description, corrected
        FROM (
            SELECT department, category, subject, description, corrected,
                   row_number() OVER (
                       PARTITION BY department, category ORDER BY corrected DESC, last DESC
                   ) AS rank
            FROM (
                SELECT DISTINCT ON (subject, description)
                       department, category, subject, description, corrected, last
                FROM (
                    SELECT subject, description, department, category,
                           bool_or(transfer_count > 0) AS corrected,
                           count(*) + count(*) FILTER (WHERE transfer_count > 0) AS votes,
                           max(filed_at) AS last
                    FROM {LIVE}.complaints
                    GROUP BY subject, description, department, category
                ) AS labelled
                ORDER BY subject, description, votes DESC, last DESC
            ) AS one_label_a_text
        ) AS ranked
        WHERE rank <= %s
        """,
        (per_category,),
    )
    for department, category, subject, description, corrected in rows:
        if label(department, category) in known:
            yield Example(
                text=words(subject, description),
                department=department,
                category=category,
                weight=CORRECTED_WEIGHT if corrected else 1.0,
            )
