"""The command line: a thin Typer layer over the core.

It parses options, calls the core, prints with Rich and maps errors to exit codes. Heavy
modules (PyYAML, reportlab, questionary) are imported inside the commands, so
``aeo-check --help`` and ``--version`` stay instant.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__, i18n
from .errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_THRESHOLD, AeoCheckError, Interrupted
from .i18n import N_, _, ngettext, pgettext

app = typer.Typer(
    name="aeo-check",
    help=(
        "Self-assessment and gap analysis for customs trusted-trader programs: "
        "CTPAT (U.S. CBP), Partners in Protection (CBSA, Canada) and Mexico's OEA (SAT/ANAM)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])

LANG_HELP = (
    "Language of what is printed and written: en, fr or es (default: AEO_CHECK_LANG, "
    "then the locale, then English)."
)
LangOption = Annotated[
    str | None, typer.Option("--lang", metavar="en|fr|es", help=LANG_HELP, show_default=False)
]
# --lang given before the command (aeo-check --lang fr report ...); a command's own wins
_global_lang: str | None = None


def _use_language(option: str | None) -> None:
    """Set the language once, before anything is printed: the command's --lang, else the
    global one, else AEO_CHECK_LANG, the locale, English. Unknown: a usage error."""
    from .errors import UsageError

    chosen = option or _global_lang
    try:
        i18n.set_language(i18n.resolve(chosen))
    except i18n.UnknownLanguage as exc:
        i18n.set_language("en")
        where = "--lang" if chosen else "AEO_CHECK_LANG"
        raise UsageError(
            i18n._("{option}: unknown language {value!r} (choose one of: {choices})").format(
                option=where, value=exc.value, choices=", ".join(i18n.LANGUAGES)
            )
        ) from None


def _flags_take_no_value() -> None:
    """--help shows no type after a flag (--json, --force, --help): it takes no value.

    Typer 0.2x prints ``<bool>`` there, which reads as if the flag wanted true or false; an
    option with a value keeps its ``<path>``, ``<str>``... Older Typer shows none anyway.
    """
    from typer.core import TyperOption

    original = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "_aeo_flags", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_bool_flag", False) and self.metavar is None:
            return None
        return original(self, ctx)

    display_type_rich._aeo_flags = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_take_no_value()


def _stderr():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(highlight=False)


def _escape(text: str) -> str:
    from rich.markup import escape

    from .errors import clean

    return escape(clean(text))


# The verdicts as a reader sees them (model.VERDICT_LABELS), marked for translation here
VERDICT_WORDS = {
    "not-eligible": N_("Not eligible yet"),
    "ready": N_("Ready to apply"),
    "nearly-ready": N_("Nearly ready"),
    "not-ready": N_("Not ready"),
}


def _verdict(value: Any) -> str:
    """A verdict (enum or its value) in the language in use."""
    key = getattr(value, "value", value)
    return _(VERDICT_WORDS[key]) if key in VERDICT_WORDS else str(key)


def _verdict_short(value: Any) -> str:
    """A verdict in a word or two, for tables and progress lines (English: the value)."""
    key = str(getattr(value, "value", value))
    words = {
        "not-eligible": pgettext("verdict, short", "not-eligible"),
        "ready": pgettext("verdict, short", "ready"),
        "nearly-ready": pgettext("verdict, short", "nearly-ready"),
        "not-ready": pgettext("verdict, short", "not-ready"),
    }
    return words.get(key, key)


def _priority(value: Any) -> str:
    """A gap's priority (blocker, critical, high, medium, low) in the language in use."""
    key = str(getattr(value, "value", value))
    words = {
        "blocker": pgettext("priority", "blocker"),
        "critical": pgettext("priority", "critical"),
        "high": pgettext("priority", "high"),
        "medium": pgettext("priority", "medium"),
        "low": pgettext("priority", "low"),
    }
    return words.get(key, key)


def _answer_word(value: Any) -> str:
    """An answer value (yes, partial, no, na, unanswered) in the language in use."""
    key = str(getattr(value, "value", value))
    words = {
        "yes": pgettext("answer", "yes"),
        "partial": pgettext("answer", "partial"),
        "no": pgettext("answer", "no"),
        "na": pgettext("answer", "N/A"),
        "unanswered": pgettext("answer", "unanswered"),
    }
    return words.get(key, key)


def _gap_count(priority: str, n: int) -> str:
    """ "3 critical", "1 critique", "2 altas": a number of gaps of one priority."""
    texts = {
        "blocker": ngettext("{n} blocker", "{n} blocker", n),
        "critical": ngettext("{n} critical", "{n} critical", n),
        "high": ngettext("{n} high", "{n} high", n),
        "medium": ngettext("{n} medium", "{n} medium", n),
        "low": ngettext("{n} low", "{n} low", n),
    }
    return texts[priority].format(n=n)


