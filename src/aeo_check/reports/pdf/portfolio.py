"""The portfolio summary of a batch (``aeo-check batch``): an overview page with the verdicts as a
chart and a line per program, then a table of every company, each linking to its own report.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from ...model import VERDICT_LABELS, Verdict
from .charts import verdict_chart
from .components import (
    P,
    PagedRows,
    colour,
    css,
    esc,
    fmt_score,
    head_row,
    heading,
    plural,
    table,
    words_measured_once,
)
from .page import PageInfo, canvas_maker, new_doc, report_date
from .theme import ACCENT_HEX, FRAME_W, VERDICT_COLOURS


def _relative_link(name: str, label: str) -> str:
    """A link to a report file next to the portfolio (a relative URI, escaped)."""
    if not re.fullmatch(r"[A-Za-z0-9._-]+", name):
        return label
    return f'<a href="{escape(name, {chr(34): "&quot;"})}" color="{css(ACCENT_HEX)}">{label}</a>'


def _portfolio_row(r: Any) -> list[Any]:
    """The cells of one company in the portfolio table."""
    if r.error:
        return [
            P(esc(r.company or r.input), "cell_b"),
            P(esc(r.program or ""), "cell"),
            P(colour("could not be read: ", "#C62828") + esc(r.error), "cell"),
            "",
            "",
            "",
            "",
        ]
    target = r.outputs.get("pdf") or next(iter(r.outputs.values()), None)
    name = esc(r.company or "(company not named)")
    verdict = VERDICT_LABELS[Verdict(r.verdict)] + (" (prov.)" if r.provisional else "")
    return [
        P(_relative_link(target, name) if target else name, "cell_b"),
        P(esc(r.program), "cell"),
        P(esc(r.entity_type), "cell"),
        P(fmt_score(r.overall), "cell"),
        P(
            colour(esc(verdict), VERDICT_COLOURS[Verdict(r.verdict)])
            + (
                "<br/>" + colour("nothing answered: a blank answers file?", "#E65100")
                if getattr(r, "warning", None)
                else ""
            )
            + (f'<br/><font size="7">{esc("; ".join(r.reasons[:2]))}</font>' if r.reasons else ""),
            "cell",
        ),
        P(str(r.gaps.get("critical", 0)), "cell"),
        P(str(r.gaps.get("high", 0)), "cell"),
    ]


def render_portfolio(batch: Any, *, generated_on: str | None = None) -> bytes:
    """The portfolio PDF of a batch: an overview page and a table of every company.

    ``batch`` is an :class:`aeo_check.batch.BatchResult`. Each company links to its own report
    file (a relative link, so the folder can be moved or zipped as a whole).
    """
    day = report_date(generated_on)
    rows = batch.rows
    info = PageInfo(company="Portfolio summary", program="aeo-check batch", generated_on=day)
    buf = BytesIO()
    doc = new_doc(
        buf,
        title="Trusted-trader readiness: portfolio summary",
        author="aeo-check",
        subject=f"Readiness of {len(rows)} assessments",
    )
    counts: dict[str, int] = {}
    for r in rows:
        key = r.verdict or "error"
        counts[key] = counts.get(key, 0) + 1
    failed = sum(1 for r in rows if r.error)
    scores = [r.overall for r in rows if r.overall is not None and not r.error]
    story: list[Flowable] = [
        heading("Portfolio summary", "overview"),
        P(
            f"{plural(len(rows), 'assessment')}; {counts.get('ready', 0)} ready to apply, "
            f"{counts.get('nearly-ready', 0)} nearly ready, {counts.get('not-ready', 0)} not "
            f"ready, {counts.get('not-eligible', 0)} not eligible yet"
            + (f", {failed} could not be read" if failed else "")
            + (
                f", {blank} with nothing answered (blank answers files?)"
                if (blank := sum(1 for r in rows if getattr(r, "warning", None)))
                else ""
            )
            + (f". Average score {sum(scores) / len(scores):.1f}." if scores else ".")
            + (
                " The batch was interrupted: the table lists what finished."
                if batch.interrupted
                else ""
            )
        ),
        P("Verdicts at a glance", "h2"),
        verdict_chart(counts),
    ]
    by_program: dict[str, list[Any]] = {}
    for r in rows:
        if not r.error:
            by_program.setdefault(r.program, []).append(r)
    if by_program:
        prog_rows: list[list[Any]] = [
            head_row("Program", "Assessments", "Average score", "Ready", "Nearly ready")
        ]
        for prog, items in sorted(by_program.items()):
            vals = [x.overall for x in items if x.overall is not None]
            prog_rows.append(
                [
                    P(esc(prog), "cell_b"),
                    P(str(len(items)), "cell"),
                    P(f"{sum(vals) / len(vals):.1f}" if vals else "n/a", "cell"),
                    P(str(sum(1 for x in items if x.verdict == "ready")), "cell"),
                    P(str(sum(1 for x in items if x.verdict == "nearly-ready")), "cell"),
                ]
            )
        story += [P("By program", "h2"), table(prog_rows, [FRAME_W - 4 * 90, 90, 90, 90, 90])]
    story += [
        heading("All companies", "companies"),
        P("Click a company to open its report (the files sit next to this summary).", "small"),
    ]
    widths = [FRAME_W - 60 - 110 - 45 - 95 - 2 * 45, 60, 110, 45, 95, 45, 45]
    story.append(
        PagedRows(
            lambda: head_row(
                "Company", "Program", "Business type", "Score", "Verdict", "Critical", "High"
            ),
            rows,
            _portfolio_row,
            widths,
        )
    )
    with words_measured_once():
        doc.build(story, canvasmaker=canvas_maker(info))
    return buf.getvalue()
