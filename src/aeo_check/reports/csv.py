"""The action plan as CSV for spreadsheets: one row per gap, in the gap order of the PDF.

UTF-8 with a byte-order mark, so spreadsheet programs read accented text correctly.
"""

from __future__ import annotations

import csv
import io

from ..model import Result

HEADER = (
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
    for g in result.gaps:
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
            ]
        )
    return buf.getvalue()


def render(result: Result) -> bytes:
    return "\ufeff".encode() + render_text(result).encode("utf-8")
