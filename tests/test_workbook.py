"""Spreadsheets both ways (issue 15): the client's workbook, read back as answers, saved back
by assess, and results and portfolios as workbooks. Run through the installed console script
where a user would; workbooks are filled and read back with openpyxl, as Excel would."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import MINI, ROOT, run_cli
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from aeo_check.answers import load_answers

EXAMPLES = {
    "ctpat": ROOT / "examples" / "northwind-ctpat-importer.yaml",
    "pip": ROOT / "examples" / "maple-leaf-pip-highway-carrier.yaml",
    "oea": ROOT / "examples" / "bajio-oea-importer-exporter.yaml",
}
DETAIL_LABELS = {
    "company.name": "Company name",
    "company.country": "Country",
    "company.address": "Address",
    "company.contact": "Contact person",
    "company.email": "E-mail",
    "company.phone": "Phone",
    "installation.name": "Installation (site) name",
    "installation.address": "Installation address",
    "assessor": "Assessor",
    "assessed_on": "Assessment date (YYYY-MM-DD)",
}


def _header(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def _rows_by_id(ws) -> dict[str, int]:
    col = _header(ws)["Id"]
    return {ws.cell(r, col).value: r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value}


def fill_from_yaml(workbook: Path, yaml_path: Path, out: Path) -> Path:
    """Type a YAML file's answers into a template workbook, cell by cell, as a client would."""
    import yaml

    data = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(workbook)
    first = wb.worksheets[0]
    labels = {first.cell(r, 1).value: r for r in range(1, first.max_row + 1)}
    for key, label in DETAIL_LABELS.items():
        group, _, sub = key.partition(".")
        value = (data.get(group) or {}).get(sub) if sub else data.get(group)
        if value is not None and label in labels:
            first.cell(labels[label], 2).value = str(value)
    if data.get("eligibility"):
        ws = wb["Eligibility"]
        head, rows = _header(ws), _rows_by_id(ws)
        for gid, value in data["eligibility"].items():
            if value is not None:
                ws.cell(rows[gid], head["Answer"]).value = "yes" if value is True else value
    ws = wb["Answers"]
    head, rows = _header(ws), _rows_by_id(ws)
    for cid, value in (data.get("answers") or {}).items():
        if value is None:
            continue
        r = rows[str(cid)]
        if not isinstance(value, dict):
            value = {"answer": value}
        answer = value.get("answer")
        answer = {True: "yes", False: "no"}.get(answer, answer)
        ws.cell(r, head["Answer"]).value = answer
        ws.cell(r, head["Note"]).value = value.get("note")
        if value.get("evidence"):
            ws.cell(r, head["Evidence"]).value = "; ".join(value["evidence"])
        act = value.get("action") or {}
        ws.cell(r, head["Owner"]).value = act.get("owner")
        due = act.get("due")
        if isinstance(due, dt.date):
            ws.cell(r, head["Due date"]).value = dt.datetime(due.year, due.month, due.day)
        else:  # a real Excel date for one, text for the others: both read the same
            ws.cell(r, head["Due date"]).value = due
        ws.cell(r, head["Status"]).value = act.get("status")
    wb.save(out)
    return out


