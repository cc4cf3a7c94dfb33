"""A model of the seed corpus for the tests, trained once a session (without the folds'
thresholds, which take longer and which the tests set to what each story needs)."""

from __future__ import annotations

import copy
from functools import cache

from assist import corpus
from assist.model import Model
from assist.training import train


@cache
def _seed_model() -> Model:
    return train(corpus.seed(), thresholds=False)


def seed_model(route_threshold: float = 0.0, urgent_threshold: float = 0.5) -> Model:
    """A copy of the seed corpus's model with these thresholds (0: routes everything;
    above 1: routes nothing)."""
    model = copy.copy(_seed_model())
    model.route_threshold = route_threshold
    model.urgent_threshold = urgent_threshold
    model.version = None
    return model
