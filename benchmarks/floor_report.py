"""The "minimum work" floor for one report: a one-command Typer app that lays out the same
content as ``aeo-check report`` with plain reportlab.

    /work/venv/bin/python benchmarks/floor_report.py ANSWERS.yaml -o OUT.pdf

It loads the answers file and its bundled questionnaire with ``yaml.CSafeLoader`` directly (no
position tracking, no validation), computes the gap list naively (applicable criteria answered
no, partial or not at all; Must -> critical/high, Should -> medium/low) and lays out, with
simple Paragraph and Table flowables in a SimpleDocTemplate: a title and score line, the gap
table (every gap with its finding, question and what to do), the action plan (one table per
priority) and every applicable criterion's detail (answer, source, question, guidance,
evidence expected, note, what to do, verification note). Text is XML-escaped as the real
report must. No cover page, chart, bookmarks, internal links or "Page X of Y".

benchmarks/bench_report.py times the whole process of this against ``aeo-check report``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from xml.sax.saxutils import escape

import typer

QUESTIONNAIRES = Path(__file__).resolve().parents[1] / "questionnaires"
ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}

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


@app.command()
def report(
    answers: Path,
    output: Annotated[Path, typer.Option("--output", "-o")],
) -> None:
    """Lay out the gap report of ANSWERS with plain reportlab."""
    import yaml
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    with answers.open(encoding="utf-8") as fh:
        a = yaml.load(fh, Loader=yaml.CSafeLoader)
    with (QUESTIONNAIRES / f"{a['program']}.yaml").open(encoding="utf-8") as fh:
        q = yaml.load(fh, Loader=yaml.CSafeLoader)
    entity = a["entity_type"]
    given = {str(k): v for k, v in (a.get("answers") or {}).items()}
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
    gaps = []
    for i, (cat, c, value, extra) in enumerate(crits):
        if value in ("no", "partial", "unanswered"):
            must = c["level"] == "must"
            if value == "partial":
                prio = "high" if must else "low"
            else:
                prio = "critical" if must else "medium"
            gaps.append((ORDER[prio], i, prio, cat, c, value, extra))
    gaps.sort(key=lambda g: (g[0], g[1]))

    ss = getSampleStyleSheet()
    body, h1, h2 = ss["BodyText"], ss["Heading1"], ss["Heading2"]
    cell = ss["BodyText"].clone("cell", fontSize=8.5, leading=10.8)
    grid = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.lightgrey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F4E79")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ]
    )
    width = LETTER[0] - 1.5 * inch

    def P(text: object, style=cell) -> Paragraph:  # type: ignore[no-untyped-def]
        return Paragraph(escape(str(text or "")), style)

    score = 100 * earned / possible if possible else 0.0
    company = (a.get("company") or {}).get("name") or "(company not named)"
    story = [
        Paragraph(escape(f"{q['program']['short_name']} gap analysis: {company}"), h1),
        Paragraph(f"Score {score:.1f} / 100; {len(gaps)} gaps.", body),
        PageBreak(),
        Paragraph("Gap analysis", h1),
    ]
    rows = [["Criterion", "Priority", "Finding, question and what to do"]]
    for _, _, prio, cat, c, value, extra in gaps:
        text = (
            f"<b>{escape(c['title'])}</b><br/>{escape(c['level'])} criterion answered "
            f"{escape(value)} · category {escape(str(cat['id']))}. {escape(cat['title'])}<br/>"
            f"{escape(c['ask'])}<br/><b>{escape(c['remediation'])}</b>"
        )
        if extra.get("note"):
            text += f"<br/>Note: {escape(str(extra['note']))}"
        rows.append([P(c["id"]), P(prio), Paragraph(text, cell)])
    story.append(Table(rows, colWidths=[60, 60, width - 120], repeatRows=1, style=grid))
    story += [PageBreak(), Paragraph("Action plan", h1)]
    for prio in ORDER:
        items = [g for g in gaps if g[2] == prio]
        if not items:
            continue
        rows = [["Criterion", "Task", "Owner", "Due", "Status"]]
        for _, _, _, _, c, value, extra in items:
            act = extra.get("action") or {}
            task = f"<b>{escape(c['title'])}</b><br/>{escape(c['remediation'])}"
            rows.append(
                [P(f"{c['id']} {value}"), Paragraph(task, cell), P(act.get("owner")),
                 P(act.get("due")), P(act.get("status"))]
            )  # fmt: skip
        story.append(Paragraph(f"{prio.capitalize()} ({len(items)})", h2))
        widths = [70, width - 70 - 84 - 62 - 70, 84, 62, 70]
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
            f"<b>{escape(str(c['id']))} {escape(c['title'])}</b>",
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
        story += [Paragraph(line, body) for line in lines]

    def page_number(canv, doc) -> None:  # type: ignore[no-untyped-def]
        canv.setFont("Helvetica", 7.5)
        canv.drawRightString(LETTER[0] - 0.75 * inch, 0.5 * inch, f"Page {doc.page}")

    doc = SimpleDocTemplate(
        str(output), pagesize=LETTER, leftMargin=0.75 * inch, rightMargin=0.75 * inch
    )
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    typer.echo(f"wrote {output}", err=True)


if __name__ == "__main__":
    app()
