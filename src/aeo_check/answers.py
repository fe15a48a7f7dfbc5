"""Answers files (``aeo-check/answers@1``): read, check against a questionnaire, write, save.

Answers files are the user's work: they are saved atomically (temporary file in the same
folder, flush, fsync, rename over the old one; :mod:`aeo_check.atomic`) with the previous
version kept as ``<name>.bak``, and never overwritten by a command without ``--force``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import schema
from .atomic import (  # noqa: F401  (the writing helpers lived here; kept importable)
    _copy_atomic,
    _fsync_dir,
    _umask,
    atomic_write_bytes,
    atomic_write_text,
    file_mode,
)
from .errors import InputFileError, Problem
from .model import (
    Action,
    Answer,
    AnswerValue,
    Assessment,
    Company,
    GateValue,
    Installation,
    Level,
    Questionnaire,
)
from .yamlsafe import load_nodes

_problem = Problem.at


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_workbook(path: str | Path) -> bool:
    """An Excel workbook (read and written by :mod:`aeo_check.workbook`), by its suffix."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def _convert(path: str | Path, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse and schema-check: the values that are right, and every problem found.

    A workbook (.xlsx) is read into the same node tree as YAML, so it gets the same checks;
    the data then carries ``cells``, which places its problems at their cells (:func:`placed`).
    """
    if is_workbook(path):
        from .workbook import read_nodes

        node, cells, found = read_nodes(Path(path), name)
        converted = schema.convert(schema.ANSWERS, node, name)
        if converted.value is not None:
            converted.value.cells = cells
        return converted.value, found + [cells.place(p) for p in converted.problems]
    node = load_nodes(Path(path), what="answers file", display=name)
    converted = schema.convert(schema.ANSWERS, node, name)
    return converted.value, list(converted.problems)


def placed(problems: list[Problem], data: Any) -> list[Problem]:
    """Problems found in data read from a workbook, each at its cell (others unchanged)."""
    cells = getattr(data, "cells", None)
    if cells is None:
        return problems
    return [cells.place(p) for p in problems]


def read_answers_data(path: str | Path, *, display: str | None = None) -> dict[str, Any]:
    """Parse and schema-check an answers file; raise InputFileError with every problem."""
    data, problems = _convert(path, display or str(path))
    if problems or data is None:
        raise InputFileError(problems or [Problem(display or str(path), "the file is empty")])
    return data


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems as a reader meets them: those without a position first, then by line, column."""
    return sorted(
        problems, key=lambda p: (p.line is not None, p.line or 0, p.col or 0)
    )  # stable: equal positions keep the order they were found in


def _suggest(wrong: str, known: list[str]) -> str | None:
    """The known id closest to a mistyped one, when one is close (PIP-A-6 -> PIP-A-06)."""
    import difflib

    def norm(text: str) -> str:  # pip-a-6 for PIP-A-06: letter case and leading zeros aside
        return re.sub(r"\d+", lambda m: str(int(m.group(0))), text.casefold())

    by_norm = {norm(k): k for k in known}
    if norm(wrong) in by_norm:
        return by_norm[norm(wrong)]
    if re.fullmatch(r"[\d.]+", wrong):
        return None  # 3.2 is not a typo of 3.1: a number that does not exist has no neighbour
    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(wrong.casefold(), list(by_fold), n=1, cutoff=0.75)
    return by_fold[close[0]] if close else None


def _ids(mapping: Any) -> list[Any]:
    """Every key written under a mapping, those whose value was wrong included."""
    return list(getattr(mapping, "key_pos", None) or mapping or [])


