"""4. Detail by category: every category and applicable criterion, with the answer, note,
evidence and what to do; the targets of the links from sections 2 and 3."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from ....model import Category, Criterion, Level
from ..components import (
    P,
    a_or_an,
    action_text,
    anchor_name,
    answer_markup,
    answer_value,
    colour,
    esc,
    fmt_score,
    heading,
)
from ..theme import FLAG_COLOUR, MUTED_HEX
from . import Ctx

KEY = "detail"
TITLE = "4. Detail by category"


def build(ctx: Ctx) -> list[Flowable]:
    r, q = ctx.result, ctx.q
    scores = {cs.id: cs for cs in r.categories}
    cats: Sequence[Category] = q.applicable_categories(r.assessment.entity_type)
    out: list[Flowable] = [
        PageBreak(),
        heading(TITLE, KEY),
        P(
            f"Every category and criterion that applies to {a_or_an(r.entity_type.name)} "
            f"{esc(r.entity_type.name)}, with the answer, note and evidence given."
        ),
    ]
    if any(not c.official_id for cat in cats for c in cat.criteria):
        note = q.program.ids_note or "Criteria marked “working id” carry ids given by aeo-check."
        out.append(P(colour("Working ids: ", FLAG_COLOUR) + esc(note), "small"))
    for i, cat in enumerate(cats):
        if i:
            out.append(CondPageBreak(120))
        title = f"{cat.id}. {cat.title}"
        out.append(heading(title, f"cat-{anchor_name(cat.id)}", level=1, style="h2"))
        cs = scores.get(cat.id)
        meta = []
        if cs is not None:
            meta.append(f"Score <b>{fmt_score(cs.score)}</b>")
            meta.append(f"{cs.answered} of {cs.applicable} answered")
            if cs.na:
                meta.append(f"{cs.na} N/A")
        if cat.focus_area:
            meta.append(f"focus area: {esc(cat.focus_area)}")
        if cat.local_title:
            meta.append(f"official title: {esc(cat.local_title)}")
        out.append(P(" · ".join(meta), "small"))
        if cat.description:
            out.append(P(esc(cat.description), "small"))
        for c in cat.criteria:
            out += _criterion_block(ctx, c)
    return out


def _criterion_block(ctx: Ctx, c: Criterion) -> list[Flowable]:
    p = ctx.q.program
    ans = ctx.result.assessment.answer(c.id)
    value = answer_value(ans)
    flags = []
    if not c.official_id:
        flags.append(colour("working id", FLAG_COLOUR, bold=False))
    flag_markup = '&nbsp;&nbsp;<font size="7.5">' + " · ".join(flags) + "</font>" if flags else ""
    head = f"{esc(c.id)}&nbsp;&nbsp;{esc(c.title)}{flag_markup}"
    doc = p.document(c.source.doc)
    source = f"{esc(doc.title if doc else c.source.doc)}, {esc(c.source.ref)}"
    lines = [
        f"{c.level.value.capitalize()} · Answer: {answer_markup(value)} · "
        + colour(f"Source: {source}", MUTED_HEX, bold=False),
    ]
    if c.local_title:
        lines.append(f"<b>Official title:</b> {esc(c.local_title)}")
    lines.append(f"<b>Question:</b> {esc(c.ask)}")
    lines.append(colour(f"<b>Guidance:</b> {esc(c.guidance)}", MUTED_HEX, bold=False))
    if c.evidence:
        lines.append(f"<b>Evidence expected:</b> {esc('; '.join(c.evidence))}")
    if ans.note:
        lines.append(f"<b>Note:</b> {esc(ans.note)}")
    if ans.evidence:
        lines.append(f"<b>Evidence given:</b> {esc('; '.join(ans.evidence))}")
    action = action_text(ans.action)
    if action:
        lines.append(f"<b>Action:</b> {action}")
    if ans.carried_from:
        lines.append(f"<b>Answer carried from:</b> {esc(ans.carried_from)}")
    if value in ("no", "partial", "unanswered"):
        lines.append(f"<b>What to do:</b> {esc(c.remediation)}")
    if value == "na" and c.na_when:
        lines.append(f"<b>Does not apply when:</b> {esc(c.na_when)}")
    elif value == "na" and c.level is Level.MUST:
        lines.append(
            "<b>N/A to justify:</b> the program gives no case where this requirement does not "
            "apply; record why it cannot apply, or answer it."
        )
    title = P(head, "crit")
    title._aeo_dest = anchor_name(c.id)  # the target of the links from sections 2 and 3
    return [title] + [P(line, "crit_body") for line in lines]