def _month_or_date(day: str) -> str:
    """A date as the language writes it; a month alone (2008-06) as "June 2008"."""
    if len(day) == 7 and day[4] == "-" and day[:4].isdigit() and day[5:].isdigit():
        month = int(day[5:])
        if 1 <= month <= 12:
            name = i18n.MONTHS[i18n.current()][month - 1]
            joiner = " de " if i18n.current() == "es" else " "
            return name + joiner + day[:4]
    return i18n.fmt_date(day)


def _num(value: float | None) -> str:
    """A score as the language writes it: 92.7, 92,7; n/a for none."""
    return i18n.fmt_number(value)


def _num_g(value: float) -> str:
    """An option's number as typed (80, 92.5), with the language's decimal comma."""
    text = f"{value:g}"
    return text.replace(".", ",") if i18n.current() in ("fr", "es") else text


def _change(value: float | None) -> str:
    """A change of score with its sign: +4.2, -1,5."""
    if value is None:
        return ""
    return ("-" if value < 0 else "+") + i18n.fmt_number(abs(value))


def handled(func: F) -> F:
    """Run a command; turn aeo-check errors, Ctrl-C and surprises into one line + exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _use_language(kwargs.get("lang"))
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except Interrupted as exc:
            _stderr().print(f"[yellow]{_escape(str(exc))}[/]")
            raise typer.Exit(exc.exit_code) from None
        except AeoCheckError as exc:
            # one line: the first problem, and how many more ('aeo-check validate' lists them)
            _stderr().print(f"[bold red]{_escape(i18n._('error:'))}[/] {_escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _stderr().print(f"[yellow]{_escape(_('interrupted'))}[/]")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as exc:  # a bug: one line, not a traceback
            if os.environ.get("AEO_CHECK_DEBUG"):
                raise
            err = _stderr()
            err.print(
                f"[bold red]{_escape(_('internal error:'))}[/] {_escape(type(exc).__name__)}: "
                + _escape(
                    _("{error} (please report it; set AEO_CHECK_DEBUG=1 for details)").format(
                        error=str(exc)
                    )
                )
            )
            raise typer.Exit(3) from None

    return wrapper  # type: ignore[return-value]


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"aeo-check {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """aeo-check: are you ready to apply for CTPAT, PIP or Mexico's OEA?"""
    global _global_lang
    _global_lang = lang
    if lang and i18n.normalize(lang) not in i18n.LANGUAGES:
        try:
            _use_language(lang)
        except AeoCheckError as exc:
            _stderr().print(f"[bold red]{_escape(i18n._('error:'))}[/] {_escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None


# --------------------------------------------------------------------------------------------
# programs
# --------------------------------------------------------------------------------------------


@app.command()
@handled
def programs(
    program: Annotated[
        str | None, typer.Argument(help="Show one program in detail (ctpat, pip, oea).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print aeo-check/programs@1 JSON.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """List the programs, their business types, contacts and how to apply."""
    from . import catalog
    from .api import programs_document
    from .i18n_content import localize

    qs = [catalog.get(program)] if program else catalog.all_programs()
    qs = [localize(q, i18n.current()) for q in qs]  # the questionnaire's words; same JSON keys
    if as_json:
        sys.stdout.write(json.dumps(programs_document(qs), indent=2, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    out = _stdout()
    if program is None:
        table = Table(title=_("Programs"), show_lines=False)
        table.add_column(_("id"), style="bold")
        table.add_column(_("program"))
        table.add_column(_("agency"))
        table.add_column(_("business types"), justify="right")
        table.add_column(_("criteria"), justify="right")
        for q in qs:
            table.add_row(
                q.id,
                q.program.name,
                q.program.agency,
                str(len(q.entity_types)),
                str(len(q.criteria())),
            )
        out.print(table)
        out.print(_("Details: aeo-check programs PROGRAM    Start: aeo-check assess"))
        return
    q = qs[0]
    p = q.program
    out.print(f"[bold]{_escape(p.name)}[/] ({q.id}), {_escape(p.agency)}, {p.country}")
    out.print(f"  {p.url}")
    out.print(
        "  "
        + _escape(
            _("criteria: {document} ({date}); questionnaire version {version}").format(
                document=p.criteria_document.title,
                date=p.criteria_document.date or _("date not known"),
                version=q.version,
            )
        )
    )
    table = Table(title=_("Business types"))
    table.add_column(_("id"), style="bold", no_wrap=True)
    table.add_column(_("name"))
    table.add_column(_("criteria"), justify="right")
    table.add_column("o/c/s/i", justify="right", no_wrap=True)
    table.add_column(_("gates"), justify="right")
    from .plan import evidence_summary

    for et in q.entity_types:
        crits = q.applicable_criteria(et.id)
        levels = evidence_summary(q, et.id)
        table.add_row(
            et.id,
            et.name,
            str(len(crits)),
            "/".join(str(len(ids)) for ids in levels.values()),
            str(len(q.applicable_gates(et.id))),
        )
    out.print(table)
    legend = Table.grid(padding=(0, 2))
    legend.add_column(style="bold", no_wrap=True)
    legend.add_column()
    legend.add_row(_("criteria"), _("the security criteria this business type answers"))
    legend.add_row(
        "o/c/s/i",
        _(
            "how those criteria (id, level, applicability) were sourced: official (the agency's "
            "own text), copy (a stored copy of it), secondary, inferred; see docs/sources.md"
        ),
    )
    legend.add_row(
        _("gates"),
        _(
            "eligibility requirements, asked before the criteria: a company that answers no to "
            "any one of them cannot apply yet, whatever its score"
        ),
    )
    out.print(legend, style="dim")
    if p.ids_note:
        out.print(f"[dim]{_escape(p.ids_note)}[/]")
    out.print(f"[bold]{_escape(_('How to apply'))}[/]")
    for i, step in enumerate(p.apply, 1):
        url = f" {step.url}" if step.url else ""
        out.print(f"  {i}. {_escape(step.step)}{url}")
    out.print(f"[bold]{_escape(_('Contacts'))}[/]")
    for c in p.contacts:
        parts = ", ".join(x for x in (c.email, c.url, c.phone) if x)
        level = _evidence_level(c.evidence_level.value)
        out.print(f"  {_escape(c.label)}: {_escape(parts)} [dim]({_escape(level)})[/]")
    if p.mutual_recognition:
        out.print(f"[bold]{_escape(_('Mutual recognition'))}[/]")
        for m in p.mutual_recognition:
            since = (
                _("{name} ({program}), since {month}")
                if len(m.since) == 7
                else _("{name} ({program}), since {date}")
            )
            line = since.format(
                name=m.name,
                program=m.program,
                month=_month_or_date(m.since),
                date=_month_or_date(m.since),
            )
            out.print(f"  {_escape(line)}")


def _evidence_level(value: str) -> str:
    words = {
        "official": pgettext("evidence level", "official"),
        "copy": pgettext("evidence level", "copy"),
        "secondary": pgettext("evidence level", "secondary"),
        "inferred": pgettext("evidence level", "inferred"),
    }
    return words.get(value, value)


# --------------------------------------------------------------------------------------------
# template
# --------------------------------------------------------------------------------------------


@app.command()
@handled
def template(
    program: Annotated[
        str, typer.Argument(help="Program id (ctpat, pip, oea) or a questionnaire file.")
    ],
    entity: Annotated[
        str,
        typer.Option("--entity", "-e", help="Business type id (see 'aeo-check programs PROGRAM')."),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    company: Annotated[str | None, typer.Option(help="Company name to fill in.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="yaml or xlsx (a workbook); default: from -o's extension."
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Write a blank answers file (YAML or an .xlsx workbook) for a client to fill in."""
    from . import catalog
    from .answers import atomic_write_text, dump_answers, new_assessment
    from .errors import OutputExistsError, UsageError
    from .model import Company

    q = catalog.resolve(program)
    if q.entity_type(entity) is None:
        known = ", ".join(e.id for e in q.entity_types)
        raise UsageError(
            _("--entity: {entity!r} is not a business type of {program} (known: {known})").format(
                entity=entity, program=q.program.short_name, known=known
            )
        )
    a = new_assessment(q, entity, company=Company(name=company or ""))
    from .workbook import template_format, write_template

    workbook = template_format(fmt, output) == "xlsx"
    text = "" if workbook else dump_answers(q, a)
    if output is None:
        sys.stdout.write(text)
        return
    if output.exists() and not force:
        raise OutputExistsError(str(output))
    if workbook:
        write_template(output, q, a)
    else:
        atomic_write_text(output, text)
    n = len(q.applicable_criteria(entity))
    _stderr().print(
        _escape(
            ngettext("wrote {file} ({n} criterion)", "wrote {file} ({n} criteria)", n).format(
                file=output, n=n
            )
        )
    )


# --------------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------------


@app.command()
@handled
def validate(
    files: Annotated[list[Path], typer.Argument(help="Questionnaire or answers files.")],
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "--questionnaire", "-q", help="Check answers against this questionnaire file."
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Also check how solid valid answers are (Musts yes without evidence, gaps "
            "without an action or note, overdue actions, N/A to justify); exit 1 on any.",
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Check questionnaires and answers files; print file:line:col: message per problem."""
    from .api import quality_problems, validate_file

    q = None
    if questionnaire:
        from . import catalog

        q = catalog.resolve(questionnaire)
    bad = weak = 0
    err = _stderr()
    for f in files:
        kind, problems, summary = validate_file(f, questionnaire=q)
        if problems:
            bad += 1
            for p in problems:
                typer.echo(str(p))
        else:
            what = _file_kind(kind) + (", " + summary if summary else "")
            err.print(_escape(_("{file}: ok ({what})").format(file=f, what=what)))
            if strict and kind == "answers":
                found = quality_problems(f, questionnaire=q)
                for p in found:
                    typer.echo(str(p))
                if found:
                    weak += 1
                    n = len(found)
                    err.print(
                        _escape(
                            ngettext(
                                "{file}: {n} quality finding", "{file}: {n} quality findings", n
                            ).format(file=f, n=n)
                        )
                    )
    if bad:
        raise typer.Exit(EXIT_INPUT)
    if weak:
        raise typer.Exit(EXIT_THRESHOLD)


def _file_kind(kind: str) -> str:
    words = {
        "answers": pgettext("file kind", "answers"),
        "questionnaire": pgettext("file kind", "questionnaire"),
        "crosswalk": pgettext("file kind", "crosswalk"),
        "file": pgettext("file kind", "file"),
    }
    return words.get(kind, kind)


# --------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------


@app.command()
@handled
def report(
    answers: Annotated[Path, typer.Argument(help="The answers file.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="A file (format from its extension) or a folder."),
    ] = None,
    formats: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Comma-separated: pdf, json, md, csv, xlsx."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result (aeo-check/result@1) on stdout.")
    ] = False,
    fail_under: Annotated[
        float | None,
        typer.Option(help="Exit 1 when the overall score is below this.", min=0, max=100),
    ] = None,
    questionnaire: Annotated[
        str | None,
        typer.Option("--questionnaire", "-q", help="Use this questionnaire file instead."),
    ] = None,
    generated_on: Annotated[
        str | None,
        typer.Option(help="Date printed in the report (YYYY-MM-DD), for reproducible files."),
    ] = None,
    compare_programs: Annotated[
        bool,
        typer.Option(
            "--compare", help="Add readiness for the partner programs (mutual recognition)."
        ),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(help="An earlier answers file of the same company: adds a progress section."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Score an answers file and write the reports (PDF by default). Never prompts."""
    from .pipeline import ReportOptions, parse_formats, plan_outputs, run_report

    _check_date(generated_on, "--generated-on")
    q = None
    if questionnaire:
        from . import catalog

        q = catalog.resolve(questionnaire)
    outputs = plan_outputs(answers, json_stdout=as_json, out=output, formats=parse_formats(formats))
    run = run_report(
        answers,
        outputs,
        questionnaire=q,
        options=ReportOptions(
            generated_on=generated_on, compare=compare_programs, baseline=baseline
        ),
    )
    err = _stderr()
    for w in run.result.warnings:
        err.print(f"[yellow]{_escape(_('warning:'))}[/] {_escape(str(answers))}: {_escape(w)}")
    if as_json:
        from .reports.json import render

        sys.stdout.write(render(run.result))
    else:
        _print_summary(run.result, err, brief=True)
    for path in run.written.values():
        err.print(_escape(_("wrote {file}").format(file=path)))
    _print_read_next(run.written, err, as_json)
    _check_threshold(run.result.overall, fail_under)


def _check_date(value: str | None, option: str) -> None:
    if value is None:
        return
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError:
        from .errors import UsageError
        from .schema import _not_a_real_date

        why = _not_a_real_date(value)
        if why is not None:
            raise UsageError(
                _("{option}: {value!r} is not a real date ({why})").format(
                    option=option, value=value, why=why
                )
            ) from None
        raise UsageError(
            _("{option}: {value!r} is not a date (write YYYY-MM-DD)").format(
                option=option, value=value
            )
        ) from None


def _check_threshold(overall: float | None, fail_under: float | None) -> None:
    if fail_under is None:
        return
    if overall is None or overall < fail_under:
        line = _("score {score} is under --fail-under {threshold}").format(
            score=_num(overall),
            threshold=_num_g(fail_under),
        )
        _stderr().print(f"[red]{_escape(line)}[/]")
        raise typer.Exit(EXIT_THRESHOLD)


def _print_read_next(written: dict[str, Any], console: Any, json_out: bool) -> None:
    """Point at the one file to read next: the PDF, else the Markdown report."""
    for fmt in ("pdf", "md"):
        if fmt in written and not json_out:
            console.print(_escape(_("read next: {file}").format(file=written[fmt])))
            return


def _print_summary(result: Any, console: Any, *, brief: bool = False) -> None:
    colours = {
        "ready": "green",
        "nearly-ready": "yellow",
        "not-ready": "red",
        "not-eligible": "red",
    }
    a = result.assessment
    q = result.questionnaire
    overall = _num(result.overall)
    colour = colours[result.verdict.value]
    label = _verdict(result.verdict)
    prov = " " + _("(provisional: some questions unanswered)") if result.provisional else ""
    lq = _localized(q, result.entity_type.id)
    entity_name = _entity_name(lq, result.entity_type)
    line = _escape(_("{company} · {program} · {business_type}: score {score} · {verdict}"))
    console.print(
        line.format(
            company=f"[bold]{_escape(a.company.name or _('(no company name)'))}[/]",
            program=_escape(q.program.short_name),
            business_type=_escape(entity_name),
            score=f"[bold]{overall}[/]",
            verdict=f"[bold {colour}]{_escape(label)}[/]",
        )
        + _escape(prov)
    )
    from .plan import first_task
    from .scoring import verdict_reasons

    reasons = verdict_reasons(result)
    if reasons:  # wrapped at word boundaries, whatever the console's soft_wrap
        console.print(
            _escape(_("why: {reasons}").format(reasons="; ".join(reasons))), soft_wrap=False
        )
    first = first_task(result)
    if first is not None:
        g = first.gap
        title = _gap_title(lq, g)
        what = title if g.is_gate else f"{g.id} {title}"
        console.print(_escape(_("do first: {task}").format(task=what)), soft_wrap=False)
    counts = result.gap_counts
    shown = [p for p in ("blocker",) if counts.get(p)] + ["critical", "high", "medium", "low"]
    parts = [_gap_count(p, counts.get(p, 0)) for p in shown]
    console.print(_escape(_("gaps: {counts}").format(counts=", ".join(parts))))
    if brief:
        return
    from rich.table import Table

    table = Table(title=_("Score by category"))
    table.add_column(_("category"))
    table.add_column(_("score"), justify="right")
    table.add_column(_("answered"), justify="right")
    for cs in result.categories:
        table.add_row(
            f"{cs.id}. {_escape(_category_title(lq, cs))}",
            _num(cs.score),
            f"{cs.answered}/{cs.applicable}",
        )
    console.print(table)
    if result.gaps:
        gaps = Table(title=_("Top gaps"))
        gaps.add_column(_("id"))
        gaps.add_column(_("priority"))
        gaps.add_column(_("criterion"))
        gaps.add_column(_("answer"))
        for g in result.gaps[:10]:
            gaps.add_row(
                g.id, _priority(g.priority), _escape(_gap_title(lq, g)), _answer_word(g.answer)
            )
        console.print(gaps)


def _localized(q: Any, entity: str | None = None) -> Any:
    """The questionnaire (of one business type) in the language in use, to name what a result
    refers to: results keep the text of the questionnaire they were scored on."""
    from .i18n_content import localize

    lq = localize(q, i18n.current())
    return lq.for_entity(entity) if entity else lq


def _entity_name(lq: Any, entity_type: Any) -> str:
    et = lq.entity_type(entity_type.id)
    return et.name if et is not None else entity_type.name


def _category_title(lq: Any, cat: Any) -> str:
    c = lq.category(cat.id)
    return c.title if c is not None else cat.title


def _gap_title(lq: Any, gap: Any) -> str:
    """A gap's title in the language in use."""
    if gap.is_gate:
        gate = next((g for g in lq.eligibility if g.id == gap.id), None)
        return gate.label if gate is not None else gap.title
    crit = lq.criterion(gap.id)
    return crit.title if crit is not None and crit.title else gap.title


# --------------------------------------------------------------------------------------------
# assess
# --------------------------------------------------------------------------------------------


@app.command()
@handled
def assess(
    answers: Annotated[
        Path | None,
        typer.Argument(help="Answers file: resumed if it exists, created otherwise."),
    ] = None,
    program: Annotated[
        str | None, typer.Option("--program", "-p", help="Program id (ctpat, pip, oea).")
    ] = None,
    entity: Annotated[str | None, typer.Option("--entity", "-e", help="Business type id.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Report file or folder at the end.")
    ] = None,
    formats: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Report formats at the end (pdf,json,md,csv,xlsx)."),
    ] = None,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Write no report at the end.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            help="If the answers file exists, also offer to start over (asked first; the "
            "earlier file is kept as FILE.<date>.bak)."
        ),
    ] = False,
    from_answers: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Pre-fill from another program's answers through the crosswalk (needs --program).",
        ),
    ] = None,
    save_as: Annotated[
        Path | None,
        typer.Option(
            "--save-as",
            help="Resume ANSWERS but save to this file (.yaml converts a workbook to YAML, "
            ".xlsx a YAML file to a workbook); ANSWERS is left as it is.",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Interactive self-assessment: asks, saves after every answer, resumes, reports."""
    from .interview import run_interview
    from .pipeline import ReportOptions, parse_formats, plan_outputs, run_report

    fmts = parse_formats(formats)
    prefill, prefill_from = None, None
    if from_answers is not None:
        from .errors import UsageError

        if not program:
            raise UsageError(_("--from needs --program (the program to assess for)"))
        prefill, prefill_from = _prefill(from_answers, program, entity)
    if save_as is not None:
        from .workbook import check_save_as

        check_save_as(answers, save_as, force or from_answers is not None)
    path = run_interview(
        answers,
        program=program,
        entity=entity,
        force=force,
        prefill=prefill,
        prefill_from=prefill_from,
        save_as=save_as,
    )
    if path is None:  # the user chose to stop; progress saved and explained
        return
    err = _stderr()
    outputs = {} if no_report else plan_outputs(path, json_stdout=False, out=output, formats=fmts)
    custom = None
    if program and program.endswith((".yaml", ".yml")):
        from . import catalog

        custom = catalog.resolve(program)
    run = run_report(path, outputs, questionnaire=custom, options=ReportOptions())
    _print_summary(run.result, err)
    for written in run.written.values():
        err.print(_escape(_("wrote {file}").format(file=written)))
    _print_read_next(run.written, err, False)


def _prefill(from_answers: Path, program: str, entity: str | None) -> tuple[Any, str]:
    """The pre-filled assessment for assess --from, and the program its answers come from
    (the interview says how many were carried over, once)."""
    from . import catalog
    from .answers import load_answers
    from .compare import prefilled_assessment
    from .crosswalk import load_crosswalk
    from .errors import UsageError

    src_a, src_q = load_answers(from_answers)
    target = catalog.resolve(program)
    if target.id == src_q.id:
        raise UsageError(
            _("--from {file} is already a {program} assessment").format(
                file=from_answers, program=src_q.id
            )
        )
    assessment, _carried = prefilled_assessment(src_q, src_a, target, load_crosswalk(), entity)
    return assessment, src_q.program.short_name


# --------------------------------------------------------------------------------------------
# compare, diff
# --------------------------------------------------------------------------------------------


@app.command()
@handled
def compare(
    answers: Annotated[Path, typer.Argument(help="One program's answers file.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print aeo-check/compare@1 JSON.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Readiness for the other programs through the mutual-recognition crosswalk."""
    from . import catalog
    from .answers import load_answers
    from .compare import compare as run_compare
    from .compare import comparison_to_dict
    from .crosswalk import load_crosswalk

    assessment, q = load_answers(answers)
    comparison = run_compare(q, assessment, catalog.all_programs(), load_crosswalk())
    if as_json:
        sys.stdout.write(
            json.dumps(comparison_to_dict(comparison), indent=2, ensure_ascii=False) + "\n"
        )
        return
    src = comparison.source
    provisional = " " + _("(provisional)")
    rows = [
        [
            _escape(_("{program} (source)").format(program=q.program.short_name)),
            _escape(_entity_name(_localized(q), src.entity_type)),
            "–",
            "–",
            str(src.answer_counts["unanswered"]),
            _num(src.overall),
            "",
            _escape(_verdict(src.verdict) + (provisional if src.provisional else "")),
        ]
    ]
    for row in comparison.programs:
        if row.result is None:
            rows.append([row.program, _escape(row.note or ""), "", "", "", "", "", ""])
            continue
        r = row.result
        likely = row.if_confirmed.overall if row.if_confirmed else None
        rows.append(
            [
                _escape(r.questionnaire.program.short_name),
                _escape(_entity_name(_localized(r.questionnaire), r.entity_type)),
                str(len(row.carried_over)),
                str(len(row.to_confirm)),
                str(len(row.to_answer)),
                _num(r.overall),
                _num(likely),
                _escape(_verdict(r.verdict) + provisional),
            ]
        )
    columns = [
        _Col(_("program")),
        _Col(_("business type"), cap=24),
        _Col(_("carried over"), "right", drop=3),
        _Col(_("to confirm"), "right", drop=2),
        _Col(_("to answer"), "right", drop=4),
        _Col(_("score"), "right"),
        _Col(_("if confirmed"), "right", drop=1),
        _Col(_("verdict")),
    ]
    out = _stdout()
    title = _("Readiness from {program} answers ({file})").format(
        program=q.program.short_name, file=answers.name
    )
    table, dropped = _fit_table(_escape(title), columns, rows, out.width)
    out.print(table)
    if dropped:
        note = _("narrow terminal: {columns} left out; {command} has every figure").format(
            columns=", ".join(dropped), command=f"aeo-check compare --json {answers}"
        )
        _stderr().print(f"[dim]{_escape(note)}[/]")
    _stderr().print(
        _escape(
            _(
                "Carried over: equivalent criteria answered in the source. To confirm: related "
                "criteria ('if confirmed' scores them with the related answers). Start a "
                "pre-filled assessment with: {command}"
            ).format(command=f"aeo-check assess --program PROGRAM --from {answers}")
        )
    )


@app.command()
@handled
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier answers file.")],
    new: Annotated[Path, typer.Argument(help="The later answers file (same program).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print aeo-check/diff@1 JSON.")] = False,
    lang: LangOption = None,
) -> None:
    """Progress between two assessments of one company: scores, gaps closed and opened."""
    from .answers import load_answers
    from .diff import diff as run_diff
    from .diff import difference_to_dict
    from .scoring import score

    old_a, old_q = load_answers(old)
    new_a, new_q = load_answers(new)
    d = run_diff(score(old_q, old_a), score(new_q, new_a))
    if as_json:
        sys.stdout.write(json.dumps(difference_to_dict(d), indent=2, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    lq = _localized(new_q, new_a.entity_type)

    def when(a: Any, path: Path) -> str:
        return i18n.fmt_date(a.assessed_on) if a.assessed_on else path.name

    table = Table(
        title=_escape(f"{new_q.program.short_name}: {when(old_a, old)} → {when(new_a, new)}")
    )
    table.add_column(_("category"))
    table.add_column(_("before"), justify="right")
    table.add_column(_("now"), justify="right")
    table.add_column(_("change"), justify="right")
    for c in d.categories:
        title = _escape(_category_title(lq, c))
        table.add_row(f"{c.id}. {title}", _num(c.old), _num(c.new), _change(c.change))
    table.add_row(
        f"[bold]{_escape(_('Overall'))}[/]",
        _num(d.overall.old),
        _num(d.overall.new),
        _change(d.overall.change),
    )
    out = _stdout()
    out.print(table)
    none = _("none")
    for label, gaps in (
        (_("gaps closed ({n})"), d.closed_gaps),
        (_("new gaps ({n})"), d.opened_gaps),
    ):
        out.print(_escape(label.format(n=len(gaps)) + (":" if gaps else f": {none}")))
        for g in gaps:
            title = _gap_title(lq, g)
            name = title if g.is_gate else f"{g.id} {title}"
            out.print(f"  {_escape(name)} [dim]({_escape(_priority(g.priority))})[/]")
    changes = "; ".join(f"{c.id} {_answer_word(c.old)}→{_answer_word(c.new)}" for c in d.changed)
    out.print(
        _escape(_("answers changed ({n})").format(n=len(d.changed)) + ": " + (changes or none))
    )


# --------------------------------------------------------------------------------------------
# batch
# --------------------------------------------------------------------------------------------


@app.command()
@handled
def batch(
    inputs: Annotated[list[Path], typer.Argument(help="Answers files and folders (recursive).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the reports.")],
    formats: Annotated[
        str, typer.Option("--format", "-f", help="Comma-separated: pdf, json, md, csv, xlsx.")
    ] = "pdf",
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes (default: CPUs).", min=1)
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option(help="Exit 1 when any score is below this.", min=0, max=100),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress, no table.")] = False,
    generated_on: Annotated[
        str | None,
        typer.Option(help="Date printed in the reports (YYYY-MM-DD), for reproducible files."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Many answers files -> a report each and a portfolio summary (PDF, CSV, JSON)."""
    from .batch import run_batch
    from .pipeline import parse_formats

    _check_date(generated_on, "--generated-on")
    fmts = parse_formats(formats) or ["pdf"]
    err = _stderr()
    progress_cb, stop = _batch_progress(err, quiet)
    try:
        result = run_batch(
            inputs, output, formats=fmts, jobs=jobs, generated_on=generated_on,
            progress=progress_cb,
        )  # fmt: skip
    except KeyboardInterrupt as exc:
        stop()
        partial = getattr(exc, "batch_result", None)
        done = sum(1 for r in partial.rows if not r.error) if partial else 0
        line = ngettext(
            "interrupted: {n} report finished; summary written to {file}",
            "interrupted: {n} reports finished; summary written to {file}",
            done,
        ).format(n=done, file=output / "portfolio.csv")
        err.print(f"[yellow]{_escape(line)}[/]")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    stop()
    if not quiet:
        _batch_table(result)
    for row in result.failed:
        err.print(f"[bold red]{_escape(_('error:'))}[/] {_escape(row.error or '')}")
    blank = result.nothing_answered
    total = len(result.rows)
    assessed = ngettext("{done} of {total} assessed", "{done} of {total} assessed", total).format(
        done=total - len(result.failed), total=total
    )
    warning = ngettext(
        "warning: {n} with nothing answered", "warning: {n} with nothing answered", len(blank)
    ).format(n=len(blank))
    why = _("(a blank answers file scores {zero} until it is filled in)").format(
        zero=i18n.fmt_number(0.0)
    )
    summary = _("summary: {file}").format(file=result.summary_files.get("pdf", ""))
    sep = _escape(pgettext("between parts of a line", "; "))
    err.print(
        _escape(assessed)
        + sep
        + (f"[yellow]{_escape(warning)}[/] {_escape(why)}{sep}" if blank else "")
        + _escape(summary)
    )
    if result.failed:
        raise typer.Exit(EXIT_INPUT)
    below = result.below(fail_under)
    if below:
        line = ngettext(
            "{n} score under --fail-under {threshold}",
            "{n} scores under --fail-under {threshold}",
            len(below),
        ).format(n=len(below), threshold=_num_g(fail_under))
        err.print(f"[red]{_escape(line)}[/]")
        raise typer.Exit(EXIT_THRESHOLD)


def _batch_progress(err: Any, quiet: bool) -> tuple[Any, Any]:
    """A Rich progress bar on a terminal, plain lines otherwise, nothing with --quiet."""
    if quiet:
        return None, lambda: None
    if err.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            TextColumn(_escape(_("assessing"))),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        task = bar.add_task("batch", total=None)
        bar.start()

        def update(done: int, total: int, row: Any) -> None:
            bar.update(task, completed=done, total=total)

        return update, bar.stop

    def line(done: int, total: int, row: Any) -> None:
        status = _("error") if row.error else f"{_verdict_short(row.verdict)} {_num(row.overall)}"
        if row.warning:
            status += " " + _("(warning: {warning})").format(warning=row.warning)
        err.print(f"[{done}/{total}] {_escape(row.input)}: {_escape(status)}")

    return line, lambda: None


def _batch_table(result: Any) -> None:
    rows = []
    for r in result.rows:
        if r.error:
            rows.append(
                [_escape(Path(r.input).name), "", "", "", f"[red]{_escape(_('error'))}[/]", "", ""]
            )
            continue
        rows.append(
            [
                _escape(r.company or _("(no name)")),
                _escape(r.program),
                _escape(r.entity_type),
                _num(r.overall),
                _escape(_verdict_short(r.verdict))
                + (" " + _escape(_("(prov.)")) if r.provisional else "")
                + (f"\n[yellow]{_escape(r.warning)}[/]" if r.warning else ""),
                str(r.gaps.get("critical", 0)),
                _escape(next(iter(r.outputs.values()), "")),
            ]
        )
    out = _stdout()
    columns = [
        _Col(_("company"), cap=24),
        _Col(_("program")),
        _Col(_("business type"), drop=2),
        _Col(_("score"), "right"),
        _Col(_("verdict")),
        _Col(pgettext("gaps", "critical"), "right", drop=1),
        _Col(_("report"), drop=3),
    ]
    n = len(result.rows)
    title = ngettext("Portfolio ({n} input)", "Portfolio ({n} inputs)", n).format(n=n)
    table, dropped = _fit_table(_escape(title), columns, rows, out.width)
    out.print(table)
    if dropped:
        note = _("narrow terminal: {columns} left out; every column is in {file}").format(
            columns=", ".join(dropped), file=result.out_dir / "portfolio.csv"
        )
        _stderr().print(f"[dim]{_escape(note)}[/]")


@dataclass
class _Col:
    """A column of a terminal table that must fit the terminal without cutting a word."""

    header: str
    justify: str = "left"
    drop: int = 0  # 0: always shown; below the width, the highest is left out first
    cap: int | None = None  # a longer word (a name, a path) may fold; None: never


def _fit_table(title: str, columns: list[_Col], rows: list[list[str]], width: int) -> Any:
    """A table whose every word is shown whole at this width (80 columns, a pipe).

    Each column is at least as wide as its longest word; when they cannot all be, the most
    droppable columns are left out, and below that a list (one row a paragraph) takes the
    table's place. Returns (renderable, headers left out).
    """
    from rich.cells import cell_len
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    cells = [
        [Text.from_markup(col.header).plain] + [Text.from_markup(r[i]).plain for r in rows]
        for i, col in enumerate(columns)
    ]
    mins, naturals = [], []
    for col, texts in zip(columns, cells, strict=True):
        longest = max((cell_len(w) for t in texts for w in t.split()), default=1)
        mins.append(min(longest, col.cap) if col.cap else longest)
        naturals.append(max(cell_len(line) for t in texts for line in t.splitlines() or [""]))

    # boxed: borders and a space of padding each side of each column; plain: no side borders,
    # two spaces between columns. The style that leaves out fewer columns wins; boxed on a tie.
    styles = {"boxed": lambda n: 3 * n + 1, "plain": lambda n: 2 * (n - 1)}

    def fit(chrome: Callable[[int], int]) -> list[int]:
        shown = list(range(len(columns)))
        while sum(mins[i] for i in shown) + chrome(len(shown)) > width:
            droppable = [i for i in shown if columns[i].drop]
            if not droppable:
                break
            shown.remove(max(droppable, key=lambda i: (columns[i].drop, i)))
        return shown

    style, shown = max(
        ((name, fit(chrome)) for name, chrome in styles.items()),
        key=lambda t: (len(t[1]), t[0] == "boxed"),
    )
    spare = width - styles[style](len(shown)) - sum(mins[i] for i in shown)
    dropped = [columns[i].header for i in range(len(columns)) if i not in shown]
    if spare < 0:  # not even the essential columns fit: a list, wrapped between words
        from rich.padding import Padding

        lines: list[Any] = [Text.from_markup(f"[bold]{title}[/]")]
        for r in rows:
            rest = [(columns[i].header, r[i]) for i in shown[1:] if r[i]]
            body = " · ".join(f"{h}: {' '.join(v.split())}" for h, v in rest)
            lines += [
                Text.from_markup(r[shown[0]]),
                Padding(Text.from_markup(body), (0, 0, 0, 2), expand=False),
            ]
        return Group(*lines), dropped
    widths = {i: mins[i] for i in shown}
    wants = {i: max(0, naturals[i] - mins[i]) for i in shown}
    if spare >= sum(wants.values()):
        widths = {i: mins[i] + wants[i] for i in shown}
    else:  # share the spare room by how much each column lacks
        total = sum(wants.values())
        for i in shown:
            widths[i] += spare * wants[i] // total
        left = spare - sum(widths[i] - mins[i] for i in shown)
        for i in sorted(shown, key=lambda i: widths[i] - naturals[i])[:left]:
            widths[i] += 1
    if style == "boxed":
        table = Table(title=title)
    else:
        from rich import box

        table = Table(
            title=title,
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
            show_lines=any("\n" in t or len(t) > widths[i] for i in shown for t in cells[i][1:]),
        )  # rows that wrap are kept apart by a blank line
    for i in shown:
        table.add_column(
            columns[i].header,
            justify=columns[i].justify,  # type: ignore[arg-type]
            width=widths[i],
            overflow="fold",  # only a word longer than `cap` folds; nothing is ever cut off
        )
    for r in rows:
        table.add_row(*(r[i] for i in shown))
    return table, dropped


def main() -> None:
    """Console-script entry point."""
    app(prog_name="aeo-check")