def check_against(q: Questionnaire, data: dict[str, Any], file: str) -> list[Problem]:
    """Problems of an answers file for this questionnaire (ids, program, entity type, N/A).

    ``data`` may be partial (the values the schema accepted): what is missing was reported by
    the schema, so it is skipped here and the rest is still checked.
    """
    problems: list[Problem] = []
    program = data.get("program")
    if program is None:
        return problems
    if program != q.id:
        problems.append(
            _problem(
                file,
                program,
                f"program: these answers are for {str(program)!r}, "
                f"not for {q.id!r} ({q.program.short_name})",
            )
        )
        return problems
    entity = data.get("entity_type")
    if entity is None:
        return problems
    if q.entity_type(str(entity)) is None:
        known = ", ".join(e.id for e in q.entity_types)
        problems.append(
            _problem(
                file,
                entity,
                f"entity_type: {str(entity)!r} is not a business type of "
                f"{q.program.short_name} (known: {known})",
            )
        )
        return problems
    q = q.for_entity(str(entity))  # a business type with its own profile answers its ids
    gate_ids = {g.id: g for g in q.eligibility}
    for gid in _ids(data.get("eligibility")):
        gate = gate_ids.get(gid)
        if gate is None:
            near = _suggest(str(gid), [g.id for g in q.applicable_gates(str(entity))])
            hint = f" (did you mean {near!r}?)" if near else ""
            problems.append(_problem(file, gid, f"eligibility: unknown gate {str(gid)!r}{hint}"))
        elif not gate.applies(str(entity)):
            problems.append(
                _problem(file, gid, f"eligibility: gate {str(gid)!r} does not apply to {entity}")
            )
    crits = {c.id: c for c in q.criteria()}
    answers = data.get("answers") or {}
    for cid in _ids(answers):
        crit = crits.get(cid)
        if crit is None:
            hint = ""
            near = None
            if re.fullmatch(r"\d+\.\d+", str(cid)):
                # the same number written otherwise: 1.10 for 1.1, 01.1 for 1.1
                same = [c for c in crits if re.fullmatch(r"\d+\.\d+", c)]
                same = [c for c in same if float(c) == float(cid)]
                if same:
                    hint = (
                        f" (did you mean {same[0]!r}? ids are read as written, "
                        f"{str(cid)!r} is not {same[0]!r})"
                    )
            if not hint:
                applicable = [c.id for c in q.applicable_criteria(str(entity))]
                near = _suggest(str(cid), applicable)
                if near:
                    hint = f" (did you mean {near!r}?)"
            problems.append(
                _problem(file, cid, f"answers: unknown criterion {str(cid)!r} in {q.id}{hint}")
            )
            continue
        if not crit.applies(str(entity)):
            problems.append(
                _problem(
                    file,
                    cid,
                    f"answers: criterion {str(cid)!r} does not apply to business type {entity}",
                )
            )
            continue
        value = answers.get(cid)
        if isinstance(value, dict) and value.get("answer") == "na" and not value.get("note"):
            problems.append(
                _problem(file, cid, f"answers.{cid}: na needs a note saying why it does not apply")
            )
        elif value == "na":
            problems.append(
                _problem(
                    file,
                    cid,
                    f"answers.{cid}: na needs a note; write {{answer: na, note: <why>}}",
                )
            )
    return problems


