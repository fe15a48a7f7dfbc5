"""Every bundled program and business type runs through template -> answers -> report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli, write

from aeo_check import catalog
from aeo_check.answers import load_answers
from aeo_check.model import AnswerValue, Level
from aeo_check.scoring import score

PAIRS = [(q.id, et.id) for q in catalog.all_programs() for et in q.entity_types]


def fill(template: str, value: str = "yes") -> str:
    """What a user does with a template: write an answer after every empty key."""
    return re.sub(r'^(  "[^"]+":)$', rf"\1 {value}", template, flags=re.M)


def test_three_programs_are_bundled():
    assert catalog.program_ids() == ["ctpat", "oea", "pip"]


@pytest.mark.parametrize(("program", "entity"), PAIRS)
def test_template_all_yes_is_ready(tmp_path: Path, program: str, entity: str):
    tpl = run_cli("template", program, "--entity", entity)
    assert tpl.returncode == 0, tpl.stderr
    path = write(tmp_path / "answers.yaml", fill(tpl.stdout))
    proc = run_cli("report", path, "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["score"]["overall"] == 100.0
    assert doc["verdict"] == "ready"
    assert doc["provisional"] is False
    assert doc["gaps"] == []


@pytest.mark.parametrize(("program", "entity"), PAIRS)
def test_one_must_no_is_a_critical_gap(tmp_path: Path, program: str, entity: str):
    q = catalog.get(program)
    tpl = run_cli("template", program, "--entity", entity).stdout
    must = next(c for c in q.applicable_criteria(entity) if c.level is Level.MUST)
    text = fill(tpl).replace(f'  "{must.id}": yes', f'  "{must.id}": no')
    a, _ = load_answers(write(tmp_path / "must.yaml", text))
    r = score(q, a)
    assert r.verdict.value == "not-ready"
    assert [(g.id, g.priority.value) for g in r.gaps] == [(must.id, "critical")]


# business types with at least one Should criterion (OEA's profiles state every standard as a
# requirement, so its Should list is empty)
SHOULD_PAIRS = [
    (p, e)
    for p, e in PAIRS
    if any(c.level is Level.SHOULD for c in catalog.get(p).applicable_criteria(e))
]


@pytest.mark.parametrize(("program", "entity"), SHOULD_PAIRS)
def test_one_should_no_gives_the_predicted_score(tmp_path: Path, program: str, entity: str):
    q = catalog.get(program)
    tpl = run_cli("template", program, "--entity", entity).stdout
    crits = q.applicable_criteria(entity)
    should = next(c for c in crits if c.level is Level.SHOULD)
    text = fill(tpl).replace(f'  "{should.id}": yes', f'  "{should.id}": no')
    a, _ = load_answers(write(tmp_path / "should.yaml", text))
    r = score(q, a)
    total = sum(q.weight_of(c) for c in crits)
    expected = round(100 * (total - q.weight_of(should)) / total + 1e-9, 1)
    assert r.overall == expected
    assert [(g.id, g.priority.value) for g in r.gaps] == [(should.id, "medium")]
    assert a.answers[should.id].value is AnswerValue.NO
