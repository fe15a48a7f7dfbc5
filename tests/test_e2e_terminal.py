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
from dataclasses import replace
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
            ("Company e-mail", "elise@nord.example"),
            ("Company phone", ""),  # optional: Enter skips
            (r"Assessor \(your name\):", "Jane Doe"),
            ("Assessment date:", ""),
        ]:
            expect(prompt)
            child.send(text + ENTER)
        expect("Saving your answers to")

        # eligibility (a carrier has one gate): an extra Enter answers nothing, it says how to
        # answer; guidance, then yes
        at("Eligibility 1 of 1")
        child.send(ENTER)
        expect("Nothing chosen yet: press y or n, or move with the arrows.")
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

        # 1.10: nothing highlighted; the arrow down to "yes", "partial", "no", Enter; a note
        at("Category 1 of 2, question 2 of 2")
        child.send(DOWN)
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

        # 2.3: two arrows down to "partial", Enter, a note
        at("Category 2 of 2, question 3 of 3")
        child.send(DOWN + DOWN + ENTER)
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
    assert a.company.email == "elise@nord.example" and a.company.phone is None
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
    # one report per format (its name follows the report naming rule: docs/cli.md)
    def report(ext: str) -> Path:
        (found,) = out.glob(f"*.{ext}")
        return found

    result = json.loads(report("json").read_text(encoding="utf-8"))
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
    md = report("md").read_text(encoding="utf-8")
    assert "Société Nord & \\<Fils\\> Ltée" in md
    assert "we do not operate trucks" in md  # the N/A to justify shows the note given
    assert "tracking on 60% of lanes" in md

    if "pdf" in formats:
        pypdf = pytest.importorskip("pypdf")
        reader = pypdf.PdfReader(report("pdf"))
        first = " ".join(reader.pages[0].extract_text().split())
        assert "Société Nord & <Fils> Ltée" in first


# -- more sessions: 80 columns, an answers file that exists, --from ------------------------------

ESC = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x08")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _terminal(tmp_path: Path, *args: str, columns: int = 160) -> pexpect.spawn:
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "xterm",
        "COLUMNS": str(columns),
        "LINES": "40",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    env.pop("AEO_CHECK_DEBUG", None)
    cmd = cli_command()
    return pexpect.spawn(
        cmd[0],
        [*cmd[1:], *args],
        cwd=str(tmp_path),
        env=env,
        dimensions=(40, columns),
        encoding="utf-8",
        codec_errors="replace",
        timeout=20,
    )


def _screen_text(raw: str) -> str:
    """The text a session wrote, escape sequences removed, one line per terminal line."""
    return ESC.sub("", raw).replace("\r\r\n", "\n").replace("\r\n", "\n")


def test_pip_importer_at_80_columns_wraps_at_word_boundaries(tmp_path: Path) -> None:
    from aeo_check import catalog
    from aeo_check.interview import menu_label, wrap

    pip = catalog.get("pip")
    gate = pip.applicable_gates("importer")[0]
    child = _terminal(tmp_path, "assess", "--no-report", columns=80)
    transcript: list[str] = []

    def expect(pattern: str) -> None:
        child.expect(pattern)
        transcript.append(child.before + child.after)

    try:
        expect("Which program are you assessing against")
        expect(r"\(AGACE\); customs offices run by ANAM")  # the OEA entry, whole
        child.send(DOWN + DOWN + ENTER)  # CTPAT, OEA, PIP
        expect("Company name:")
        child.send("Maple Leaf Imports Ltd." + ENTER)
        expect("What is your business type")
        child.send(ENTER)  # the first: Importer (Canada-based)
        for prompt, text in [
            ("Country", "CA"),
            (
                "Address:",
                "1200 Rue de la Commune Ouest, Suite 400, Montréal, Québec H3C 2A1, Canada",
            ),
            ("Contact person:", "Élise Roy"),
            ("Company e-mail", "elise.roy@mapleleaf.example"),
            ("Company phone", "+1 514 555 0142"),
            ("Assessor", "Jane Doe"),
            ("Assessment date:", ""),
        ]:
            expect(prompt)
            child.send(text + ENTER)
        expect(re.escape("[Eligibility 1 of 10 · "))
        expect(r"Answer: (?:\x1b\[[0-9;]*m)*\(press a key, or use the arrows and Enter\)")
        child.send(ENTER)  # answers nothing
        expect(re.escape("Nothing chosen yet: press y or n, or move with the arrows."))
        child.send("y")
        expect(r"Answer: (?:\x1b\[[0-9;]*m)*yes")
        expect(re.escape("[Eligibility 2 of 10 · "))
        child.send("\x03")
        child.expect(pexpect.EOF)
        transcript.append(child.before)
    finally:
        if child.isalive():
            child.terminate(force=True)
        child.close()
    assert child.exitstatus == 130
    screen = _screen_text("".join(transcript))
    # the texts the interview wrapped are on screen line by line, broken only between words
    # (a line wider than the terminal would have been cut, or broken mid-word)
    width = 78  # 80 columns less the margin
    for label in (f"{q.program.name}: {q.program.agency}" for q in catalog.all_programs()):
        for part in menu_label(label, width).split("\n"):
            assert part.strip() in screen, part
    question = wrap(f"Eligibility ({gate.title}): {gate.ask}", width=width)
    assert question in screen
    # a typed answer wider than the terminal is echoed wrapped between words
    address = "? Address: 1200 Rue de la Commune Ouest, Suite 400, Montréal, Québec H3C 2A1,"
    assert address + "\n  Canada\n" in screen


