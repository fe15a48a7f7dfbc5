"""Crosswalk comparison (hand-checked on a small fixture), diff, baseline, and the CSV plan."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, write

from aeo_check.compare import compare, comparison_to_dict, prefilled_assessment
from aeo_check.crosswalk import load_crosswalk
from aeo_check.errors import InputFileError
from aeo_check.loading import questionnaire_from_text
from aeo_check.model import Answer, AnswerValue, Assessment
from aeo_check.scoring import score

Y, P, N = AnswerValue.YES, AnswerValue.PARTIAL, AnswerValue.NO


def q_text(pid: str, entity: str, criteria: list[tuple[str, str]]) -> str:
    crits = "".join(
        f"""      - id: "{cid}"
        title: T {cid}
        level: {level}
        ask: Is {cid} done?
        guidance: Yes.
        remediation: Do {cid}.
        source: {{doc: d, ref: "{cid}"}}
        verified: true
"""
        for cid, level in criteria
    )
    return f"""format: aeo-check/questionnaire@1
id: {pid}
version: "1"
program:
  name: Program {pid.upper()}
  short_name: {pid.upper()}
  agency: Agency
  country: US
  url: https://example.org/{pid}
  criteria_document: {{id: d, title: D, date: "2020", verified: true}}
  contacts: [{{label: L, email: a@example.org, verified: true}}]
  apply: [{{step: Apply, verified: true}}]
  benefits: []
entity_types: [{{id: {entity}, name: {entity}}}]
scoring: {{must_weight: 3, should_weight: 1, ready_at: 85, nearly_ready_at: 70}}
categories:
  - id: "1"
    title: Everything
    criteria:
{crits}"""


@pytest.fixture
def programs():
    return {
        "ctpat": questionnaire_from_text(
            q_text(
                "ctpat",
                "importer",
                [("A1", "must"), ("A2", "must"), ("A3", "should"), ("A4", "should")],
            )
        ),
        "pip": questionnaire_from_text(
            q_text(
                "pip",
                "importer",
                [("P1", "must"), ("P2", "must"), ("P3", "should"), ("P4", "should")],
            )
        ),
        "oea": questionnaire_from_text(
            q_text("oea", "importer-exporter", [("O1", "must"), ("O2", "should")])
        ),
    }


CROSSWALK = """format: aeo-check/crosswalk@1
entity_types:
  - {ctpat: importer, pip: importer, oea: importer-exporter}
links:
  - {ctpat: "A1", pip: "P1", relation: equivalent, reason: same}
  - {ctpat: "A2", pip: "P2", relation: partial, reason: related}
  - {ctpat: "A3", pip: "P3", relation: equivalent, reason: same}
  - {ctpat: "A1", oea: "O1", relation: equivalent, reason: same}
  - {ctpat: "A2", oea: "O1", relation: equivalent, reason: same}
