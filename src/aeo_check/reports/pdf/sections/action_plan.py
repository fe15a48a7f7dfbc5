"""3. Action plan: every gap as a task (owner, due, status), in first/next/then steps."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from reportlab.platypus import Flowable, PageBreak

from ....model import Priority
from ....plan import action_plan
from ..components import P, colour, esc, goto, head_row, heading, plural, table
from ..theme import ACTION_FIELD_MAX, FRAME_W, MUTED_HEX, PRIORITY_COLOURS
from . import Ctx

KEY = "plan"
TITLE = "3. Action plan"

# a task with one of these statuses is never overdue
DONE_STATUSES = {"done", "complete", "completed", "closed", "finished", "implemented"}


def build(ctx: Ctx) -> list[Flowable]:
    r = ctx.result
    out: list[Flowable] = [PageBreak(), heading(TITLE, KEY)]
    if not r.gaps:
        out.append(P("No gaps, so no tasks: every applicable criterion is met or N/A."))
        return out
    acts = [g.action for g in r.gaps if g.action]
    owned = sum(1 for a in acts if a.owner)
    dated = sum(1 for a in acts if a.due)
    overdue = sum(1 for a in acts if _overdue(a.due, a.status, ctx.generated_on))
    start = r.assessment.assessed_on
    out.append(
        P(
            f"Each gap as a task, in the order to tackle them: {plural(len(r.gaps), 'task')}, "
            f"{owned} with an owner, {dated} with a due date"
            + (f", <b>{overdue} overdue</b> on {esc(ctx.generated_on)}" if overdue else "")
            + ". First the eligibility requirements and foundations, next the controls that "
            "rest on them, then the checks and training. "
            + (
                f"Dates marked <i>suggested</i> are targets of 30, 60 and 90 days from the "
                f"assessment date ({esc(start)}); a date the team set always wins. "
                if start
                else "Suggested windows: 30, 60 and 90 days; a date the team set wins. "
            )
            + "Owner, due date and status come from the answers file; empty cells are left "
            "for the team to fill in."
        )
    )
    widths = [70, FRAME_W - 70 - 84 - 66 - 66, 84, 66, 66]
    for step, tasks in action_plan(r):
        rows: list[list[Any]] = [head_row("Item", "Task", "Owner", "Due", "Status")]
        for t in tasks:
            g = t.gap
            act = g.action
            # short fields by nature: cut runaway text here (it shows in full in section 4)
            owner = esc(_cut(act.owner)) if act else ""
            status = esc(_cut(act.status)) if act else ""
            if t.suggested:
                due = f"{esc(t.due)}<br/>" + colour("<i>suggested</i>", MUTED_HEX, bold=False)
            elif t.due is None:
                due = colour(f"<i>within {step.days} days</i>", MUTED_HEX, bold=False)
            else:
                due = esc(_cut(t.due))
            if act and _overdue(act.due, act.status, ctx.generated_on):
                due = (
                    colour(due, PRIORITY_COLOURS[Priority.CRITICAL])
                    + "<br/>"
                    + colour("overdue", PRIORITY_COLOURS[Priority.CRITICAL], bold=False)
                )
            prio = colour(g.priority.value.upper(), PRIORITY_COLOURS[g.priority], bold=False)
            if g.is_gate:
                item = f"{goto(g.id, 'Eligibility', gate=True)}<br/><font size='7'>{prio}</font>"
            else:
                item = f"{goto(g.id)}<br/><font size='7'>{prio}</font>"
            rows.append(
                [
                    P(item, "cell"),
                    P(f"<b>{esc(g.title)}</b><br/>{esc(g.remediation)}", "cell"),
                    P(owner, "cell"),
                    P(due, "cell"),
                    P(status, "cell"),
                ]
            )
        out.append(
            P(
                f"{esc(step.label)}: {esc(step.meaning)} ({len(tasks)})",
                "h2",
            )
        )
        out.append(table(rows, widths))
    return out


def _cut(text: str | None, limit: int = ACTION_FIELD_MAX) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _overdue(due: str | None, status: str | None, today: str) -> bool:
    if not due or (status and status.strip().lower() in DONE_STATUSES):
        return False
    try:
        return _dt.date.fromisoformat(due.strip()) < _dt.date.fromisoformat(today)
    except ValueError:
        return False
