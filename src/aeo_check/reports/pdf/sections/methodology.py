"""6. Methodology: how the score and verdict are computed, gap priorities, the quality of the
answers, sources and evidence levels, working ids, warnings, disclaimer."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, PageBreak

from ....model import EVIDENCE_LEVEL_LABELS, PRIORITY_ORDER, VERDICT_LABELS, EvidenceLevel, Verdict
from ....plan import evidence_summary, quality_by_kind
from ..components import (
    P,
    Paragraph,
    answer_markup,
    colour,
    esc,
    head_row,
    heading,
    plural,
    side_by_side,
    table,
    url_link,
)
from ..theme import DISCLAIMER, FRAME_W, PRIORITY_COLOURS, PRIORITY_MEANING, STYLES
from . import Ctx

KEY = "method"
TITLE = "6. Methodology"


def build(ctx: Ctx) -> list[Flowable]:
    r, q = ctx.result, ctx.q
    p, s = q.program, q.scoring
    entity = r.assessment.entity_type
    out: list[Flowable] = [
        PageBreak(),
        heading(TITLE, KEY),
        P("How the score is computed", "h2"),
        P(
            "Each criterion that applies to the business type earns a credit from its answer and "
            "carries a weight from its level. A category's score, and the overall score, is "
            "100 × (sum of weight × credit) / (sum of weights), rounded to one decimal. "
            "Criteria answered N/A are left out of both sums; unanswered criteria count as 0."
        ),
    ]
    credit_rows: list[list[Any]] = [head_row("Answer", "Credit")]
    for key, credit in (
        ("yes", "1"),
        ("partial", "0.5"),
        ("no", "0"),
        ("unanswered", "0"),
        ("na", "left out"),
    ):
        credit_rows.append([P(answer_markup(key), "cell"), P(credit, "cell")])
    weight_rows: list[list[Any]] = [
        head_row("Level", "Weight"),
        [P("Must", "cell"), P(f"{s.must_weight:g}", "cell")],
        [P("Should", "cell"), P(f"{s.should_weight:g}", "cell")],
    ]
    out.append(
        side_by_side(
            table(credit_rows, [100, 80], zebra=False),
            table(weight_rows, [100, 80], zebra=False),
            180,
        )
    )
    if any(c.weight is not None for c in q.applicable_criteria(entity)):
        out.append(P("Some criteria of this questionnaire set their own weight.", "small"))
    out.append(P("Verdict (first rule that matches)", "h2"))
    rules = [
        f"<b>{esc(VERDICT_LABELS[Verdict.NOT_ELIGIBLE])}</b>: an eligibility requirement is "
        "answered no.",
        f"<b>{esc(VERDICT_LABELS[Verdict.READY])}</b>: every eligibility requirement is met, "
        "every Must criterion is answered yes (or N/A where the program says when it does not "
        "apply) and nothing is left unanswered"
        + (
            f"; the overall score is at least {s.ready_at:g}."
            if s.ready_at is not None
            else ". Should criteria are recommendations: they move the score, not the verdict."
        ),
        f"<b>{esc(VERDICT_LABELS[Verdict.NEARLY_READY])}</b>: no Must criterion is answered no "
        f"or left unanswered, and the overall score is at least {s.nearly_ready_at:g}.",
        f"<b>{esc(VERDICT_LABELS[Verdict.NOT_READY])}</b>: otherwise.",
        "<b>Provisional</b>: some criteria or eligibility questions are not answered; the "
        "verdict may change once they are, and it is never “ready”.",
    ]
    out += [Paragraph(t, STYLES["bullet"], bulletText="•") for t in rules]
    out.append(P("Gap priority", "h2"))
    rows: list[list[Any]] = [head_row("Priority", "When")]
    for pr in PRIORITY_ORDER:
        rows.append(
            [
                P(colour(pr.value.capitalize(), PRIORITY_COLOURS[pr]), "cell"),
                P(esc(PRIORITY_MEANING[pr]), "cell"),
            ]
        )
    out.append(table(rows, [90, FRAME_W - 90], zebra=False))
    out.append(
        P(
            "Gaps are listed by priority, then by phase (1 foundations, 2 controls, 3 checks "
            "and training; eligibility first), then in questionnaire order.",
            "small",
        )
    )
    out += quality_list(ctx)

    out.append(P("Sources", "h2"))
    out.append(
        P(
            f"Questionnaire {esc(q.id)}, version {esc(q.version)}. Criteria source: "
            f"{esc(p.criteria_document.title)}"
            + (f" ({esc(p.criteria_document.date)})." if p.criteria_document.date else ".")
        )
    )
    rows = [head_row("Document", "Date", "Read in")]
    for d in (p.criteria_document, *p.documents):
        title = esc(d.title) + (f"<br/>{url_link(d.url)}" if d.url else "")
        rows.append(
            [
                P(title, "cell"),
                P(esc(d.date) or "not dated", "cell"),
                P(esc(EVIDENCE_LEVEL_LABELS[d.evidence_level]), "cell"),
            ]
        )
    out.append(table(rows, [FRAME_W - 190, 70, 120]))

    crits = q.applicable_criteria(entity)
    out += _evidence_levels(ctx)
    working = [c.id for c in crits if not c.official_id]
    if working:
        out.append(P("Working ids", "h2"))
        out.append(
            P(
                esc(p.ids_note or "These criteria carry ids given by aeo-check, not the agency.")
                + f" ({esc(', '.join(working))})"
            )
        )
    if r.warnings:
        out.append(P("Warnings", "h2"))
        out += [Paragraph(esc(w), STYLES["bullet"], bulletText="•") for w in r.warnings]
    out.append(P("Disclaimer", "h2"))
    out.append(P(esc(DISCLAIMER)))
    return out


def _evidence_levels(ctx: Ctx) -> list[Flowable]:
    """Counts by evidence level, and what an agency document would still have to settle."""
    r, q = ctx.result, ctx.q
    p = q.program
    entity = r.assessment.entity_type
    levels = evidence_summary(q, entity)
    out: list[Flowable] = [P("How each criterion was sourced", "h2")]
    out.append(
        P(
            "Each criterion's id, level and applicability to this business type were read in "
            "one of four kinds of source. Only the first two count as checked against the "
            "agency's text."
        )
    )
    rows: list[list[Any]] = [head_row("Source", "Criteria")]
    meaning = {
        EvidenceLevel.OFFICIAL: "the agency's own site or document",
        EvidenceLevel.COPY: "a stored copy of the agency's own document",
        EvidenceLevel.SECONDARY: "a third party, or the agency in another document",
        EvidenceLevel.INFERRED: "not seen for this business type: carried over or reasoned",
    }
    for level, ids in levels.items():
        rows.append(
            [
                P(f"<b>{esc(level.value)}</b>: {esc(meaning[level])}", "cell"),
                P(str(len(ids)), "cell_r"),
            ]
        )
    out.append(table(rows, [FRAME_W - 70, 70], zebra=False))
    below = levels[EvidenceLevel.SECONDARY] + levels[EvidenceLevel.INFERRED]
    gates = [g.label for g in q.applicable_gates(entity) if not g.level_for(entity).checked]
    if below:
        out.append(
            P(
                f"To confirm against {esc(p.short_name)}'s own document "
                f"({plural(len(below), 'criterion', 'criteria')}): {esc(', '.join(below))}."
            )
        )
    if gates:
        out.append(P(f"Eligibility requirements to confirm: {esc('; '.join(gates))}."))
    others = [
        *(f"contact “{c.label}”" for c in p.contacts if not c.evidence_level.checked),
        *(f"partner program {m.name}" for m in p.mutual_recognition if not m.verified),
    ]
    if others:
        out.append(
            P(
                "Not read in the agency's own text, so worth confirming before use: "
                + esc("; ".join(others))
                + ".",
                "small",
            )
        )
    return out


def quality_list(ctx: Ctx) -> list[Flowable]:
    groups = quality_by_kind(ctx.result)
    if not groups:
        return []
    out: list[Flowable] = [P("Quality of the answers", "h2")]
    out.append(
        P(
            "Findings about the answers themselves, which a validator would raise (the same "
            "list as <i>aeo-check validate --strict</i>):"
        )
    )
    out += [
        Paragraph(
            f"<b>{esc(label)}</b> ({len(ids)}): {esc(', '.join(ids))}",
            STYLES["bullet"],
            bulletText="•",
        )
        for _, label, ids in groups
    ]
    return out
