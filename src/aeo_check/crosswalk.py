"""The mutual-recognition crosswalk: links between criteria of CTPAT, PIP and Mexico's OEA.

``questionnaires/crosswalk.yaml`` (format ``aeo-check/crosswalk@1``) holds links, each between
criteria of exactly two programs, with a relation (``equivalent``: a yes for one is a yes for
the other; ``partial``: related, must be confirmed) and a one-line reason; and rows of
business types that describe the same kind of company across programs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schema
from .errors import InputFileError, Problem
from .model import Questionnaire
from .yamlsafe import load_nodes


@dataclass(frozen=True)
class Link:
    a_program: str
    a_id: str
    b_program: str
    b_id: str
    relation: str  # "equivalent" | "partial"
    reason: str

    def other(self, program: str, criterion: str) -> tuple[str, str] | None:
        if (self.a_program, self.a_id) == (program, criterion):
            return self.b_program, self.b_id
        if (self.b_program, self.b_id) == (program, criterion):
            return self.a_program, self.a_id
        return None


@dataclass(frozen=True)
class Crosswalk:
    links: tuple[Link, ...]
    entity_rows: tuple[dict[str, str], ...]

    def counterparts(self, program: str, criterion: str, target: str) -> list[tuple[str, Link]]:
        """Criteria of ``target`` linked to ``program``/``criterion``, with their link."""
        out = []
        for link in self.links:
            other = link.other(program, criterion)
            if other is not None and other[0] == target:
                out.append((other[1], link))
        return out

    def matching_entity(self, program: str, entity: str, target: str) -> str | None:
        for row in self.entity_rows:
            if row.get(program) == entity and target in row:
                return row[target]
        return None


_p = Problem.at


def check(
    data: dict[str, Any], file: str, questionnaires: dict[str, Questionnaire]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str, str], Any] = {}
    for link in data.get("links") or []:
        progs = [p for p in schema.CROSSWALK_PROGRAMS if link.get(p) is not None]
        if len(progs) != 2:
            problems.append(
                _p(file, link, f"a link names exactly two programs, this one names {len(progs)}")
            )
            continue
        for prog in progs:
            q = questionnaires.get(prog)
            if q is not None and q.criterion(str(link[prog])) is None:
                problems.append(
                    _p(file, link[prog], f"{prog}: unknown criterion {str(link[prog])!r}")
                )
        key = (progs[0], str(link[progs[0]]), progs[1], str(link[progs[1]]))
        if key in seen:
            problems.append(_p(file, link, f"duplicate link {key[0]} {key[1]} - {key[2]} {key[3]}"))
        seen[key] = link
    for row in data.get("entity_types") or []:
        if len([p for p in schema.CROSSWALK_PROGRAMS if row.get(p)]) < 2:
            problems.append(_p(file, row, "an entity_types row names at least two programs"))
        for prog in schema.CROSSWALK_PROGRAMS:
            value = row.get(prog)
            q = questionnaires.get(prog)
            if value is not None and q is not None and q.entity_type(str(value)) is None:
                problems.append(_p(file, value, f"{prog}: unknown business type {str(value)!r}"))
    return problems


def load_crosswalk(
    path: str | Path | None = None, questionnaires: dict[str, Questionnaire] | None = None
) -> Crosswalk:
    """Load and validate the crosswalk (the bundled one by default)."""
    from . import catalog

    if path is None:
        path = catalog.bundled_dir() / "crosswalk.yaml"
    path = Path(path)
    if questionnaires is None:
        questionnaires = {q.id: q for q in catalog.all_programs()}
    name = str(path)
    converted = schema.convert(schema.CROSSWALK, load_nodes(path, what="crosswalk file"), name)
    problems = list(converted.problems)
    data = converted.value
    if isinstance(data, dict):
        problems.extend(check(data, name, questionnaires))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.col or 0))
        raise InputFileError(problems)
    links = []
    for link in data["links"]:
        progs = [p for p in schema.CROSSWALK_PROGRAMS if link.get(p) is not None]
        links.append(
            Link(
                progs[0],
                str(link[progs[0]]),
                progs[1],
                str(link[progs[1]]),
                str(link["relation"]),
                str(link["reason"]),
            )
        )
    rows = tuple(
        {p: str(row[p]) for p in schema.CROSSWALK_PROGRAMS if row.get(p) is not None}
        for row in data["entity_types"]
    )
    return Crosswalk(tuple(links), rows)
