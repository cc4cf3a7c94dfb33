"""Retraining: the seed corpus and the event history in, a new model version stored.

Run by `sampark assist train` and nightly by the scheduler (under its leadership lock, so
two schedulers train once). The categories learned are the directory's: a corpus example
or a complaint of a category the directory no longer holds is left out.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any

import psycopg

from assist import corpus, history
from assist.corpus import Example
from assist.store import Models
from assist.training import train
from domain.directory import Directory

Report = Callable[[str], None]


def known_labels(directory: Directory) -> set[str]:
    return {corpus.label(c.department, c.code) for c in directory.categories.values()}


def retrain(
    conn: psycopg.Connection[Any],
    directory: Directory | Collection[str],
    at: datetime,
    report: Report = lambda _: None,
) -> int:
    """Train on the corpus and the history and store the model; its version. `directory`
    may be given as its labels (`known_labels`)."""
    known = known_labels(directory) if isinstance(directory, Directory) else set(directory)
    seed = [e for e in corpus.seed() if e.label in known]
    learned: list[Example] = [*seed, *history.examples(conn, known)]
    report(f"training on {len(seed)} corpus examples and {len(learned) - len(seed)} complaints")
    if len({e.label for e in learned}) < 2:
        raise ValueError("the directory and the corpus share fewer than two categories")
    model = train(learned)
    model.facts["corpus_examples"] = len(seed)
    model.facts["history_examples"] = len(learned) - len(seed)
    version = Models(conn).save(model, at)
    report(
        f"model version {version}: {model.facts['labels']} categories, "
        f"{model.facts['features']} features, {model.facts['seconds']} s; routing threshold "
        f"{model.route_threshold}, urgency threshold {model.urgent_threshold}"
    )
    return version


def _retrain_at(url: str, known: list[str], at: datetime) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return retrain(conn, known, at)


def retrain_apart(url: str, directory: Directory, at: datetime) -> int:
    """`retrain` in a process of its own: the features are read in Python, which would hold
    the interpreter's lock for seconds, and the scheduler may share its process with the
    API (`sampark run`)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as apart:
        return apart.submit(_retrain_at, url, sorted(known_labels(directory)), at).result()
