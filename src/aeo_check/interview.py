"""The interactive assessment. The only module that imports questionary.

Flow: the program (option, file or menu), the company name, then, if that company's answers
file already exists, a choice (resume it, another name, or with --force start over keeping the
earlier file); the business type, the company's details (e-mail and phone optional),
eligibility gates, then every applicable criterion category by category with its position.
Answers take one key (y/p/n/a; e answers yes and asks for the evidence), arrows and Enter
work too, but Enter alone never answers a question not answered yet; g shows guidance, s
skips, b goes back, q saves and stops. A note is asked for partial/no and required for N/A.
Every line printed is wrapped to the terminal at word boundaries. The file is saved
atomically after every answer; Ctrl-C saves (a partial/no whose note was being typed is saved
without it; an N/A without its note is not) and raises :class:`Interrupted` carrying the exact
command to resume. Resuming asks only what is still unanswered.
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
from prompt_toolkit.filters import Condition, is_done
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import ConditionalContainer, FormattedTextControl, HSplit, Window
from questionary import Choice
from questionary.prompts.common import InquirerControl

from . import catalog
from .answers import load_answers, new_assessment, save_answers
from .errors import AeoCheckError, Interrupted, UsageError, clean
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
# the values that answer a question (the other keys show guidance, skip, go back or stop)
_ANSWERS = ("yes", "partial", "no", "na", "yes+evidence")
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


def line_width() -> int:
    """The width the interview wraps its lines to: the terminal's less a margin, 40 to 100."""
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 2))