def template(tmp_path: Path, yaml_path: Path, name: str = "client.xlsx") -> Path:
    import yaml

    data = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    out = tmp_path / name
    proc = run_cli(
        "template", data["program"], "--entity", data["entity_type"], "-o", out, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    return out


def report_json(path: Path, *extra: str | Path) -> dict:
    proc = run_cli("report", "--json", *extra, path)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> dict[str, Path]:
    """Per program: the example YAML typed into a template workbook."""
    work = tmp_path_factory.mktemp("filled")
    out = {}
    for program, yaml_path in EXAMPLES.items():
        blank = template(work, yaml_path, f"{program}-blank.xlsx")
        out[program] = fill_from_yaml(blank, yaml_path, work / f"{program}.xlsx")
    return out


# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------


def test_template_is_a_workbook_a_client_can_fill(tmp_path):
    out = tmp_path / "client.xlsx"
    proc = run_cli("template", "ctpat", "--entity", "importer", "--company", "ACME", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Instructions", "Eligibility", "Answers"]
    first = wb["Instructions"]
    labels = {first.cell(r, 1).value: first.cell(r, 2) for r in range(1, first.max_row + 1)}
    assert labels["Company name"].value == "ACME"
    assert labels["Program"].value == "ctpat" and labels["Business type"].value == "importer"
    assert labels["Program"].protection.locked and not labels["Company name"].protection.locked
    text = " ".join(str(c.value) for row in first.iter_rows() for c in row if c.value)
    assert "na" in text and "yes" in text and "formula" in text
    from aeo_check import catalog

    q = catalog.get("ctpat")
    crits = q.applicable_criteria("importer")
    rules = [c for c in crits if c.na_when]
    for c in rules:  # the program's N/A rules are on the first sheet
        assert c.na_when in text

    ws = wb["Answers"]
    head = _header(ws)
    assert list(head)[:5] == ["Id", "Category", "Level", "Question", "Answer"]
    assert {
        "Note",
        "Evidence",
        "Owner",
        "Due date",
        "Status",
        "Guidance",
        "Typical evidence",
    } <= set(head)
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == [c.id for c in crits]
    assert ws.protection.sheet  # questions locked, answer cells open
    assert ws.cell(2, head["Question"]).protection.locked
    assert not ws.cell(2, head["Answer"]).protection.locked
    assert not ws.cell(2, head["Status"]).protection.locked
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert lists['"yes,partial,no,na"'] == f"E2:E{len(crits) + 1}"
    assert '"planned,in-progress,done,blocked"' in lists
    gates = wb["Eligibility"]
    assert [gates.cell(r, 1).value for r in range(2, gates.max_row + 1)] == [
        g.id for g in q.applicable_gates("importer")
    ]
    # the blank template is a valid answers file, every question unanswered
    proc = run_cli("validate", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(crits)} unanswered" in proc.stderr


def test_template_format_option_and_refusals(tmp_path):
    out = tmp_path / "c.xlsx"
    assert run_cli("template", "pip", "-e", "highway-carrier", "-o", out).returncode == 0
    again = run_cli("template", "pip", "-e", "highway-carrier", "-o", out)
    assert again.returncode == 2 and "already exists" in again.stderr
    proc = run_cli("template", "pip", "-e", "highway-carrier", "--format", "xlsx")
    assert proc.returncode == 2 and "needs -o FILE.xlsx" in proc.stderr
    proc = run_cli(
        "template", "pip", "-e", "highway-carrier", "-f", "xlsx", "-o", tmp_path / "a.yaml"
    )
    assert proc.returncode == 2 and "does not end in .xlsx" in proc.stderr


# --------------------------------------------------------------------------------------------
# Reading: the same result as YAML
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("program", sorted(EXAMPLES))
def test_round_trip_gives_the_yaml_result(program, filled):
    from_yaml = report_json(EXAMPLES[program])
    from_workbook = report_json(filled[program])
    assert from_workbook == from_yaml
    assert from_yaml["counts"]["answers"]["unanswered"] < 10  # the examples are filled in


def test_resorted_rows_extra_column_and_sheet_read_the_same(filled, tmp_path):
    wb = openpyxl.load_workbook(filled["ctpat"])
    ws = wb["Answers"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    rows.sort(key=lambda r: (str(r[4]), str(r[0])), reverse=True)  # sorted by answer, desc.
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
    ws.insert_cols(3)
    ws.cell(1, 3).value = "Client's remark"
    ws.cell(2, 3).value = "checked by Bob"
    wb.create_sheet("Notes").append(["anything", "at all"])
    wb.move_sheet("Notes", offset=-3)  # even as the first sheet
    out = tmp_path / "resorted.xlsx"
    wb.save(out)
    assert openpyxl.load_workbook(out)["Answers"].cell(2, 1).value != "1.1"  # really re-sorted
    assert report_json(out) == report_json(filled["ctpat"])


def test_headers_in_french_and_spanish_read_too(filled, tmp_path):
    wb = openpyxl.load_workbook(filled["pip"])
    head = wb["Answers"][1]
    for cell in head:
        cell.value = {"Answer": "Réponse", "Note": "Nota", "Id": "ID"}.get(cell.value, cell.value)
    out = tmp_path / "fr.xlsx"
    wb.save(out)
    if report_json(out) != report_json(filled["pip"]):
        pytest.fail("headers in another language changed the result")


def test_compare_diff_batch_and_validate_read_workbooks(filled, tmp_path):
    proc = run_cli("compare", "--json", filled["ctpat"])
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == json.loads(
        run_cli("compare", "--json", EXAMPLES["ctpat"]).stdout
    )
    proc = run_cli("diff", "--json", EXAMPLES["ctpat"], filled["ctpat"])
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["changed"] == [] and d["overall"]["change"] in (0, 0.0)
    proc = run_cli("validate", "--strict", filled["ctpat"])
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the example has findings
    assert all(
        line.startswith(f"{filled['ctpat']}: Answers!A") for line in proc.stdout.splitlines()
    )


def test_problems_name_the_cell(tmp_path):
    out = template(tmp_path, EXAMPLES["ctpat"])
    wb = openpyxl.load_workbook(out)
    ws = wb["Answers"]
    ws["E14"] = "maybe"
    ws["E15"] = '=IF(1,"yes","no")'
    ws["E16"] = "na"  # no note
    ws["I17"] = "2026-13-01"
    ws["E18"] = "Yes"  # any letter case reads
    ws.cell(ws.max_row + 1, 1).value = "99.9"
    ws.cell(ws.max_row, 5).value = "yes"
    wb["Instructions"]["B7"] = None  # the business type
    assert wb["Instructions"]["A7"].value == "Business type"
    wb.save(out)
    proc = run_cli("validate", out)
    assert proc.returncode == 2
    lines = proc.stdout.splitlines()
    name = str(out)
    expected = [
        f"{name}: Instructions!B7: must not be empty",
        f"{name}: Answers!E14: 'maybe' is not one of: yes, partial, no, na",
        f"{name}: Answers!E15: the cell holds a formula; formulas are never evaluated",
        f"{name}: Answers!I17: '2026-13-01' is not a real date (there is no month 13)",
    ]
    for want in expected:
        assert any(line.startswith(want) for line in lines), (want, lines)
    report = run_cli("report", "--json", out)
    assert report.returncode == 2 and report.stdout == ""
    err = report.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {name}: "), err
    assert "Traceback" not in report.stderr

    # with the business type back, the id and N/A checks run too
    wb = openpyxl.load_workbook(out)
    wb["Instructions"]["B7"] = "importer"
    wb.save(out)
    lines = run_cli("validate", out).stdout.splitlines()
    last = f"A{openpyxl.load_workbook(out)['Answers'].max_row}"
    assert any(
        line.startswith(f"{name}: Answers!{last}: unknown criterion '99.9' in ctpat")
        for line in lines
    ), lines
    assert any(line.startswith(f"{name}: Answers!A16: na needs a note") for line in lines), lines


# --------------------------------------------------------------------------------------------
# assess on a workbook: saved back, or converted
# --------------------------------------------------------------------------------------------


def interview(path: Path, keys: str, **kwargs):
    from aeo_check.interview import run_interview

    said: list[str] = []
    with create_pipe_input() as inp:
        inp.send_text(keys)
        inp.close()
        result = run_interview(
            path,
            input=inp,
            output=DummyOutput(),
            say=said.append,
            today=dt.date(2026, 12, 2),
            cwd=path.parent,
            **kwargs,
        )
    return result, " ".join(" ".join(said).split())


def _mini_workbook(tmp_path: Path) -> Path:
    out = tmp_path / "client.xlsx"
    proc = run_cli("template", MINI, "--entity", "carrier", "--company", "ACME", "-o", out)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb["Answers"]
    from openpyxl.styles import PatternFill

    ws["E2"] = "yes"  # 1.1
    ws["E2"].fill = PatternFill("solid", fgColor="FF0000")  # the client's own colour
    ws.insert_cols(13)
    ws.cell(1, 13).value = "Client remark"
    ws.cell(3, 13).value = "ask Bob"
    ws.column_dimensions["F"].width = 77
    wb.save(out)
    return out


def test_assess_resumes_a_workbook_and_saves_back_into_it(tmp_path):
    path = _mini_workbook(tmp_path)
    before = path.read_bytes()
    result, said = interview(path, "y" + "n" + "not yet\r" + "q", program=str(MINI))
    assert result is None  # stopped with q: saved
    assert said.count("saved back into the workbook") == 1
    assert "--save-as FILE.yaml" in said
    wb = openpyxl.load_workbook(path)
    ws = wb["Answers"]
    assert ws["E2"].value == "yes" and ws["E2"].fill.fgColor.rgb.endswith("FF0000")
    assert ws["E3"].value == "no" and ws["F3"].value == "not yet"
    assert ws.cell(3, 13).value == "ask Bob" and ws.cell(1, 13).value == "Client remark"
    assert ws.column_dimensions["F"].width == 77
    assert wb["Eligibility"]["C2"].value == "yes"  # the gate
    assert (path.parent / "client.xlsx.bak").exists()
    assert path.read_bytes() != before
    assert not list(tmp_path.glob(".*.tmp"))  # atomic: no temporary file left
    from aeo_check.loading import load_questionnaire

    a, _q = load_answers(path, load_questionnaire(MINI))
    assert a.answers["1.10"].value.value == "no" and a.answers["1.10"].note == "not yet"


def test_assess_save_as_converts_to_yaml_and_leaves_the_workbook(tmp_path):
    path = _mini_workbook(tmp_path)
    before = path.read_bytes()
    target = tmp_path / "acme.yaml"
    result, said = interview(path, "y" + "y" + "q", program=str(MINI), save_as=target)
    assert result is None
    assert "acme.yaml" in said and "left as it was" in said
    assert path.read_bytes() == before
    from aeo_check.loading import load_questionnaire

    q = load_questionnaire(MINI)
    a, _ = load_answers(target, q)
    assert a.answers["1.1"].value.value == "yes" and a.answers["1.10"].value.value == "yes"
    assert a.company.name == "ACME"


def test_assess_save_as_is_checked_before_anything_is_asked(tmp_path):
    proc = run_cli("assess", tmp_path / "none.xlsx", "--save-as", tmp_path / "x.yaml")
    assert proc.returncode == 2 and "--save-as converts an existing answers file" in proc.stderr
    path = _mini_workbook(tmp_path)
    proc = run_cli("assess", path, "--save-as", tmp_path / "x.txt")
    assert proc.returncode == 2 and "name it FILE.yaml" in proc.stderr


def test_user_text_is_never_written_as_a_formula(tmp_path):
    path = _mini_workbook(tmp_path)
    interview(path, "y" + "n" + '=HYPERLINK("http://x")\r' + "q", program=str(MINI))
    wb = openpyxl.load_workbook(path)
    cell = wb["Answers"]["F3"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    from aeo_check.loading import load_questionnaire

    a, _ = load_answers(path, load_questionnaire(MINI))  # reads back: text, not a formula
    assert a.answers["1.10"].note == '=HYPERLINK("http://x")'


# --------------------------------------------------------------------------------------------
# Results as workbooks
# --------------------------------------------------------------------------------------------


def test_report_format_xlsx(tmp_path):
    out = tmp_path / "result.xlsx"
    proc = run_cli("report", EXAMPLES["ctpat"], "-o", out)
    assert proc.returncode == 0, proc.stderr
    expected = report_json(EXAMPLES["ctpat"])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "Gaps", "Action plan"]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Score"] == expected["score"]["overall"]
    assert summary["Verdict"] == "Not ready" and expected["verdict"] == "not-ready"
    assert summary["Company"] == expected["company"]["name"]
    cats = [r[:2] for r in wb["Summary"].iter_rows(values_only=True) if r[0] and r[0][0].isdigit()]
    assert cats == [
        (f"{c['id']}. {c['title']}", c["score"]) for c in expected["score"]["categories"]
    ]
    gaps = list(wb["Gaps"].iter_rows(values_only=True))
    assert gaps[0][:2] == ("Id", "Priority")
    assert [g[0] for g in gaps[1:]] == [g["id"] for g in expected["gaps"]]
    order = ["blocker", "critical", "high", "medium", "low"]
    ranks = [order.index(g[1]) for g in gaps[1:]]
    assert ranks == sorted(ranks)  # priority order
    assert wb["Gaps"].auto_filter.ref and wb["Gaps"].freeze_panes == "A2"
    plan = list(wb["Action plan"].iter_rows(values_only=True))
    head = plan[0]
    assert {"Owner", "Due date", "Status"} <= set(head)
    owners = {r[head.index("Id")]: r[head.index("Owner")] for r in plan[1:]}
    with_owner = [g for g in expected["gaps"] if (g.get("action") or {}).get("owner")]
    assert with_owner, "the example should have actions with an owner"
    for g in with_owner:
        assert owners[g["id"]] == g["action"]["owner"]


def test_report_never_overwrites_the_answers_workbook(filled, tmp_path):
    copy = tmp_path / "c.xlsx"
    shutil.copy(filled["oea"], copy)
    before = copy.read_bytes()
    proc = run_cli("report", copy, "-o", copy)
    assert proc.returncode == 2 and "the answers file itself" in proc.stderr
    assert copy.read_bytes() == before


def test_batch_folder_mixing_yaml_and_workbooks(filled, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(EXAMPLES["pip"], inputs / "maple.yaml")
    shutil.copy(filled["ctpat"], inputs / "northwind.xlsx")
    shutil.copy(filled["oea"], inputs / "bajio.xlsx")
    (inputs / "~$northwind.xlsx").write_bytes(b"lock file of an open workbook")
    # a result workbook written next to the answers is not an input
    assert run_cli("report", EXAMPLES["pip"], "-o", inputs / "maple-result.xlsx").returncode == 0
    out = tmp_path / "out"
    proc = run_cli("batch", inputs, "-o", out, "--format", "xlsx,json", "--quiet", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out / "portfolio.xlsx")
    rows = list(wb.active.iter_rows(values_only=True))
    head = rows[0]
    assert len(rows) == 4
    programs = sorted(r[head.index("Program")] for r in rows[1:])
    assert programs == ["ctpat", "oea", "pip"]
    by_program = {r[head.index("Program")]: r for r in rows[1:]}
    score = report_json(EXAMPLES["ctpat"])["score"]["overall"]
    assert by_program["ctpat"][head.index("Score")] == score
    reports = sorted(p.name for p in out.glob("*.xlsx") if p.name != "portfolio.xlsx")
    assert len(reports) == 3
    for name in reports:
        assert openpyxl.load_workbook(out / name).sheetnames == ["Summary", "Gaps", "Action plan"]


# --------------------------------------------------------------------------------------------
# Costs and safety
# --------------------------------------------------------------------------------------------


def test_yaml_runs_never_import_openpyxl(tmp_path):
    code = (
        "import sys\n"
        "from aeo_check.cli import app\n"
        f"try:\n    app(['report', '--json', {str(EXAMPLES['pip'])!r}], prog_name='aeo-check')\n"
        "except SystemExit:\n    pass\n"
        "print('LOADED=' + ','.join(m for m in ('openpyxl', 'defusedxml') if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert '"format": "aeo-check/result@1"' in proc.stdout, proc.stderr
    assert proc.stdout.rstrip().endswith("LOADED="), proc.stdout[-200:]


def test_openpyxl_parses_through_defusedxml(tmp_path):
    """Even past our own checks, openpyxl refuses XML entities (billion laughs)."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    from test_bad_inputs import _gen_billion_laughs

    path = _gen_billion_laughs(tmp_path / "laughs.xlsx")
    with pytest.raises(Exception) as info:
        openpyxl.load_workbook(path)
    causes = []
    exc: BaseException | None = info.value
    while exc is not None:
        causes.append(type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    assert "EntitiesForbidden" in causes, causes


def test_libreoffice_opens_and_resaves_workbooks(filled, tmp_path):
    """LibreOffice opens the template and the report, and a workbook the client saved from
    LibreOffice reads back with the same result."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: headless conversion not tested")

    def convert(path: Path, to: str) -> Path:
        out = tmp_path / f"lo-{to}"
        proc = subprocess.run(
            [soffice, "--headless", "--convert-to", to, "--outdir", str(out), str(path)],
            capture_output=True, text=True, timeout=180,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        result = out / f"{path.stem}.{to}"
        assert proc.returncode == 0 and result.exists(), proc.stdout + proc.stderr
        return result

    book = template(tmp_path, EXAMPLES["ctpat"])
    text = convert(book, "csv").read_text(encoding="utf-8", errors="replace")
    assert "Company name" in text and "ctpat" in text  # the first sheet, as LibreOffice read it
    report = tmp_path / "result.xlsx"
    assert run_cli("report", EXAMPLES["ctpat"], "-o", report).returncode == 0
    score = report_json(EXAMPLES["ctpat"])["score"]["overall"]
    assert f"Score,{score}" in convert(report, "csv").read_text(encoding="utf-8")
    copy = tmp_path / "resaved.xlsx"
    shutil.copy(filled["pip"], copy)
    resaved = convert(copy, "xlsx")
    assert resaved.read_bytes() != filled["pip"].read_bytes()
    assert report_json(resaved) == report_json(EXAMPLES["pip"])


def test_headers_and_labels_are_unambiguous_in_every_language():
    """A header or label read in any language names one field only."""
    from aeo_check.i18n import LANGUAGES, gettext
    from aeo_check.workbook import ANSWER_COLUMNS, CARRIED, DETAILS, GATE_COLUMNS, _fold

    tables = {
        "answers": [(k, label) for k, label, _w in (*ANSWER_COLUMNS, CARRIED)],
        "gates": [(k, label) for k, label, _w in GATE_COLUMNS],
        "details": list(DETAILS),
    }
    for name, pairs in tables.items():
        seen: dict[str, str] = {}
        for key, label in pairs:
            for text in {key, *(gettext(label, lang) for lang in LANGUAGES)}:
                other = seen.setdefault(_fold(text), key)
                assert other == key, (name, text, key, other)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_french_or_spanish_workbook_reads_back(lang, tmp_path):
    from aeo_check import catalog
    from aeo_check.i18n_content import localize

    out = tmp_path / "c.xlsx"
    proc = run_cli("--lang", lang, "template", "oea", "-e", "importer-exporter", "-o", out)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[2] == {"fr": "Réponses", "es": "Respuestas"}[lang]
    ws = wb.worksheets[2]
    assert ws["C2"].value in ("Doit", "Devrait", "Debe", "Debería")
    q = catalog.get("oea")
    crit = q.for_entity("importer-exporter").criterion(ws["A2"].value)
    local = localize(q, lang).for_entity("importer-exporter").criterion(crit.id)
    assert ws["D2"].value == local.ask != crit.ask  # the question in the client's language
    ws["E2"] = "partial"
    ws["E3"] = "peut-être"
    wb.save(out)
    proc = run_cli("validate", out)
    assert proc.returncode == 2
    assert proc.stdout.startswith(f"{out}: {wb.sheetnames[2]}!E3: 'peut-être'")
    ws["E3"] = "no"
    wb.save(out)
    result = report_json(out)
    assert result["counts"]["answers"]["partial"] == 1 and result["counts"]["answers"]["no"] == 1


def test_report_workbook_in_the_language_in_use(tmp_path):
    out = tmp_path / "r.xlsx"
    proc = run_cli("report", EXAMPLES["oea"], "--lang", "es", "-o", out)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Resumen", "Brechas", "Plan de acción"]
    summary = {r[0]: r[1] for r in wb["Resumen"].iter_rows(values_only=True) if r[0]}
    assert summary["Puntuación"] == report_json(EXAMPLES["oea"])["score"]["overall"]
    assert summary["Tipo de empresa"].startswith("Importador y/o Exportador")


@pytest.mark.parametrize("program", sorted(EXAMPLES))
def test_an_assessment_saved_as_a_workbook_loads_back_equal(program, tmp_path):
    """Every field (details, installation, gates, answers, notes, evidence, actions) survives
    YAML -> workbook -> assessment; a second save writes the same values."""
    from dataclasses import replace

    from aeo_check.answers import save_answers

    a, q = load_answers(EXAMPLES[program])
    path = tmp_path / "c.xlsx"
    save_answers(path, q, a)
    b, _ = load_answers(path)
    assert replace(b, path=None) == replace(a, path=None)
    save_answers(path, q, b)  # into the existing workbook this time
    c, _ = load_answers(path)
    assert replace(c, path=None) == replace(a, path=None)
    assert (tmp_path / "c.xlsx.bak").exists()
