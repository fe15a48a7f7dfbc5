"""Nothing lost: the interview killed at many points, in a real pseudo-terminal.

The installed console script runs ``aeo-check assess FILE --program ctpat --entity importer``
under pexpect. Questions are answered with single keys (y/p/n/a, notes typed out); at each
kill point the process gets SIGKILL, SIGINT or a Ctrl-C keystroke. After every kill the
answers file must load and hold every confirmed answer (confirmed = the next question's
prompt was on the screen); a Ctrl-C or SIGINT while a partial's note is typed must have saved
the partial, without the note. Every run after the first resumes the same file and must ask
only what is still unanswered, starting with the first unanswered question.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pseudo-terminals are POSIX only", allow_module_level=True)

pexpect = pytest.importorskip("pexpect")

from conftest import cli_command  # noqa: E402

from aeo_check import catalog  # noqa: E402
from aeo_check.answers import load_answers  # noqa: E402
from aeo_check.model import Level  # noqa: E402

PROGRAM, ENTITY = "ctpat", "importer"
TIMEOUT = 15
HEADER = re.compile(
    r"\[((?:Eligibility \d+ of \d+)|(?:Category \d+ of \d+, question \d+ of \d+)) · "
)
# the line is wrapped to the terminal: any space may be a line break
RESUMING = re.compile(r"Resuming [\s\S]*?;\s+(\d+)\s+question\(s\)\s+left")


def term_env() -> dict[str, str]:
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "xterm",
        "COLUMNS": "200",
        "LINES": "50",
        # nobody answers prompt_toolkit's cursor-position request in a pexpect terminal
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    env.pop("AEO_CHECK_DEBUG", None)
    return env


@dataclass(frozen=True)
class Step:
    kind: str  # "gate" or "criterion"
    id: str
    header: str  # the progress text that appears only on this question's prompt


def steps_of(program: str, entity: str) -> list[Step]:
    """Every question `assess` asks, in order, with the prompt text unique to it."""
    q = catalog.get(program)
    gates = q.applicable_gates(entity)
    out = [Step("gate", g.id, f"Eligibility {i} of {len(gates)}") for i, g in enumerate(gates, 1)]
    cats = q.applicable_categories(entity)
    for ci, cat in enumerate(cats, 1):
        for pi, c in enumerate(cat.criteria, 1):
            header = f"Category {ci} of {len(cats)}, question {pi} of {len(cat.criteria)}"
            out.append(Step("criterion", c.id, header))
    return out


def planned_answer(index: int, step: Step) -> tuple[str, str | None, str | None]:
    """(key, value, note) for a question: a fixed mix of every answer, with notes."""
    if step.kind == "gate":
        return ("n", "no", None) if index % 5 == 3 else ("y", "yes", None)
    cycle = index % 6
    if cycle == 1:
        return "p", "partial", f"partly in place ({step.id}); ünïcode ✓"
    if cycle == 2:
        return "n", "no", None  # a "no" with the note skipped (Enter)
    if cycle == 3:
        return "a", "na", f"we do not do this: {step.id}"
    if cycle == 4:
        return "n", "no", f"missing: {step.id}, owner: J. Smith"
    return "y", "yes", None


@dataclass
class Tracker:
    """What the test knows: answers confirmed on screen, and one possibly-saved answer."""

    steps: list[Step]
    confirmed: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    pending: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # saved for certain: Ctrl-C or SIGINT while typing a partial's note saves the partial
    must: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    kill_points: int = 0
    lost: list[str] = field(default_factory=list)
    signals: dict[str, int] = field(default_factory=dict)

    def next_index(self) -> int:
        for i, s in enumerate(self.steps):
            if s.id not in self.confirmed:
                return i
        return len(self.steps)


class Run:
    """One `aeo-check assess` process in a pseudo-terminal."""

    def __init__(self, path: Path, cwd: Path) -> None:
        self.path = path
        args = [*cli_command(), "assess", str(path), "--program", PROGRAM, "--entity", ENTITY]
        self.child = pexpect.spawn(
            args[0],
            [*args[1:], "--no-report"],
            cwd=str(cwd),
            env=term_env(),
            dimensions=(50, 200),
            encoding="utf-8",
            codec_errors="replace",
            timeout=TIMEOUT,
        )
        # every keystroke is sent after its prompt is on screen: no blind delay is needed
        self.child.delaybeforesend = None

    def expect_header(self, step: Step, previous: Step | None = None) -> None:
        """Wait for this question's prompt; no other question may have been asked before it
        (the previous one shows again, answered, as the prompt closes)."""
        self.child.expect(re.escape(f"[{step.header} · "))
        allowed = {step.header, previous.header if previous else None}
        others = {m for m in HEADER.findall(self.child.before) if m not in allowed}
        assert not others, f"asked {others} before {step.header}"

    def first_header(self) -> str:
        self.child.expect(HEADER)
        return self.child.match.group(1)

    def company(self) -> None:
        for prompt, text in [
            ("Company name:", "Nord Kill Test Inc."),
            ("Country", "US"),
            ("Address:", "1 Harbour Road"),
            ("Contact person:", "Élise Roy"),
            ("Company e-mail", "elise@nord.example"),
            ("Company phone", ""),
            ("Assessor", "Jane Doe"),
            ("Assessment date:", ""),
        ]:
            self.child.expect(prompt)
            self.child.send(text + "\r")

    def answer(self, t: Tracker, index: int) -> None:
        """Answer question `index`; it is confirmed once the next prompt shows."""
        step = t.steps[index]
        key, value, note = planned_answer(index, step)
        self.child.send(key)
        if step.kind == "criterion" and key in ("p", "n", "a"):
            self.child.expect("Why does this not apply" if key == "a" else "Note")
            self.child.send((note or "") + "\r")
        t.pending = {step.id: (value, note)}
        if index + 1 < len(t.steps):
            self.expect_header(t.steps[index + 1], previous=step)
        else:
            self.child.expect(r"All done: \d+ of \d+ answered")
        t.confirmed[step.id] = (value, note)
        t.pending = {}

    def stop(self, how: str) -> None:
        if how == "kill":
            self.child.kill(signal.SIGKILL)
        elif how == "sigint":
            self.child.kill(signal.SIGINT)
        else:  # the Ctrl-C key, as a person presses it
            self.child.send("\x03")
        self.child.expect(pexpect.EOF)
        self.child.close()
        if how == "kill":
            assert self.child.signalstatus == signal.SIGKILL
        else:
            assert self.child.exitstatus == 130, self.child.before
            out = self.child.before.replace("\r\n", "\n")
            assert f"Resume with: aeo-check assess {self.path}" in out, out[-500:]


def check_file(t: Tracker, path: Path) -> None:
    """The file loads and holds every confirmed answer (and nothing that was never given)."""
    if not path.exists():
        assert not t.confirmed, "answers were confirmed but there is no answers file"
        return
    assessment, _ = load_answers(path)
    file_answers: dict[str, tuple[str, str | None]] = {}
    for gid, gv in assessment.eligibility.items():
        if gv is not None:
            file_answers[gid] = (gv.value, None)
    for cid, ans in assessment.answers.items():
        if ans.value is not None:
            file_answers[cid] = (ans.value.value, ans.note)
    for sid, expected in t.confirmed.items():
        if file_answers.get(sid) != expected:
            t.lost.append(sid)
    for sid, expected in t.must.items():
        assert file_answers.get(sid) == expected, f"{sid}: {expected} not saved"
    for sid, got in file_answers.items():
        if sid in t.confirmed:
            continue
        assert t.pending.get(sid) == got, f"{sid}={got} in the file was never given"
        t.confirmed[sid] = got  # saved just before the kill: now it is the file's
    t.pending = {}
    t.must = {}


# (questions to confirm in this run, where to stop, how): 25 kill points
KILL_PLAN = [
    (0, "company", "sigint"),  # first run: interrupted while typing the company name
    (0, "company", "kill"),  # resumed without a company name: killed in the company prompts
    (2, "prompt", "kill"),
    (1, "prompt", "ctrl-c"),
    (3, "note", "sigint"),
    (2, "after-key", "kill"),
    (4, "prompt", "kill"),
    (1, "note", "kill"),
    (5, "prompt", "ctrl-c"),
    (2, "note", "sigint"),
    (3, "after-key", "kill"),
    (4, "prompt", "kill"),
    (2, "prompt", "ctrl-c"),
    (6, "note", "sigint"),
    (1, "after-key", "kill"),
    (3, "note", "kill"),
    (5, "prompt", "kill"),
    (2, "note", "ctrl-c"),
    (4, "note", "sigint"),
    (3, "prompt", "kill"),
    (6, "after-key", "kill"),
    (2, "note", "sigint"),
    (3, "note", "ctrl-c"),
    (5, "prompt", "ctrl-c"),
    (4, "after-key", "kill"),
]


def _advance_to(run: Run, t: Tracker, phase: str, how: str, i: int) -> None:
    """Bring question `i` to the state where the kill happens."""
    if i >= len(t.steps) or phase == "prompt":
        return  # killed while the question waits for its answer
    if phase == "note":
        # answer on to a question that asks for a note, then type half of it (no Enter)
        while planned_answer(i, t.steps[i])[0] not in ("p", "a") and i + 1 < len(t.steps):
            run.answer(t, i)
            i += 1
        key, _value, note = planned_answer(i, t.steps[i])
        run.child.send(key)
        run.child.expect("Why does this not apply" if key == "a" else "Note")
        run.child.send((note or "x")[:7])  # not an answer yet: never confirmed
        time.sleep(0.2)
        if key == "p":
            # the key pressed is the answer: Ctrl-C or SIGINT saves it without the note (a
            # SIGKILL leaves no time to save, and the tracker allows that)
            t.pending = {t.steps[i].id: ("partial", None)}
            if how != "kill":
                t.must = dict(t.pending)
    elif phase == "after-key":
        # one keystroke that answers at once, killed before the next prompt can show: the
        # answer may or may not have reached the file, and either is right
        run.child.send("y")
        t.pending = {t.steps[i].id: ("yes", None)}


def test_killed_anywhere_nothing_confirmed_is_lost(tmp_path, record_property):
    path = tmp_path / "nord.yaml"
    t = Tracker(steps_of(PROGRAM, ENTITY))
    total = len(t.steps)

    for n_confirm, phase, how in KILL_PLAN:
        run = Run(path, tmp_path)
        company_named = False
        if path.exists():
            run.child.expect(RESUMING)
            left = int(run.child.match.group(1))
            assert left == total - len(t.confirmed)
            assessment, _ = load_answers(path)
            company_named = bool(assessment.company.name)
        if phase == "company":
            run.child.expect("Company name:")
            run.child.send("Nord Ki")
            time.sleep(0.2)
        else:
            if not company_named:
                run.company()
            start = t.next_index()
            # resuming asks the first unanswered question first
            assert run.first_header() == t.steps[start].header
            for i in range(start, min(start + n_confirm, total)):
                run.answer(t, i)
            _advance_to(run, t, phase, how, t.next_index())
        run.stop(how)
        t.kill_points += 1
        t.signals[how] = t.signals.get(how, 0) + 1
        check_file(t, path)
        assert not t.lost, f"lost after kill point {t.kill_points}: {t.lost}"

    # the last run: resume and answer everything left, to the end
    run = Run(path, tmp_path)
    run.child.expect(RESUMING)
    assert int(run.child.match.group(1)) == total - len(t.confirmed)
    start = t.next_index()
    assert run.first_header() == t.steps[start].header
    for i in range(start, total):
        if t.steps[i].id not in t.confirmed:
            run.answer(t, i)
    run.child.expect(pexpect.EOF)
    run.child.close()
    assert run.child.exitstatus == 0, run.child.before
    check_file(t, path)
    assert len(t.confirmed) == total
    assessment, _ = load_answers(path)
    assert assessment.company.name == "Nord Kill Test Inc."
    assert all(a.value is not None for a in assessment.answers.values())
    print(
        f"\nkill points tried: {t.kill_points} {t.signals}; answers confirmed: {total}; "
        f"answers lost: {len(t.lost)}"
    )
    record_property("kill_points", t.kill_points)
    record_property("answers_lost", len(t.lost))
    assert t.kill_points >= 20 and len(t.lost) == 0


def test_sigint_signal_at_an_answer_prompt_saves_and_exits_130(tmp_path):
    path = tmp_path / "sig.yaml"
    run = Run(path, tmp_path)
    run.company()
    steps = steps_of(PROGRAM, ENTITY)
    run.expect_header(steps[0])
    run.child.send("y")
    run.expect_header(steps[1], steps[0])
    run.child.kill(signal.SIGINT)
    try:
        run.child.expect(pexpect.EOF, timeout=3)
    finally:
        if run.child.isalive():
            run.child.send("\x03")  # let the process go
            run.child.expect(pexpect.EOF)
        run.child.close()
        assessment, _ = load_answers(path)
        assert assessment.eligibility[steps[0].id].value == "yes"
    assert run.child.exitstatus == 130


def test_the_plan_covers_every_answer_kind():
    """The kill test's plan covers every answer kind (guards the plan against edits)."""
    steps = steps_of(PROGRAM, ENTITY)
    kinds = {planned_answer(i, s)[1] for i, s in enumerate(steps)}
    assert kinds == {"yes", "no", "partial", "na"}
    q = catalog.get(PROGRAM)
    assert {c.level for c in q.applicable_criteria(ENTITY)} == {Level.MUST, Level.SHOULD}