def assessment_from_data(data: dict[str, Any], path: str | None = None) -> Assessment:
    comp = data.get("company") or {}
    company = Company(
        name=str(comp.get("name") or ""),
        country=_s(comp.get("country")),
        address=_s(comp.get("address")),
        contact=_s(comp.get("contact")),
        email=_s(comp.get("email")),
        phone=_s(comp.get("phone")),
    )
    eligibility = {
        str(k): (GateValue(str(v)) if v is not None else None)
        for k, v in (data.get("eligibility") or {}).items()
    }
    answers: dict[str, Answer] = {}
    for k, v in (data.get("answers") or {}).items():
        if v is None:
            answers[str(k)] = Answer()
        elif isinstance(v, dict):
            act = v.get("action")
            action = None
            if act:
                action = Action(
                    owner=_s(act.get("owner")), due=_s(act.get("due")), status=_s(act.get("status"))
                )
            answers[str(k)] = Answer(
                value=AnswerValue(str(v["answer"])) if v.get("answer") else None,
                note=_s(v.get("note")),
                evidence=tuple(str(e) for e in v.get("evidence") or []),
                action=action,
                carried_from=_s(v.get("carried_from")),
            )
        else:
            answers[str(k)] = Answer(value=AnswerValue(str(v)))
    inst = data.get("installation") or {}
    installation = (
        Installation(name=_s(inst.get("name")), address=_s(inst.get("address"))) if inst else None
    )
    return Assessment(
        installation=installation,
        program=str(data["program"]),
        entity_type=str(data["entity_type"]),
        company=company,
        questionnaire_version=_s(data.get("questionnaire_version")),
        assessor=_s(data.get("assessor")),
        assessed_on=_s(data.get("assessed_on")),
        eligibility=eligibility,
        answers=answers,
        path=path,
    )


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def load_answers(
    path: str | Path,
    questionnaire: Questionnaire | None = None,
    *,
    resolve: Callable[[str], Questionnaire] | None = None,
    display: str | None = None,
) -> tuple[Assessment, Questionnaire]:
    """Load an answers file and the questionnaire it answers; check one against the other.

    ``questionnaire`` overrides the bundled questionnaire named by the file's ``program``.
    """
    name = display or str(path)
    data, problems = _convert(path, name)
    if data is None and not problems:
        problems = [Problem(name, "the file is empty")]
    if data is not None and questionnaire is None and data.get("program") is not None:
        from . import catalog

        resolver = resolve or catalog.get
        try:
            questionnaire = resolver(str(data["program"]))
        except Exception as exc:  # UsageError for an unknown program
            from .errors import AeoCheckError

            if not isinstance(exc, AeoCheckError):
                raise
            problems += placed([_problem(name, data["program"], f"program: {exc}")], data)
    if data is not None and questionnaire is not None:
        # checked even when the schema found problems, so one run reports every problem
        problems += placed(check_against(questionnaire, data, name), data)
    if problems:
        raise InputFileError(in_file_order(problems))
    assert data is not None and questionnaire is not None
    return assessment_from_data(data, str(path)), questionnaire


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

