"""Scoring: pure functions from (Questionnaire, Assessment) to a Result.

The rules are a contract (docs/scoring.md, DESIGN.md):

- applicable criteria: those whose ``applies_to`` includes the entity type (omitted = all);
- credit: yes 1, partial 0.5, no 0, unanswered 0; ``na`` drops the criterion from the sums;
- weight: ``must_weight`` or ``should_weight`` unless the criterion overrides it;
- category and overall score = 100 x sum(weight x credit) / sum(weight), rounded half up to one
  decimal; ``None`` when nothing carries weight (every criterion N/A);
- verdict, first match wins: not-eligible (a gate answered no); ready (every applicable Must
  that is not N/A is yes, and overall >= ready_at); nearly-ready (no such Must is no or
  unanswered, and overall >= nearly_ready_at); not-ready. Thresholds compare the rounded score,
  the figure the user sees;
- provisional: any applicable criterion or gate unanswered;
- gap priority: Must no/unanswered critical, Must partial high, Should no/unanswered medium,
  Should partial low; gaps sort by priority, then questionnaire order.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .model import (
    PRIORITY_ORDER,
    Answer,
    AnswerValue,
    Assessment,
    CategoryScore,
    Criterion,
    Gap,
    GateResult,
    GateValue,
    Level,
    Priority,
    Questionnaire,
    Result,
    Verdict,
)

CREDIT: dict[AnswerValue, Fraction] = {
    AnswerValue.YES: Fraction(1),
    AnswerValue.PARTIAL: Fraction(1, 2),
    AnswerValue.NO: Fraction(0),
}


def credit(answer: Answer) -> Fraction | None:
    """Credit of one answer; None for N/A (dropped from the sums). Unanswered earns 0."""
    if answer.value is None:
        return Fraction(0)
    if answer.value is AnswerValue.NA:
        return None
    return CREDIT[answer.value]


def percent(earned: Fraction, possible: Fraction) -> float | None:
    """100 x earned / possible, rounded half up to one decimal; None when possible is 0."""
    if possible == 0:
        return None
    exact = Fraction(100) * earned / possible
    as_decimal = Decimal(exact.numerator) / Decimal(exact.denominator)
    return float(as_decimal.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def gap_priority(level: Level, answer: Answer) -> Priority | None:
    """Priority of the gap a criterion leaves, or None when it leaves none (yes or N/A)."""
    value = answer.value
    if value in (AnswerValue.YES, AnswerValue.NA):
        return None
    if value is AnswerValue.PARTIAL:
        return Priority.HIGH if level is Level.MUST else Priority.LOW
    return Priority.CRITICAL if level is Level.MUST else Priority.MEDIUM


def _weight(q: Questionnaire, c: Criterion) -> Fraction:
    return Fraction(q.weight_of(c))


def score(questionnaire: Questionnaire, assessment: Assessment) -> Result:
    """Score an assessment. Pure: reads its inputs, returns a new Result."""
    q = questionnaire
    entity = assessment.entity_type
    warnings: list[str] = []

    categories: list[CategoryScore] = []
    total_earned = Fraction(0)
    total_possible = Fraction(0)
    gaps: list[tuple[int, int, Gap]] = []
    counts = {"yes": 0, "partial": 0, "no": 0, "na": 0, "unanswered": 0}
    musts_all_yes = True
    musts_none_missing = True
    order = 0

    for cat in q.categories:
        earned = Fraction(0)
        possible = Fraction(0)
        applicable = answered = na = 0
        for c in cat.criteria:
            if not c.applies(entity):
                continue
            order += 1
            applicable += 1
            ans = assessment.answer(c.id)
            counts[ans.value.value if ans.value else "unanswered"] += 1
            if ans.value is not None:
                answered += 1
            cr = credit(ans)
            if cr is None:
                na += 1
                continue
            w = _weight(q, c)
            earned += w * cr
            possible += w
            if c.level is Level.MUST:
                if ans.value is not AnswerValue.YES:
                    musts_all_yes = False
                if ans.value in (None, AnswerValue.NO):
                    musts_none_missing = False
            prio = gap_priority(c.level, ans)
            if prio is not None:
                gap = Gap(
                    id=c.id,
                    category=cat.id,
                    category_title=cat.title,
                    level=c.level,
                    answer=ans.value.value if ans.value else "unanswered",
                    priority=prio,
                    title=c.title,
                    ask=c.ask,
                    remediation=c.remediation,
                    note=ans.note,
                    evidence=ans.evidence,
                    action=ans.action,
                )
                gaps.append((PRIORITY_ORDER.index(prio), order, gap))
        if applicable:
            categories.append(
                CategoryScore(
                    id=cat.id,
                    title=cat.title,
                    score=percent(earned, possible),
                    applicable=applicable,
                    answered=answered,
                    na=na,
                )
            )
        total_earned += earned
        total_possible += possible

    overall = percent(total_earned, total_possible)
    if overall is None:
        warnings.append(
            "no applicable criterion carries weight (none apply, or all are N/A): "
            "no score can be computed"
        )

    gate_results: list[GateResult] = []
    any_gate_no = False
    any_gate_missing = False
    for gate in q.applicable_gates(entity):
        value = assessment.eligibility.get(gate.id)
        if value is GateValue.NO:
            any_gate_no = True
        if value is None:
            any_gate_missing = True
        gate_results.append(
            GateResult(
                id=gate.id,
                ask=gate.ask,
                answer=value.value if value else "unanswered",
                verified=gate.verified,
            )
        )

    if any_gate_no:
        verdict = Verdict.NOT_ELIGIBLE
    elif overall is not None and musts_all_yes and overall >= q.scoring.ready_at:
        verdict = Verdict.READY
    elif overall is not None and musts_none_missing and overall >= q.scoring.nearly_ready_at:
        verdict = Verdict.NEARLY_READY
    else:
        verdict = Verdict.NOT_READY

    provisional = counts["unanswered"] > 0 or any_gate_missing
    ordered = [g for _, _, g in sorted(gaps, key=lambda t: (t[0], t[1]))]
    gap_counts = {p.value: 0 for p in PRIORITY_ORDER}
    for g in ordered:
        gap_counts[g.priority.value] += 1

    if (
        assessment.questionnaire_version is not None
        and assessment.questionnaire_version != q.version
    ):
        warnings.append(
            f"the answers were written for questionnaire version "
            f"{assessment.questionnaire_version}, this is version {q.version}; "
            "check the answers still fit"
        )

    return Result(
        questionnaire=q,
        assessment=assessment,
        overall=overall,
        categories=tuple(categories),
        verdict=verdict,
        provisional=provisional,
        eligibility=tuple(gate_results),
        gaps=tuple(ordered),
        answer_counts=counts,
        gap_counts=gap_counts,
        warnings=tuple(warnings),
    )
