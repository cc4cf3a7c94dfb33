"""Finding a complaint's likely duplicates among the open complaints the caller may see
(`docs/assist.md`, "Duplicates"): same district, filed within `WINDOW`, the newest `LOOKED_AT`
of them scored by `assist/duplicates.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from assist.corpus import words
from assist.duplicates import THRESHOLD, Complaint, score
from assist.model import Model
from domain.values import OPEN_STATUSES, Identity
from projections.queries import scope_conditions
from projections.store import LIVE

WINDOW = timedelta(days=60)
LOOKED_AT = 200  # the newest open complaints of the district compared, at most (each filing too)
SHOWN = 5


@dataclass(frozen=True)
class Candidate:
    id: UUID
    registration_no: str
    score: float


_TOPICS: dict[tuple[int | None, str], list[float]] = {}
_TOPICS_KEPT = 20_000  # texts' topics kept between requests (the district's open complaints)


def topics(model: Model | None, texts: list[str]) -> list[list[float] | None]:
    """The classifier's probability of every category for each text (in one order). A text
    met before under the same model is not read again."""
    if model is None or not texts:
        return [None] * len(texts)
    version = model.version
    known = {t: _TOPICS.get((version, t)) for t in dict.fromkeys(texts)}
    new = [t for t, row in known.items() if row is None]
    if new:
        if len(_TOPICS) + len(new) > _TOPICS_KEPT:
            _TOPICS.clear()  # another request's copy of `known` stays whole
        for text, row in zip(new, model.probabilities(new).tolist(), strict=True):
            known[text] = _TOPICS[(version, text)] = row
    return [known[t] for t in texts]


def _point(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    return None if latitude is None or longitude is None else (latitude, longitude)


def likely_duplicates(
    conn: psycopg.Connection[Any],
    model: Model | None,
    who: Identity,
    *,
    district: str,
    text: str,
    mobile: str | None,
    now: datetime,
    leave_out: UUID | None = None,
    point: tuple[float, float] | None = None,
) -> list[Candidate]:
    where, params = scope_conditions(who)
    where = [
        sql.SQL("district = %s"),
        sql.SQL("status = ANY(%s)"),
        sql.SQL("filed_at >= %s"),
        *where,
    ]
    query = sql.SQL(
        "SELECT id, registration_no, subject, description, complainant_mobile, "
        "location_latitude, location_longitude "
        "FROM {table} WHERE {where} ORDER BY filed_at DESC LIMIT %s"
    ).format(table=sql.Identifier(LIVE, "complaints"), where=sql.SQL(" AND ").join(where))
    rows = [
        r
        for r in conn.execute(
            query,
            [district, [str(s) for s in OPEN_STATUSES], now - WINDOW, *params, LOOKED_AT],
        )
        if r[0] != leave_out
    ]
    texts = [text] + [words(r[2], r[3]) for r in rows]
    vectors = topics(model, texts)
    mine = Complaint(text, mobile, vectors[0], point)
    found = [
        Candidate(r[0], r[1], score(mine, Complaint(t, r[4], v, _point(r[5], r[6]))))
        for r, t, v in zip(rows, texts[1:], vectors[1:], strict=True)
    ]
    likely = [c for c in found if c.score >= THRESHOLD]
    return sorted(likely, key=lambda c: (-c.score, c.registration_no))[:SHOWN]
