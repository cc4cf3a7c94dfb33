"""Training: examples in, a `Model` out, with its thresholds chosen from out-of-fold
predictions on the training examples themselves (never from the held-out split, which
only measures; `docs/assist.md`).

The routing threshold is the lowest top score at which the complaints routed unattended
would have gone to the right category at least `ROUTING_PRECISION` of the time; below
it a complaint waits for the helpline desk. The urgency threshold is the highest score
that still catches `URGENT_RECALL` of the complaints telling of a risk to life or safety:
missing one costs more than a false alarm (an officer sees a complaint sooner).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from assist import hazards
from assist.corpus import Example
from assist.model import Model, Reading

if TYPE_CHECKING:  # imported where a model is trained: not by every worker that imports this
    from sklearn.svm import LinearSVC

ROUTING_PRECISION = 0.95
URGENT_RECALL = 0.9
FOLDS = 3
CATEGORY_C = 1.0
URGENT_C = 1.0
# Linear SVMs (liblinear: seconds where a multinomial logistic regression took a minute,
# and as accurate in the folds); their margins become scores through a softmax (categories)
# and a logistic (urgency) of the margin times `SHARPNESS`. Any monotone score would do for
# the thresholds, which are read off the folds; this one reads as a share.
SHARPNESS = 4.0
# A hazard's column beside the words' TF-IDF (each bag a unit vector): at 1 a hazard told of
# counts about as much as all the words of one bag, so the SVM can lean on it without being
# made to (chosen by cross-validation of the training split; docs/assist.md).
HAZARD_SCALE = 1.0


def train(examples: Sequence[Example], *, thresholds: bool = True) -> Model:
    """A model of these examples. Without `thresholds` (the folds' own models, whose scores
    alone are used to choose the thresholds), it keeps the Model's default thresholds."""
    import scipy.sparse as sp
    from sklearn.svm import LinearSVC

    started = time.perf_counter()
    texts = [e.text for e in examples]
    reading = Reading.learned(texts)
    x = reading.features(texts)
    labels = sorted({e.label for e in examples})
    index = {label: i for i, label in enumerate(labels)}
    y = np.array([index[e.label] for e in examples])
    weights = np.array([e.weight for e in examples], dtype=np.float64)
    categories = LinearSVC(C=CATEGORY_C)
    categories.fit(x, y, sample_weight=weights)
    coefficients, intercepts = _all_rows(categories, len(labels))

    known = [i for i, e in enumerate(examples) if e.urgent is not None]
    reason_terms: frozenset[str] = frozenset()
    urgent = LinearSVC(C=URGENT_C, class_weight="balanced")
    urgent_y = np.array([bool(examples[i].urgent) for i in known])
    hazard_weights: dict[str, float] = {}
    if urgent_y.any() and not urgent_y.all():
        told = hazards.matrix([examples[i].text for i in known]) * HAZARD_SCALE
        urgent.fit(sp.hstack([x[known], told], format="csr"), urgent_y)
        weights = urgent.coef_[0] * SHARPNESS
        urgent_coefficients = weights[: reading.width].astype(np.float32)
        hazard_weights = {
            name: round(float(w * HAZARD_SCALE), 4)
            for name, w in zip(hazards.NAMES, weights[reading.width :], strict=True)
        }
        urgent_intercept = float(urgent.intercept_[0] * SHARPNESS)
        reason_terms = _reason_terms(reading, x[known], urgent_y)
    else:  # nothing to learn urgency from: nothing is ever flagged
        urgent_coefficients = np.zeros(reading.width, dtype=np.float32)
        urgent_intercept = -30.0
    model = Model(
        reading=reading,
        labels=tuple(labels),
        coefficients=coefficients,
        intercepts=intercepts,
        urgent_coefficients=urgent_coefficients,
        urgent_intercept=urgent_intercept,
        route_threshold=1.0,
        urgent_threshold=0.5,
        reason_terms=reason_terms,
        hazard_weights=hazard_weights,
    )
    if thresholds:
        model.route_threshold, model.urgent_threshold = _thresholds(examples)
    model.facts = {
        "examples": len(examples),
        "labels": len(labels),
        "features": reading.width,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return model


def _reason_terms(
    reading: Reading, rows: Any, urgent: np.ndarray, at_least: int = 2, share: float = 0.5
) -> frozenset[str]:
    """The words that may be given as reasons: met in at least `at_least` urgent examples,
    and urgent in at least `share` of the examples they are met in (a place named once, or
    "me", "ko", "the", met everywhere, is no reason)."""
    offset = len(reading.characters.vocabulary)
    met = (rows[:, offset:] > 0).astype(np.float32)
    in_urgent = np.asarray(met[urgent].sum(axis=0)).ravel()
    everywhere = np.asarray(met.sum(axis=0)).ravel()
    chosen = (in_urgent >= at_least) & (in_urgent >= share * np.maximum(everywhere, 1))
    return frozenset(reading.words.vocabulary[i] for i in np.flatnonzero(chosen))


def _all_rows(fitted: LinearSVC, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients one row a label, sharpened (a two-label fit gives one row: its twin)."""
    coef = (fitted.coef_ * SHARPNESS).astype(np.float32)
    intercept = (fitted.intercept_ * SHARPNESS).astype(np.float32)
    if n == 2 and coef.shape[0] == 1:
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2], dtype=np.float32)
    return coef, intercept


def _thresholds(examples: Sequence[Example]) -> tuple[float, float]:
    """Both thresholds from out-of-fold predictions of the labelled seed examples (those
    whose language is known: the corpus); the defaults when there are too few."""
    seed = [e for e in examples if e.language is not None]
    counts: dict[str, int] = {}
    for e in seed:
        counts[e.label] = counts.get(e.label, 0) + 1
    usable = [e for e in seed if counts[e.label] >= FOLDS]
    if len(usable) < FOLDS * 4:
        return 0.5, 0.5
    top_scores, right, urgent_scores, urgent_truth = _out_of_fold(usable)
    return (
        routing_threshold(top_scores, right),
        urgent_threshold(urgent_scores, urgent_truth),
    )


def _out_of_fold(
    examples: Sequence[Example],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=16)
    labels = [e.label for e in examples]
    top, right, urgent, truth = [], [], [], []
    for train_rows, test_rows in folds.split(np.zeros(len(labels)), labels):
        fold = train([examples[i] for i in train_rows], thresholds=False)
        tested = [examples[i] for i in test_rows]
        for e, judged in zip(tested, fold.judge([e.text for e in tested], top=1), strict=True):
            best = judged.suggestions[0]
            top.append(best.score)
            right.append((best.department, best.category) == (e.department, e.category))
            urgent.append(judged.urgent.score)
            truth.append(bool(e.urgent))
    return np.array(top), np.array(right), np.array(urgent), np.array(truth)


def routing_threshold(
    top_scores: np.ndarray, right: np.ndarray, precision: float = ROUTING_PRECISION
) -> float:
    """The lowest score s such that the predictions scoring s or more are right at least
    `precision` of the time (and every stricter cut is too); 1.0 when none is."""
    order = np.argsort(-top_scores)
    scores, hits = top_scores[order], right[order]
    cumulative = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    best = 1.0
    for i in range(len(scores)):
        if cumulative[i] < precision:
            break
        if i + 1 == len(scores) or scores[i + 1] < scores[i]:
            best = float(scores[i])
    return round(best, 4)


def urgent_threshold(scores: np.ndarray, truth: np.ndarray, recall: float = URGENT_RECALL) -> float:
    """The highest score that still flags `recall` of the truly urgent."""
    positives = np.sort(scores[truth])[::-1]
    if len(positives) == 0:
        return 0.5
    needed = int(np.ceil(recall * len(positives)))
    return round(float(positives[needed - 1]), 4)


Progress = Callable[[str], None]
