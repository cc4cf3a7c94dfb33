"""What the assistant's judgement means at filing: the category a complaint is filed under
when the filer named none, whether it is routed or waits for triage, and whether its
priority is raised.

The category is the best suggestion the directory holds (of the filer's department, when
the filer named one). It routes the complaint when its score reaches the model's routing
threshold (`assist/training.py`); otherwise the complaint is filed under it but waits,
unassigned, for the helpline desk (`Complaint.triage`).
"""

from __future__ import annotations

from dataclasses import dataclass

from assist.model import Judgement
from domain.directory import Directory
from domain.values import AssistantChoice, RiskRead


@dataclass(frozen=True)
class Choice:
    department: str
    category: str
    assistant: AssistantChoice


def choose(
    judgement: Judgement, directory: Directory, department: str | None = None
) -> Choice | None:
    """The category to file under (None: no suggestion the directory holds)."""
    for suggestion in judgement.suggestions:
        if department is not None and suggestion.department != department:
            continue
        if directory.category(suggestion.department, suggestion.category) is None:
            continue
        return Choice(
            suggestion.department,
            suggestion.category,
            AssistantChoice(
                model_version=judgement.model_version or 0,
                score=suggestion.score,
                routed=suggestion.score >= judgement.route_threshold,
            ),
        )
    return None


def risk(judgement: Judgement) -> RiskRead | None:
    """The risk to life or safety the assistant read, if it did."""
    if not judgement.urgent.flag:
        return None
    return RiskRead(
        model_version=judgement.model_version or 0,
        score=judgement.urgent.score,
        reasons=judgement.urgent.reasons,
    )
