"""Progress over time: the difference between two assessments of one company."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError
from .i18n import _
from .model import Gap, Result


@dataclass(frozen=True)
class ScoreChange:
    id: str | None
    title: str
    old: float | None
    new: float | None

    @property
    def change(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return round(self.new - self.old, 1)


@dataclass(frozen=True)
class AnswerChange:
    id: str
    old: str
    new: str


@dataclass(frozen=True)
class Difference:
    old: Result
    new: Result
    overall: ScoreChange
    categories: tuple[ScoreChange, ...]
    closed: tuple[str, ...]
    opened: tuple[str, ...]
    changed: tuple[AnswerChange, ...]
    closed_gaps: tuple[Gap, ...] = ()  # the closed gaps as they were (id, title, priority)
    opened_gaps: tuple[Gap, ...] = ()  # the new gaps as they are now


def _value(result: Result, cid: str) -> str:
    v = result.assessment.answer(cid).value
    return v.value if v else "unanswered"


def diff(old: Result, new: Result) -> Difference:
    """Compare two results of the same program (and normally the same business type)."""
    if old.questionnaire.id != new.questionnaire.id:
        raise UsageError(
            _("diff compares two assessments of one program; got {old} and {new}").format(
                old=old.questionnaire.id, new=new.questionnaire.id
            )
        )
    old_cats = {c.id: c for c in old.categories}
    new_cats = {c.id: c for c in new.categories}
    order = [c.id for c in new.categories] + [c for c in old_cats if c not in new_cats]
    categories = tuple(
        ScoreChange(
            cid,
            (new_cats.get(cid) or old_cats[cid]).title,
            old_cats[cid].score if cid in old_cats else None,
            new_cats[cid].score if cid in new_cats else None,
        )
        for cid in order
    )
    old_ids = {g.id for g in old.gaps}
    new_ids = {g.id for g in new.gaps}
    closed_gaps = tuple(g for g in old.gaps if g.id not in new_ids)
    opened_gaps = tuple(g for g in new.gaps if g.id not in old_ids)
    entity_old = old.assessment.entity_type
    entity_new = new.assessment.entity_type
    changed = []
    for crit in new.questionnaire.criteria():
        if not (crit.applies(entity_old) or crit.applies(entity_new)):
            continue
        a, b = _value(old, crit.id), _value(new, crit.id)
        if a != b:
            changed.append(AnswerChange(crit.id, a, b))
    return Difference(
        old=old,
        new=new,
        overall=ScoreChange(None, "Overall", old.overall, new.overall),
        categories=categories,
        closed=tuple(g.id for g in closed_gaps),
        opened=tuple(g.id for g in opened_gaps),
        changed=tuple(changed),
        closed_gaps=closed_gaps,
        opened_gaps=opened_gaps,
    )


def gap_label(g: Gap) -> str:
    """How a gap is named to a reader: "4.7 Seal verification"; a gate by its title alone."""
    return g.title if g.is_gate else f"{g.id} {g.title}"


def difference_to_dict(d: Difference) -> dict[str, object]:
    def sc(s: ScoreChange) -> dict[str, object]:
        out: dict[str, object] = {"old": s.old, "new": s.new, "change": s.change}
        if s.id is not None:
            out = {"id": s.id, "title": s.title, **out}
        return out

    return {
        "format": "aeo-check/diff@1",
        "program": d.new.questionnaire.id,
        "old": {"assessed_on": d.old.assessment.assessed_on, "verdict": d.old.verdict.value},
        "new": {"assessed_on": d.new.assessment.assessed_on, "verdict": d.new.verdict.value},
        "overall": sc(d.overall),
        "categories": [sc(c) for c in d.categories],
        "closed": list(d.closed),
        "opened": list(d.opened),
        "changed": [{"id": c.id, "old": c.old, "new": c.new} for c in d.changed],
        "closed_gaps": [_gap(g) for g in d.closed_gaps],
        "opened_gaps": [_gap(g) for g in d.opened_gaps],
    }


def _gap(g: Gap) -> dict[str, object]:
    return {"id": g.id, "title": g.title, "kind": g.kind, "priority": g.priority.value}
