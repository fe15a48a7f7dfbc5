"""The bar charts: scores by category (executive summary) and verdicts (portfolio)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from ...model import VERDICT_LABELS, Level, Result, Verdict
from .components import fit, fmt_score, plain
from .theme import (
    BAR_H,
    BAR_LABEL_W,
    BAR_ROW_H,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    FRAME_W,
    INK,
    MUTED,
    RULE,
    SIZE_SMALL,
    TRACK,
    VERDICT_COLOURS,
)


def category_chart(result: Result) -> Drawing:
    """Horizontal bars of the category scores, coloured by what is left in each category, with
    the nearly-ready threshold (and a custom ready threshold) marked."""
    r, rules = result, result.questionnaire.scoring
    cats = r.categories
    # bar colour: red where a Must is no or unanswered, amber where any other gap is left
    must_missing = {
        g.category
        for g in r.gaps
        if g.level is Level.MUST and g.answer in ("no", "unanswered") and not g.is_gate
    }
    any_gap = {g.category for g in r.gaps}
    top_pad, bottom_pad = 16, 20
    height = top_pad + bottom_pad + BAR_ROW_H * max(len(cats), 1)
    d = Drawing(FRAME_W, height)
    x0 = BAR_LABEL_W
    bar_w = FRAME_W - x0 - 38

    def x_of(v: float) -> float:
        return x0 + bar_w * max(0.0, min(v, 100.0)) / 100

    base_y = bottom_pad
    top_y = height - top_pad
    rows = []
    for i, cs in enumerate(cats):
        y = top_y - (i + 1) * BAR_ROW_H + (BAR_ROW_H - BAR_H) / 2
        rows.append((y, cs))
        label = fit(plain(f"{cs.id}. {cs.title}"), FONT, 8, x0 - 8)
        d.add(String(0, y + 1.5, label, fontName=FONT, fontSize=8, fillColor=INK))
        d.add(Rect(x0, y, bar_w, BAR_H, fillColor=TRACK, strokeColor=None))
    for tick in (0, 25, 50, 75, 100):
        d.add(Line(x_of(tick), base_y, x_of(tick), top_y, strokeColor=RULE, strokeWidth=0.4))
        d.add(
            String(
                x_of(tick),
                base_y - 10,
                str(tick),
                fontName=FONT,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    for y, cs in rows:
        if cs.score is None:
            d.add(
                String(
                    x0 + 4,
                    y + 1.8,
                    "n/a (every criterion answered N/A)",
                    fontName=FONT_ITALIC,
                    fontSize=7,
                    fillColor=MUTED,
                )
            )
            d.add(
                String(
                    FRAME_W,
                    y + 1.5,
                    "n/a",
                    fontName=FONT_BOLD,
                    fontSize=8,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )
            continue
        if cs.id in must_missing:
            fill = VERDICT_COLOURS[Verdict.NOT_READY]
        elif cs.id in any_gap:
            fill = VERDICT_COLOURS[Verdict.NEARLY_READY]
        else:
            fill = VERDICT_COLOURS[Verdict.READY]
        if cs.score > 0:
            d.add(
                Rect(
                    x0,
                    y,
                    x_of(cs.score) - x0,
                    BAR_H,
                    fillColor=colors.HexColor(fill),
                    strokeColor=None,
                )
            )
        d.add(
            String(
                FRAME_W,
                y + 1.5,
                fmt_score(cs.score),
                fontName=FONT_BOLD,
                fontSize=8,
                fillColor=INK,
                textAnchor="end",
            )
        )
    marks = [(rules.nearly_ready_at, VERDICT_COLOURS[Verdict.NEARLY_READY], "nearly ready", "end")]
    if rules.ready_at is not None:
        marks.append((rules.ready_at, VERDICT_COLOURS[Verdict.READY], "ready", "start"))
    for value, hex_colour, label, anchor in marks:
        c = colors.HexColor(hex_colour)
        d.add(
            Line(
                x_of(value),
                base_y,
                x_of(value),
                top_y + 8,
                strokeColor=c,
                strokeWidth=0.9,
                strokeDashArray=[2, 2],
            )
        )
        shift = -3 if anchor == "end" else 3
        d.add(
            String(
                x_of(value) + shift,
                top_y + 4,
                f"{label} {value:g}",
                fontName=FONT,
                fontSize=6.5,
                fillColor=c,
                textAnchor=anchor,
            )
        )
    return d


# the order of the bars; "error": inputs that could not be read
_VERDICT_ORDER = ("ready", "nearly-ready", "not-ready", "not-eligible", "error")


def verdict_chart(counts: dict[str, int]) -> Drawing:
    """Horizontal bars: how many assessments got each verdict (portfolio overview)."""
    rows = [(v, counts.get(v, 0)) for v in _VERDICT_ORDER if counts.get(v, 0) or v != "error"]
    width = FRAME_W
    height = len(rows) * BAR_ROW_H + 10
    d = Drawing(width, height)
    top = max(1, max(n for _, n in rows))
    bar_w = width - BAR_LABEL_W - 40
    for i, (verdict, n) in enumerate(rows):
        y = height - (i + 1) * BAR_ROW_H
        label = VERDICT_LABELS[Verdict(verdict)] if verdict != "error" else "Could not be read"
        d.add(String(0, y + 3, plain(label), fontName=FONT, fontSize=SIZE_SMALL, fillColor=INK))
        colour = VERDICT_COLOURS[Verdict(verdict)] if verdict != "error" else "#6B7280"
        d.add(Rect(BAR_LABEL_W, y, bar_w, BAR_H, fillColor=TRACK, strokeColor=None))
        if n:
            d.add(
                Rect(
                    BAR_LABEL_W,
                    y,
                    bar_w * n / top,
                    BAR_H,
                    fillColor=colors.HexColor(colour),
                    strokeColor=None,
                )
            )
        d.add(
            String(
                BAR_LABEL_W + bar_w + 6,
                y + 1,
                str(n),
                fontName=FONT_BOLD,
                fontSize=SIZE_SMALL,
                fillColor=INK,
            )
        )
    return d
