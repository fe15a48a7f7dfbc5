"""The installed console script, run the way a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MINI, MINI_ANSWERS_HEAD, ROOT, run_cli, write


def mini_answers(
    tmp_path: Path, body: str = "", name: str = "acme.yaml", entity: str = "importer"
) -> Path:
    return write(tmp_path / name, MINI_ANSWERS_HEAD.format(entity=entity) + body)


ALL_YES = """eligibility: {active: yes, license: yes}
answers: {"1.1": yes, "1.10": yes, "2.2": yes, "2.3": yes}
"""


def no_traceback(proc) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


def test_help_and_version():
    proc = run_cli("--help")
    assert proc.returncode == 0
    for cmd in ("assess", "report", "template", "programs", "validate"):
        assert cmd in proc.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("aeo-check ")


def test_report_json_to_stdout_writes_no_file(tmp_path):
    path = mini_answers(tmp_path, ALL_YES)
    proc = run_cli("report", path, "--json", "-q", MINI, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["format"] == "aeo-check/result@1"
    assert doc["score"]["overall"] == 100.0
    assert doc["verdict"] == "ready" and doc["provisional"] is False
    assert doc["company"]["name"] == "ACME Corp"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.yaml"]


def test_report_output_rules(tmp_path):
    path = mini_answers(tmp_path, "answers: {'1.10': no}\n")
    # -o FILE picks the format from the extension
    proc = run_cli("report", path, "-q", MINI, "-o", tmp_path / "out.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    md = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "1.10 Program review" in md and "Critical (" in md
    # -o FOLDER with --format writes <company>-<program>-<business type>.<ext> for each
    out = tmp_path / "reports"
    out.mkdir()
    proc = run_cli("report", path, "-q", MINI, "-o", out, "--format", "json,md,csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    stem = "acme-corp-mini-importer"
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.csv", f"{stem}.json", f"{stem}.md"]
    csv_bytes = (out / f"{stem}.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert any(b"1.10" in line for line in csv_bytes.splitlines()[1:])
    # --json plus --format prints and writes
    proc = run_cli("report", path, "-q", MINI, "--json", "--format", "md", cwd=tmp_path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["verdict"] == "not-ready"
    assert (tmp_path / f"{stem}.md").exists()


def test_report_and_batch_name_reports_the_same_way(tmp_path):
    """One rule: company, program and business type, made safe; -o FILE wins."""
    example = ROOT / "examples" / "northwind-ctpat-importer.yaml"
    text = example.read_text(encoding="utf-8").replace(
        'name: "Northwind Imports Inc."', 'name: "Société Générale: Import/Export"'
    )
    path = write(tmp_path / "client.yaml", text)
    proc = run_cli("report", path, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    batch = run_cli("batch", path, "-o", tmp_path / "b", "--format", "json", "--quiet")
    assert batch.returncode == 0, batch.stderr
    name = "societe-generale-import-export-ctpat-importer.json"
    assert (tmp_path / name).exists() and (tmp_path / "b" / name).exists()
    assert not (tmp_path / "client.json").exists()
    # no company name: the answers file's name takes its place, as in batch
    blank = run_cli("template", "pip", "--entity", "importer", "-o", tmp_path / "blank.yaml")
    assert blank.returncode == 0, blank.stderr
    proc = run_cli("report", tmp_path / "blank.yaml", "-o", tmp_path / "out/", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["blank-pip-importer.pdf"]
    # -o FILE wins
    proc = run_cli("report", path, "-o", tmp_path / "mine.md", cwd=tmp_path)
    assert proc.returncode == 0 and (tmp_path / "mine.md").exists()


def test_report_unknown_extension_is_usage_error(tmp_path):
    path = mini_answers(tmp_path)
    proc = run_cli("report", path, "-q", MINI, "-o", tmp_path / "out.docx")
    assert proc.returncode == 2
    assert "cannot tell the format" in proc.stderr
    no_traceback(proc)


def test_fail_under(tmp_path):
    path = mini_answers(tmp_path, "answers: {'1.1': yes, '1.10': no}\n")
    below = run_cli("report", path, "-q", MINI, "--json", "--fail-under", "80")
    assert below.returncode == 1
    assert "under --fail-under 80" in below.stderr
    above = run_cli("report", path, "-q", MINI, "--json", "--fail-under", "5")
    assert above.returncode == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("answers: {'1.1': maybe}\n", "'maybe' is not one of: yes, partial, no, na"),
        ("answers: {'9.9': yes}\n", "unknown criterion '9.9'"),
        ("answers: {'1.1': na}\n", "na needs a note"),
        ("answers: {'2.1': yes}\n", "does not apply to business type importer"),
        ("answers: [unclosed\n", "YAML syntax error"),
    ],
)
def test_report_bad_answers_one_line_exit_2(tmp_path, body, expected):
    path = mini_answers(tmp_path, body)
    proc = run_cli("report", path, "-q", MINI, "--json")
    assert proc.returncode == 2
    assert expected in proc.stderr
    assert str(path) in proc.stderr
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    no_traceback(proc)


def test_report_missing_file_and_unknown_program(tmp_path):
    proc = run_cli("report", tmp_path / "nope.yaml")
    assert proc.returncode == 2 and "no such file" in proc.stderr
    no_traceback(proc)
    path = write(tmp_path / "x.yaml", MINI_ANSWERS_HEAD.format(entity="importer"))
    proc = run_cli("report", path, "--json")  # program 'mini' is not bundled
    assert proc.returncode == 2 and "unknown program 'mini'" in proc.stderr
    assert f"{path}:2:" in proc.stderr
    no_traceback(proc)


def test_template_refuses_to_overwrite(tmp_path):
    target = tmp_path / "client.yaml"
    proc = run_cli("template", MINI, "--entity", "carrier", "-o", target)
    assert proc.returncode == 0, proc.stderr
    first = target.read_text(encoding="utf-8")
    assert '"2.1":' in first  # carrier-only criterion present
    target.write_text(first + "# my notes\n", encoding="utf-8")
    proc = run_cli("template", MINI, "--entity", "carrier", "-o", target)
    assert proc.returncode == 2 and "use --force" in proc.stderr
    assert target.read_text(encoding="utf-8").endswith("# my notes\n")
    proc = run_cli("template", MINI, "--entity", "carrier", "-o", target, "--force")
    assert proc.returncode == 0
    assert target.read_text(encoding="utf-8") == first


def test_template_unknown_entity(tmp_path):
    proc = run_cli("template", MINI, "--entity", "airline")
    assert proc.returncode == 2
    assert "'airline' is not a business type of MTP (known: importer, carrier)" in proc.stderr


def test_blank_template_is_valid_and_provisional(tmp_path):
    proc = run_cli("template", MINI, "--entity", "importer")
    path = write(tmp_path / "t.yaml", proc.stdout)
    report = run_cli("report", path, "-q", MINI, "--json")
    assert report.returncode == 0, report.stderr
    doc = json.loads(report.stdout)
    assert doc["provisional"] is True
    assert doc["counts"]["answers"]["unanswered"] == 4
    assert doc["score"]["overall"] == 0.0


def test_validate_lists_every_problem(tmp_path):
    bad = write(
        tmp_path / "bad.yaml",
        MINI.read_text(encoding="utf-8")
        .replace("level: must", "level: mandatory", 1)
        .replace("applies_to: [carrier]", "applies_to: [carier]"),
    )
    good = mini_answers(tmp_path, ALL_YES, name="good.yaml")
    proc = run_cli("validate", bad, good, "-q", MINI)
    assert proc.returncode == 2
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{bad}:") for line in lines)
    assert f"{good}: ok" in proc.stderr
    ok = run_cli("validate", MINI)
    assert ok.returncode == 0


SIX_PROBLEMS = """format: aeo-check/answers@1
program: pip
entity_type: importer
company: {name: Érable Ltée}
assessed_on: 2026-13-45
eligibility:
  PIP-E-01: Yes
  PIP-E-1: yes
