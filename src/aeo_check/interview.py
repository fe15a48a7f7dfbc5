"""The interactive assessment. The only module that imports questionary.

Flow: program and business type (options, the file, or a menu), company details,
eligibility gates, then every applicable criterion category by category with its position.
Answers take one key (y/p/n/a; e answers yes and asks for the evidence), arrows and Enter
work too; g shows guidance, s skips, b goes
back, q saves and stops. A note is asked for partial/no and required for N/A. The file is
saved atomically after every answer; Ctrl-C saves and raises :class:`Interrupted` carrying the
exact command to resume. Resuming asks only what is still unanswered.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import questionary
from prompt_toolkit.application import Application
from prompt_toolkit.keys import Keys
from questionary import Choice
from questionary.prompts.common import InquirerControl

from . import catalog
from .answers import load_answers, new_assessment, save_answers
from .errors import Interrupted, OutputExistsError, UsageError, clean
from .model import (
    Answer,
    AnswerValue,
    Assessment,
    Company,
    Criterion,
    Gate,
    GateValue,
    Level,
    Questionnaire,
)

STYLE = questionary.Style(
    [
        ("qmark", "fg:#2a7ab0 bold"),
        ("question", "bold"),
        ("answer", "fg:#2a7ab0 bold"),
        ("pointer", "fg:#2a7ab0 bold"),
        ("highlighted", "fg:#2a7ab0 bold"),
        ("instruction", "fg:#808080"),
    ]
)

# Answer keys: one key answers. Arrows + Enter work as well.
ANSWER_CHOICES = (
    ("y", "yes", "yes"),
    ("p", "partial", "partial"),
    ("n", "no", "no"),
    ("a", "not applicable (needs a note)", "na"),
    ("e", "yes, and name the evidence", "yes+evidence"),
    ("g", "show guidance", "guidance"),
    ("s", "skip for now", "skip"),
    ("b", "back to the previous question", "back"),
    ("q", "save and stop", "quit"),
)
GATE_CHOICES = (
    ("y", "yes", "yes"),
    ("n", "no", "no"),
    ("g", "show guidance", "guidance"),
    ("s", "skip for now", "skip"),
    ("b", "back to the previous question", "back"),
    ("q", "save and stop", "quit"),
)


@dataclass
class _Step:
    kind: str  # "gate" or "criterion"
    item: Gate | Criterion
    category_index: int = 0
    category_count: int = 0
    category_title: str = ""
    position: int = 0  # within category, 1-based
    position_count: int = 0


class _Stop(Exception):
    """The user chose 'save and stop'."""


def slugify(text: str, max_len: int = 60) -> str:
    """A file-name-safe slug: ASCII letters, digits and '-'."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", norm).strip("-").lower()
    return slug[:max_len].strip("-") or "company"


def wrap(text: str, indent: str = "  ") -> str:
    """Word-wrap a question to the terminal (prompt_toolkit would cut words in two)."""
    width = max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 2))
    return textwrap.fill(
        " ".join(clean(text).split()), width=width, initial_indent=indent, subsequent_indent=indent
    )


def resume_command(path: Path) -> str:
    text = str(path)
    if re.search(r"[\s\"'$`&|;<>()]", text):
        text = '"' + text.replace('"', '\\"') + '"'
    return f"aeo-check assess {text}"