"""


def test_compare_matches_a_hand_check(tmp_path, programs):
    cw = load_crosswalk(write(tmp_path / "cw.yaml", CROSSWALK), programs)
    source = Assessment(
        program="ctpat",
        entity_type="importer",
        answers={"A1": Answer(Y), "A2": Answer(P), "A3": Answer(N), "A4": Answer(Y)},
    )
    c = compare(programs["ctpat"], source, list(programs.values()), cw)
    rows = {r.program: r for r in c.programs}
    pip, oea = rows["pip"], rows["oea"]
    # PIP: P1 <- A1 yes (equivalent), P3 <- A3 no (equivalent), P2 only partial, P4 no link
    assert pip.carried_over == ("P1", "P3")
    assert pip.to_confirm == ("P2",)
    assert pip.to_answer == ("P4",)
    assert pip.result.overall == 37.5  # 3*1 / (3+3+1+1)
    assert pip.result.verdict.value == "not-ready" and pip.result.provisional
    assert pip.result.assessment.answers["P1"].carried_from == "ctpat A1"
    # if P2 is confirmed with the related A2 answer (partial): (3 + 1.5 + 0 + 0) / 8
    assert pip.if_confirmed.overall == 56.3
    # OEA: O1 <- best of A1 yes / A2 partial = yes; O2 unlinked
    assert (oea.carried_over, oea.to_confirm, oea.to_answer) == (("O1",), (), ("O2",))
    assert oea.result.overall == 75.0
    assert oea.result.verdict.value == "nearly-ready"
    assert oea.if_confirmed.overall == 75.0
    doc = comparison_to_dict(c)
    assert doc["format"] == "aeo-check/compare@1"
    # source: (3 + 1.5 + 0 + 1) / 8 = 68.75, rounded half up
    assert doc["source"] == {
        "program": "ctpat",
        "entity_type": "importer",
        "score": 68.8,
        "verdict": "not-ready",
        "provisional": False,
    }
    assert [
        (p["program"], p["carried_over"], p["to_confirm"], p["to_answer"]) for p in doc["programs"]
    ] == [("pip", 2, 1, 1), ("oea", 1, 0, 1)]


def test_prefill_marks_carried_answers(tmp_path, programs):
    cw = load_crosswalk(write(tmp_path / "cw.yaml", CROSSWALK), programs)
    source = Assessment(
        program="ctpat", entity_type="importer", answers={"A1": Answer(Y), "A3": Answer(N)}
    )
    a, carried = prefilled_assessment(programs["ctpat"], source, programs["pip"], cw)
    assert a.entity_type == "importer" and carried == ["P1", "P3"]
    from aeo_check.answers import dump_answers, load_answers

    path = write(tmp_path / "pip.yaml", dump_answers(programs["pip"], a))
    loaded, _ = load_answers(path, programs["pip"])
    assert loaded.answers["P1"].carried_from == "ctpat A1"
    assert loaded.answers["P1"].value is Y


def test_crosswalk_validation(tmp_path, programs):
    bad = CROSSWALK + '  - {ctpat: "A9", pip: "P1", relation: equivalent, reason: x}\n'
    bad += '  - {ctpat: "A1", pip: "P1", oea: "O1", relation: partial, reason: x}\n'
    with pytest.raises(InputFileError) as info:
        load_crosswalk(write(tmp_path / "cw.yaml", bad), programs)
    msgs = [str(p) for p in info.value.problems]
    assert any("unknown criterion 'A9'" in m for m in msgs)
    assert any("exactly two programs" in m for m in msgs)


def test_bundled_crosswalk_ids_exist():
    """Every id and business type in questionnaires/crosswalk.yaml exists."""
    path = ROOT / "questionnaires" / "crosswalk.yaml"
    if not path.exists():
        pytest.skip("no bundled crosswalk yet")
    cw = load_crosswalk(path)
    assert cw.links
    assert cw.matching_entity("ctpat", "importer", "pip") is not None
    assert cw.matching_entity("ctpat", "importer", "oea") is not None


# ---- diff and baseline ---------------------------------------------------------------------


def _example_pair(tmp_path: Path) -> tuple[Path, Path]:
    new = ROOT / "examples" / "northwind-ctpat-importer.yaml"
    text = new.read_text(encoding="utf-8")
    old_text = text.replace('assessed_on: "2026-11-20"', 'assessed_on: "2026-05-04"')
    old_text = old_text.replace('  "1.1": yes', '  "1.1": no', 1)
    old_text = old_text.replace('  "2.3": yes', '  "2.3":', 1)
    old_text = old_text.replace('  "9.15":\n    answer: no', '  "9.15":\n    answer: yes', 1)
    assert old_text != text
    return write(tmp_path / "northwind-2026-05.yaml", old_text), new


def test_diff_json(tmp_path):
    old, new = _example_pair(tmp_path)
    proc = run_cli("diff", old, new, "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["format"] == "aeo-check/diff@1"
    assert set(doc["closed"]) == {"1.1", "2.3"}
    assert doc["opened"] == ["9.15"]
    assert {(c["id"], c["old"], c["new"]) for c in doc["changed"]} == {
        ("1.1", "no", "yes"),
        ("2.3", "unanswered", "yes"),
        ("9.15", "yes", "no"),
    }
    o = doc["overall"]
    assert o["change"] == round(o["new"] - o["old"], 1)
    cat2 = next(c for c in doc["categories"] if c["id"] == "2")
    assert cat2["new"] > cat2["old"]


def test_diff_names_closed_and_new_gaps(tmp_path):
    from aeo_check import catalog

    q = catalog.get("ctpat")
    title = {c: q.criterion(c).title for c in ("1.1", "2.3", "9.15")}
    old, new = _example_pair(tmp_path)
    doc = json.loads(run_cli("diff", old, new, "--json").stdout)
    assert doc["closed"] == [g["id"] for g in doc["closed_gaps"]]  # the id lists stay
    assert {(g["id"], g["title"]) for g in doc["closed_gaps"]} == {
        ("1.1", title["1.1"]),
        ("2.3", title["2.3"]),
    }
    assert [(g["id"], g["title"]) for g in doc["opened_gaps"]] == [("9.15", title["9.15"])]
    assert all(g["kind"] == "criterion" and g["priority"] for g in doc["closed_gaps"])
    text = run_cli("diff", old, new).stdout
    lines = text.splitlines()
    i = lines.index("gaps closed (2):")
    assert lines[i + 1 : i + 3] == [
        f"  {g['id']} {g['title']} ({g['priority']})" for g in doc["closed_gaps"]
    ]
    assert lines[i + 3] == "new gaps (1):"
    assert lines[i + 4].startswith(f"  9.15 {title['9.15']} (")


def test_diff_refuses_two_programs(tmp_path):
    tpl = run_cli("template", "pip", "--entity", "importer").stdout
    other = write(tmp_path / "pip.yaml", tpl)
    proc = run_cli("diff", ROOT / "examples" / "northwind-ctpat-importer.yaml", other)
    assert proc.returncode == 2 and "one program" in proc.stderr


def test_report_baseline_adds_progress_section(tmp_path):
    from pypdf import PdfReader

    old, new = _example_pair(tmp_path)
    out = tmp_path / "r.pdf"
    proc = run_cli("report", new, "--baseline", old, "-o", out, "--generated-on", "2026-11-27")
    assert proc.returncode == 0, proc.stderr
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Progress since 2026-05-04" in text
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Progress since 2026-05-04" in titles
    md = tmp_path / "r.md"
    run_cli("report", new, "--baseline", old, "-o", md)
    assert "## Progress since 2026-05-04" in md.read_text(encoding="utf-8")


def test_csv_action_plan_in_gap_order(tmp_path):
    ex = ROOT / "examples" / "northwind-ctpat-importer.yaml"
    out = tmp_path / "plan.csv"
    assert run_cli("report", ex, "-o", out).returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["criterion", "title", "category"]
    result = json.loads(run_cli("report", ex, "--json").stdout)
    # one row per gap, in the action plan's order: the steps first / next / then, each by
    # priority, then in the gap order
    assert sorted(r[0] for r in rows[1:]) == sorted(g["id"] for g in result["gaps"])
    steps = [r[rows[0].index("step")] for r in rows[1:]]
    order = ["First", "Next", "Then"]
    assert steps == sorted(steps, key=order.index)
    phase = {g["id"]: g["phase"] for g in result["gaps"]}
    assert all(order[phase[r[0]] - 1] == r[rows[0].index("step")] for r in rows[1:])
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_id["4.3"]["owner"] == "IT Security (R. Chen)"
    assert by_id["4.3"]["due"] == "2027-01-31" and by_id["4.3"]["priority"] == "critical"


def test_csv_neutralises_formulas(tmp_path):
    from conftest import MINI

    from aeo_check.loading import load_questionnaire
    from aeo_check.model import Action
    from aeo_check.reports.csv import render_text

    q = load_questionnaire(MINI)
    a = Assessment(
        program="mini",
        entity_type="importer",
        answers={"1.10": Answer(N, note='=HYPERLINK("http://x")', action=Action(owner="@evil"))},
    )
    text = render_text(score(q, a))
    assert "'=HYPERLINK" in text and "'@evil" in text


def test_report_compare_adds_partner_section(tmp_path):
    from pypdf import PdfReader

    ex = ROOT / "examples" / "northwind-ctpat-importer.yaml"
    out = tmp_path / "c.pdf"
    proc = run_cli("report", ex, "--compare", "-o", out)
    assert proc.returncode == 0, proc.stderr
    reader = PdfReader(out)
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Readiness for partner programs" in titles
    text = "\n".join(p.extract_text() for p in reader.pages[:6])
    assert "If confirmed" in text and "PIP" in text and "OEA" in text
    doc = json.loads(run_cli("compare", ex, "--json").stdout)
    assert {p["program"] for p in doc["programs"]} == {"pip", "oea"}
    for p in doc["programs"]:
        assert p["carried_over"] + p["to_confirm"] + p["to_answer"] > 0
        assert p["score_if_confirmed"] >= p["score"]


def test_nothing_is_carried_to_or_from_a_business_type_with_its_own_profile():
    """Mexico's customs broker answers profile E4, whose 3.3 is not the company profile's 3.3."""
    from aeo_check import catalog

    cw = load_crosswalk()
    ctpat, oea = catalog.get("ctpat"), catalog.get("oea")
    broker = Assessment(
        program="ctpat",
        entity_type="customs-broker",
        answers={
            c.id: Answer(AnswerValue.YES) for c in ctpat.applicable_criteria("customs-broker")
        },
    )
    row = next(r for r in compare(ctpat, broker, [oea], cw).programs if r.program == "oea")
    assert row.entity_type == "customs-broker"
    assert row.carried_over == () and row.to_confirm == ()
    assert len(row.to_answer) == len(oea.applicable_criteria("customs-broker"))
    assert "own security profile" in (row.note or "")
    # the company profile (E3) still carries: a CTPAT importer to the OEA importer-exporter
    importer = Assessment(
        program="ctpat",
        entity_type="importer",
        answers={c.id: Answer(AnswerValue.YES) for c in ctpat.applicable_criteria("importer")},
    )
    row = next(r for r in compare(ctpat, importer, [oea], cw).programs if r.program == "oea")
    assert row.carried_over or row.to_confirm


@pytest.mark.parametrize("width", [80, None], ids=["COLUMNS=80", "piped"])
@pytest.mark.parametrize(
    "example", ["northwind-ctpat-importer.yaml", "bajio-oea-importer-exporter.yaml"]
)
def test_compare_table_never_cuts_a_word(width, example):
    import os
    import subprocess

    from conftest import cli_command

    from aeo_check import catalog
    from aeo_check.model import VERDICT_LABELS

    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("COLUMNS", None)
    if width is not None:
        env["COLUMNS"] = str(width)
    path = ROOT / "examples" / example
    proc = subprocess.run(
        [*cli_command(), "compare", str(path)], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout and all(len(line.rstrip()) <= 80 for line in proc.stdout.splitlines())
    assert "…" not in proc.stdout
    doc = json.loads(run_cli("compare", path, "--json").stdout)
    known = {"Readiness", "from", "answers", f"({example})", "program", "business", "type"}
    known |= {"carried", "over", "to", "confirm", "answer", "score", "if", "confirmed"}
    known |= {"verdict", "(source)", "(provisional)", "–"}
    known |= {p.short_name for p in (q.program for q in catalog.all_programs())}
    known |= {w for label in VERDICT_LABELS.values() for w in label.split()}
    for q in catalog.all_programs():
        known |= {w for et in q.entity_types for w in et.name.split()}
    for row in [doc["source"], *doc["programs"]]:
        for key in ("carried_over", "to_confirm", "to_answer"):
            known.add(str(row.get(key)))
        for key in ("score", "score_if_confirmed"):
            value = row.get(key)
            known.add(f"{value:.1f}" if isinstance(value, float) else str(value))
    from aeo_check.api import assess

    known.add(str(assess(path).answer_counts["unanswered"]))  # the source's "to answer"
    source_row = [ln for ln in proc.stdout.splitlines() if "(source)" in ln]
    assert source_row, proc.stdout
    shown = [w for w in proc.stdout.split() if not set(w) <= set("┏┓┗┛┃━┡┩╇┳│─└┘┻")]
    assert set(shown) <= known, set(shown) - known  # a cut word would be a new word
    assert "(provisional)" in shown and "confirmed" in shown
