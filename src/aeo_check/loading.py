"""Questionnaire YAML -> :class:`~aeo_check.model.Questionnaire`, with validation.

Every problem carries the file, line and column. The loader collects all problems of a file
before it refuses it, so ``aeo-check validate`` can list them in one go.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from . import schema
from .errors import InputFileError, Problem
from .model import (
    ApplyStep,
    Category,
    Contact,
    Criterion,
    Document,
    EntityType,
    EvidenceLevel,
    Gate,
    Level,
    MutualRecognition,
    Program,
    Questionnaire,
    ScoringRules,
    SourceRef,
)
from .yamlsafe import load_nodes

_problem = Problem.at


def check_questionnaire(
    data: dict[str, Any],
    file: str,
    unreliable: frozenset[str] = frozenset(),
    served: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Cross-field rules the schema cannot express: unique ids, known references.

    ``unreliable`` names the declarations the schema already found problems in
    (``entity_types``, ``documents``, ``criteria``): references to them are not checked, so
    one mistake is not reported again as a list of "unknown" references.
    """
    problems: list[Problem] = []

    def unique(items: list[dict[str, Any]], what: str, seen: dict[str, Any]) -> None:
        for item in items:
            ident = item.get("id")
            if ident is None:
                continue
            if ident in seen:
                first = seen[ident]
                problems.append(
                    _problem(
                        file,
                        ident,
                        f"duplicate {what} id {str(ident)!r} (first used on line {first.line})",
                    )
                )
            else:
                seen[ident] = ident

    program = data.get("program") or {}
    documents = [program.get("criteria_document") or {}, *(program.get("documents") or [])]
    doc_ids: dict[str, Any] = {}
    unique([d for d in documents if d], "document", doc_ids)

    entity_types = data.get("entity_types") or []
    entity_ids: dict[str, Any] = {}
    unique(entity_types, "entity type", entity_ids)

    gates = data.get("eligibility") or []
    unique(gates, "eligibility gate", {})

    categories = data.get("categories") or []
    unique(categories, "category", {})
    criteria = [c for cat in categories for c in (cat.get("criteria") or [])]
    unique(criteria, "criterion", {})

    def check_refs(item: dict[str, Any]) -> None:
        for et in item.get("applies_to") or []:
            if "entity_types" not in unreliable and et not in entity_ids:
                known = ", ".join(entity_ids) or "none declared"
                problems.append(
                    _problem(
                        file, et, f"applies_to: unknown entity type {str(et)!r} (known: {known})"
                    )
                )
        src = item.get("source") or {}
        doc = src.get("doc")
        if doc is not None and "documents" not in unreliable and doc not in doc_ids:
            known = ", ".join(doc_ids) or "none declared"
            problems.append(
                _problem(file, doc, f"source.doc: unknown document {str(doc)!r} (known: {known})")
            )

    for item in [*gates, *criteria]:
        check_refs(item)
    leveled = [
        *[d for d in documents if d],
        *(program.get("contacts") or []),
        *(program.get("apply") or []),
        *(program.get("mutual_recognition") or []),
        *gates,
        *criteria,
    ]
    problems.extend(check_evidence_levels(leveled, file))
    for item in [*gates, *criteria]:
        problems.extend(check_levels_for(item, file, entity_ids, "entity_types" in unreliable))
    for item in criteria:
        for et in item.get("unverified_for") or []:
            if et not in entity_ids:
                if "entity_types" not in unreliable:
                    problems.append(
                        _problem(file, et, f"unverified_for: unknown entity type {str(et)!r}")
                    )
            elif item.get("applies_to") is not None and et not in item["applies_to"]:
                problems.append(
                    _problem(
                        file,
                        et,
                        f"unverified_for: {str(et)!r} is not in this criterion's applies_to",
                    )
                )

    scoring = data.get("scoring") or {}
    ready, nearly = scoring.get("ready_at"), scoring.get("nearly_ready_at")
    # ready_at is optional: without it, "ready" follows the program's rule alone
    if isinstance(ready, int | float) and isinstance(nearly, int | float) and nearly > ready:
        problems.append(
            _problem(file, scoring, "scoring: nearly_ready_at must not be above ready_at")
        )

    own_id = data.get("id")
    for mr in program.get("mutual_recognition") or []:
        if mr.get("program") is not None and mr.get("program") == own_id:
            problems.append(
                _problem(
                    file, mr.get("program"), "mutual_recognition: a program cannot list itself"
                )
            )

    for contact in program.get("contacts") or []:
        means = ("email", "url", "phone")
        # a means written but refused by the schema (a bad address) is already reported
        written = getattr(contact, "key_pos", {})
        if not any(contact.get(k) or (k in written and k not in contact) for k in means):
            problems.append(
                _problem(file, contact, "contacts: give at least one of email, url or phone")
            )

    for et in [] if "criteria" in unreliable else entity_types:
        ident = et.get("id")
        if ident is None or ident in served:  # a profile file holds its criteria
            continue
        if not any(ident in (c.get("applies_to") or [ident]) for c in criteria):
            problems.append(_problem(file, ident, f"entity type {str(ident)!r} has no criteria"))

    return problems


