"""The gap-analysis PDF: the report a compliance officer hands to management.

The only package of aeo-check that imports reportlab; :mod:`aeo_check.pipeline` imports it
lazily, so the other commands never pay for reportlab. Entry points: :func:`render` (one
assessment) and :func:`render_portfolio` (a batch).

Where things are:

- ``theme.py``: page size and margins, fonts, colours, labels, paragraph styles (data only);
- ``components.py``: :func:`esc` and the other markup helpers, the Paragraph and Table measured
  once per width, tables, badges, headings;
- ``page.py``: the document template, the canvas that stamps header, footer and "Page X of Y";
- ``charts.py``: the bar charts;
- ``sections/``: one module per section of the report, in :data:`REPORT` order below;
- ``portfolio.py``: the portfolio summary of a batch.

Adding a section: write ``sections/<name>.py`` with ``KEY``, ``TITLE`` and ``build(ctx)`` (see
``sections/__init__.py``) and name it in :data:`REPORT`.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.platypus import Flowable

from ...model import Result
from .components import anchor_name, esc, gate_anchor, plain, words_measured_once
from .page import PageInfo, canvas_maker, new_doc, report_date
from .portfolio import render_portfolio
from .sections import (
    Ctx,
    action_plan,
    cover,
    detail,
    gap_analysis,
    methodology,
    next_steps,
    partners,
    progress,
    summary,
)

__all__ = [
    "REPORT",
    "SECTIONS",
    "anchor_name",
    "esc",
    "gate_anchor",
    "plain",
    "render",
    "render_portfolio",
]

# The sections of the report, in order. progress and partners add nothing unless the report
# was asked for a baseline or a comparison.
REPORT = (
    cover,
    summary,
    progress,
    partners,
    gap_analysis,
    action_plan,
    detail,
    next_steps,
    methodology,
)

# The numbered sections: (bookmark key, title), as they appear in the outline.
SECTIONS: tuple[tuple[str, str], ...] = tuple((s.KEY, s.TITLE) for s in REPORT if s.TITLE)


def render(
    result: Result,
    *,
    generated_on: str | None = None,
    comparison: Any = None,
    difference: Any = None,
) -> bytes:
    """The gap-analysis PDF of a Result, as bytes.

    ``generated_on`` ("YYYY-MM-DD", default today) is printed in the footer and used as the
    PDF's dates; the same Result and date give a byte-identical PDF. ``comparison`` (from
    :func:`aeo_check.compare.compare`) and ``difference`` (from :func:`aeo_check.diff.diff`) add
    the partner-program and progress sections.
    """
    day = report_date(generated_on)
    ctx = Ctx(result=result, generated_on=day, comparison=comparison, difference=difference)
    q, a = result.questionnaire, result.assessment
    short = q.program.short_name
    info = PageInfo(
        company=plain(ctx.company), program=plain(f"{short} gap analysis"), generated_on=day
    )
    buf = BytesIO()
    doc = new_doc(
        buf,
        first_page=cover.draw_band,
        title=plain(f"{short} readiness gap analysis – {ctx.company}"),
        author=plain((a.assessor or "").strip() or "aeo-check"),
        subject=plain(
            f"Self-assessment against {q.program.name} ({q.program.agency}), "
            f"questionnaire {q.id} {q.version}"
        ),
        keywords=[plain(short), "AEO", "trusted trader", "gap analysis", "self-assessment"],
    )
    with words_measured_once():
        story: list[Flowable] = []
        for section in REPORT:
            story += section.build(ctx)
        doc.build(story, canvasmaker=canvas_maker(info))
    return buf.getvalue()