def _earlier_file(tmp_path: Path) -> Path:
    from aeo_check.answers import new_assessment, save_answers
    from aeo_check.model import Answer, AnswerValue, Company, GateValue

    q = load_questionnaire(MINI)
    a = new_assessment(q, "carrier", company=Company(name="ACME"), assessed_on="2026-11-20")
    a = replace(
        a,
        eligibility={"license": GateValue("yes")},
        answers={"1.1": Answer(AnswerValue.PARTIAL, note="signed, not posted")},
    )
    path = tmp_path / "acme-mini.yaml"
    save_answers(path, q, a)
    return path


def test_an_existing_answers_file_is_offered_as_soon_as_the_company_is_named(tmp_path):
    path = _earlier_file(tmp_path)
    before = path.read_bytes()
    child = _terminal(tmp_path, "assess", "--program", str(MINI), "--entity", "carrier")
    try:
        child.expect("Company name:")
        child.send("ACME" + ENTER)
        child.expect(r"acme-mini\.yaml already exists: ACME, MTP, Highway Carrier, 2 of 6")
        child.expect(r"Resume it; the same as: aeo-check assess acme-mini\.yaml")
        child.send(ENTER)  # resume
        child.expect(r"Resuming [\s\S]*?4 question\(s\) left")
        child.expect(re.escape("[Category 1 of 2, question 2 of 2 · "))  # 1.10, the first open
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.terminate(force=True)
        child.close()
    assert child.exitstatus == 0
    assert path.read_bytes() == before  # resumed, nothing asked again, nothing changed


def test_force_asks_first_and_keeps_the_earlier_file(tmp_path):
    import datetime as dt

    path = _earlier_file(tmp_path)
    before = path.read_bytes()
    kept = f"acme-mini.yaml.{dt.date.today().isoformat()}.bak"
    child = _terminal(
        tmp_path, "assess", str(path), "--program", str(MINI), "--entity", "carrier", "--force"
    )
    try:
        child.expect(r"already exists: ACME, MTP, Highway Carrier, 2 of 6 answered")
        child.expect(re.escape(f"Start over (the earlier file is kept as {kept})"))
        child.send(DOWN + DOWN + ENTER)  # resume, another name, start over
        child.expect(re.escape(f"Starting over; the earlier answers are kept in {kept}."))
        child.expect("Company name:")
        child.send("\x03")
        child.expect(pexpect.EOF)
    finally:
        if child.isalive():
            child.terminate(force=True)
        child.close()
    assert child.exitstatus == 130
    assert (tmp_path / kept).read_bytes() == before


def test_from_says_once_how_many_answers_were_carried_over(tmp_path):
    child = _terminal(
        tmp_path,
        "assess",
        "pip.yaml",
        "--program",
        "pip",
        "--from",
        str(EXAMPLES / "northwind-ctpat-importer.yaml"),
    )
    try:
        child.expect("Company name:")
        screen = child.before
        child.send("\x03")
        child.expect(pexpect.EOF)
        screen = _screen_text(screen + child.before)
    finally:
        if child.isalive():
            child.terminate(force=True)
        child.close()
    carried = [line for line in screen.split("\n") if "carried over" in line]
    assert len(carried) == 1, carried
    assert re.match(r"\d+ answer\(s\) carried over from CTPAT through the crosswalk", carried[0])
