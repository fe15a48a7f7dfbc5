"""The cover: company, program, business type, score, verdict and the facts of the assessment;
the accent band at the top of the first page."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    NextPageTemplate,
    Spacer,
    TableStyle,
)

from ....model import VERDICT_LABELS
from ..components import (
    KV_LABEL_STYLE,
    Badge,
    P,
    Table,
    css,
    esc,
    fmt_score,
    kv_rows,
    plural,
    table,
)
from ..theme import (
    ACCENT,
    COVER_BAND_H,
    DISCLAIMER,
    FONT,
    FONT_BOLD,
    FRAME_W,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MUTED_HEX,
    PAGE_H,
    PAGE_W,
    TINT,
    VERDICT_COLOURS,
    WHITE,
)
from . import Ctx

KEY = "cover"
TITLE = None


def draw_band(canv: Canvas, doc: BaseDocTemplate) -> None:
    """The accent band across the top of the cover page (the cover page template's onPage)."""
    canv.saveState()
    canv.setFillColor(ACCENT)
    canv.rect(0, PAGE_H - COVER_BAND_H, PAGE_W, COVER_BAND_H, stroke=0, fill=1)
    canv.setFillColor(WHITE)
    canv.setFont(FONT_BOLD, 13)
    canv.drawString(MARGIN_LEFT, PAGE_H - COVER_BAND_H + 30, "Gap analysis report")
    canv.setFont(FONT, 9)
    canv.drawRightString(
        PAGE_W - MARGIN_RIGHT,
        PAGE_H - COVER_BAND_H + 30,
        "Trusted-trader readiness self-assessment",
    )
    canv.restoreState()


def build(ctx: Ctx) -> list[Flowable]:
    """The cover page; the pages after it use the body page template."""
    r, q, a = ctx.result, ctx.q, ctx.result.assessment
    p = q.program
    colour = VERDICT_COLOURS[r.verdict]
    unanswered = r.answer_counts.get("unanswered", 0)
    gates_missing = sum(1 for g in r.eligibility if g.answer == "unanswered")
    score_cell = [
        P("OVERALL READINESS", "label"),
        P(f'{fmt_score(r.overall)}<font size="14" color="{css(MUTED_HEX)}"> / 100</font>', "score"),
    ]
    verdict_cell: list[Flowable] = [
        P("VERDICT", "label"),
        Spacer(1, 6),
        Badge(VERDICT_LABELS[r.verdict], colour, size=15, pad=8),
        Spacer(1, 6),
    ]
    if r.provisional:
        missing = []
        if unanswered:
            missing.append(plural(unanswered, "criterion", "criteria"))
        if gates_missing:
            missing.append(plural(gates_missing, "eligibility question"))
        verdict_cell.append(
            P(
                f"<b>Provisional</b>: {esc(' and '.join(missing))} not answered yet; "
                "they count as not met.",
                "small",
            )
        )
    panel = Table(
        [[score_cell, verdict_cell]],
        colWidths=[FRAME_W * 0.42, FRAME_W * 0.58],
        hAlign="LEFT",
    )
    panel.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEBEFORE", (0, 0), (0, 0), 4, colors.HexColor(colour)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 14),
                ("TOPPADDING", (0, 0), (-1, -1), 12),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 14),
            ]
        )
    )
    facts = kv_rows(
        [
            ("Program", f"{esc(p.name)}<br/>{esc(p.agency)}"),
            ("Business type", esc(r.entity_type.name)),
            *(
                [
                    (
                        "Installation",
                        esc(
                            ", ".join(x for x in (a.installation.name, a.installation.address) if x)
                        ),
                    )
                ]
                if a.installation and a.installation.given
                else []
            ),
            ("Assessor", esc(a.assessor) or "not given"),
            ("Date assessed", esc(a.assessed_on) or "not given"),
            ("Questionnaire", f"{esc(q.id)} version {esc(q.version)}"),
            ("Report generated", esc(ctx.generated_on)),
        ]
    )
    facts_table = table(facts, [110, FRAME_W - 110], header=False, style=KV_LABEL_STYLE)
    return [
        NextPageTemplate("body"),
        Spacer(1, COVER_BAND_H - MARGIN_TOP + 28),
        P(esc(f"{p.short_name} readiness gap analysis").upper(), "cover_kicker"),
        P(esc(ctx.company), "cover_title"),
        P(f"{esc(p.name)} · {esc(p.agency)}", "cover_sub"),
        Spacer(1, 26),
        panel,
        Spacer(1, 24),
        facts_table,
        Spacer(1, 30),
        P(esc(DISCLAIMER), "small"),
    ]
