"""2. Gap analysis: every gap, most urgent first, as a card with what to do and a link to its
detail."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreak, Spacer

from ....model import PRIORITY_ORDER, Gap, Level
from ..components import (
    KV_LABEL_STYLE,
    P,
    action_text,
    colour,
    css,
    esc,
    goto,
    heading,
    keep_together_if_short,
    kv_rows,
    table,
)
from ..theme import (
    ANSWER_COLOURS,
    ANSWER_LABELS,
    FRAME_W,
    PRIORITY_COLOURS,
    PRIORITY_MEANING,
    RULE,
    TINT,
)
from . import Ctx

KEY = "gaps"
TITLE = "2. Gap analysis"


def build(ctx: Ctx) -> list[Flowable]:
    r = ctx.result
    out: list[Flowable] = [
        PageBreak(),
        heading(TITLE, KEY),
        P(
            "Every eligibility requirement and applicable criterion not met, most urgent first: "
            "blockers (eligibility answered no), then critical and high gaps, which concern Must "
            "criteria and stand in the way of an application, then medium and low gaps, which "
            "concern Should criteria. Within a priority, foundations come before the controls "
            "that rest on them. Click a criterion id to open its detail in section 4."
        ),
    ]
    if not r.gaps:
        out.append(P("<b>No gaps</b>: every applicable criterion is answered yes or N/A."))
        return out
    for pr in PRIORITY_ORDER:
        gaps = [g for g in r.gaps if g.priority is pr]
        if not gaps:
            continue
        title = P(
            f"{colour(pr.value.capitalize(), PRIORITY_COLOURS[pr])} "
            f"({len(gaps)}): {esc(PRIORITY_MEANING[pr].lower())}",
            "h2",
        )
        for i, g in enumerate(gaps):
            # a card stays on one page when it fits; the group title stays with its first card
            group = ([title] if i == 0 else []) + _gap_card(g)
            out += keep_together_if_short(group)
    return out


def _gap_card(gap: Gap) -> list[Flowable]:
    prio_colour = PRIORITY_COLOURS[gap.priority]
    head = esc(gap.title) if gap.is_gate else f"{goto(gap.id)}&nbsp;&nbsp;{esc(gap.title)}"
    prio = gap.priority.value.upper()
    title = f'{head}&nbsp;&nbsp;<font size="7.5" color="{css(prio_colour)}">{prio}</font>'
    rows: list[list[Any]] = [
        [P(title, "cell_b"), ""],
        *kv_rows(
            [
                ("Finding", _gap_finding(gap)),
                ("Question", esc(gap.ask)),
                ("What to do", f"<b>{esc(gap.remediation)}</b>"),
                ("Note", esc(gap.note)),
                ("Evidence", "<br/>".join(f"• {esc(e)}" for e in gap.evidence)),
                ("Action", action_text(gap.action)),
            ]
        ),
    ]
    t = table(
        rows,
        [78, FRAME_W - 78],
        header=False,
        repeat_rows=0,  # a repeated title row would show twice when a long note splits
        style=[
            *KV_LABEL_STYLE,
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), TINT),
            ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(prio_colour)),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
        ],
    )
    return [t, Spacer(1, 8)]


def _finding(level: Level, answer: str) -> str:
    what = "not answered" if answer == "unanswered" else f"answered {ANSWER_LABELS[answer]}"
    return colour(
        f"{level.value.capitalize()} criterion, {esc(what.lower())}", ANSWER_COLOURS[answer]
    )


def _gap_finding(gap: Gap) -> str:
    if gap.is_gate:
        what = "answered no" if gap.answer == "no" else "not answered"
        return (
            colour(f"Eligibility requirement, {what}", ANSWER_COLOURS[gap.answer])
            + " · "
            + goto(gap.id, "eligibility in section 1 ›", gate=True)
        )
    if gap.na_to_justify:
        finding = colour(
            "Must criterion answered N/A, but the program gives no case where it does not apply",
            ANSWER_COLOURS["partial"],
        )
    else:
        finding = _finding(gap.level, gap.answer)
    return f"{finding} · category {esc(gap.category)}. {esc(gap.category_title)} · " + goto(
        gap.id, f"detail of {gap.id} in section 4 ›"
    )
