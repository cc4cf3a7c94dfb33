"""The trained models, versioned (schema `assist`, table `models`).

A model is stored as what it is, numbers and words: the vocabularies as text arrays, the
IDF weights and coefficients as little-endian float32 in `bytea` (read back with
`numpy.frombuffer`, which builds no object from the bytes: nothing stored is ever
unpickled). The newest version is the one in use; `latest_version` is the cheap question
the API asks to notice a new one without a restart. Like `notify` and `reports`, this schema
is no read model: `sampark projections rebuild` never touches it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import psycopg
from psycopg.types.json import Jsonb

from assist.model import Bag, Model, Reading

KEEP = 5  # versions kept; older ones are deleted when a new one is saved
FLOAT = np.dtype("<f4")


def _bytes(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array, dtype=FLOAT).tobytes()


def _array(data: bytes, shape: tuple[int, ...]) -> np.ndarray:
    array = np.frombuffer(data, dtype=FLOAT)
    if array.size != int(np.prod(shape)):
        raise ValueError(f"a stored array holds {array.size} numbers, not {shape}")
    return array.reshape(shape)


class Models:
    """The models trained, newest last."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def save(self, model: Model, at: datetime) -> int:
        """Store `model` as the newest version; its number."""
        reading = model.reading
        with self.conn.transaction():
            row = self.conn.execute(
                "INSERT INTO assist.models (trained_at, labels, character_terms, "
                "character_idf, word_terms, word_idf, coefficients, intercepts, "
                "urgent_coefficients, urgent_intercept, route_threshold, urgent_threshold, "
                "facts, reason_terms, hazard_weights) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "RETURNING version",
                (
                    at,
                    list(model.labels),
                    list(reading.characters.vocabulary),
                    _bytes(reading.characters.idf),
                    list(reading.words.vocabulary),
                    _bytes(reading.words.idf),
                    _bytes(model.coefficients),
                    _bytes(model.intercepts),
                    _bytes(model.urgent_coefficients),
                    model.urgent_intercept,
                    model.route_threshold,
                    model.urgent_threshold,
                    Jsonb(model.facts),
                    sorted(model.reason_terms),
                    Jsonb(model.hazard_weights),
                ),
            ).fetchone()
            assert row is not None
            version = int(row[0])
            self.conn.execute("DELETE FROM assist.models WHERE version <= %s", (version - KEEP,))
        model.version = version
        return version

    def latest_version(self) -> int | None:
        row = self.conn.execute("SELECT max(version) FROM assist.models").fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def load(self, version: int | None = None) -> Model | None:
        """The model of that version (the newest by default); None when there is none."""
        if version is None:
            version = self.latest_version()
            if version is None:
                return None
        row = self.conn.execute(
            "SELECT labels, character_terms, character_idf, word_terms, word_idf, "
            "coefficients, intercepts, urgent_coefficients, urgent_intercept, "
            "route_threshold, urgent_threshold, facts, reason_terms, hazard_weights "
            "FROM assist.models WHERE version = %s",
            (version,),
        ).fetchone()
        if row is None:
            return None
        labels, chars, char_idf, words, word_idf = row[:5]
        width = len(chars) + len(words)
        return Model(
            reading=Reading(
                Bag(tuple(chars), _array(char_idf, (len(chars),))),
                Bag(tuple(words), _array(word_idf, (len(words),))),
            ),
            labels=tuple(labels),
            coefficients=_array(row[5], (len(labels), width)),
            intercepts=_array(row[6], (len(labels),)),
            urgent_coefficients=_array(row[7], (width,)),
            urgent_intercept=float(row[8]),
            route_threshold=float(row[9]),
            urgent_threshold=float(row[10]),
            version=version,
            facts=dict(row[11]),
            reason_terms=frozenset(row[12]),
            hazard_weights={str(k): float(v) for k, v in dict(row[13]).items()},
        )

    def trained_at(self, version: int) -> datetime | None:
        row = self.conn.execute(
            "SELECT trained_at FROM assist.models WHERE version = %s", (version,)
        ).fetchone()
        return row[0] if row else None
