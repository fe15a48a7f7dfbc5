"""5. Next steps: how to apply, the program's contacts (clickable), partner programs under mutual
recognition, what membership brings."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, PageBreak

from ..components import P, Paragraph, esc, head_row, heading, mailto_link, table, url_link
from ..theme import FRAME_W, STYLES
from . import Ctx

KEY = "next"
TITLE = "5. Next steps"


def build(ctx: Ctx) -> list[Flowable]:
    p = ctx.q.program
    out: list[Flowable] = [
        PageBreak(),
        heading(TITLE, KEY),
        P(f"How to apply to {esc(p.name)}", "h2"),
    ]
    if not p.apply:
        out.append(P(f"See the program's site: {url_link(p.url)}"))
    for i, step in enumerate(p.apply, 1):
        text = esc(step.step)
        if step.url:
            text += f"<br/>{url_link(step.url)}"
        out.append(Paragraph(text, STYLES["step"], bulletText=f"{i}."))
    out.append(P(f"Program site: {url_link(p.url)}", "small"))

    out.append(P("Contacts", "h2"))
    if p.contacts:
        rows: list[list[Any]] = [head_row("Contact", "How to reach", "Note")]
        for c in p.contacts:
            reach = [x for x in (mailto_link(c.email), url_link(c.url), esc(c.phone)) if x]
            note = esc(c.note)
            rows.append(
                [P(esc(c.label), "cell_b"), P("<br/>".join(reach), "cell"), P(note, "cell")]
            )
        out.append(table(rows, [150, 170, FRAME_W - 320]))
    else:
        out.append(P("The questionnaire lists no contacts; see the program's site."))

    if p.mutual_recognition:
        out.append(P("Partner programs under mutual recognition", "h2"))
        out.append(
            P(
                f"Membership in {esc(p.short_name)} is recognised by these programs, which can "
                "bring benefits when trading with their countries."
            )
        )
        rows = [head_row("Program", "Since")]
        for m in p.mutual_recognition:
            name = esc(m.name)
            rows.append([P(name, "cell"), P(esc(m.since), "cell")])
        out.append(table(rows, [FRAME_W - 90, 90]))
    if p.benefits:
        out.append(P("What membership brings", "h2"))
        out += [Paragraph(esc(b), STYLES["bullet"], bulletText="•") for b in p.benefits]
    return out