def check_evidence_levels(items: list[dict[str, Any]], file: str) -> list[Problem]:
    """Each item states ``evidence_level`` (or the deprecated ``verified``), not both."""
    problems = []
    for item in items:
        if not isinstance(item, dict):
            continue
        keys = getattr(item, "key_pos", {})
        if "evidence_level" in keys and "verified" in keys:
            problems.append(
                _problem(
                    file,
                    item,
                    "give evidence_level only: verified is its deprecated form "
                    "(true reads as copy, false as inferred)",
                )
            )
        elif "evidence_level" not in keys and "verified" not in keys:
            problems.append(
                _problem(
                    file,
                    item,
                    "evidence_level: missing (required): official, copy, secondary or inferred",
                )
            )
    return problems


def check_levels_for(
    item: dict[str, Any], file: str, entity_ids: dict[str, Any], skip_unknown: bool
) -> list[Problem]:
    """``evidence_level_for`` names known, applicable business types, each once."""
    problems = []
    by_level = item.get("evidence_level_for") or {}
    if by_level and item.get("unverified_for"):
        problems.append(
            _problem(
                file,
                by_level,
                "give evidence_level_for only: unverified_for is its deprecated form",
            )
        )
    seen: set[str] = set()
    applies = item.get("applies_to")
    for types in by_level.values():
        for et in types or []:
            if et in seen:
                problems.append(
                    _problem(file, et, f"evidence_level_for: {str(et)!r} is listed twice")
                )
            seen.add(et)
            if et not in entity_ids:
                if not skip_unknown:
                    problems.append(
                        _problem(file, et, f"evidence_level_for: unknown entity type {str(et)!r}")
                    )
            elif applies is not None and et not in applies:
                problems.append(
                    _problem(
                        file,
                        et,
                        f"evidence_level_for: {str(et)!r} is not in this item's applies_to",
                    )
                )
    return problems


def _evidence_level(d: dict[str, Any]) -> EvidenceLevel:
    """``evidence_level``, or the deprecated ``verified`` (true: copy, false: inferred)."""
    if d.get("evidence_level") is not None:
        return EvidenceLevel(str(d["evidence_level"]))
    return EvidenceLevel.COPY if d.get("verified") else EvidenceLevel.INFERRED


def _levels_for(c: dict[str, Any]) -> tuple[tuple[str, EvidenceLevel], ...]:
    out = [
        (str(et), EvidenceLevel(str(level)))
        for level, types in (c.get("evidence_level_for") or {}).items()
        for et in types or []
    ]
    out += [(str(et), EvidenceLevel.INFERRED) for et in c.get("unverified_for") or []]
    return tuple(out)


