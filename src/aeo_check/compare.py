"""One assessment, three programs: readiness for the others through the crosswalk.

From one program's answers, each other program's applicable criteria (for the matching
business type) are:

- **carried over** when an ``equivalent`` link reaches a criterion answered yes, partial or no
  in the source (the best such answer is taken: a yes on any equivalent criterion meets it);
- **to confirm** when only ``partial`` links reach an answered criterion (or equivalent ones
  reach only unanswered or N/A criteria);
- **to answer** when no link reaches it.

Carried-over answers are scored; the rest count as unanswered, so every comparison is
provisional. Eligibility gates are never carried over.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .crosswalk import Crosswalk
from .i18n import _
from .model import Answer, AnswerValue, Assessment, Questionnaire, Result
from .scoring import score

_RANK = {AnswerValue.YES: 3, AnswerValue.PARTIAL: 2, AnswerValue.NO: 1}


@dataclass(frozen=True)
class Carried:
    value: AnswerValue
    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class ProgramComparison:
    program: str
    program_name: str
    entity_type: str | None
    carried_over: tuple[str, ...] = ()
    to_confirm: tuple[str, ...] = ()
    to_answer: tuple[str, ...] = ()
    result: Result | None = None
    note: str | None = None
    # the score if every "to confirm" criterion is confirmed with the best related answer
    if_confirmed: Result | None = None


@dataclass(frozen=True)
class Comparison:
    source: Result
    programs: tuple[ProgramComparison, ...] = field(default_factory=tuple)


def carry_over(
    source_q: Questionnaire,
    source: Assessment,
    target_q: Questionnaire,
    target_entity: str,
    crosswalk: Crosswalk,
    likely: dict[str, Answer] | None = None,
) -> tuple[dict[str, Answer], list[str], list[str], list[str]]:
    """Answers for ``target_q`` carried over from ``source``; and the three id lists.

    ``likely``, when given, receives for each "to confirm" criterion the best answer among the
    related (partial) criteria: what the score would be if those answers are confirmed.
    """
    answers: dict[str, Answer] = {}
    carried: list[str] = []
    confirm: list[str] = []
    answer: list[str] = []
    # The crosswalk links the programs' base questionnaires. A business type that answers its
    # own profile (Mexico's customs broker, courier, ...) numbers its criteria its own way: the
    # same id there is another requirement, so nothing is carried to or from it.
    own_profile = target_entity in target_q.profiles or source.entity_type in source_q.profiles
    for crit in target_q.applicable_criteria(target_entity):
        links = [] if own_profile else crosswalk.counterparts(target_q.id, crit.id, source_q.id)
        best: tuple[int, AnswerValue, list[str]] | None = None
        related: AnswerValue | None = None
        reachable = False
        for src_id, link in links:
            src_crit = source_q.criterion(src_id)
            if src_crit is None or not src_crit.applies(source.entity_type):
                continue
            value = source.answer(src_id).value
            if value is None or value is AnswerValue.NA:
                reachable = True
                continue
            reachable = True
            if related is None or _RANK[value] > _RANK[related]:
                related = value
            if link.relation != "equivalent":
                continue
            rank = _RANK[value]
            if best is None or rank > best[0]:
                best = (rank, value, [src_id])
            elif rank == best[0]:
                best[2].append(src_id)
        if best is not None:
            ids = ", ".join(best[2])
            answers[crit.id] = Answer(
                value=best[1],
                note=f"Carried over from {source_q.program.short_name} {ids} "
                "(equivalent criterion)",
                carried_from=f"{source_q.id} {ids}",
            )
            carried.append(crit.id)
        elif reachable or links:
            confirm.append(crit.id)
            if likely is not None and related is not None:
                likely[crit.id] = Answer(value=related)
        else:
            answer.append(crit.id)
    return answers, carried, confirm, answer


def _target_assessment(
    source: Assessment, target_q: Questionnaire, entity: str, answers: dict[str, Answer]
) -> Assessment:
    """An assessment of the same company for another program, with the carried answers."""
    return Assessment(
        program=target_q.id,
        entity_type=entity,
        company=source.company,
        questionnaire_version=target_q.version,
        assessor=source.assessor,
        assessed_on=source.assessed_on,
        answers=answers,
    )


def compare(
    source_q: Questionnaire,
    source: Assessment,
    targets: list[Questionnaire],
    crosswalk: Crosswalk,
    source_result: Result | None = None,
) -> Comparison:
    """Readiness for each target program from one program's answers.

    ``source_result`` is the source's own score when the caller has it already.
    """
    rows = []
    for tq in targets:
        if tq.id == source_q.id:
            continue
        entity = crosswalk.matching_entity(source_q.id, source.entity_type, tq.id)
        if entity is None or tq.entity_type(entity) is None:
            rows.append(
                ProgramComparison(
                    program=tq.id,
                    program_name=tq.program.name,
                    entity_type=None,
                    note=_("no {program} business type matches {entity}").format(
                        program=tq.program.short_name, entity=source.entity_type
                    ),
                )
            )
            continue
        likely: dict[str, Answer] = {}
        answers, carried, confirm, to_answer = carry_over(
            source_q, source, tq, entity, crosswalk, likely
        )
        assessment = _target_assessment(source, tq, entity, answers)
        note = None
        if entity in tq.profiles or source.entity_type in source_q.profiles:
            note = _("answers its own security profile: the crosswalk carries nothing over")
        rows.append(
            ProgramComparison(
                program=tq.id,
                program_name=tq.program.name,
                entity_type=entity,
                note=note,
                carried_over=tuple(carried),
                to_confirm=tuple(confirm),
                to_answer=tuple(to_answer),
                result=score(tq, assessment),
                if_confirmed=score(tq, replace(assessment, answers={**answers, **likely})),
            )
        )
    return Comparison(source=source_result or score(source_q, source), programs=tuple(rows))


def prefilled_assessment(
    source_q: Questionnaire,
    source: Assessment,
    target_q: Questionnaire,
    crosswalk: Crosswalk,
    entity: str | None = None,
) -> tuple[Assessment, list[str]]:
    """A new assessment for ``target_q`` pre-filled through the crosswalk (for assess --from)."""
    from .errors import UsageError

    target_entity = entity or crosswalk.matching_entity(
        source_q.id, source.entity_type, target_q.id
    )
    if target_entity is None:
        raise UsageError(
            _("no {program} business type matches {entity}; give one with --entity").format(
                program=target_q.program.short_name, entity=source.entity_type
            )
        )
    if target_q.entity_type(target_entity) is None:
        known = ", ".join(e.id for e in target_q.entity_types)
        raise UsageError(
            _("--entity: {entity!r} is not a business type of {program} (known: {known})").format(
                entity=target_entity, program=target_q.program.short_name, known=known
            )
        )
    answers, carried, _confirm, _answer = carry_over(
        source_q, source, target_q, target_entity, crosswalk
    )
    return _target_assessment(source, target_q, target_entity, answers), carried


def comparison_to_dict(c: Comparison) -> dict[str, object]:
    src = c.source
    return {
        "format": "aeo-check/compare@1",
        "source": {
            "program": src.questionnaire.id,
            "entity_type": src.assessment.entity_type,
            "score": src.overall,
            "verdict": src.verdict.value,
            "provisional": src.provisional,
        },
        "programs": [
            {
                "program": row.program,
                "entity_type": row.entity_type,
                "carried_over": len(row.carried_over),
                "to_confirm": len(row.to_confirm),
                "to_answer": len(row.to_answer),
                "score": row.result.overall if row.result else None,
                "score_if_confirmed": row.if_confirmed.overall if row.if_confirmed else None,
                "verdict": row.result.verdict.value if row.result else None,
                "provisional": row.result.provisional if row.result else None,
                "note": row.note,
            }
            for row in c.programs
        ],
    }
