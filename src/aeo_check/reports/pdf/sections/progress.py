"""Progress since a baseline (``report --baseline``): scores before and now, answers that changed,
gaps closed and opened."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, PageBreak

from ..components import (
    P,
    answer_markup,
    colour,
    esc,
    fmt_score,
    goto,
    head_row,
    heading,
    table,
    verdict_text,
)
from ..theme import FRAME_W
from . import Ctx

KEY = "progress"
TITLE = None  # the heading names the baseline's date


def build(ctx: Ctx) -> list[Flowable]:
    d = ctx.difference
    if d is None:
        return []
    since = d.old.assessment.assessed_on or "the previous assessment"
    title = f"Progress since {since}"
    out: list[Flowable] = [PageBreak(), heading(title, "progress")]
    out.append(
        P(
            f"Compared with the assessment of {esc(since)} "
            f"(verdict then: {esc(verdict_text(d.old))}; now: {esc(verdict_text(d.new))}). "
            f"Overall score {fmt_score(d.overall.old)} → {fmt_score(d.overall.new)} "
            f"({_change(d.overall.change)}); {len(d.closed)} gap(s) closed, "
            f"{len(d.opened)} new gap(s), {len(d.changed)} answer(s) changed."
        )
    )
    rows: list[list[Any]] = [head_row("Category", "Before", "Now", "Change")]
    for c in d.categories:
        rows.append(
            [
                P(esc(f"{c.id}. {c.title}"), "cell"),
                P(fmt_score(c.old), "cell"),
                P(fmt_score(c.new), "cell"),
                P(_change(c.change), "cell"),
            ]
        )
    out.append(table(rows, [FRAME_W - 210, 70, 70, 70]))
    if d.changed:
        out.append(P("Answers that changed", "h2"))
        rows = [head_row("Criterion", "Before", "Now")]
        for ch in d.changed:
            crit = ctx.q.criterion(ch.id)
            label = f"{ch.id} {crit.title}" if crit else ch.id
            rows.append(
                [
                    P(goto(ch.id, esc(label)) if crit else esc(label), "cell"),
                    P(answer_markup(ch.old), "cell"),
                    P(answer_markup(ch.new), "cell"),
                ]
            )
        out.append(table(rows, [FRAME_W - 180, 90, 90]))
    if d.closed:
        out.append(P(f"Gaps closed: {esc(', '.join(d.closed))}", "body"))
    if d.opened:
        out.append(P(f"New gaps: {esc(', '.join(d.opened))}", "body"))
    return out


def _change(value: float | None) -> str:
    if value is None:
        return "–"
    if value > 0:
        return colour(f"+{value:.1f}", "#2E7D32")
    if value < 0:
        return colour(f"{value:.1f}", "#C62828")
    return "0.0"