class Interview:
    def __init__(
        self,
        path: Path | None,
        *,
        program: str | None = None,
        entity: str | None = None,
        force: bool = False,
        input: Any = None,
        output: Any = None,
        say: Callable[[str], None] | None = None,
        today: dt.date | None = None,
        cwd: Path | None = None,
        prefill: Assessment | None = None,
    ) -> None:
        self.path = path
        self.prefill = prefill
        self.program = program
        self.entity = entity
        self.force = force
        self.io: dict[str, Any] = {}
        if input is not None:
            self.io["input"] = input
        if output is not None:
            self.io["output"] = output
        self._say = say
        self.today = today or dt.date.today()
        self.cwd = cwd or Path.cwd()
        self.q: Questionnaire | None = None
        self.assessment: Assessment | None = None
        self.eligibility: dict[str, GateValue | None] = {}
        self.answers: dict[str, Answer] = {}

    # -- output ------------------------------------------------------------------------------

    def say(self, text: str, style: str | None = None) -> None:
        text = clean(text)
        if self._say is not None:
            self._say(text)
            return
        questionary.print(text, style=style, **self.io)

    # -- prompts -----------------------------------------------------------------------------

    def _choose(
        self,
        message: str,
        choices: tuple[tuple[str, str, str], ...],
        default: str | None = None,
        instruction: str | None = None,
    ) -> str:
        qchoices = [
            Choice(title=label, value=value, shortcut_key=key) for key, label, value in choices
        ]
        default_choice = next((c for c in qchoices if c.value == default), None)
        question = questionary.select(
            message,
            choices=qchoices,
            default=default_choice,
            use_shortcuts=True,
            use_jk_keys=False,
            use_arrow_keys=True,
            instruction=instruction or "(press a key, or use the arrows and Enter)",
            style=STYLE,
            **self.io,
        )
        app: Application[Any] = question.application
        control = next(
            (c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl)), None
        )
        for index, (key, _label, value) in enumerate(choices):
            self._bind_answer_key(app, control, key, index, value)
        kb = app.key_bindings
        assert kb is not None

        @kb.add(Keys.SIGINT)  # type: ignore[misc]
        def _sigint(event: Any) -> None:  # `kill -INT`, not only the Ctrl-C key
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        result = question.unsafe_ask()
        return str(result)

    @staticmethod
    def _bind_answer_key(
        app: Application[Any], control: InquirerControl | None, key: str, index: int, value: str
    ) -> None:
        kb = app.key_bindings
        assert kb is not None

        @kb.add(key, eager=True)  # type: ignore[misc]
        def _answer(event: Any) -> None:
            if control is not None:
                control.pointed_at = index
                control.is_answered = True
            event.app.exit(result=value)

    def _select(
        self, message: str, options: list[tuple[str, str]], default: str | None = None
    ) -> str:
        qchoices = [Choice(title=clean(label), value=value) for value, label in options]
        default_choice = next((c for c in qchoices if c.value == default), None)
        result = questionary.select(
            message, choices=qchoices, default=default_choice, style=STYLE, **self.io
        ).unsafe_ask()
        return str(result)

    def _text(
        self,
        message: str,
        default: str = "",
        required: bool = False,
        validate: Callable[[str], bool | str] | None = None,
    ) -> str:
        def check(value: str) -> bool | str:
            if required and not value.strip():
                return "This cannot be empty."
            if validate is not None:
                return validate(value)
            return True

        result = questionary.text(
            message, default=default, validate=check, style=STYLE, **self.io
        ).unsafe_ask()
        return str(result).strip()

    # -- the flow ----------------------------------------------------------------------------

    def run(self) -> Path | None:
        """Run the interview; returns the answers file, or None when the user stopped."""
        try:
            self._setup()
            self._walk()
        except KeyboardInterrupt:
            if self.path is not None and self.q is not None and self.assessment is not None:
                self._save()
                raise Interrupted(
                    f"interrupted; your answers are saved in {self.path}. "
                    f"Resume with: {resume_command(self.path)}"
                ) from None
            raise Interrupted("interrupted before anything was answered; nothing saved") from None
        except _Stop:
            assert self.path is not None
            self._save()
            self.say(f"Saved {self.path}. Resume with: {resume_command(self.path)}")
            return None
        return self.path

    def _setup(self) -> None:
        path = self.path
        if self.prefill is not None and path is not None and path.exists() and not self.force:
            raise UsageError(
                f"{path} already exists: resume it without --from, or use --force to start over"
            )
        if path is not None and path.exists() and not self.force:
            if path.is_dir():
                raise UsageError(f"{path}: is a folder; give an answers file name")
            custom = None
            if self.program and self.program.endswith((".yaml", ".yml")):
                custom = catalog.resolve(self.program)
            assessment, q = load_answers(path, custom)
            if self.program and custom is None and self.program != q.id:
                raise UsageError(
                    f"{path} holds {q.id} answers; --program {self.program} does not match"
                )
            if self.entity and self.entity != assessment.entity_type:
                raise UsageError(
                    f"{path} is for business type {assessment.entity_type}; "
                    f"--entity {self.entity} does not match"
                )
            self.q, self.assessment = q, assessment
            self.eligibility = dict(assessment.eligibility)
            self.answers = dict(assessment.answers)
            todo = self._count_unanswered()
            self.say(
                f"Resuming {path}: {assessment.company.name or 'company not named'}, "
                f"{q.program.short_name}, {assessment.entity_type}; {todo} question(s) left."
            )
            if not assessment.company.name:
                self._ask_company()
            return

        q = self._pick_program()
        if self.prefill is not None:
            self.q = q
            self.assessment = replace(self.prefill, assessed_on=self.today.isoformat())
            self.answers = dict(self.prefill.answers)
            carried = sum(1 for a in self.answers.values() if a.carried_from)
            self.say(
                f"{carried} answer(s) carried over through the crosswalk; confirm each with one "
                "key (Enter keeps it)."
            )
        else:
            entity = self._pick_entity(q)
            self.q = q
            self.assessment = new_assessment(q, entity, assessed_on=self.today.isoformat())
        self._ask_company()
        if self.path is None:
            name = f"{slugify(self.assessment.company.name)}-{q.id}.yaml"
            self.path = self.cwd / name
            if self.path.exists() and not self.force:
                raise OutputExistsError(str(self.path))
        self._save()
        self.say(f"Saving your answers to {self.path} after every answer.")

    def _pick_program(self) -> Questionnaire:
        if self.program:
            return catalog.resolve(self.program)
        qs = catalog.all_programs()
        value = self._select(
            "Which program are you assessing against?",
            [(q.id, f"{q.program.name}: {q.program.agency}") for q in qs],
        )
        return catalog.get(value)

    def _pick_entity(self, q: Questionnaire) -> str:
        if self.entity:
            if q.entity_type(self.entity) is None:
                known = ", ".join(e.id for e in q.entity_types)
                raise UsageError(
                    f"--entity: {self.entity!r} is not a {q.program.short_name} business type "
                    f"(known: {known})"
                )
            return self.entity
        if len(q.entity_types) == 1:
            return q.entity_types[0].id
        return self._select("What is your business type?", [(e.id, e.name) for e in q.entity_types])

    def _ask_company(self) -> None:
        assert self.assessment is not None
        a = self.assessment
        c = a.company
        name = self._text("Company name:", default=c.name, required=True)
        country = self._text("Country (e.g. US, CA, MX):", default=c.country or "")
        address = self._text("Address:", default=c.address or "")
        contact = self._text("Contact person:", default=c.contact or "")
        assessor = self._text("Assessor (your name):", default=a.assessor or "")

        def is_date(value: str) -> bool | str:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return "Use the form YYYY-MM-DD."
            return True

        assessed_on = self._text(
            "Assessment date:",
            default=a.assessed_on or self.today.isoformat(),
            validate=is_date,
        )
        self.assessment = replace(
            a,
            company=Company(
                name=name,
                country=country or None,
                address=address or None,
                contact=contact or None,
                email=c.email,
                phone=c.phone,
            ),
            assessor=assessor or None,
            assessed_on=assessed_on or None,
        )
        if self.path is not None:
            self._save()

    def _is_open(self, step: _Step) -> bool:
        """Still to ask: unanswered, or carried over and not yet confirmed."""
        if step.kind == "gate":
            return self.eligibility.get(step.item.id) is None
        current = self.answers.get(step.item.id, Answer())
        return current.value is None or bool(current.carried_from)

    def _steps(self) -> list[_Step]:
        """Every applicable question in order, answered ones too ('back' can reach them)."""
        assert self.q is not None and self.assessment is not None
        entity = self.assessment.entity_type
        steps: list[_Step] = []
        gates = self.q.applicable_gates(entity)
        for i, g in enumerate(gates, 1):
            steps.append(_Step("gate", g, 0, 0, "Eligibility", i, len(gates)))
        cats = self.q.applicable_categories(entity)
        for ci, cat in enumerate(cats, 1):
            for pi, c in enumerate(cat.criteria, 1):
                steps.append(
                    _Step("criterion", c, ci, len(cats), f"{cat.id}. {cat.title}", pi,
                          len(cat.criteria))
                )  # fmt: skip
        return steps

    def _count_unanswered(self) -> int:
        return sum(self._is_open(step) for step in self._steps())

    def _total(self) -> int:
        assert self.q is not None and self.assessment is not None
        e = self.assessment.entity_type
        return len(self.q.applicable_gates(e)) + len(self.q.applicable_criteria(e))

    def _done(self) -> int:
        assert self.q is not None and self.assessment is not None
        e = self.assessment.entity_type
        gates = sum(1 for g in self.q.applicable_gates(e) if self.eligibility.get(g.id))
        crits = sum(
            1
            for c in self.q.applicable_criteria(e)
            if self.answers.get(c.id, Answer()).value is not None
        )
        return gates + crits

    def _walk(self) -> None:
        """Ask what is open, in order. 'back' goes to the previous question even when it was
        answered in an earlier session; going forward again retraces the questions asked in
        this session and otherwise skips what is already answered."""
        steps = self._steps()
        open_steps = [k for k, st in enumerate(steps) if self._is_open(st)]
        if not open_steps:
            self.say("Every question is already answered.")
            return
        i = open_steps[0]
        asked: set[int] = set()
        last_category = None
        while i < len(steps):
            step = steps[i]
            if step.category_title != last_category:
                header = (
                    "Eligibility"
                    if step.kind == "gate"
                    else f"Category {step.category_index} of {step.category_count}: "
                    f"{step.category_title}"
                )
                self.say("")
                self.say(header, style="bold")
                last_category = step.category_title
            asked.add(i)
            action = self._ask_step(step)
            if action == "back":
                if i == 0:
                    self.say("This is the first question.")
                else:
                    i -= 1
                    last_category = None
                continue
            i = next(
                (j for j in range(i + 1, len(steps)) if j in asked or self._is_open(steps[j])),
                len(steps),
            )
        self.say(f"All done: {self._done()} of {self._total()} answered.")

    def _progress(self, step: _Step) -> str:
        pct = round(100 * self._done() / max(1, self._total()))
        if step.kind == "gate":
            where = f"Eligibility {step.position} of {step.position_count}"
        else:
            where = (
                f"Category {step.category_index} of {step.category_count}, "
                f"question {step.position} of {step.position_count}"
            )
        return f"[{where} · {pct}% done]"

    def _ask_step(self, step: _Step) -> str:
        assert self.q is not None
        while True:
            if step.kind == "gate":
                gate = step.item
                assert isinstance(gate, Gate)
                current = self.eligibility.get(gate.id)
                label = f"Eligibility ({gate.title}): " if gate.title else "Eligibility: "
                message = f"{self._progress(step)}\n{wrap(label + gate.ask)}"
                value = self._choose(
                    message, GATE_CHOICES, default=current.value if current else None
                )
                if value == "guidance":
                    self.say(wrap(gate.guidance or "The program gives no more detail on this."))
                    if gate.remediation:
                        self.say(wrap("If the answer is no: " + gate.remediation))
                    continue
                if value in ("skip", "back"):
                    return value
                if value == "quit":
                    raise _Stop
                self.eligibility[gate.id] = GateValue(value)
                self._save()
                return "answered"

            crit = step.item
            assert isinstance(crit, Criterion)
            level = "Must" if crit.level is Level.MUST else "Should"
            current_answer = self.answers.get(crit.id, Answer())
            message = f"{self._progress(step)}\n{wrap(f'{crit.id} [{level}] {crit.ask}')}"
            if current_answer.carried_from and current_answer.value is not None:
                message += "\n" + wrap(
                    f"Carried over from {current_answer.carried_from}: "
                    f"{current_answer.value.value}. Enter confirms it."
                )
            value = self._choose(
                message,
                ANSWER_CHOICES,
                default=current_answer.value.value if current_answer.value else None,
            )
            if value == "guidance":
                self.say(wrap(f"What a good 'yes' looks like: {crit.guidance}"))
                if crit.evidence:
                    self.say(wrap("Typical evidence: " + "; ".join(crit.evidence)))
                continue
            if value in ("skip", "back"):
                return value
            if value == "quit":
                raise _Stop
            with_evidence = value == "yes+evidence"
            answer_value = AnswerValue.YES if with_evidence else AnswerValue(value)
            note = current_answer.note
            evidence = current_answer.evidence
            if with_evidence:
                typed = self._text(
                    "Evidence (documents or records a validator can see; separate with ';'):",
                    default="; ".join(evidence),
                )
                evidence = tuple(e.strip() for e in typed.split(";") if e.strip())
            if answer_value is AnswerValue.NA:
                if crit.na_when:
                    self.say(wrap(f"N/A is right only when: {crit.na_when}"))
                elif crit.level is Level.MUST:
                    self.say(
                        wrap(
                            "The program gives no case in which this requirement does not apply: "
                            "a validator will ask why. Until it is justified it counts as a gap."
                        )
                    )
                note = self._text(
                    "Why does this not apply to you? (required)", default=note or "", required=True
                )
            elif answer_value in (AnswerValue.PARTIAL, AnswerValue.NO):
                note = (
                    self._text(
                        "Note (what is in place, what is missing; Enter to skip):",
                        default=note or "",
                    )
                    or None
                )
            self.answers[crit.id] = replace(
                current_answer,
                value=answer_value,
                note=note,
                evidence=evidence,
                carried_from=None,
            )
            self._save()
            return "answered"

    def _save(self) -> None:
        assert self.q is not None and self.assessment is not None and self.path is not None
        self.assessment = replace(
            self.assessment, eligibility=dict(self.eligibility), answers=dict(self.answers)
        )
        save_answers(self.path, self.q, self.assessment)


def run_interview(path: Path | None, *, input: Any = None, **options: Any) -> Path | None:
    """Run an interactive assessment. Returns the answers file, or None if the user stopped.

    ``options`` are :class:`Interview`'s keyword arguments (program, entity, force, output,
    say, today, cwd, prefill).
    """
    if input is None and not (sys.stdin.isatty() or os.environ.get("AEO_CHECK_FORCE_TTY")):
        raise UsageError(
            "assess is interactive and needs a terminal; for scripted runs use "
            "'aeo-check template' and 'aeo-check report'"
        )
    return Interview(path, input=input, **options).run()
