"""The Markdown gap report: scores, gaps by priority with what to do, and how to apply."""

from __future__ import annotations

import re
from typing import Any

from ..model import PRIORITY_ORDER, VERDICT_LABELS, EvidenceLevel, Result
from ..plan import action_plan, evidence_summary, first_task, quality_by_kind, verdict_reasons

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|])")


def esc(text: str | None) -> str:
    """Escape user text so Markdown renders it literally (no links, HTML or emphasis)."""
    if not text:
        return ""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def fmt_score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _installation(a: Any) -> str:
    inst = a.installation
    return ", ".join(x for x in (inst.name, inst.address) if x)


def render(result: Result, *, comparison: Any = None, difference: Any = None) -> str:
    q = result.questionnaire
    a = result.assessment
    p = q.program
    lines: list[str] = []
    name = a.company.name or "(company not named)"
    lines.append(f"# {p.short_name} readiness gap analysis: {esc(name)}")
    lines.append("")
    verdict = VERDICT_LABELS[result.verdict]
    if result.provisional:
        verdict += " (provisional: some questions are unanswered)"
    lines += [
        f"- Program: {p.name}, {p.agency}",
        f"- Business type: {result.entity_type.name}",
        *(
            [f"- Installation: {esc(_installation(a))}"]
            if a.installation and a.installation.given
            else []
        ),
        f"- Assessor: {esc(a.assessor) or 'not given'}; "
        f"assessed on: {esc(a.assessed_on) or 'not given'}",
        f"- Questionnaire version: {q.version}",
        f"- **Overall readiness: {fmt_score(result.overall)}** / 100",
        f"- **Verdict: {verdict}**",
    ]
    reasons = verdict_reasons(result)
    if reasons:
        lines.append(f"- Why: {esc('; '.join(reasons))}")
    first = first_task(result)
    if first is not None:
        g = first.gap
        lines.append(f"- Do first: {esc(g.title if g.is_gate else f'{g.id} {g.title}')}")
    lines.append("")
    for w in result.warnings:
        lines.append(f"> Warning: {w}")
        lines.append("")
    lines += ["## Score by category", "", "| Category | Score | Answered |", "|---|---:|---:|"]
    for cs in result.categories:
        lines.append(
            f"| {cs.id}. {esc(cs.title)} | {fmt_score(cs.score)} | {cs.answered}/{cs.applicable} |"
        )
    lines.append("")
    if result.eligibility:
        lines += ["## Eligibility", ""]
        for g in result.eligibility:
            lines.append(f"- **{g.answer}**: {esc(g.label)}. {esc(g.ask)}")
        lines.append("")
    if difference is not None:
        d = difference
        since = d.old.assessment.assessed_on or "the previous assessment"
        lines += [
            f"## Progress since {esc(since)}",
            "",
            f"Overall {fmt_score(d.overall.old)} → {fmt_score(d.overall.new)}; "
            f"gaps closed: {', '.join(d.closed) or 'none'}; new gaps: "
            f"{', '.join(d.opened) or 'none'}.",
            "",
            "| Category | Before | Now | Change |",
            "|---|---:|---:|---:|",
        ]
        for c in d.categories:
            change = "" if c.change is None else f"{c.change:+.1f}"
            lines.append(
                f"| {c.id}. {esc(c.title)} | {fmt_score(c.old)} | {fmt_score(c.new)} | {change} |"
            )
        lines.append("")
        if d.changed:
            lines.append(
                "Changed answers: " + "; ".join(f"{c.id} {c.old} → {c.new}" for c in d.changed)
            )
            lines.append("")
    if comparison is not None:
        lines += [
            "## Readiness for partner programs",
            "",
            "| Program | Business type | Carried over | To confirm | To answer | Score "
            "| If confirmed | Verdict |",
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for row in comparison.programs:
            if row.result is None:
                lines.append(f"| {row.program} | {esc(row.note)} | | | | | | |")
                continue
            r = row.result
            lines.append(
                f"| {r.questionnaire.program.short_name} | {esc(r.entity_type.name)} | "
                f"{len(row.carried_over)} | {len(row.to_confirm)} | {len(row.to_answer)} | "
                f"{fmt_score(r.overall)} | "
                f"{fmt_score(row.if_confirmed.overall if row.if_confirmed else None)} | "
                f"{VERDICT_LABELS[r.verdict]} (provisional) |"
            )
        lines.append("")
    counts = ", ".join(f"{result.gap_counts[pr.value]} {pr.value}" for pr in PRIORITY_ORDER)
    lines += [f"## Gaps ({len(result.gaps)}: {counts})", ""]
    if not result.gaps:
        lines += ["No gaps: every applicable criterion is answered yes or not applicable.", ""]
    for prio in PRIORITY_ORDER:
        gaps = [g for g in result.gaps if g.priority is prio]
        if not gaps:
            continue
        lines += [f"### {prio.value.capitalize()} ({len(gaps)})", ""]
        for g in gaps:
            if g.is_gate:
                lines.append(f"- **{esc(g.title)}** (eligibility requirement, {g.answer})")
            elif g.na_to_justify:
                lines.append(
                    f"- **{g.id} {esc(g.title)}** ({g.level.value}, answered N/A with no case "
                    f"for N/A in the program; category {g.category}. {esc(g.category_title)})"
                )
            else:
                lines.append(
                    f"- **{g.id} {esc(g.title)}** ({g.level.value}, answered {g.answer}; "
                    f"category {g.category}. {esc(g.category_title)})"
                )
            lines.append(f"  - What to do: {esc(g.remediation)}")
            if g.note:
                lines.append(f"  - Note: {esc(g.note)}")
            if g.evidence:
                lines.append(f"  - Evidence: {', '.join(esc(e) for e in g.evidence)}")
            if g.action:
                act = g.action
                lines.append(
                    f"  - Action: owner {esc(act.owner) or '-'}, due {esc(act.due) or '-'}, "
                    f"status {esc(act.status) or '-'}"
                )
        lines.append("")
    plan = action_plan(result)
    if plan:
        lines += [
            "## Action plan",
            "",
            "Target dates marked “suggested” count 30, 60 and 90 days from the assessment "
            "date; a date the team set wins.",
            "",
        ]
        for step, tasks in plan:
            lines += [f"### {step.label}: {step.meaning} ({len(tasks)})", ""]
            for t in tasks:
                g = t.gap
                name = esc(g.title) if g.is_gate else f"{g.id} {esc(g.title)}"
                due = f"by {t.due} (suggested)" if t.suggested else (f"by {t.due}" if t.due else "")
                owner = f", owner {esc(g.action.owner)}" if g.action and g.action.owner else ""
                lines.append(f"- [{g.priority.value}] {name}{': ' + due if due else ''}{owner}")
            lines.append("")
    if result.quality:
        lines += [
            "## How solid is this assessment",
            "",
        ]
        for _, label, ids in quality_by_kind(result):
            lines.append(f"- {label} ({len(ids)}): {', '.join(ids)}")
        lines.append("")
    lines += ["## Next steps: how to apply", ""]
    for i, step in enumerate(p.apply, 1):
        link = f" <{step.url}>" if step.url else ""
        lines.append(f"{i}. {step.step}{link}")
    lines += ["", "## Contacts", ""]
    for c in p.contacts:
        parts = [x for x in (c.email, c.url, c.phone) if x]
        note = f" ({c.note})" if c.note else ""
        lines.append(f"- {c.label}: {', '.join(parts)}{note}")
    if p.mutual_recognition:
        lines += ["", "## Mutual recognition", ""]
        for m in p.mutual_recognition:
            lines.append(f"- {m.name} ({m.program}), since {m.since}")
    lines += [
        "",
        "## Method",
        "",
        f"Criteria source: {p.criteria_document.title} "
        f"({p.criteria_document.date or 'date not known'}). "
        "Score = 100 × Σ(weight × credit) / Σ weight, with Must weighted "
        f"{q.scoring.must_weight:g} and Should {q.scoring.should_weight:g}; yes earns 1, partial "
        "0.5, no and unanswered 0; N/A is left out. "
        "Ready: every eligibility requirement is met, every Must is yes (or N/A where the "
        "program says when it does not apply) and nothing is unanswered"
        + (
            f", and the score is at least {q.scoring.ready_at:g}. "
            if q.scoring.ready_at is not None
            else "; Should answers move the score, not the verdict. "
        )
        + "Nearly ready: no Must is no or unanswered and the score is at least "
        f"{q.scoring.nearly_ready_at:g}.",
    ]
    if p.ids_note:
        lines += ["", p.ids_note]
    entity = a.entity_type
    levels = evidence_summary(q, entity)
    counts = ", ".join(f"{len(ids)} {level.value}" for level, ids in levels.items())
    checked = len(levels[EvidenceLevel.OFFICIAL]) + len(levels[EvidenceLevel.COPY])
    lines += [
        "",
        f"Sources of the criteria for this business type: {counts}. "
        f"{checked} were checked against the agency's text (official or a copy of it).",
    ]
    below = levels[EvidenceLevel.SECONDARY] + levels[EvidenceLevel.INFERRED]
    if below:
        lines += [
            "",
            f"To confirm against the agency's own document ({len(below)}): {', '.join(below)}.",
        ]
    lines += [
        "",
        "This is a self-assessment, not a certification: only the agency certifies a company.",
        "",
    ]
    return "\n".join(lines)
