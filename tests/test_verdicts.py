"""The verdict a validator would sign, on the bundled programs (issue: verdicts)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from conftest import ROOT, run_cli

from aeo_check import catalog
from aeo_check.answers import load_answers, save_answers
from aeo_check.model import Answer, AnswerValue, Assessment, Company, GateValue, Level
from aeo_check.scoring import score

PAIRS = [(q.id, et.id) for q in catalog.all_programs() for et in q.entity_types]
EXAMPLE = ROOT / "examples" / "northwind-ctpat-importer.yaml"


def _all(q, entity: str, must: AnswerValue, should: AnswerValue) -> Assessment:
    answers = {
        c.id: Answer(must if c.level is Level.MUST else should)
        for c in q.applicable_criteria(entity)
    }
    gates = {g.id: GateValue.YES for g in q.applicable_gates(entity)}
    return Assessment(program=q.id, entity_type=entity, eligibility=gates, answers=answers)


@pytest.mark.parametrize(("program", "entity"), PAIRS)
def test_every_must_and_gate_yes_every_should_no_is_ready(program, entity):
    q = catalog.get(program)
    r = score(q, _all(q, entity, AnswerValue.YES, AnswerValue.NO))
    assert r.verdict.value == "ready", (program, entity, r.overall)
    assert all(g.level is Level.SHOULD for g in r.gaps)


def test_importer_claiming_na_on_musts_is_not_ready():
    """A CTPAT importer cannot answer its way out of seals and conveyance criteria with N/A."""
    q = catalog.get("ctpat")
    a = _all(q, "importer", AnswerValue.YES, AnswerValue.YES)
    musts = [c for c in q.applicable_criteria("importer") if c.level is Level.MUST]
    na = {c.id: Answer(AnswerValue.NA, note="our supplier does it") for c in musts[:33]}
    r = score(q, replace(a, answers={**a.answers, **na}))
    assert r.overall == 100.0
    assert r.verdict.value == "nearly-ready"
    to_justify = [g for g in r.gaps if g.na_to_justify]
    # those with a stated case for N/A do not count; the rest are N/A to justify
    assert len(to_justify) == sum(1 for c in musts[:33] if not c.na_when) > 20


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """The bundled example, with no continuous import bond."""
    a, q = load_answers(EXAMPLE)
    gates = {g.id: GateValue.YES for g in q.applicable_gates("importer")}
    gates["continuous-import-bond"] = GateValue.NO
    path = tmp_path / "blocked.yaml"
    save_answers(path, q, replace(a, eligibility=gates, company=Company(name="Blocked Co")))
    return path


def test_a_gate_no_comes_first_everywhere(blocked: Path, tmp_path: Path):
    out = tmp_path / "out"
    proc = run_cli("report", blocked, "-o", out, "--format", "pdf,md,csv,json")
    assert proc.returncode == 0, proc.stderr
    # terminal summary: the reason in plain words, and what to do first
    assert "Not eligible yet" in proc.stderr
    assert "why: not eligible: continuous import bond (answered no)" in proc.stderr
    assert "do first: Continuous import bond" in proc.stderr
    doc = json.loads((next(out.glob("*.json"))).read_text(encoding="utf-8"))
    assert doc["verdict"] == "not-eligible"
    assert doc["gaps"][0]["id"] == "continuous-import-bond"
    assert doc["gaps"][0]["priority"] == "blocker"
    md = (next(out.glob("*.md"))).read_text(encoding="utf-8")
    gaps = md[md.index("## Gaps") :]
    assert gaps.index("### Blocker") < gaps.index("### Critical")
    assert "Continuous import bond" in gaps.split("### Critical")[0]
    plan = md[md.index("## Action plan") :]
    first_task = next(line for line in plan.splitlines() if line.startswith("- "))
    assert "[blocker] Continuous import bond" in first_task
    rows = list(csv.reader(io.StringIO((next(out.glob("*.csv"))).read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "continuous-import-bond" and rows[1][rows[0].index("step")] == "First"
    reader = pypdf.PdfReader(next(out.glob("*.pdf")))
    summary = " ".join(reader.pages[1].extract_text().split())
    assert "Not eligible yet: Continuous import bond" in summary
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    gap_page = next(t for t in texts if "2. Gap analysis" in t)
    assert gap_page.index("Continuous import bond") < gap_page.index("CRITICAL")


def test_example_report_says_why_and_what_first_on_its_first_two_pages(tmp_path: Path):
    out = tmp_path / "nw.pdf"
    proc = run_cli("report", EXAMPLE, "-o", out)
    assert proc.returncode == 0, proc.stderr
    reader = pypdf.PdfReader(out)
    first_two = " ".join(" ".join(p.extract_text().split()) for p in reader.pages[:2])
    assert "Not ready" in first_two
    assert "Must requirements answered no" in first_two
    assert "Do first:" in first_two
    assert "How solid is this assessment" in first_two


def test_validate_strict_lists_findings_and_exits_1(tmp_path: Path):
    proc = run_cli("validate", "--strict", EXAMPLE)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and all(line.startswith(f"{EXAMPLE}:") for line in lines)
    assert any("a Must answered yes with no evidence recorded" in line for line in lines)
    # a clean file: every answer yes with evidence, every gate yes
    q = catalog.get("pip")
    a = _all(q, "importer", AnswerValue.YES, AnswerValue.YES)
    a = replace(
        a, answers={k: replace(v, evidence=("signed policy.pdf",)) for k, v in a.answers.items()}
    )
    clean = tmp_path / "clean.yaml"
    save_answers(clean, q, a)
    ok = run_cli("validate", "--strict", clean)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout == ""


EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_reports_carry_no_maintainer_notes(example: Path, tmp_path: Path):
    """What a client reads says nothing about how a fact was sourced, and no empty brackets."""
    proc = run_cli("report", example, "-o", tmp_path, "--format", "pdf,md")
    assert proc.returncode == 0, proc.stderr
    reader = pypdf.PdfReader(next(tmp_path.glob("*.pdf")))
    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    md = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    for text in (pdf_text, md):
        for phrase in ("reference saw", "third-party cop", "Unverified", "()", "an U.S."):
            assert phrase not in text, (example.name, phrase)


def test_three_example_companies_one_per_program():
    programs = {load_answers(p)[1].id for p in EXAMPLES}
    assert programs == {"ctpat", "pip", "oea"}


def test_oea_assessment_names_its_installation(tmp_path: Path):
    example = ROOT / "examples" / "bajio-oea-importer-exporter.yaml"
    doc = json.loads(run_cli("report", example, "--json").stdout)
    assert doc["installation"] == {
        "name": "Planta Irapuato",
        "address": "Av. de los Industriales 410, Irapuato, Gto.",
    }
    out = tmp_path / "bajio.pdf"
    assert run_cli("report", example, "-o", out).returncode == 0
    cover = " ".join(pypdf.PdfReader(out).pages[0].extract_text().split())
    assert "Installation Planta Irapuato" in cover
    # without an installation, the result says the program wants one
    a, q = load_answers(example)
    bare = score(q, replace(a, installation=None))
    assert any("per installation" in w for w in bare.warnings)