def _doc(d: dict[str, Any]) -> Document:
    return Document(
        id=str(d["id"]),
        title=str(d["title"]),
        date=_s(d.get("date")),
        url=_s(d.get("url")),
        evidence_level=_evidence_level(d),
    )


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _applies(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(str(v) for v in value)


def build_questionnaire(data: dict[str, Any], path: str | None = None) -> Questionnaire:
    p = data["program"]
    program = Program(
        name=str(p["name"]),
        short_name=str(p["short_name"]),
        agency=str(p["agency"]),
        country=str(p["country"]),
        url=str(p["url"]),
        ids_note=_s(p.get("ids_note")),
        per_installation=p.get("per_installation") is True,
        description=_s(p.get("description")),
        criteria_document=_doc(p["criteria_document"]),
        documents=tuple(_doc(d) for d in p.get("documents") or []),
        contacts=tuple(
            Contact(
                label=str(c["label"]),
                email=_s(c.get("email")),
                url=_s(c.get("url")),
                phone=_s(c.get("phone")),
                note=_s(c.get("note")),
                evidence_level=_evidence_level(c),
            )
            for c in p["contacts"]
        ),
        apply=tuple(
            ApplyStep(step=str(s["step"]), url=_s(s.get("url")), evidence_level=_evidence_level(s))
            for s in p["apply"]
        ),
        benefits=tuple(str(b) for b in p.get("benefits") or []),
        mutual_recognition=tuple(
            MutualRecognition(
                program=str(m["program"]),
                name=str(m["name"]),
                since=str(m["since"]),
                evidence_level=_evidence_level(m),
            )
            for m in p.get("mutual_recognition") or []
        ),
    )
    s = data["scoring"]
    scoring = ScoringRules(
        must_weight=s["must_weight"],
        should_weight=s["should_weight"],
        ready_at=s.get("ready_at"),
        nearly_ready_at=s["nearly_ready_at"],
    )
    gates = _gates(data.get("eligibility") or [])
    return Questionnaire(
        id=str(data["id"]),
        version=str(data["version"]),
        language=str(data.get("language") or "en"),
        program=program,
        entity_types=tuple(
            EntityType(str(e["id"]), str(e["name"]), _s(e.get("description")))
            for e in data["entity_types"]
        ),
        scoring=scoring,
        eligibility=gates,
        categories=_categories(data["categories"]),
        path=path,
    )


def _gates(items: list[dict[str, Any]]) -> tuple[Gate, ...]:
    return tuple(
        Gate(
            id=str(g["id"]),
            ask=str(g["ask"]),
            title=_s(g.get("title")),
            guidance=_s(g.get("guidance")),
            remediation=_s(g.get("remediation")),
            applies_to=_applies(g.get("applies_to")),
            source=SourceRef(str(g["source"]["doc"]), str(g["source"]["ref"])),
            evidence_level=_evidence_level(g),
            evidence_level_for=_levels_for(g),
            official_id=g.get("official_id", True) is not False,
            verification_note=_s(g.get("verification_note")),
        )
        for g in items
    )


def _categories(items: list[dict[str, Any]]) -> tuple[Category, ...]:
    categories = []
    for cat in items:
        cat_id = str(cat["id"])
        crits = tuple(
            Criterion(
                id=str(c["id"]),
                title=str(c["title"]),
                level=Level(str(c["level"])),
                ask=str(c["ask"]),
                guidance=str(c["guidance"]),
                remediation=str(c["remediation"]),
                source=SourceRef(str(c["source"]["doc"]), str(c["source"]["ref"])),
                evidence_level=_evidence_level(c),
                category_id=cat_id,
                applies_to=_applies(c.get("applies_to")),
                evidence=tuple(str(e) for e in c.get("evidence") or []),
                weight=c.get("weight"),
                official_id=c.get("official_id", True) is not False,
                local_title=_s(c.get("local_title")),
                verification_note=_s(c.get("verification_note")),
                evidence_level_for=_levels_for(c),
                phase=int(c.get("phase") or 2),
                na_when=_s(c.get("na_when")),
            )
            for c in cat["criteria"]
        )
        categories.append(
            Category(
                id=cat_id,
                title=str(cat["title"]),
                criteria=crits,
                focus_area=_s(cat.get("focus_area")),
                local_title=_s(cat.get("local_title")),
                description=_s(cat.get("description")),
            )
        )
    return tuple(categories)


def questionnaire_problems(path: Path, display: str | None = None) -> list[Problem]:
    """Every problem of a questionnaire file (empty list when it is valid)."""
    try:
        load_questionnaire(path, display=display)
    except InputFileError as exc:
        return exc.problems
    return []


def load_questionnaire(path: str | Path, *, display: str | None = None) -> Questionnaire:
    """Load and validate a questionnaire file; raise InputFileError listing every problem."""
    path = Path(path)
    name = display or str(path)
    node = load_nodes(path, what="questionnaire file", display=name)
    profiles = []
    for p in profile_paths(path):
        p_name = str(Path(name).parent / path.stem / p.name)
        profiles.append((load_nodes(p, what="profile file", display=p_name), p_name, str(p)))
    return questionnaire_from_node(node, name, str(path), profiles)


def questionnaire_from_node(
    node: Any,
    name: str,
    path: str | None = None,
    profiles: list[tuple[Any, str, str]] | None = None,
) -> Questionnaire:
    """Validate and build a questionnaire; ``profiles`` are (node, display, path) of its
    profile files (``<program>/<profile>.yaml`` beside it)."""
    converted = schema.convert(schema.QUESTIONNAIRE, node, name)
    problems = list(converted.problems)
    data = converted.value
    profile_data: list[tuple[dict[str, Any], str, str]] = []
    profile_problems: list[Problem] = []
    for p_node, p_name, p_path in profiles or []:
        conv = schema.convert(schema.PROFILE, p_node, p_name)
        profile_problems.extend(conv.problems)
        if isinstance(conv.value, dict):
            profile_data.append((conv.value, p_name, p_path))
    served: dict[str, str] = {}
    for pdata, p_name, _ in profile_data:
        for et in pdata.get("entity_types") or []:
            if et in served:
                profile_problems.append(
                    _problem(
                        p_name, et, f"entity_types: {str(et)!r} is already served by {served[et]}"
                    )
                )
            else:
                served[et] = p_name
    if isinstance(data, dict):
        unreliable = _unreliable(node, problems)
        problems.extend(check_questionnaire(data, name, unreliable, frozenset(served)))
        for pdata, p_name, _ in profile_data:
            profile_problems.extend(check_profile(pdata, data, p_name))
    if problems or profile_problems:
        problems.sort(key=lambda p: (p.line or 0, p.col or 0))
        profile_problems.sort(key=lambda p: (p.file, p.line or 0, p.col or 0))
        raise InputFileError(problems + profile_problems)
    assert isinstance(data, dict)
    base = build_questionnaire(data, path)
    if not profile_data:
        return base
    by_type: dict[str, Questionnaire] = {}
    for pdata, _, p_path in profile_data:
        pq = replace(
            base,
            eligibility=base.eligibility + _gates(pdata.get("eligibility") or []),
            categories=_categories(pdata["categories"]),
            profiles={},
            profile_document=str(pdata["document"]),
            path=p_path,
        )
        for et in pdata["entity_types"]:
            by_type[str(et)] = pq
    return replace(base, profiles=by_type)


def check_profile(pdata: dict[str, Any], base: dict[str, Any], file: str) -> list[Problem]:
    """Cross-field rules of a profile file against its base questionnaire."""
    problems: list[Problem] = []
    if pdata.get("program") is not None and pdata["program"] != base.get("id"):
        problems.append(
            _problem(
                file,
                pdata["program"],
                f"program: {str(pdata['program'])!r} is not this folder's program "
                f"{str(base.get('id'))!r}",
            )
        )
    entity_ids = {str(e.get("id")) for e in base.get("entity_types") or []}
    served = [str(e) for e in pdata.get("entity_types") or []]
    for et in pdata.get("entity_types") or []:
        if et not in entity_ids:
            problems.append(
                _problem(file, et, f"entity_types: {str(et)!r} is not declared in the program file")
            )
    program = base.get("program") or {}
    doc_ids = {
        str(d.get("id"))
        for d in [program.get("criteria_document") or {}, *(program.get("documents") or [])]
        if d
    }
    if pdata.get("document") is not None and pdata["document"] not in doc_ids:
        problems.append(
            _problem(file, pdata["document"], f"document: unknown document {pdata['document']!r}")
        )
    base_gates = {str(g.get("id")) for g in base.get("eligibility") or []}
    gates = pdata.get("eligibility") or []
    for g in gates:
        if g.get("id") in base_gates:
            problems.append(
                _problem(
                    file,
                    g["id"],
                    f"duplicate eligibility gate id {str(g['id'])!r} (the program file has it)",
                )
            )
    criteria = [c for cat in pdata.get("categories") or [] for c in (cat.get("criteria") or [])]
    for what, items in (
        ("eligibility gate", gates),
        ("category", pdata.get("categories") or []),
        ("criterion", criteria),
    ):
        seen: dict[str, Any] = {}
        for item in items:
            ident = item.get("id")
            if ident is None:
                continue
            if ident in seen:
                problems.append(
                    _problem(
                        file,
                        ident,
                        f"duplicate {what} id {str(ident)!r} "
                        f"(first used on line {seen[ident].line})",
                    )
                )
            else:
                seen[ident] = ident
    for item in [*gates, *criteria]:
        for et in item.get("applies_to") or []:
            if et not in served:
                problems.append(
                    _problem(
                        file,
                        et,
                        f"applies_to: {str(et)!r} is not one of this profile's "
                        f"entity_types ({', '.join(served)})",
                    )
                )
        doc = (item.get("source") or {}).get("doc")
        if doc is not None and doc not in doc_ids:
            problems.append(_problem(file, doc, f"source.doc: unknown document {str(doc)!r}"))
    problems.extend(check_evidence_levels([*gates, *criteria], file))
    for item in [*gates, *criteria]:
        problems.extend(check_levels_for(item, file, dict.fromkeys(served), False))
    return problems


def profile_paths(path: Path) -> list[Path]:
    """The profile files of a questionnaire: ``<stem>/*.yaml`` beside it, sorted."""
    folder = path.parent / path.stem
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


_DECLARATIONS = {
    "entity_types": ("entity_types",),
    "documents": ("program", "criteria_document"),
    "criteria": ("categories",),
}


def _unreliable(node: Any, problems: list[Problem]) -> frozenset[str]:
    """Declarations with a schema problem inside them (or missing, so reported at a parent)."""
    from yaml.nodes import MappingNode, ScalarNode

    def troubled(path: tuple[str, ...], optional: bool = False) -> bool:
        cur = node
        for key in path:
            child = None
            if isinstance(cur, MappingNode):
                child = next(
                    (v for k, v in cur.value if isinstance(k, ScalarNode) and k.value == key),
                    None,
                )
            if child is None:
                if optional:
                    return False
                break
            cur = child
        start = (cur.start_mark.line + 1, cur.start_mark.column + 1)
        end = (cur.end_mark.line + 1, cur.end_mark.column + 1)
        return any(p.line is not None and start <= (p.line, p.col or 0) < end for p in problems)

    out = {name for name, path in _DECLARATIONS.items() if troubled(path)}
    if troubled(("program", "documents"), optional=True):
        out.add("documents")
    return frozenset(out)


def questionnaire_from_text(text: str, name: str = "<text>") -> Questionnaire:
    from .yamlsafe import compose, decode

    return questionnaire_from_node(compose(decode(text.encode("utf-8"), name), name), name)
