"""The ``aeo-check/result@1`` JSON document."""

from __future__ import annotations

import json
from typing import Any

from ..model import Action, Result
from ..scoring import verdict_reasons

RESULT_FORMAT = "aeo-check/result@1"


def _action(action: Action | None) -> dict[str, Any] | None:
    if action is None:
        return None
    return {"owner": action.owner, "due": action.due, "status": action.status}


def result_to_dict(result: Result) -> dict[str, Any]:
    """The result as plain data; keys are a contract (add freely, never rename)."""
    a = result.assessment
    q = result.questionnaire
    c = a.company
    return {
        "format": RESULT_FORMAT,
        "program": q.id,
        "program_name": q.program.name,
        "questionnaire_version": q.version,
        "entity_type": a.entity_type,
        "entity_type_name": result.entity_type.name,
        "company": {
            "name": c.name,
            "country": c.country,
            "address": c.address,
            "contact": c.contact,
            "email": c.email,
            "phone": c.phone,
        },
        "installation": (
            {"name": a.installation.name, "address": a.installation.address}
            if a.installation and a.installation.given
            else None
        ),
        "assessor": a.assessor,
        "assessed_on": a.assessed_on,
        "score": {
            "overall": result.overall,
            "categories": [
                {"id": cs.id, "title": cs.title, "score": cs.score} for cs in result.categories
            ],
        },
        "verdict": result.verdict.value,
        "provisional": result.provisional,
        "reasons": verdict_reasons(result),
        "eligibility": [
            {"id": g.id, "title": g.title, "ask": g.ask, "answer": g.answer}
            for g in result.eligibility
        ],
        "gaps": [
            {
                "id": g.id,
                "category": g.category,
                "level": g.level.value,
                "answer": g.answer,
                "priority": g.priority.value,
                "phase": g.phase,
                "kind": g.kind,
                "title": g.title,
                "ask": g.ask,
                "remediation": g.remediation,
                "note": g.note,
                "evidence": list(g.evidence),
                "action": _action(g.action),
            }
            for g in result.gaps
        ],
        "counts": {"answers": dict(result.answer_counts), "gaps": dict(result.gap_counts)},
        "warnings": list(result.warnings),
        "quality": [{"kind": f.kind, "id": f.id, "message": f.message} for f in result.quality],
    }


def render(result: Result) -> str:
    return json.dumps(result_to_dict(result), indent=2, ensure_ascii=False) + "\n"
