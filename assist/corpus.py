"""The examples the assistant learns from: the seed corpus written for it (`data/assist/`)
and, later, the complaints of the event history (`assist/history.py`).

An example is a complaint's words with what it turned out to be: its department and
category (the label is `DEPARTMENT/category`, a category code being unique only within its
department), and for the corpus, its language and whether it tells of a risk to life or
safety.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "assist"
TRAINING = DATA / "complaints.jsonl"
HELD_OUT = DATA / "heldout.jsonl"  # never trained on: the measurements' own
DUPLICATES = DATA / "duplicates.jsonl"
LANGUAGES = ("hi", "en", "hinglish")


@dataclass(frozen=True)
class Example:
    text: str
    department: str
    category: str
    urgent: bool | None = None  # None: not known (the history does not say)
    language: str | None = None
    district: str | None = None
    weight: float = 1.0

    @property
    def label(self) -> str:
        return label(self.department, self.category)


def label(department: str, category: str) -> str:
    return f"{department}/{category}"


def department_and_category(label_: str) -> tuple[str, str]:
    department, _, category = label_.partition("/")
    return department, category


def words(subject: str, description: str) -> str:
    """What the assistant reads of a complaint: its subject, then its description."""
    return f"{subject}\n{description}"


def read(path: Path) -> Iterator[Example]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                yield Example(
                    text=words(row["subject"], row["description"]),
                    department=row["department"],
                    category=row["category"],
                    urgent=bool(row["urgent"]),
                    language=row["language"],
                    district=row["district"],
                )


def seed() -> list[Example]:
    """The corpus the assistant is trained on (never the held-out split)."""
    return list(read(TRAINING))


def held_out() -> list[Example]:
    """The split kept for measuring (`bench/assist.py`), never for training."""
    return list(read(HELD_OUT))
