"""Readiness for partner programs (``report --compare``): the same answers carried over to the
other programs through the crosswalk."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, PageBreak

from ..components import P, esc, fmt_score, head_row, heading, table, verdict_text
from ..theme import FRAME_W
from . import Ctx

KEY = "compare"
TITLE = None  # optional, not numbered


def build(ctx: Ctx) -> list[Flowable]:
    c = ctx.comparison
    if c is None:
        return []
    out: list[Flowable] = [
        PageBreak(),
        heading("Readiness for partner programs", "compare"),
        P(
            "The programs recognise each other through mutual recognition arrangements and their "
            "criteria overlap. From these answers, aeo-check estimates the readiness for the "
            "other programs: answers to equivalent criteria are carried over; criteria reached "
            "only through related (partial) links are to confirm; the rest are to answer. Every "
            "figure below is provisional until those are answered."
        ),
    ]
    rows: list[list[Any]] = [
        head_row(
            "Program",
            "Business type",
            "Carried over",
            "To confirm",
            "To answer",
            "Score",
            "If confirmed",
            "Verdict",
        )
    ]
    src = c.source
    rows.append(
        [
            P(esc(src.questionnaire.program.short_name) + " (this report)", "cell_b"),
            P(esc(src.entity_type.name), "cell"),
            P("–", "cell"),
            P("–", "cell"),
            P(str(src.answer_counts["unanswered"]), "cell"),
            P(fmt_score(src.overall), "cell"),
            P("", "cell"),
            P(esc(verdict_text(src)), "cell"),
        ]
    )
    for row in c.programs:
        if row.result is None:
            rows.append(
                [P(esc(row.program_name), "cell_b"), P(esc(row.note or ""), "cell")]
                + [P("", "cell")] * 6
            )
            continue
        r = row.result
        rows.append(
            [
                P(esc(r.questionnaire.program.short_name), "cell_b"),
                P(esc(r.entity_type.name), "cell"),
                P(str(len(row.carried_over)), "cell"),
                P(str(len(row.to_confirm)), "cell"),
                P(str(len(row.to_answer)), "cell"),
                P(fmt_score(r.overall), "cell"),
                P(fmt_score(row.if_confirmed.overall if row.if_confirmed else None), "cell"),
                P(esc(verdict_text(r)), "cell"),
            ]
        )
    out.append(table(rows, [60, FRAME_W - 60 - 3 * 46 - 40 - 64 - 88, 46, 46, 46, 40, 64, 88]))
    out.append(
        P(
            "'If confirmed' scores each criterion to confirm with the best answer given to its "
            "related criteria: what the score would be if those answers hold for this program.",
            "small",
        )
    )
    out.append(
        P(
            "Crosswalk links are aeo-check's own analysis, not an official table of the agencies. "
            "Run 'aeo-check assess --program PROGRAM --from ANSWERS' to start a pre-filled "
            "assessment for a partner program.",
            "small",
        )
    )
    return out
