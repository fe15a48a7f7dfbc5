"""The action plan as CSV for spreadsheets: one row per gap, in the order of the PDF's plan
(first / next / then, gates first; ``suggested_due`` where the team set no date).

UTF-8 with a byte-order mark, so spreadsheet programs read accented text correctly.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..model import Result
from ..plan import Task, action_plan

HEADER = (  # columns only ever added at the end: scripts read them by position
    "criterion",
    "title",
    "category",
    "level",
    "answer",
    "priority",
    "what_to_do",
    "owner",
    "due",
    "status",
    "note",
    "suggested_due",
    "step",
)


def _cell(value: str | None) -> str:
    """Neutralise spreadsheet formulas in user text (=, +, -, @ at the start)."""
    text = value or ""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def render_text(result: Result) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    for step, tasks in action_plan(result):
        for task in tasks:
            _row(writer, step.label, task)
    return buf.getvalue()


def _row(writer: Any, step: str, task: Task) -> None:
    g = task.gap
    act = g.action
    writer.writerow(
        [
            g.id,
            g.title,
            f"{g.category}. {g.category_title}",
            g.level.value,
            g.answer,
            g.priority.value,
            g.remediation,
            _cell(act.owner if act else None),
            _cell(act.due if act else None),
            _cell(act.status if act else None),
            _cell(g.note),
            task.due if task.suggested else "",
            step,
        ]
    )


def render(result: Result) -> bytes:
    return "\ufeff".encode() + render_text(result).encode("utf-8")
