"""Batch runs: a mixed folder, name collisions, faults, order, exit codes, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, cli_command, run_cli, write

from aeo_check.batch import collect_inputs, run_batch, safe_name, unique_names

EXAMPLE = ROOT / "examples" / "northwind-ctpat-importer.yaml"


def company_file(folder: Path, name: str, company: str, answer: str = "yes") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'name: "Northwind Imports Inc."', f"name: {json.dumps(company)}"
    )
    if answer != "yes":
        text = text.replace('  "1.1": yes', f'  "1.1": {answer}', 1)
    return write(folder / name, text)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    (inbox / "2026").mkdir(parents=True)
    company_file(inbox, "a-acme.yaml", "ACME Corp")
    company_file(inbox / "2026", "b-acme.yaml", "ACME Corp", answer="no")  # same name
    write(inbox / "c-broken.yaml", "format: aeo-check/answers@1\nprogram: [ctpat\n")
    pip = run_cli("template", "pip", "--entity", "importer", "--company", "Érable Ltée")
    write(inbox / "d-pip.yaml", pip.stdout)  # another program: its own report
    write(inbox / "notes.txt", "not yaml")  # ignored: not a YAML file
    write(inbox / "q.yaml", "format: aeo-check/questionnaire@1\n")  # not an answers file
    return inbox


def test_mixed_folder(mixed: Path, tmp_path: Path):
    out = tmp_path / "out"
    proc = run_cli("batch", mixed, "-o", out, "--format", "pdf,json", "-j", "2")
    assert proc.returncode == 2, proc.stderr  # one input failed
    assert "c-broken.yaml:" in proc.stderr and "Traceback" not in proc.stderr
    doc = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    rows = doc["rows"]
    # input order (sorted paths), not completion order
    assert [Path(r["input"]).name for r in rows] == [
        "b-acme.yaml",
        "a-acme.yaml",
        "c-broken.yaml",
        "d-pip.yaml",
    ]
    assert rows[2]["error"] and "YAML syntax error" in rows[2]["error"]
    # the two ACME companies collide: the first keeps the name, the second gets a suffix
    assert rows[0]["outputs"]["pdf"] == "acme-corp-ctpat-importer.pdf"
    assert rows[1]["outputs"]["pdf"] == "acme-corp-ctpat-importer-2.pdf"
    assert rows[0]["overall"] < rows[1]["overall"]  # b answered 1.1 no
    assert (
        rows[3]["program"] == "pip" and rows[3]["outputs"]["pdf"] == "erable-ltee-pip-importer.pdf"
    )
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "acme-corp-ctpat-importer.pdf",
            "acme-corp-ctpat-importer.json",
            "acme-corp-ctpat-importer-2.pdf",
            "acme-corp-ctpat-importer-2.json",
            "erable-ltee-pip-importer.pdf",
            "erable-ltee-pip-importer.json",
            "portfolio.csv",
            "portfolio.json",
            "portfolio.pdf",
        ]
    )
    # each report is that company's
    first = json.loads((out / "acme-corp-ctpat-importer.json").read_text(encoding="utf-8"))
    assert first["score"]["overall"] == rows[0]["overall"]
    csv_text = (out / "portfolio.csv").read_bytes().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("company,program,entity_type,overall,verdict")
    assert "Érable Ltée" in csv_text


def test_portfolio_pdf_links_each_report(mixed: Path, tmp_path: Path):
    from pypdf import PdfReader

    out = tmp_path / "out"
    run_cli("batch", mixed, "-o", out, "-j", "1", "--quiet")
    reader = PdfReader(out / "portfolio.pdf")
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Portfolio summary" in text and "Érable Ltée" in text
    uris = [
        a.get_object()["/A"].get("/URI")
        for page in reader.pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object()
    ]
    assert "acme-corp-ctpat-importer.pdf" in uris
    assert "acme-corp-ctpat-importer-2.pdf" in uris


def test_exit_codes_and_fail_under(tmp_path: Path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    company_file(inbox, "a.yaml", "Alpha")
    assert run_cli("batch", inbox, "-o", tmp_path / "o1", "--quiet").returncode == 0
    proc = run_cli("batch", inbox, "-o", tmp_path / "o2", "--quiet", "--fail-under", "99")
    assert proc.returncode == 1 and "under --fail-under 99" in proc.stderr
    missing = run_cli("batch", tmp_path / "nope.yaml", "-o", tmp_path / "o3", "--quiet")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_plain_progress_lines_when_not_a_terminal(tmp_path: Path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    company_file(inbox, "a.yaml", "Alpha")
    company_file(inbox, "b.yaml", "Beta")
    proc = run_cli("batch", inbox, "-o", tmp_path / "o", "--format", "json")
    assert "[1/2]" in proc.stderr and "[2/2]" in proc.stderr
    quiet = run_cli("batch", inbox, "-o", tmp_path / "o", "--format", "json", "--quiet")
    assert "[1/2]" not in quiet.stderr and quiet.stdout == ""


def test_safe_names():
    assert safe_name("../../etc/passwd", "ctpat", "importer") == "etc-passwd-ctpat-importer"
    assert safe_name("Société\x00 Générale\n/\\:*?", "oea", "x") == "societe-generale-oea-x"
    assert safe_name("CON") == "report-con"
    assert safe_name("") == "report"
    assert len(safe_name("x" * 500, "ctpat", "importer")) <= 80
    assert unique_names(["a", "A", None, "a", "b"]) == ["a", "A-2", None, "a-3", "b"]


def test_collect_inputs_skips_other_formats(mixed: Path):
    names = [p.name for p in collect_inputs([mixed])]
    assert names == ["b-acme.yaml", "a-acme.yaml", "c-broken.yaml", "d-pip.yaml"]


def test_python_api(mixed: Path, tmp_path: Path):
    seen = []
    result = run_batch(
        [mixed],
        tmp_path / "api",
        formats=["json"],
        jobs=2,
        progress=lambda d, t, r: seen.append((d, t)),
    )
    assert len(result.rows) == 4 and len(result.failed) == 1
    assert sorted(seen) == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert (tmp_path / "api" / "portfolio.json").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_writes_summary_and_leaves_no_partial_files(tmp_path: Path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(40):
        company_file(inbox, f"c{i:02d}.yaml", f"Company {i:02d}")
    out = tmp_path / "out"
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [*cli_command(), "batch", str(inbox), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # the first finished report
    assert line.startswith("[1/40]"), line
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    doc = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    assert doc["interrupted"] is True
    finished = [r for r in doc["rows"] if not r["error"]]
    assert 1 <= len(finished) < 40
    assert [Path(r["input"]).name for r in doc["rows"]] == [f"c{i:02d}.yaml" for i in range(40)]
    reports = {p.name for p in out.glob("*.pdf")} - {"portfolio.pdf"}
    assert reports == {r["outputs"]["pdf"] for r in finished}
    assert not list(out.glob(".aeo-*")), "temporary files left behind"


def test_unanswered_template_is_flagged_nothing_answered(tmp_path: Path):
    import csv
    import io

    inbox = tmp_path / "in"
    inbox.mkdir()
    company_file(inbox, "a.yaml", "Alpha")
    blank = run_cli("template", "pip", "--entity", "importer", "--company", "Blank Co")
    write(inbox / "b.yaml", blank.stdout)
    out = tmp_path / "o"
    proc = run_cli("batch", inbox, "-o", out, "--format", "json,pdf", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    assert "2 of 2 assessed; warning: 1 with nothing answered" in proc.stderr
    # the portfolio PDF says it in the overview and in the blank company's row
    from pypdf import PdfReader

    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(str(out / "portfolio.pdf")).pages
    )
    assert "1 with nothing answered (blank answers files?)" in text
    assert text.count("nothing answered") == 2
    assert "[2/2] " in proc.stderr and "(warning: nothing answered)" in proc.stderr
    # the terminal table says it in the blank row, and only there
    rows = [line for line in proc.stdout.splitlines() if "│" in line]
    blank_at = next(i for i, line in enumerate(rows) if "Blank Co" in line)
    assert "nothing answered" in "".join(rows[blank_at : blank_at + 3])
    assert proc.stdout.count("nothing answered") == 1
    doc = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    assert doc["counts"]["nothing_answered"] == 1
    assert [r["warning"] for r in doc["rows"]] == [None, "nothing answered"]
    table = list(csv.DictReader(io.StringIO((out / "portfolio.csv").read_text("utf-8-sig"))))
    assert [r["warning"] for r in table] == ["", "nothing answered"]
    assert list(table[0])[-1] == "warning"  # a column added at the end


def _run_at(args: list, width: int | None) -> subprocess.CompletedProcess[str]:
    """The console script with stdout piped, at COLUMNS=width or with no COLUMNS at all."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("COLUMNS", None)
    if width is not None:
        env["COLUMNS"] = str(width)
    return subprocess.run(
        [*cli_command(), *map(str, args)], capture_output=True, text=True, env=env, timeout=120
    )