# Characters a YAML double-quoted scalar cannot hold as they are: the non-printable ones, and
# the line breaks JSON leaves alone (NEL, LINE and PARAGRAPH SEPARATOR), which YAML would fold
# into a space. Each is written as a \u escape instead.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar for any text (JSON string syntax is valid YAML)."""
    out = json.dumps(value, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", out)


def _one_line(text: str) -> str:
    """Text for a comment: a line break in it (even NEL or U+2028) would end the comment, and
    a control character (possible through a quoted escape) would make the file unreadable."""
    return _NON_PRINTABLE.sub("\ufffd", " ".join(text.split()))


def _comment(text: str, width: int = 96) -> list[str]:
    words = _one_line(text).split(" ")
    lines: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def dump_answers(q: Questionnaire, a: Assessment) -> str:
    """The answers file text: every applicable gate and criterion, commented, in order."""
    et = q.entity_type(a.entity_type)
    et_name = et.name if et else a.entity_type
    applicable = q.applicable_criteria(a.entity_type)
    sample = yaml_str(applicable[0].id if applicable else "1.1")
    out: list[str] = [
        f"# aeo-check answers: {_one_line(q.program.short_name)} self-assessment, "
        f"{_one_line(et_name)}",
        "# Answer each item with yes, partial, no or na (na needs a note); leave it empty if",
        "# not yet answered. Long form, with notes, evidence and the remediation task:",
        f'#   {sample}: {{answer: partial, note: "...", evidence: [sop.pdf],',
        "#          action: {owner: J. Smith, due: 2027-03-31, status: planned}}",
        "# Check it with: aeo-check validate <this file>   Report: aeo-check report <this file>",
        f"format: {schema.ANSWERS_FORMAT}",
        f"program: {q.id}",
        f"questionnaire_version: {yaml_str(a.questionnaire_version or q.version)}",
        f"entity_type: {a.entity_type}",
        "company:",
    ]
    c = a.company
    for key in ("name", "country", "address", "contact", "email", "phone"):
        value = getattr(c, key) or None
        out.append(f"  {key}: {yaml_str(value)}" if value else f"  {key}:")
    if q.program.per_installation or (a.installation and a.installation.given):
        inst = a.installation or Installation()
        out.append(
            f"# {_one_line(q.program.short_name)} takes a security profile per installation: "
            "name the site assessed."
        )
        out.append("installation:")
        for key in ("name", "address"):
            value = getattr(inst, key) or None
            out.append(f"  {key}: {yaml_str(value)}" if value else f"  {key}:")
    out.append(f"assessor: {yaml_str(a.assessor)}" if a.assessor else "assessor:")
    out.append(f"assessed_on: {yaml_str(a.assessed_on)}" if a.assessed_on else "assessed_on:")

    gates = q.applicable_gates(a.entity_type)
    if gates:
        out.append("# Eligibility: a 'no' means the company cannot apply yet.")
        out.append("eligibility:")
        for g in gates:
            out.extend(f"  # {line}" for line in _comment(g.ask))
            value = a.eligibility.get(g.id)
            out.append(f"  {yaml_str(g.id)}: {value.value}" if value else f"  {yaml_str(g.id)}:")
    else:
        out.append("eligibility: {}")

    out.append("answers:")
    for cat in q.applicable_categories(a.entity_type):
        out.append("")
        out.append(f"  # ===== {cat.id}. {_one_line(cat.title)} =====")
        for crit in cat.criteria:
            level = "Must" if crit.level is Level.MUST else "Should"
            out.extend(f"  # {line}" for line in _comment(f"{crit.id} [{level}] {crit.ask}"))
            out.extend(_answer_lines(crit.id, a.answers.get(crit.id)))
    out.append("")
    return "\n".join(out)


def _answer_lines(cid: str, ans: Answer | None) -> list[str]:
    key = f"  {yaml_str(cid)}:"
    if ans is None or (
        ans.value is None
        and not ans.note
        and not ans.evidence
        and ans.action is None
        and not ans.carried_from
    ):
        return [key]
    if not ans.note and not ans.evidence and ans.action is None and not ans.carried_from:
        assert ans.value is not None
        return [f"{key} {ans.value.value}"]
    lines = [key]
    lines.append(f"    answer: {ans.value.value}" if ans.value else "    answer:")
    if ans.note:
        lines.append(f"    note: {yaml_str(ans.note)}")
    if ans.evidence:
        lines.append(f"    evidence: [{', '.join(yaml_str(e) for e in ans.evidence)}]")
    if ans.action is not None:
        parts = []
        for k in ("owner", "due", "status"):
            v = getattr(ans.action, k)
            if v:
                parts.append(f"{k}: {yaml_str(v)}")
        if parts:
            lines.append(f"    action: {{{', '.join(parts)}}}")
    if ans.carried_from:
        lines.append(f"    carried_from: {yaml_str(ans.carried_from)}")
    return lines


def new_assessment(
    q: Questionnaire,
    entity_type: str,
    *,
    company: Company | None = None,
    assessor: str | None = None,
    assessed_on: str | None = None,
) -> Assessment:
    return Assessment(
        program=q.id,
        entity_type=entity_type,
        company=company or Company(),
        questionnaire_version=q.version,
        assessor=assessor,
        assessed_on=assessed_on,
    )


def save_answers(path: str | Path, q: Questionnaire, a: Assessment) -> None:
    """Save an assessment atomically, keeping the previous version as ``.bak``.

    Nothing is written when the file already holds exactly this text, so the backup stays
    the version before the last real change.
    """
    if is_workbook(path):  # written back into the client's workbook, its formatting kept
        from .workbook import save_assessment

        save_assessment(path, q, a)
        return
    text = dump_answers(q, a)
    try:
        if Path(path).read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write_text(path, text, backup=True)
