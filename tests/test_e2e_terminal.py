"""End to end, as a person would: a whole assessment typed into a real pseudo-terminal.

``aeo-check assess FILE --program tests/fixtures/mini.yaml --entity carrier -o DIR --format
json,md[,pdf]`` under pexpect, with real keystrokes: typed company details, single answer
keys, the arrow keys (ESC [ B) and Enter, guidance (g), a step back (b), a skip (s), an empty
N/A note refused and then given. The answers file and the reports written at the end are then
read back.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pseudo-terminals are POSIX only", allow_module_level=True)

pexpect = pytest.importorskip("pexpect")

from conftest import MINI, cli_command  # noqa: E402

from aeo_check.answers import load_answers  # noqa: E402
from aeo_check.loading import load_questionnaire  # noqa: E402

DOWN = "\x1b[B"  # the arrow key, as a terminal sends it
ENTER = "\r"
COMPANY = "Société Nord & <Fils> Ltée"


def _pdf_works() -> bool:
    try:
        from aeo_check.reports import pdf  # noqa: F401
    except Exception:  # pragma: no cover - no reportlab or no PDF module
        return False
    return True


def test_full_assessment_typed_in_a_terminal(tmp_path: Path) -> None:
    answers = tmp_path / "nord.yaml"
    out = tmp_path / "reports"
    formats = "json,md,pdf" if _pdf_works() else "json,md"
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "xterm",
        "COLUMNS": "160",
        "LINES": "48",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer cursor-position requests
    }
    env.pop("AEO_CHECK_DEBUG", None)
    cmd = cli_command()
    args = [
        *cmd[1:],
        "assess",
        str(answers),
        "--program",
        str(MINI),
        "--entity",
        "carrier",
        "-o",
        str(out),
        "--format",
        formats,
    ]
    child = pexpect.spawn(
        cmd[0],
        args,
        cwd=str(tmp_path),
        env=env,
        dimensions=(48, 160),
        encoding="utf-8",
        codec_errors="replace",
        timeout=20,
    )
    transcript: list[str] = []

    def expect(pattern: str) -> None:
        child.expect(pattern)
        transcript.append(child.before + child.after)

    def at(header: str) -> None:
        """Wait for a question's prompt by its progress text."""
        expect(re.escape(f"[{header} · "))

    try:
        # company details, typed; the date keeps its default (today)
        for prompt, text in [
            ("Company name:", COMPANY),
            (r"Country \(e\.g\. US, CA, MX\):", "CA"),
            ("Address:", "12 rue du Port, Montréal"),
            ("Contact person:", "Élise Roy"),
            (r"Assessor \(your name\):", "Jane Doe"),
            ("Assessment date:", ""),
        ]:
            expect(prompt)
            child.send(text + ENTER)
        expect("Saving your answers to")

        # eligibility (a carrier has one gate): guidance first, then yes
        at("Eligibility 1 of 1")
        child.send("g")
        expect("The program gives no more detail on this")
        at("Eligibility 1 of 1")
        child.send("y")

        # 1.1: guidance, then yes with its key
        at("Category 1 of 2, question 1 of 2")
        child.send("g")
        expect("What a good 'yes' looks like: A signed statement is posted")
        expect("Typical evidence: Signed statement")
        at("Category 1 of 2, question 1 of 2")
        child.send("y")

        # 1.10: arrows from "yes" down to "no", Enter; then a typed note
        at("Category 1 of 2, question 2 of 2")
        child.send(DOWN)
        child.send(DOWN)
        child.send(ENTER)
        expect("Note")
        child.send("no review since 2024" + ENTER)

        # 2.1: partial, note skipped with Enter
        at("Category 2 of 2, question 1 of 3")
        child.send("p")
        expect("Note")
        child.send(ENTER)

        # 2.2: back to 2.1, which becomes N/A: an empty reason is refused, then given
        at("Category 2 of 2, question 2 of 3")
        child.send("b")
        at("Category 2 of 2, question 1 of 3")
        child.send("a")
        expect("Why does this not apply")
        child.send(ENTER)
        expect("This cannot be empty")
        child.send("we do not operate trucks" + ENTER)

        # 2.2: skipped for now
        at("Category 2 of 2, question 2 of 3")
        child.send("s")

        # 2.3: one arrow down to "partial", Enter, a note
        at("Category 2 of 2, question 3 of 3")
        child.send(DOWN + ENTER)
        expect("Note")
        child.send("tracking on 60% of lanes" + ENTER)

        expect(r"All done: 5 of 6 answered")
        child.expect(pexpect.EOF, timeout=60)  # the reports are written at the end
        transcript.append(child.before)
    finally:
        if child.isalive():
            child.terminate(force=True)
        child.close()
    screen = "".join(transcript)
    assert "Traceback" not in screen
    # the reports at the end use the custom questionnaire given with --program
    assert child.exitstatus == 0, screen[-2000:]

    # the answers file: what was typed, nothing more
    q = load_questionnaire(MINI)
    a, _ = load_answers(answers, q)
    assert a.company.name == COMPANY
    assert a.company.address == "12 rue du Port, Montréal"
    assert a.company.contact == "Élise Roy" and a.assessor == "Jane Doe"
    assert a.eligibility["license"].value == "yes"
    got = {
        cid: (ans.value.value if ans.value else None, ans.note) for cid, ans in a.answers.items()
    }
    assert got["1.1"] == ("yes", None)
    assert got["1.10"] == ("no", "no review since 2024")
    assert got["2.1"] == ("na", "we do not operate trucks")
    assert got.get("2.2", (None, None)) == (None, None)
    assert got["2.3"] == ("partial", "tracking on 60% of lanes")

    # the reports written at the end
    result = json.loads((out / "nord.json").read_text(encoding="utf-8"))
    assert result["format"] == "aeo-check/result@1"
    assert result["company"]["name"] == COMPANY
    # yes(1x1) + no(3x0) + unanswered(3x0) + partial(1x0.5); N/A dropped: 1.5 / 8
    assert result["score"]["overall"] == 18.8
    assert result["verdict"] == "not-ready" and result["provisional"] is True
    gaps = {g["id"]: (g["priority"], g["answer"]) for g in result["gaps"]}
    assert gaps == {
        "1.10": ("critical", "no"),
        "2.1": ("high", "na"),  # a Must answered N/A: the mini program states no case for N/A
        "2.2": ("critical", "unanswered"),
        "2.3": ("low", "partial"),
    }
    md = (out / "nord.md").read_text(encoding="utf-8")
    assert "Société Nord & \\<Fils\\> Ltée" in md
    assert "we do not operate trucks" in md  # the N/A to justify shows the note given
    assert "tracking on 60% of lanes" in md

    if "pdf" in formats:
        pypdf = pytest.importorskip("pypdf")
        reader = pypdf.PdfReader(out / "nord.pdf")
        first = " ".join(reader.pages[0].extract_text().split())
        assert "Société Nord & <Fils> Ltée" in first
