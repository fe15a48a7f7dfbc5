"""What every report says the same way: why the verdict, the action plan in steps, the
evidence levels of the content. Plain Python over a :class:`~aeo_check.model.Result`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .model import (
    EVIDENCE_LEVELS,
    PRIORITY_ORDER,
    QUALITY_KINDS,
    EvidenceLevel,
    Gap,
    Questionnaire,
    Result,
)
from .scoring import verdict_reasons

__all__ = [
    "PLAN_STEPS",
    "PlanStep",
    "Task",
    "action_plan",
    "evidence_summary",
    "first_task",
    "quality_by_kind",
    "verdict_reasons",
]


@dataclass(frozen=True)
class PlanStep:
    key: str  # "first", "next", "then"
    label: str
    phase: int
    days: int  # suggested target window, counted from the assessment date
    meaning: str


PLAN_STEPS: tuple[PlanStep, ...] = (
    PlanStep(
        "first",
        "First",
        1,
        30,
        "eligibility and foundations: the written program, risk assessment, policies, roles",
    ),
    PlanStep("next", "Next", 2, 60, "controls that rest on the foundations"),
    PlanStep("then", "Then", 3, 90, "checks and training"),
)


@dataclass(frozen=True)
class Task:
    gap: Gap
    step: PlanStep
    due: str | None  # the action's own due date, else the suggested one (None: no date known)
    suggested: bool  # True when ``due`` is the suggestion, not the team's own date


def _add_days(day: str | None, days: int) -> str | None:
    try:
        start = _dt.date.fromisoformat((day or "")[:10])
    except ValueError:
        return None
    return (start + _dt.timedelta(days=days)).isoformat()


def action_plan(result: Result) -> list[tuple[PlanStep, list[Task]]]:
    """The gaps as tasks in three steps (first / next / then), by phase; gates come first.

    Within a step, tasks follow priority, then the gap order. A step's suggested target is
    the assessment date plus its window; an action's own ``due`` wins.
    """
    by_step: dict[str, list[Task]] = {s.key: [] for s in PLAN_STEPS}
    start = result.assessment.assessed_on
    for gap in result.gaps:
        phase = 1 if gap.is_gate else gap.phase
        step = next((s for s in PLAN_STEPS if s.phase == phase), PLAN_STEPS[1])
        own = gap.action.due if gap.action and gap.action.due else None
        due = own or _add_days(start, step.days)
        by_step[step.key].append(Task(gap, step, due, own is None and due is not None))
    out = []
    for s in PLAN_STEPS:
        tasks = sorted(by_step[s.key], key=lambda t: PRIORITY_ORDER.index(t.gap.priority))
        if tasks:
            out.append((s, tasks))
    return out


def first_task(result: Result) -> Task | None:
    """The one thing to do first."""
    plan = action_plan(result)
    return plan[0][1][0] if plan else None


def quality_by_kind(result: Result) -> list[tuple[str, str, list[str]]]:
    """Quality findings grouped: (kind, its label, criterion ids), in QUALITY_KINDS order."""
    out = []
    for kind, label in QUALITY_KINDS.items():
        ids = [f.id for f in result.quality if f.kind == kind]
        if ids:
            out.append((kind, label, ids))
    return out


def evidence_summary(q: Questionnaire, entity: str) -> dict[EvidenceLevel, list[str]]:
    """Criterion ids of one business type by evidence level (every level present)."""
    out: dict[EvidenceLevel, list[str]] = {level: [] for level in EVIDENCE_LEVELS}
    for c in q.applicable_criteria(entity):
        out[c.level_for(entity)].append(c.id)
    return out
