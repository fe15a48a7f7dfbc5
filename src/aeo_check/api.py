"""Small helpers of the public API that more than one command uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import InputFileError, Problem
from .model import Questionnaire, Result

PROGRAMS_FORMAT = "aeo-check/programs@1"


def assess(answers_path: str | Path, questionnaire: Questionnaire | None = None) -> Result:
    """Load an answers file and score it (no files written)."""
    from .answers import load_answers
    from .scoring import score

    assessment, q = load_answers(answers_path, questionnaire)
    return score(q, assessment)


def programs_document(questionnaires: list[Questionnaire]) -> dict[str, Any]:
    """The ``aeo-check/programs@1`` document."""
    from .plan import evidence_summary

    return {
        "format": PROGRAMS_FORMAT,
        "programs": [
            {
                "id": q.id,
                "name": q.program.name,
                "short_name": q.program.short_name,
                "agency": q.program.agency,
                "country": q.program.country,
                "url": q.program.url,
                "per_installation": q.program.per_installation,
                "questionnaire_version": q.version,
                "entity_types": [
                    {
                        "id": et.id,
                        "name": et.name,
                        "criteria": len(q.applicable_criteria(et.id)),
                        "eligibility_gates": len(q.applicable_gates(et.id)),
                        "evidence_levels": {
                            level.value: len(ids)
                            for level, ids in evidence_summary(q, et.id).items()
                        },
                    }
                    for et in q.entity_types
                ],
                "contacts": [
                    {
                        "label": c.label,
                        "email": c.email,
                        "url": c.url,
                        "phone": c.phone,
                        "note": c.note,
                        "evidence_level": c.evidence_level.value,
                        "verified": c.verified,  # kept: True for official and copy
                    }
                    for c in q.program.contacts
                ],
                "apply": [
                    {
                        "step": s.step,
                        "url": s.url,
                        "evidence_level": s.evidence_level.value,
                        "verified": s.verified,
                    }
                    for s in q.program.apply
                ],
                "benefits": list(q.program.benefits),
                "mutual_recognition": [
                    {
                        "program": m.program,
                        "name": m.name,
                        "since": m.since,
                        "evidence_level": m.evidence_level.value,
                        "verified": m.verified,
                    }
                    for m in q.program.mutual_recognition
                ],
            }
            for q in questionnaires
        ],
    }


def detect_format(path: Path) -> str | None:
    """The ``format:`` value of a YAML file, read without trusting the rest of it."""
    from yaml.nodes import MappingNode, ScalarNode

    from .yamlsafe import load_nodes

    node = load_nodes(path)
    if node is None:
        raise InputFileError([Problem(str(path), "the file is empty")])
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == "format" and isinstance(v, ScalarNode):
                return v.value
    return None


def quality_problems(
    path: str | Path, *, questionnaire: Questionnaire | None = None
) -> list[Problem]:
    """The quality findings of a valid answers file (``validate --strict``), each placed on the
    line of its answer: Musts answered yes without evidence, partial or no without an action
    or a note, actions past due and not done, N/A to justify."""
    from .answers import load_answers, placed, read_answers_data
    from .scoring import score

    assessment, q = load_answers(path, questionnaire)
    result = score(q, assessment)
    data = read_answers_data(path)
    positions = getattr(data.get("answers") or {}, "key_pos", {})
    out = []
    for f in result.quality:
        line, col = positions.get(f.id, (None, None))
        out.append(Problem(str(path), f"{f.id}: {f.message}", line, col))
    return placed(out, data)


def validate_file(
    path: str | Path, *, questionnaire: Questionnaire | None = None
) -> tuple[str, list[Problem], str]:
    """Check one file. Returns (kind, problems, summary); problems is empty when valid."""
    from . import schema
    from .answers import is_workbook

    path = Path(path)
    try:
        fmt = schema.ANSWERS_FORMAT if is_workbook(path) else detect_format(path)
    except InputFileError as exc:
        return "file", exc.problems, ""
    if fmt == schema.QUESTIONNAIRE_FORMAT:
        from .loading import load_questionnaire

        try:
            q = load_questionnaire(path)
        except InputFileError as exc:
            return "questionnaire", exc.problems, ""
        n = len(q.criteria())
        return (
            "questionnaire",
            [],
            f"{q.id}, {len(q.entity_types)} business types, {n} criteria",
        )
    if fmt == schema.ANSWERS_FORMAT:
        from .answers import load_answers
        from .scoring import score

        try:
            assessment, q = load_answers(path, questionnaire)
        except InputFileError as exc:
            return "answers", exc.problems, ""
        result = score(q, assessment)
        unanswered = result.answer_counts["unanswered"]
        summary = f"{q.id}, {assessment.entity_type}"
        if unanswered:
            summary += f", {unanswered} unanswered"
        return "answers", [], summary
    if fmt == schema.CROSSWALK_FORMAT:
        from .crosswalk import load_crosswalk

        try:
            cw = load_crosswalk(path)
        except InputFileError as exc:
            return "crosswalk", exc.problems, ""
        return "crosswalk", [], f"{len(cw.links)} links"
    if fmt is None:
        msg = (
            "not an aeo-check file: the first key should be 'format: "
            f"{schema.ANSWERS_FORMAT}' or 'format: {schema.QUESTIONNAIRE_FORMAT}'"
        )
    else:
        msg = (
            f"unknown format {fmt!r} (this aeo-check reads {schema.ANSWERS_FORMAT} and "
            f"{schema.QUESTIONNAIRE_FORMAT})"
        )
    return "file", [Problem(str(path), msg, 1, 1)], ""
