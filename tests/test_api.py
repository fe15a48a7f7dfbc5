"""The documented Python API and its runnable example."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_api_example_runs(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "api_example.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert "score 98.6 -> not-ready; gaps: ['4.3']" in proc.stdout
    assert "why: 1 Must requirement answered no" in proc.stdout
    assert (tmp_path / "northwind.pdf").read_bytes().startswith(b"%PDF")
    doc = json.loads((tmp_path / "batch" / "portfolio.json").read_text(encoding="utf-8"))
    assert [r["company"] for r in doc["rows"]] == ["Contoso Imports LLC"]


def test_public_names_resolve():
    import aeo_check

    for name in aeo_check.__all__:
        assert getattr(aeo_check, name) is not None, name
