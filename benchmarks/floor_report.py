"""The "minimum work" floor for one report: a one-command Typer app that lays out the same
content as ``aeo-check report`` with plain reportlab.

    python benchmarks/floor_report.py ANSWERS.yaml -o OUT.pdf

It loads the answers file and its bundled questionnaire with ``yaml.CSafeLoader`` directly (no
position tracking, no validation), computes the gap list naively (eligibility requirements
answered no are blockers; applicable criteria answered no, partial or not at all: Must ->
critical/high, Should -> medium/low) and lays out, with plain Paragraph and Table flowables in a
SimpleDocTemplate:

- a title and score line;
- the gap cards, most urgent first: a small table per gap, as in the report (title with
  priority, finding, question, what to do, note, evidence, action);
- the action plan (one table per priority: item, task, owner, due, status);
- every applicable criterion's detail (title band, answer, source, question, guidance,
  evidence expected, note, what to do, verification note);
- "Page X of Y" in every footer (reportlab's usual recipe: a canvas that holds its pages until
  it knows how many there are).

Text is XML-escaped as the real report must. No cover page, chart, eligibility table, next
steps, methodology, bookmarks or internal links.

``build(answers)`` does the whole work and returns the PDF bytes, so benchmarks/bench_report.py
can also time it in the same process as ``aeo-check``'s own render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from xml.sax.saxutils import escape

import typer

QUESTIONNAIRES = Path(__file__).resolve().parents[1] / "questionnaires"
ORDER = {"blocker": 0, "critical": 1, "high": 2, "medium": 3, "low": 4}

app = typer.Typer(add_completion=False)


def _answer(raw: object) -> tuple[str, dict]:
    if isinstance(raw, dict):
        return str(raw.get("answer") or "unanswered"), raw
    if raw is None:
        return "unanswered", {}
    if raw is True:  # YAML 1.1: yes/no are booleans
        return "yes", {}
    if raw is False:
        return "no", {}
    return str(raw), {}


def build(answers: Path) -> bytes:
    """Load ANSWERS and its questionnaire, and lay out the gap report: the PDF as bytes."""
    from io import BytesIO

    import yaml
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    with answers.open(encoding="utf-8") as fh:
        a = yaml.load(fh, Loader=yaml.CSafeLoader)
    with (QUESTIONNAIRES / f"{a['program']}.yaml").open(encoding="utf-8") as fh:
        q = yaml.load(fh, Loader=yaml.CSafeLoader)
    entity = a["entity_type"]
    given = {str(k): v for k, v in (a.get("answers") or {}).items()}
    gates_given = {str(k): v for k, v in (a.get("eligibility") or {}).items()}
    weights = {"must": q["scoring"]["must_weight"], "should": q["scoring"]["should_weight"]}
    docs = {d["id"]: d["title"] for d in [q["program"]["criteria_document"]]}
    docs.update({d["id"]: d["title"] for d in q["program"].get("documents", [])})

    crits = []  # (category, criterion, answer, long-form dict)
    earned = possible = 0.0
    credit = {"yes": 1.0, "partial": 0.5, "no": 0.0, "unanswered": 0.0}
    for cat in q["categories"]:
        for c in cat["criteria"]:
            if "applies_to" in c and entity not in c["applies_to"]:
                continue
            value, extra = _answer(given.get(str(c["id"])))
            crits.append((cat, c, value, extra))
            if value != "na":
                w = c.get("weight", weights[c["level"]])
                possible += w
                earned += w * credit.get(value, 0.0)
    gaps = []  # (order, index, priority, category or None, item, answer, long-form dict)
    for i, g in enumerate(q.get("eligibility") or []):
        if "applies_to" in g and entity not in g["applies_to"]:
            continue
        value, extra = _answer(gates_given.get(str(g["id"])))
        if value in ("no", "unanswered"):
            prio = "blocker" if value == "no" else "critical"
            gaps.append((ORDER[prio], i, prio, None, g, value, extra))
    for i, (cat, c, value, extra) in enumerate(crits):
        if value in ("no", "partial", "unanswered"):
            must = c["level"] == "must"
            if value == "partial":
                prio = "high" if must else "low"
            else:
                prio = "critical" if must else "medium"
            gaps.append((ORDER[prio], 1000 + i, prio, cat, c, value, extra))
    gaps.sort(key=lambda g: (g[0], g[1]))

    ss = getSampleStyleSheet()
    body, h1, h2 = ss["BodyText"], ss["Heading1"], ss["Heading2"]
    cell = ss["BodyText"].clone("cell", fontSize=8.5, leading=10.8)
    crit = ss["BodyText"].clone(
        "crit", fontName="Helvetica-Bold", backColor=colors.HexColor("#EEF3F8")
    )
    grid = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.lightgrey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F4E79")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ]
    )
    card_style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF3F8")),
            ("FONTNAME", (0, 1), (0, -1), "Helvetica-Bold"),
            ("FONTSIZE", (0, 1), (0, -1), 8),
            ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor("#C62828")),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, colors.lightgrey),
        ]
    )
    width = LETTER[0] - 1.5 * inch

    def P(text: object, style: Any = cell) -> Paragraph:
        return Paragraph(escape(str(text or "")), style)

    def action_text(extra: dict) -> str:
        act = extra.get("action") or {}
        parts = [f"{k} {act[k]}" for k in ("owner", "due", "status") if act.get(k)]
        return escape(", ".join(parts))

    score = 100 * earned / possible if possible else 0.0
    company = (a.get("company") or {}).get("name") or "(company not named)"
    story: list[Any] = [
        Paragraph(escape(f"{q['program']['short_name']} gap analysis: {company}"), h1),
        Paragraph(f"Score {score:.1f} / 100; {len(gaps)} gaps.", body),
        PageBreak(),
        Paragraph("Gap analysis", h1),
    ]
    for _, _, prio, cat, c, value, extra in gaps:
        if cat is None:
            title = f"<b>{escape(c['title'])}</b>  {prio.upper()}"
            finding = f"Eligibility requirement, answered {escape(value)}"
        else:
            title = f"<b>{escape(str(c['id']))}  {escape(c['title'])}</b>  {prio.upper()}"
            finding = (
                f"{escape(c['level'].capitalize())} criterion, answered {escape(value)} · "
                f"category {escape(str(cat['id']))}. {escape(cat['title'])} · "
                f"detail of {escape(str(c['id']))} in section 4"
            )
        pairs = [
            ("Finding", finding),
            ("Question", escape(c["ask"])),
            ("What to do", f"<b>{escape(c['remediation'])}</b>"),
            ("Note", escape(str(extra.get("note") or ""))),
            ("Evidence", "<br/>".join(f"• {escape(e)}" for e in c.get("evidence", []))),
            ("Action", action_text(extra)),
        ]
        rows = [[Paragraph(title, cell), ""]]
        rows += [[k, Paragraph(v, cell)] for k, v in pairs if v]
        story += [Table(rows, colWidths=[78, width - 78], style=card_style), Spacer(1, 8)]
    story += [PageBreak(), Paragraph("Action plan", h1)]
    for prio in ORDER:
        items = [g for g in gaps if g[2] == prio]
        if not items:
            continue
        rows = [["Item", "Task", "Owner", "Due", "Status"]]
        for _, _, _, _, c, _, extra in items:
            act = extra.get("action") or {}
            task = f"<b>{escape(c['title'])}</b><br/>{escape(c['remediation'])}"
            rows.append(
                [P(f"{c['id']} {prio.upper()}"), Paragraph(task, cell), P(act.get("owner")),
                 P(act.get("due")), P(act.get("status"))]
            )  # fmt: skip
        story.append(Paragraph(f"{prio.capitalize()} ({len(items)})", h2))
        widths = [70, width - 70 - 84 - 66 - 66, 84, 66, 66]
        story.append(Table(rows, colWidths=widths, repeatRows=1, style=grid))
    story += [PageBreak(), Paragraph("Detail by category", h1)]
    current = None
    for cat, c, value, extra in crits:
        if cat is not current:
            current = cat
            story.append(Paragraph(escape(f"{cat['id']}. {cat['title']}"), h2))
            if cat.get("description"):
                story.append(P(cat["description"]))
        src = c.get("source") or {}
        doc_title = docs.get(src.get("doc"), str(src.get("doc")))
        lines = [
            f"{escape(c['level'])} · Answer: {escape(value)} · Source: "
            f"{escape(doc_title)}, {escape(str(src.get('ref')))}",
            f"<b>Question:</b> {escape(c['ask'])}",
            f"<b>Guidance:</b> {escape(c.get('guidance', ''))}",
        ]
        if c.get("evidence"):
            lines.append(f"<b>Evidence expected:</b> {escape('; '.join(c['evidence']))}")
        if extra.get("note"):
            lines.append(f"<b>Note:</b> {escape(str(extra['note']))}")
        if value in ("no", "partial", "unanswered"):
            lines.append(f"<b>What to do:</b> {escape(c['remediation'])}")
        if not c.get("verified", True):
            lines.append(f"Not verified: {escape(c.get('verification_note') or '')}")
        story.append(Paragraph(f"{escape(str(c['id']))}  {escape(c['title'])}", crit))
        story += [Paragraph(line, body) for line in lines]

    class NumberedCanvas(Canvas):
        """reportlab's usual "Page X of Y" recipe: hold the pages, number them at the end."""

        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self._saved: list[dict] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._saved:
                self.__dict__.update(state)
                self.setFont("Helvetica", 7.5)
                self.drawRightString(
                    LETTER[0] - 0.75 * inch,
                    0.5 * inch,
                    f"Page {self._pageNumber} of {len(self._saved)}",
                )
                Canvas.showPage(self)
            Canvas.save(self)

    buf = BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=LETTER, leftMargin=0.75 * inch, rightMargin=0.75 * inch)
    doc.build(story, canvasmaker=NumberedCanvas)
    return buf.getvalue()


@app.command()
def report(
    answers: Path,
    output: Annotated[Path, typer.Option("--output", "-o")],
) -> None:
    """Lay out the gap report of ANSWERS with plain reportlab."""
    output.write_bytes(build(answers))
    typer.echo(f"wrote {output}", err=True)


if __name__ == "__main__":
    app()
