"""1. Executive summary: what stands between the company and applying, the quality of the answers,
scores by category (chart), gaps by priority, answers, and eligibility."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, TableStyle

from ....model import PRIORITY_ORDER, VERDICT_LABELS, Level, Verdict
from ....plan import first_task, quality_by_kind
from ..charts import category_chart
from ..components import (
    P,
    Paragraph,
    Table,
    a_or_an,
    answer_markup,
    colour,
    esc,
    fmt_score,
    gate_anchor,
    head_row,
    heading,
    plural,
    side_by_side,
    table,
)
from ..theme import (
    ANSWER_COLOURS,
    FLAG_COLOUR,
    FRAME_W,
    GATE_LABELS,
    PRIORITY_COLOURS,
    PRIORITY_MEANING,
    STYLES,
    TINT,
    VERDICT_COLOURS,
)
from . import Ctx

KEY = "summary"
TITLE = "1. Executive summary"


def build(ctx: Ctx) -> list[Flowable]:
    r, q = ctx.result, ctx.q
    p = q.program
    counts = r.answer_counts
    musts = sum(1 for c in q.applicable_criteria(r.assessment.entity_type) if c.level is Level.MUST)
    total = sum(cs.applicable for cs in r.categories)
    kind = r.entity_type.name
    intro = (
        f"{esc(ctx.company)} was assessed as {a_or_an(kind)} <b>{esc(kind)}</b> against the "
        f"{plural(total, 'criterion', 'criteria')} of {esc(p.name)} that apply to this business "
        f"type ({musts} Must, {total - musts} Should). It scores <b>{fmt_score(r.overall)}</b> "
        f"out of 100 and is rated "
        f"{colour(esc(VERDICT_LABELS[r.verdict]), VERDICT_COLOURS[r.verdict])}"
        + (" (provisional)." if r.provisional else ".")
    )
    out: list[Flowable] = [
        PageBreak(),
        heading(TITLE, KEY),
        P(intro),
        P("<b>What stands between the company and applying</b>", "h3"),
    ]
    out += [Paragraph(pt, STYLES["bullet"], bulletText="•") for pt in _summary_points(ctx)]
    out += quality_box(ctx)
    out += [P("Score by category", "h2"), category_chart(ctx.result)]
    if any(cs.score is None for cs in r.categories):
        out.append(P("n/a: every criterion of the category was answered N/A.", "small"))

    prio_rows: list[list[Any]] = [head_row("Priority", "Gaps", "Meaning")]
    for pr in PRIORITY_ORDER:
        prio_rows.append(
            [
                P(colour(pr.value.capitalize(), PRIORITY_COLOURS[pr]), "cell"),
                P(str(r.gap_counts.get(pr.value, 0)), "cell_r"),
                P(esc(PRIORITY_MEANING[pr]), "cell"),
            ]
        )
    prio_rows.append([P("Total", "cell_b"), P(f"<b>{len(r.gaps)}</b>", "cell_r"), ""])
    ans_rows: list[list[Any]] = [head_row("Answer", "Criteria")]
    for key in ("yes", "partial", "no", "na", "unanswered"):
        ans_rows.append([P(answer_markup(key), "cell"), P(str(counts.get(key, 0)), "cell_r")])
    ans_rows.append([P("Total", "cell_b"), P(f"<b>{total}</b>", "cell_r")])
    gap_w = FRAME_W * 0.64
    side = side_by_side(
        table(prio_rows, [62, 34, gap_w - 96], zebra=False),
        table(ans_rows, [92, FRAME_W - gap_w - 18 - 92], zebra=False),
        gap_w,
    )
    out += [CondPageBreak(150), P("Gaps by priority and answers", "h2"), side]

    out.append(P("Eligibility", "h2"))
    if not r.eligibility:
        out.append(
            P(f"{esc(p.short_name)} sets no eligibility requirement for this business type.")
        )
    else:
        rows: list[list[Any]] = [head_row("Requirement", "Question", "Answer")]
        for g in r.eligibility:
            ask = esc(g.ask)
            # <a name> marks the row as the target of the gap cards' links (inside a table)
            label = P(f'<a name="{gate_anchor(g.id)}"/>{esc(g.title or g.id)}', "cell_b")
            rows.append(
                [
                    label,
                    P(ask, "cell"),
                    P(
                        colour(
                            esc(GATE_LABELS.get(g.answer, g.answer)),
                            ANSWER_COLOURS.get(g.answer, "#5F6B76"),
                        ),
                        "cell",
                    ),
                ]
            )
        out.append(table(rows, [132, FRAME_W - 132 - 100, 100]))
    for w in r.warnings:
        out.append(Spacer(1, 6))
        out.append(P(colour("Warning: ", FLAG_COLOUR) + esc(w)))
    return out


def _summary_points(ctx: Ctx) -> list[str]:
    r = ctx.result
    n = r.gap_counts
    points: list[str] = []
    gates_no = [g for g in r.eligibility if g.answer == "no"]
    gates_open = [g for g in r.eligibility if g.answer == "unanswered"]
    if gates_no:
        names = "; ".join(g.label for g in gates_no)
        points.append(
            f"<b>Not eligible yet</b>: {esc(names)} "
            f"({'answered no' if len(gates_no) == 1 else 'each answered no'}). The company "
            f"cannot apply until {'it is' if len(gates_no) == 1 else 'they are'} met: "
            "start there."
        )
    if gates_open:
        names = "; ".join(g.label for g in gates_open)
        points.append(
            f"<b>{esc(plural(len(gates_open), 'eligibility question'))} to confirm</b>: "
            f"{esc(names)}."
        )
    by_answer: dict[str, int] = {}
    for g in r.gaps:
        if not g.is_gate and g.level is Level.MUST:
            by_answer[g.answer] = by_answer.get(g.answer, 0) + 1
    no, missing = by_answer.get("no", 0), by_answer.get("unanswered", 0)
    if no or missing:
        what = " and ".join(
            x
            for x in (
                f"{plural(no, 'Must requirement')} answered no" if no else "",
                f"{plural(missing, 'Must requirement')} not answered" if missing else "",
            )
            if x
        )
        points.append(f"<b>{esc(what)}</b>: every one must be met before the company applies.")
    partial, na = by_answer.get("partial", 0), by_answer.get("na", 0)
    if partial:
        points.append(
            f"<b>{plural(partial, 'Must requirement')} met only in part</b>: finish them."
        )
    if na:
        points.append(
            f"<b>{plural(na, 'N/A answer')} to justify</b>: the program gives no case in which "
            f"{'this requirement does' if na == 1 else 'these requirements do'} not apply; "
            "answer them, or record why they cannot apply."
        )
    first = first_task(r)
    if first is not None and r.verdict is not Verdict.READY:
        g = first.gap
        name = esc(g.title) if g.is_gate else f"{esc(g.id)} {esc(g.title)}"
        points.append(f"<b>Do first</b>: {name}. Section 3 puts every task in order.")
    should = n.get("medium", 0) + n.get("low", 0)
    if should:
        points.append(
            f"{plural(should, 'Should gap')} ({n.get('medium', 0)} medium, {n.get('low', 0)} "
            "low): recommended practices. They raise the score but do not block an application."
        )
    unanswered = r.answer_counts.get("unanswered", 0)
    if unanswered:
        points.append(
            f"{plural(unanswered, 'criterion', 'criteria')} not answered yet: they count as "
            "not met and the verdict is provisional until they are answered."
        )
    if r.verdict is Verdict.READY:
        points.insert(
            0,
            "<b>Nothing blocks an application</b>: every eligibility requirement and every Must "
            "criterion is met.",
        )
    elif not points:
        points.append("No gaps: every applicable criterion is answered yes or not applicable.")
    return points


def quality_box(ctx: Ctx) -> list[Flowable]:
    """A short box in the executive summary: what a validator would question in the answers."""
    groups = quality_by_kind(ctx.result)
    if not groups:
        return []
    lines = [
        "<b>How solid is this assessment</b>: a validator will ask about these answers "
        "(the list is in section 6)."
    ]
    lines += [f"• {esc(label)}: {len(ids)}" for _, label, ids in groups]
    box = Table([[P("<br/>".join(lines), "small")]], colWidths=[FRAME_W], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(FLAG_COLOUR)),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return [Spacer(1, 6), box]