def wrap(
    text: str, indent: str = "  ", width: int | None = None, subsequent_indent: str | None = None
) -> str:
    """Word-wrap text to the terminal (prompt_toolkit and terminals would cut words in two).

    Lines break only at spaces: never inside a word, an id or a file name (a single word longer
    than the line stays whole)."""
    return textwrap.fill(
        " ".join(clean(text).split()),
        width=width or line_width(),
        initial_indent=indent,
        subsequent_indent=indent if subsequent_indent is None else subsequent_indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def fit(text: str, width: int | None = None) -> str:
    """Wrap every line of text that is wider than the terminal, keeping its indentation
    (continuation lines are indented two more spaces); lines that fit are left as they are."""
    width = width or line_width()
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width or not line.strip():
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.append(wrap(line, indent, width, indent + "  "))
    return "\n".join(out)


def menu_label(text: str, width: int | None = None) -> str:
    """A menu entry wrapped to the terminal: questionary puts three columns (the pointer)
    before each entry and would cut a long one at the edge."""
    return wrap(text, "", (width or line_width()) - 3, "   ").lstrip()


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
        prefill_from: str | None = None,
        save_as: Path | None = None,
    ) -> None:
        self.path = path
        self.save_as = save_as  # resume path, save to this file (a conversion: xlsx -> yaml)
        self.prefill = prefill
        self.prefill_from = prefill_from  # the program the carried answers come from
        self._interrupted_detail = ""  # what Ctrl-C did to the question being answered
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
        text = fit(clean(text))
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
        """One question answered with one key (or the arrows and Enter).

        Without a default (a question not answered yet) nothing is highlighted and Enter alone
        answers nothing: it shows how to answer. The key hint and the echoed answer get a line
        of their own under the (wrapped) question, so neither is cut at the terminal's edge."""
        qchoices = [
            Choice(title=label, value=value, shortcut_key=key) for key, label, value in choices
        ]
        default_choice = next((c for c in qchoices if c.value == default), None)
        question = questionary.select(
            message + "\n  Answer:",
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
        assert control is not None
        if default_choice is None:
            control.pointed_at = -1  # nothing highlighted: no answer until one is chosen
        for index, (key, _label, value) in enumerate(choices):
            self._bind_answer_key(app, control, key, index, value)
        kb = app.key_bindings
        assert kb is not None
        keys = [key for key, _label, value in choices if value in _ANSWERS]
        keys_text = ", ".join(keys[:-1]) + " or " + keys[-1]
        hint = wrap(f"Nothing chosen yet: press {keys_text}, or move with the arrows.", "  ")
        # shown under the choices after an Enter that answers nothing (a line of the layout,
        # not the bottom toolbar, which terminals that do not report the cursor never show)
        showing = {"hint": False}
        container = app.layout.container
        assert isinstance(container, HSplit)
        container.children.insert(
            2,
            ConditionalContainer(
                Window(FormattedTextControl(lambda: [("class:instruction", hint)])),
                filter=Condition(lambda: showing["hint"]) & ~is_done,
            ),
        )
        count = len(choices)

        @kb.add(Keys.Down, eager=True)  # type: ignore[misc]
        def _down(event: Any) -> None:
            control.pointed_at = (control.pointed_at + 1) % count if control.pointed_at >= 0 else 0
            showing["hint"] = False

        @kb.add(Keys.Up, eager=True)  # type: ignore[misc]
        def _up(event: Any) -> None:
            at = control.pointed_at
            control.pointed_at = (at - 1) % count if at >= 0 else count - 1
            showing["hint"] = False

        @kb.add(Keys.ControlM, eager=True)  # type: ignore[misc]
        def _enter(event: Any) -> None:
            if control.pointed_at < 0:
                showing["hint"] = True
                return
            control.is_answered = True
            event.app.exit(result=control.get_pointed_at().value)

        @kb.add(Keys.SIGINT)  # type: ignore[misc]
        def _sigint(event: Any) -> None:  # `kill -INT`, not only the Ctrl-C key
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        result = question.unsafe_ask()
        return str(result)

    @staticmethod
    def _bind_answer_key(
        app: Application[Any], control: InquirerControl, key: str, index: int, value: str
    ) -> None:
        kb = app.key_bindings
        assert kb is not None

        @kb.add(key, eager=True)  # type: ignore[misc]
        def _answer(event: Any) -> None:
            control.pointed_at = index
            control.is_answered = True
            event.app.exit(result=value)

    def _select(
        self, message: str, options: list[tuple[str, str]], default: str | None = None
    ) -> str:
        """A menu. Entries are wrapped to the terminal; when the question and the longest entry
        do not fit on one line, the hint and the echoed choice go on a line of their own."""
        width = line_width()
        labels = [menu_label(label, width) for _value, label in options]
        if "\n" in "".join(labels) or len(message) + 3 + max(map(len, labels)) > width:
            message += "\n  "
        qchoices = [
            Choice(title=label, value=value)
            for (value, _), label in zip(options, labels, strict=True)
        ]
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

        # the prompt is erased when done and echoed wrapped at word boundaries (a long typed
        # answer would otherwise stay on screen cut wherever the terminal's edge falls)
        result = str(
            questionary.text(
                message, default=default, validate=check, style=STYLE, erase_when_done=True,
                **self.io,
            ).unsafe_ask()
        ).strip()  # fmt: skip
        self.say(f"? {message} {result}".rstrip())
        return result

    # -- the flow ----------------------------------------------------------------------------

    def run(self) -> Path | None:
        """Run the interview; returns the answers file, or None when the user stopped."""
        try:
            self._setup()
            self._walk()
        except KeyboardInterrupt:
            if self.path is not None and self.q is not None and self.assessment is not None:
                self._save()
                lines = [fit(f"interrupted; your answers are saved in {self.path}.")]
                if self._interrupted_detail:
                    lines.append(fit(self._interrupted_detail))
                lines.append(f"Resume with: {resume_command(self.path)}")
                raise Interrupted("\n".join(lines)) from None
            raise Interrupted("interrupted before anything was answered; nothing saved") from None
        except _Stop:
            assert self.path is not None
            self._save()
            self.say(f"Saved {self.path}.")
            self.say(f"Resume with: {resume_command(self.path)}")
            return None
        return self.path

    def _setup(self) -> None:
        path = self.path
        if path is not None and path.is_dir():
            raise UsageError(f"{path}: is a folder; give an answers file name")
        if path is not None and path.exists():
            if self.prefill is None and not self.force:
                self._resume(path)  # `assess FILE` on an existing file resumes it
                return
            # --from or --force on a file that holds earlier answers: the user decides first
            if self._settle_existing(path) == "resumed":
                return

        q = self._pick_program()
        self.q = q
        name: str | None = None
        if self.path is None:
            # the file is named after the company and the program: ask the name first, so an
            # earlier assessment of the same company is found before anything else is asked
            earlier = self.prefill.company.name if self.prefill is not None else ""
            name = self._text("Company name:", default=earlier, required=True)
            self.path = self.cwd / f"{slugify(name)}-{q.id}.yaml"
            if self.path.exists() and self._settle_existing(self.path) == "resumed":
                return
        if self.prefill is not None:
            self.assessment = replace(self.prefill, assessed_on=self.today.isoformat())
            self.answers = dict(self.prefill.answers)
            carried = sum(1 for a in self.answers.values() if a.carried_from)
            source = f" from {self.prefill_from}" if self.prefill_from else ""
            self.say(
                f"{carried} answer(s) carried over{source} through the crosswalk; confirm each "
                "with one key (Enter keeps it)."
            )
        else:
            entity = self._pick_entity(q)
            self.assessment = new_assessment(q, entity, assessed_on=self.today.isoformat())
        self._ask_company(name=name)
        self._save()
        self.say(f"Saving your answers to {self.path} after every answer.")

    def _resume(self, path: Path) -> None:
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
        self.path = path
        self.q, self.assessment = q, assessment
        self.eligibility = dict(assessment.eligibility)
        self.answers = dict(assessment.answers)
        todo = self._count_unanswered()
        self.say(
            f"Resuming {path}: {assessment.company.name or 'company not named'}, "
            f"{q.program.short_name}, {assessment.entity_type}; {todo} question(s) left."
        )
        self._say_where_saved(path)
        if not assessment.company.name:
            self._ask_company()

    def _say_where_saved(self, path: Path) -> None:
        """Say once where the answers go: another file (--save-as, saved at once), or back
        into the workbook resumed; never a silent choice."""
        from .answers import is_workbook

        if self.save_as is not None:
            target = self.save_as if self.save_as.is_absolute() else self.cwd / self.save_as
            if target.exists() and not target.samefile(path):
                raise UsageError(f"--save-as {self.save_as}: already exists; choose another name")
            self.path = target
            self._save()
            self.say(
                f"Your answers are now in {self._shown(target)} and are saved there after "
                f"every answer; {self._shown(path)} is left as it was."
            )
        elif is_workbook(path):
            self.say(
                f"Your answers are saved back into the workbook {self._shown(path)} after every "
                f"answer (its formatting kept; the previous version as {path.name}.bak). To "
                "save them as YAML instead, stop and run: "
                f"{resume_command(self._shown(path))} --save-as FILE.yaml"
            )

    def _describe(self, path: Path) -> tuple[str, str | None]:
        """What an existing answers file holds, and why it cannot be resumed (None if it can)."""
        custom = None
        if self.program and self.program.endswith((".yaml", ".yml")):
            custom = catalog.resolve(self.program)
        try:
            assessment, q = load_answers(path, custom)
        except AeoCheckError as exc:
            return (
                "",
                f"it cannot be read ({exc}); fix it, then resume it with {resume_command(path)}",
            )
        e = assessment.entity_type
        gates = q.applicable_gates(e)
        crits = q.applicable_criteria(e)
        done = sum(1 for g in gates if assessment.eligibility.get(g.id))
        done += sum(1 for c in crits if assessment.answers.get(c.id, Answer()).value is not None)
        entity = q.entity_type(e)
        what = (
            f"{assessment.company.name or 'company not named'}, {q.program.short_name}, "
            f"{entity.name if entity else e}, {done} of {len(gates) + len(crits)} answered"
        )
        wanted = self.q.id if self.q is not None else (None if custom else self.program)
        if wanted and wanted != q.id:
            return what, f"it holds {q.program.short_name} answers, not {wanted}"
        if self.entity and self.entity != e:
            return what, f"it is for business type {e}, not {self.entity}"
        return what, None

    def _settle_existing(self, path: Path) -> str:
        """The answers file exists: resume it, or save under another name, or (with --force,
        after the user chose it) start over with the earlier file kept under another name.
        Returns "resumed" (the interview is set up), or "new" (self.path is free to write)."""
        while True:
            what, why_not = self._describe(path)
            shown = self._shown(path)
            self.say(f"{shown} already exists" + (f": {what}." if what else "."))
            if why_not:
                self.say(f"It cannot be resumed here: {why_not}.")
            options: list[tuple[str, str]] = []
            if why_not is None:
                note = " (the answers carried over are not used)" if self.prefill else ""
                options.append(("resume", f"Resume it{note}; the same as: {resume_command(shown)}"))
            options.append(("other", "Save this assessment under another name"))
            kept = self._kept_name(path)
            if self.force:
                options.append(
                    ("over", f"Start over (the earlier file is kept as {self._shown(kept)})")
                )
            choice = self._select("What would you like to do?", options, default=options[0][0])
            if choice == "resume":
                self.prefill = None
                self._resume(path)
                return "resumed"
            if choice == "over":
                os.replace(path, kept)
                self.say(f"Starting over; the earlier answers are kept in {self._shown(kept)}.")
                self.path = path
                return "new"
            path = self._ask_file_name(path)
            if not path.exists():
                self.path = path
                return "new"

    def _shown(self, path: Path) -> Path:
        """A path as the user would type it: relative to the working folder when inside it."""
        try:
            return path.relative_to(self.cwd)
        except ValueError:
            return path

    def _kept_name(self, path: Path) -> Path:
        """Where 'start over' keeps the earlier file: a name no later save writes to."""
        kept = path.with_name(f"{path.name}.{self.today.isoformat()}.bak")
        n = 2
        while kept.exists():
            kept = path.with_name(f"{path.name}.{self.today.isoformat()}-{n}.bak")
            n += 1
        return kept

    def _ask_file_name(self, taken: Path) -> Path:
        stem, suffix = taken.stem, taken.suffix or ".yaml"
        n = 2
        while taken.with_name(f"{stem}-{n}{suffix}").exists():
            n += 1
        suggestion = self._shown(taken.with_name(f"{stem}-{n}{suffix}"))

        def usable(value: str) -> bool | str:
            if self._resolve(value).is_dir():
                return "That is a folder; give a file name."
            return True

        typed = self._text(
            "File name for this assessment:",
            default=str(suggestion),
            required=True,
            validate=usable,
        )
        return self._resolve(typed)

    def _resolve(self, typed: str) -> Path:
        path = Path(typed.strip())
        if path.suffix.lower() not in (".yaml", ".yml", ".xlsx"):
            path = path.with_name(path.name + ".yaml")
        return path if path.is_absolute() else self.cwd / path

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
                    f"--entity: {self.entity!r} is not a business type of {q.program.short_name} "
                    f"(known: {known})"
                )
            return self.entity
        if len(q.entity_types) == 1:
            return q.entity_types[0].id
        return self._select("What is your business type?", [(e.id, e.name) for e in q.entity_types])

    def _ask_company(self, name: str | None = None) -> None:
        """The company's details (the name unless already asked), the assessor and the date."""
        assert self.assessment is not None
        a = self.assessment
        c = a.company
        if name is None:
            name = self._text("Company name:", default=c.name, required=True)
        country = self._text("Country (e.g. US, CA, MX):", default=c.country or "")
        address = self._text("Address:", default=c.address or "")
        contact = self._text("Contact person:", default=c.contact or "")

        def is_email(value: str) -> bool | str:
            if value.strip() and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value.strip()):
                return "That does not look like an e-mail address (name@example.com)."
            return True

        email = self._text(
            "Company e-mail (optional, Enter skips):", default=c.email or "", validate=is_email
        )
        phone = self._text("Company phone (optional, Enter skips):", default=c.phone or "")
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
                email=email or None,
                phone=phone or None,
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
            try:
                note, evidence = self._note_and_evidence(crit, answer_value, with_evidence)
            except KeyboardInterrupt:
                # Ctrl-C while typing: the key pressed is an answer, the half-typed text is not.
                # An N/A stands only with its reason, so that question stays as it was.
                if answer_value is AnswerValue.NA:
                    self._interrupted_detail = (
                        f"{crit.id} is left as it was: an N/A needs its note, and the note "
                        "was not finished."
                    )
                else:
                    what = "evidence" if with_evidence else "note"
                    self._interrupted_detail = (
                        f"{crit.id} is saved as '{answer_value.value}', without the {what} "
                        "you were typing."
                    )
                    self.answers[crit.id] = replace(
                        current_answer, value=answer_value, carried_from=None
                    )
                raise
            self.answers[crit.id] = replace(
                current_answer,
                value=answer_value,
                note=note,
                evidence=evidence,
                carried_from=None,
            )
            self._save()
            return "answered"

    def _note_and_evidence(
        self, crit: Criterion, answer_value: AnswerValue, with_evidence: bool
    ) -> tuple[str | None, tuple[str, ...]]:
        """Ask what goes with an answer: the evidence (key e), the reason for an N/A
        (required), a note for partial or no (optional)."""
        current_answer = self.answers.get(crit.id, Answer())
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
        return note, evidence

    def _save(self) -> None:
        assert self.q is not None and self.assessment is not None and self.path is not None
        self.assessment = replace(
            self.assessment, eligibility=dict(self.eligibility), answers=dict(self.answers)
        )
        save_answers(self.path, self.q, self.assessment)


def run_interview(path: Path | None, *, input: Any = None, **options: Any) -> Path | None:
    """Run an interactive assessment. Returns the answers file, or None if the user stopped.

    ``options`` are :class:`Interview`'s keyword arguments (program, entity, force, output,
    say, today, cwd, prefill, prefill_from).
    """
    if input is None and not (sys.stdin.isatty() or os.environ.get("AEO_CHECK_FORCE_TTY")):
        raise UsageError(
            "assess is interactive and needs a terminal; for scripted runs use "
            "'aeo-check template' and 'aeo-check report'"
        )
    return Interview(path, input=input, **options).run()
