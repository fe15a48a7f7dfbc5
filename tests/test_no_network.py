"""Nothing leaked: aeo-check never opens a network connection, and user text never becomes a
link, an image or markup in a report.

1. In-process: sockets are made to fail, then a whole assessment pipeline runs (questionnaire,
   template text, answers file, score, JSON/Markdown/CSV and, when available, PDF reports).
2. The installed console script, with sockets blocked at interpreter start-up
   (``sitecustomize``), runs ``programs``, ``template``, ``validate`` and ``report``.
3. A note holding ``<img src=...>`` and ``<a href=...>`` shows literally in the Markdown and
   adds no link and no image to the PDF.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run_cli

from aeo_check.answers import dump_answers, load_answers, new_assessment, save_answers
from aeo_check.loading import load_questionnaire
from aeo_check.model import Answer, AnswerValue, Company
from aeo_check.pipeline import plan_outputs, run_report
from aeo_check.scoring import score

ROOT = Path(__file__).resolve().parents[1]
CTPAT = ROOT / "questionnaires" / "ctpat.yaml"
IMG = '<img src="/etc/passwd"/>'
LINK = '<a href="https://evil.example">click</a>'
EVIL_NOTE = f"Seal log kept {IMG} see {LINK} & [more](https://evil.example/md) <b>bold</b>"


def _pdf_available() -> bool:
    try:
        from aeo_check.reports import pdf  # noqa: F401
    except Exception:  # pragma: no cover - no reportlab or no PDF module
        return False
    return True


FORMATS = ["json", "md", "csv", *(["pdf"] if _pdf_available() else [])]


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Every way to open a connection or resolve a name raises (and is recorded)."""
    attempts: list[str] = []

    def refuse(name: str):
        def _refused(*args, **kwargs):
            attempts.append(name)
            raise NetworkUsed(f"network access attempted: {name}{args!r}")

        return _refused

    cls = socket.socket  # the Python class, before it is replaced below
    # objects made from the class before the patch: their connect is refused too
    monkeypatch.setattr(cls, "connect", refuse("socket.connect"))
    monkeypatch.setattr(cls, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "socket", refuse("socket.socket"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("socket.gethostbyname"))
    return attempts


def test_whole_pipeline_runs_without_network(no_network, tmp_path):
    q = load_questionnaire(CTPAT)  # not the catalogue's cache: a real load
    template = dump_answers(q, new_assessment(q, "importer"))
    path = tmp_path / "northwind.yaml"
    path.write_text(template, encoding="utf-8")
    blank, _ = load_answers(path, q)
    assert score(q, blank).provisional

    crits = q.applicable_criteria("importer")
    values = [AnswerValue.YES, AnswerValue.PARTIAL, AnswerValue.NO]
    answers = {
        c.id: Answer(value=values[i % 3], note=EVIL_NOTE if i % 3 else None)
        for i, c in enumerate(crits)
    }
    filled = replace(
        blank,
        company=Company(name="Northwind Imports Inc.", country="US"),
        answers=answers,
    )
    save_answers(path, q, filled)
    outputs = plan_outputs(path, json_stdout=False, out=tmp_path / "out", formats=FORMATS)
    run = run_report(path, outputs, questionnaire=q)
    assert set(run.written) == set(FORMATS)
    for written in run.written.values():
        assert written.stat().st_size > 0
    assert run.result.overall is not None
    assert no_network == []


SITECUSTOMIZE = """
import socket, sys

def _refuse(*args, **kwargs):
    sys.stderr.write("NETWORK ACCESS ATTEMPTED\\n")
    raise OSError("network access is blocked in this test")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
socket.gethostbyname = _refuse
"""


def test_console_script_runs_without_network(tmp_path):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {"PYTHONPATH": str(hook)}
    # the hook is live: a connection attempt in that interpreter is refused and reported
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('example.org', 443))"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert probe.returncode != 0 and "NETWORK ACCESS ATTEMPTED" in probe.stderr
    answers = tmp_path / "client.yaml"
    out = tmp_path / "out"
    steps = [
        ["programs", "--json"],
        ["template", "ctpat", "--entity", "importer", "--company", "Client Co", "-o", answers],
        ["validate", answers],
        ["report", answers, "-o", out, "--format", ",".join(FORMATS), "--json"],
    ]
    for args in steps:
        proc = run_cli(*args, cwd=tmp_path, env=env)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "NETWORK ACCESS ATTEMPTED" not in proc.stderr
    assert {p.suffix for p in out.iterdir()} == {f".{f}" for f in FORMATS}


# --------------------------------------------------------------------------------------------
# User text stays text
# --------------------------------------------------------------------------------------------


def _result(note: str | None):
    from conftest import MINI

    q = load_questionnaire(MINI)
    a = replace(
        new_assessment(q, "carrier", company=Company(name="ACME <b>Corp</b>")),
        answers={
            "1.10": Answer(value=AnswerValue.NO, note=note),
            "2.2": Answer(value=AnswerValue.PARTIAL, note=note, evidence=(LINK,)),
        },
    )
    return score(q, a)


def test_markdown_shows_html_and_links_in_a_note_literally():
    from aeo_check.reports import markdown

    md = markdown.render(_result(EVIL_NOTE))
    # no raw tag and no Markdown link made from user text
    for raw in ("<img", "<a ", "<b>", "](https://evil.example"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), md), raw
    assert '\\<img src="/etc/passwd"/\\>' in md
    assert '\\<a href="https://evil.example"\\>click\\</a\\>' in md
    assert "\\[more\\]\\(https://evil.example/md\\)" in md
    assert "ACME \\<b\\>Corp\\</b\\>" in md


def _pdf_facts(data: bytes) -> tuple[list[str], int, str]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    uris: list[str] = []
    images = 0
    text = []
    for page in reader.pages:
        text.append(page.extract_text())
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for xref in xobjects.values():
            if xref.get_object().get("/Subtype") == "/Image":
                images += 1
    return uris, images, " ".join(" ".join(text).split())


@pytest.mark.skipif(not _pdf_available(), reason="no PDF module")
def test_pdf_gets_no_link_and_no_image_from_a_note():
    from aeo_check.reports import pdf

    baseline_uris, baseline_images, _ = _pdf_facts(
        pdf.render(_result("a plain note"), generated_on="2026-01-01")
    )
    uris, images, text = _pdf_facts(pdf.render(_result(EVIL_NOTE), generated_on="2026-01-01"))
    assert not any("evil" in u for u in uris)
    assert sorted(uris) == sorted(baseline_uris)  # the program's own links only
    assert images == baseline_images == 0
    assert IMG in text
    assert 'see <a href="https://evil.example">click</a>' in text
    assert "ACME <b>Corp</b>" in text