answers:
  PIP-A-01: YES
  PIP-A-02: maybe
  PIP-A-6: yes
  PIP-A-03: na
  PIP-A-05: {answer: no, action: {status: started}}
"""


def test_validate_reports_six_problems_in_one_run(tmp_path):
    """Problems of the shape (a value, a date) and of the fit (ids, N/A notes) in one run."""
    path = write(tmp_path / "six.yaml", SIX_PROBLEMS)
    proc = run_cli("validate", path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout.splitlines() == [
        f"{path}:5:14: assessed_on: '2026-13-45' is not a real date (there is no month 13)",
        f"{path}:8:3: eligibility: unknown gate 'PIP-E-1' (did you mean 'PIP-E-01'?)",
        f"{path}:11:13: answers.PIP-A-02: 'maybe' is not one of: yes, partial, no, na",
        f"{path}:12:3: answers: unknown criterion 'PIP-A-6' in pip (did you mean 'PIP-A-06'?)",
        f"{path}:13:3: answers.PIP-A-03: na needs a note; write {{answer: na, note: <why>}}",
        f"{path}:14:43: answers.PIP-A-05.action.status: 'started' is not one of: planned, "
        "in-progress, done, blocked",
    ]
    report = run_cli("report", path, "--json")
    assert report.returncode == 2 and report.stdout == ""
    assert report.stderr.strip().splitlines() == [
        f"error: {path}:5:14: assessed_on: '2026-13-45' is not a real date (there is no month "
        "13) (and 5 more problems; run 'aeo-check validate')"
    ]


def test_validate_not_an_aeo_file(tmp_path):
    path = write(tmp_path / "x.yaml", "hello: world\n")
    proc = run_cli("validate", path)
    assert proc.returncode == 2
    assert f"{path}:1:1: not an aeo-check file" in proc.stdout


def test_programs_json_lists_three_programs():
    proc = run_cli("programs", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["format"] == "aeo-check/programs@1"
    ids = [p["id"] for p in doc["programs"]]
    assert ids == ["ctpat", "oea", "pip"]
    for p in doc["programs"]:
        assert p["entity_types"], p["id"]
        assert p["contacts"], p["id"]
        assert p["apply"], p["id"]
        assert all(c["email"] or c["url"] or c["phone"] for c in p["contacts"])
    ctpat = next(p for p in doc["programs"] if p["id"] == "ctpat")
    partners = {m["program"] for m in ctpat["mutual_recognition"]}
    assert {"pip", "oea"} <= partners and len(partners) == 16
    assert all(m["evidence_level"] for m in ctpat["mutual_recognition"])
    assert len(ctpat["entity_types"]) == 13
    assert {"sea-carrier", "air-carrier"} <= {e["id"] for e in ctpat["entity_types"]}
    importer = next(e for e in ctpat["entity_types"] if e["id"] == "importer")
    assert sum(importer["evidence_levels"].values()) == importer["criteria"]
    pip = next(p for p in doc["programs"] if p["id"] == "pip")
    assert len(pip["mutual_recognition"]) == 11


def test_programs_one_and_unknown():
    proc = run_cli("programs", "ctpat")
    assert proc.returncode == 0
    assert "importer" in proc.stdout and "How to apply" in proc.stdout
    bad = run_cli("programs", "aeo-eu")
    assert bad.returncode == 2 and "unknown program 'aeo-eu'" in bad.stderr


def test_bundled_example_reports(tmp_path):
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert examples, "examples/ should hold at least one answers file"
    for ex in examples:
        proc = run_cli("report", ex, "--json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["format"] == "aeo-check/result@1"


def test_assess_without_terminal_is_a_clear_error(tmp_path):
    proc = run_cli("assess", tmp_path / "a.yaml", "--program", "ctpat", input="")
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr
    no_traceback(proc)


def test_assess_from_needs_a_program(tmp_path):
    ex = ROOT / "examples" / "northwind-ctpat-importer.yaml"
    proc = run_cli("assess", tmp_path / "x.yaml", "--from", ex)
    assert proc.returncode == 2 and "--from needs --program" in proc.stderr
    same = run_cli("assess", tmp_path / "x.yaml", "--program", "ctpat", "--from", ex)
    assert same.returncode == 2 and "already a ctpat assessment" in same.stderr
    no_traceback(same)
    bad = run_cli(
        "assess", tmp_path / "x.yaml", "--program", "pip", "--entity", "airline", "--from", ex
    )
    assert bad.returncode == 2 and "'airline' is not a business type of PIP" in bad.stderr
    no_traceback(bad)


def test_output_folder_that_cannot_be_made_is_one_line(tmp_path):
    blocker = write(tmp_path / "blocker", "a file, not a folder")
    ex = ROOT / "examples" / "northwind-ctpat-importer.yaml"
    proc = run_cli("report", ex, "-o", blocker / "sub" / "r.pdf")
    assert proc.returncode == 2 and "cannot create the folder" in proc.stderr
    no_traceback(proc)
    proc = run_cli("batch", ex, "-o", blocker / "out", "--quiet")
    assert proc.returncode == 2 and "cannot create the folder" in proc.stderr
    no_traceback(proc)


def test_readme_names_the_backup_file_assess_keeps(tmp_path):
    """The README's `.bak` sentence names the file a save really leaves next to the answers."""
    from aeo_check.answers import load_answers, save_answers

    example = ROOT / "examples" / "northwind-ctpat-importer.yaml"
    client = write(tmp_path / "client.yaml", example.read_text(encoding="utf-8"))
    a, q = load_answers(client)
    save_answers(client, q, replace_assessor(a, "A. N. Other"))  # what assess does per answer
    assert (tmp_path / "client.yaml.bak").read_text(encoding="utf-8") == example.read_text(
        encoding="utf-8"
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`<file>.bak`" in readme and "`client.yaml.bak`" in readme


def replace_assessor(a, name: str):
    from dataclasses import replace

    return replace(a, assessor=name)


@pytest.mark.parametrize("command", ["", "report", "batch", "validate", "template", "assess"])
def test_help_shows_no_bool_after_flags(command):
    proc = run_cli(*([command] if command else []), "--help", env={"COLUMNS": "100"})
    assert proc.returncode == 0, proc.stderr
    assert "<bool>" not in proc.stdout
    flag_lines = [ln for ln in proc.stdout.splitlines() if "--help" in ln or "--json " in ln]
    assert flag_lines and all("<" not in ln for ln in flag_lines)
    if command in ("report", "batch", "template"):
        assert "<path>" in proc.stdout  # an option that takes a value still says which


def test_programs_explains_its_columns():
    proc = run_cli("programs", "pip", env={"COLUMNS": "80"})
    assert proc.returncode == 0, proc.stderr
    legend = " ".join(proc.stdout.split())
    assert (
        "gates eligibility requirements, asked before the criteria: a company that answers no"
        in (legend)
    )
    assert "o/c/s/i how those criteria" in legend and "criteria the security criteria" in legend
    assert "…" not in proc.stdout