def _table_words(text: str) -> list[str]:
    return [w for w in text.split() if not set(w) <= set("┏┓┗┛┃━┡┩╇┳┻│─└┘┌┐┬┴├┤┼╭╮╰╯")]


@pytest.mark.parametrize("width", [80, None], ids=["COLUMNS=80", "piped"])
def test_batch_table_never_cuts_a_word(tmp_path: Path, width):
    inbox = tmp_path / "in"
    inbox.mkdir()
    company_file(inbox, "a.yaml", "Globex Corporation International Holdings")
    company_file(inbox, "b.yaml", "Maple Leaf Freight Ltd.", answer="no")
    mexico = (ROOT / "examples" / "bajio-oea-importer-exporter.yaml").read_text("utf-8")
    write(inbox / "c.yaml", mexico)  # business type importer-exporter
    blank = run_cli("template", "ctpat", "--entity", "highway-carrier-us-mexico").stdout
    write(inbox / "d.yaml", blank)
    out = tmp_path / "o"
    proc = _run_at(["batch", inbox, "-o", out, "--format", "json", "-j", "1"], width)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and all(len(line.rstrip()) <= 80 for line in lines), proc.stdout
    assert "…" not in proc.stdout
    doc = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    known = {"Portfolio", "(4", "inputs)", "company", "program", "business", "type", "score"}
    known |= {"verdict", "critical", "report", "(prov.)", "nothing", "answered"}
    for r in doc["rows"]:
        known |= set((r["company"] or "(no name)").split())
        known |= {r["program"], r["entity_type"], f"{r['overall']:.1f}", r["verdict"]}
        known |= {str(r["gaps"]["critical"]), *r["outputs"].values()}
    shown = _table_words(proc.stdout)
    assert set(shown) <= known, set(shown) - known  # a cut word would be a new word
    for word in ("importer-exporter", "highway-carrier-us-mexico", "not-ready", "(prov.)"):
        assert word in shown
    assert "nothing answered" in " ".join(shown)
    assert "International" in shown and "Holdings" in shown
    assert "report left out" in proc.stderr  # the file names do not fit 80 columns
