"""Deadline arithmetic: how long each level has to dispose of a complaint. Pure; no clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.directory import Category


def due_at(category: Category, level: int, start: datetime) -> datetime:
    """The moment by which a complaint at `level`, held since `start`, must be disposed of."""
    return start + timedelta(days=category.days_allowed[level - 1])
