"""Scoring: pure functions from (Questionnaire, Assessment) to a Result.

The rules are a contract (docs/scoring.md, DESIGN.md; second version, December 2026):

- applicable criteria: those whose ``applies_to`` includes the entity type (omitted = all);
  a program with profiles is first narrowed to the business type's profile;
- credit: yes 1, partial 0.5, no 0, unanswered 0; ``na`` drops the criterion from the sums;
- weight: ``must_weight`` or ``should_weight`` unless the criterion overrides it;
- category and overall score = 100 x sum(weight x credit) / sum(weight), rounded half up to one
  decimal; ``None`` when nothing carries weight (every criterion N/A);
- verdict, first match wins: not-eligible (a gate answered no); ready (nothing unanswered,
  every gate yes, every Must yes or N/A under its ``na_when``, and overall >= ``ready_at``
  where a questionnaire sets one); nearly-ready (no Must no or unanswered, overall >=
  nearly_ready_at); not-ready. Thresholds compare the rounded score, the figure the user sees;
- provisional: any applicable criterion or gate unanswered (never ready);
- gap priority: gate no blocker; Must no/unanswered and gate unanswered critical; Must
  partial and Must N/A without ``na_when`` ("N/A to justify") high; Should no/unanswered
  medium; Should partial low; gaps sort by priority, then phase (gates first), then
  questionnaire order;
- quality: findings about the answers themselves (``_quality``), which ``validate --strict``
  reports.
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
    Gate,
    GateResult,
    GateValue,
    Level,
    Priority,
    QualityFinding,
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


def gap_priority(level: Level, answer: Answer, na_when: str | None = None) -> Priority | None:
    """Priority of the gap a criterion leaves, or None when it leaves none.

    yes leaves none; N/A leaves none, except a Must answered N/A although the criterion
    states no condition for N/A (``na_when``): an "N/A to justify", high.
    """
    value = answer.value
    if value is AnswerValue.YES:
        return None
    if value is AnswerValue.NA:
        return Priority.HIGH if level is Level.MUST and not na_when else None
    if value is AnswerValue.PARTIAL:
        return Priority.HIGH if level is Level.MUST else Priority.LOW
    return Priority.CRITICAL if level is Level.MUST else Priority.MEDIUM


def _weight(q: Questionnaire, c: Criterion) -> Fraction:
    return Fraction(q.weight_of(c))


GATE_CATEGORY = "eligibility"


def _gate_gap(gate: Gate, answer: str) -> Gap:
    blocker = answer == "no"
    if blocker:
        remediation = gate.remediation or f"Meet this eligibility requirement: {gate.ask}"
    else:
        remediation = "Confirm this eligibility requirement and record the answer."
        if gate.remediation:
            remediation += " If the answer is no: " + gate.remediation
    return Gap(
        id=gate.id,
        category=GATE_CATEGORY,
        category_title="Eligibility",
        level=Level.MUST,
        answer=answer,
        priority=Priority.BLOCKER if blocker else Priority.CRITICAL,
        title=gate.label,
        ask=gate.ask,
        remediation=remediation,
        phase=1,
        kind="gate",
    )


def score(questionnaire: Questionnaire, assessment: Assessment) -> Result:
    """Score an assessment. Pure: reads its inputs, returns a new Result.

    The questionnaire of a program with profiles is narrowed to the assessed business type's
    profile first; the Result carries that questionnaire.
    """
    entity = assessment.entity_type
    q = questionnaire.for_entity(entity)
    warnings: list[str] = []

    categories: list[CategoryScore] = []
    total_earned = Fraction(0)
    total_possible = Fraction(0)
    gaps: list[tuple[int, int, int, Gap]] = []
    counts = {"yes": 0, "partial": 0, "no": 0, "na": 0, "unanswered": 0}
    musts_met = True  # every Must yes, or N/A under its na_when
    musts_none_missing = True  # no Must no or unanswered
    quality: list[QualityFinding] = []
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
            quality.extend(_quality(c, ans, assessment.assessed_on))
            if c.level is Level.MUST:
                legit_na = ans.value is AnswerValue.NA and bool(c.na_when)
                if ans.value is not AnswerValue.YES and not legit_na:
                    musts_met = False
                if ans.value in (None, AnswerValue.NO):
                    musts_none_missing = False
            cr = credit(ans)
            if cr is None:
                na += 1
            else:
                w = _weight(q, c)
                earned += w * cr
                possible += w
            prio = gap_priority(c.level, ans, c.na_when)
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
                    remediation=(
                        NA_TO_JUSTIFY_ACTION if ans.value is AnswerValue.NA else c.remediation
                    ),
                    note=ans.note,
                    evidence=ans.evidence,
                    action=ans.action,
                    phase=c.phase,
                )
                gaps.append((PRIORITY_ORDER.index(prio), c.phase, order, gap))
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
    for gate_order, gate in enumerate(q.applicable_gates(entity)):
        value = assessment.eligibility.get(gate.id)
        if value is GateValue.NO:
            any_gate_no = True
        if value is None:
            any_gate_missing = True
        answer = value.value if value else "unanswered"
        gate_results.append(
            GateResult(
                id=gate.id,
                ask=gate.ask,
                answer=answer,
                verified=gate.level_for(entity).checked,
                title=gate.title,
            )
        )
        if answer != "yes":
            gap = _gate_gap(gate, answer)
            # gates come first within their priority: phase 0, in questionnaire order
            gaps.append((PRIORITY_ORDER.index(gap.priority), 0, gate_order - 10_000, gap))

    provisional = counts["unanswered"] > 0 or any_gate_missing
    ready_at = q.scoring.ready_at
    if any_gate_no:
        verdict = Verdict.NOT_ELIGIBLE
    elif (
        overall is not None
        and not provisional
        and musts_met
        and (ready_at is None or overall >= ready_at)
    ):
        verdict = Verdict.READY
    elif overall is not None and musts_none_missing and overall >= q.scoring.nearly_ready_at:
        verdict = Verdict.NEARLY_READY
    else:
        verdict = Verdict.NOT_READY

    ordered = [g for *_, g in sorted(gaps, key=lambda t: (t[0], t[1], t[2]))]
    gap_counts = {p.value: 0 for p in PRIORITY_ORDER}
    for g in ordered:
        gap_counts[g.priority.value] += 1

    if q.program.per_installation and not (
        assessment.installation and assessment.installation.given
    ):
        warnings.append(
            f"{q.program.short_name} takes a security profile per installation: name the "
            "installation assessed (installation: name, address)"
        )
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
        quality=tuple(quality),
    )


NA_TO_JUSTIFY_ACTION = (
    "Answer this requirement, or record why it cannot apply to the company: the program "
    "gives no case in which it does not apply, so a validator will ask."
)


def _quality(c: Criterion, ans: Answer, assessed_on: str | None) -> list[QualityFinding]:
    """What a validator would question in one answer (see QUALITY_KINDS)."""
    out: list[QualityFinding] = []
    value = ans.value
    if value is AnswerValue.YES and c.level is Level.MUST and not ans.evidence:
        out.append(
            QualityFinding(
                "must-yes-no-evidence",
                c.id,
                "a Must answered yes with no evidence recorded: a validator will ask for it",
            )
        )
    if value is AnswerValue.NA and c.level is Level.MUST and not c.na_when:
        out.append(
            QualityFinding(
                "na-to-justify",
                c.id,
                "a Must answered N/A although the program gives no case where it does not apply",
            )
        )
    if value in (AnswerValue.PARTIAL, AnswerValue.NO):
        action = ans.action
        if action is None or not (action.owner or action.due or action.status):
            out.append(
                QualityFinding(
                    "gap-no-action", c.id, f"answered {value.value} with no action planned"
                )
            )
        if not ans.note:
            out.append(
                QualityFinding(
                    "gap-no-note",
                    c.id,
                    f"answered {value.value} with no note saying what is missing",
                )
            )
    action = ans.action
    if (
        action is not None
        and action.due
        and action.status != "done"
        and assessed_on
        and len(action.due) == 10
        and action.due < assessed_on[:10]
    ):
        out.append(
            QualityFinding(
                "action-overdue",
                c.id,
                f"action due {action.due}, before the assessment date, and not done",
            )
        )
    return out


def verdict_reasons(result: Result, limit: int = 3) -> list[str]:
    """Why the verdict is what it is, in plain words, most important first."""
    r = result
    reasons: list[str] = []
    blocked = [g for g in r.eligibility if g.answer == "no"]
    for g in blocked:
        reasons.append(f"not eligible: {_lower_first(g.label)} (answered no)")
    missing_gates = [g for g in r.eligibility if g.answer == "unanswered"]
    if missing_gates:
        reasons.append(
            _plural(len(missing_gates), "eligibility question") + " unanswered"
            if len(missing_gates) > 1
            else f"eligibility question unanswered: {_lower_first(missing_gates[0].label)}"
        )
    musts = [g for g in r.gaps if not g.is_gate and g.level is Level.MUST]
    by_answer: dict[str, int] = {}
    for g in musts:
        by_answer[g.answer] = by_answer.get(g.answer, 0) + 1
    if by_answer.get("no"):
        reasons.append(f"{_plural(by_answer['no'], 'Must requirement')} answered no")
    if by_answer.get("unanswered"):
        reasons.append(f"{_plural(by_answer['unanswered'], 'Must requirement')} unanswered")
    if by_answer.get("partial"):
        reasons.append(f"{_plural(by_answer['partial'], 'Must requirement')} only partly met")
    if by_answer.get("na"):
        reasons.append(f"{_plural(by_answer['na'], 'N/A answer')} to justify")
    q = r.questionnaire
    if (
        r.verdict is Verdict.NOT_READY
        and r.overall is not None
        and r.overall < q.scoring.nearly_ready_at
        and not by_answer.get("no")
        and not by_answer.get("unanswered")
    ):
        reasons.append(f"score {r.overall:.1f} is under {q.scoring.nearly_ready_at:g}")
    if r.verdict is not Verdict.READY and not reasons and r.provisional:
        n = r.answer_counts.get("unanswered", 0)
        reasons.append(f"{_plural(n, 'question')} unanswered")
    if (
        r.verdict is not Verdict.READY
        and not reasons
        and q.scoring.ready_at is not None
        and r.overall is not None
        and r.overall < q.scoring.ready_at
    ):
        reasons.append(f"score {r.overall:.1f} is under {q.scoring.ready_at:g}")
    return reasons[:limit]


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
