"""Generated PDFs are structurally sound (qpdf --check) for every program and the portfolio."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT, run_cli

from aeo_check import catalog
from aeo_check.answers import new_assessment
from aeo_check.model import Answer, AnswerValue
from aeo_check.pipeline import render
from aeo_check.scoring import score

QPDF = shutil.which("qpdf")
pytestmark = pytest.mark.skipif(QPDF is None, reason="qpdf is not installed (.ci/run installs it)")


def qpdf_check(path) -> None:
    proc = subprocess.run([QPDF, "--check", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No syntax or stream encoding errors found" in proc.stdout


@pytest.mark.parametrize("program", ["ctpat", "pip", "oea"])
def test_program_reports_pass_qpdf(tmp_path, program):
    q = catalog.get(program)
    entity = q.entity_types[0].id
    values = [AnswerValue.YES, AnswerValue.PARTIAL, AnswerValue.NO, None]
    answers = {
        c.id: Answer(values[i % 4], note="Note with <b>markup</b> & accents: é ñ ç")
        for i, c in enumerate(q.applicable_criteria(entity))
    }
    a = new_assessment(q, entity)
    from dataclasses import replace

    a = replace(a, answers=answers)
    path = tmp_path / f"{program}.pdf"
    path.write_bytes(render("pdf", score(q, a)))
    qpdf_check(path)


def test_compare_baseline_and_portfolio_pass_qpdf(tmp_path):
    ex = ROOT / "examples" / "northwind-ctpat-importer.yaml"
    out = tmp_path / "r.pdf"
    proc = run_cli("report", ex, "--compare", "--baseline", ex, "-o", out)
    assert proc.returncode == 0, proc.stderr
    qpdf_check(out)
    batch = run_cli("batch", ex, "-o", tmp_path / "b", "--quiet")
    assert batch.returncode == 0, batch.stderr
    qpdf_check(tmp_path / "b" / "portfolio.pdf")
