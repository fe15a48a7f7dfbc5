"""The one pipeline: answers file -> Result -> the report files asked for.

``report``, ``assess`` (at its end) and ``batch`` (in each worker) all call
:func:`run_report`, so the pipeline exists once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .answers import load_answers
from .atomic import atomic_write_bytes
from .errors import OutputError, UsageError
from .model import Questionnaire, Result
from .reports import FORMATS
from .scoring import score

EXTENSIONS = {"pdf": ".pdf", "json": ".json", "md": ".md", "csv": ".csv", "xlsx": ".xlsx"}
_BY_EXTENSION = {
    ".pdf": "pdf",
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".xlsx": "xlsx",
}


@dataclass(frozen=True)
class ReportOptions:
    """How reports are rendered (not what is scored)."""

    generated_on: str | None = None  # fixed date for byte-identical PDFs, YYYY-MM-DD
    compare: bool = False
    baseline: Path | None = None


@dataclass
class ReportRun:
    result: Result
    written: dict[str, Path] = field(default_factory=dict)
    comparison: Any = None
    difference: Any = None


def parse_formats(value: str | None) -> list[str]:
    """'pdf,json' -> ['pdf', 'json']; raises UsageError for an unknown format."""
    if not value:
        return []
    out: list[str] = []
    for part in value.replace(" ", "").split(","):
        if not part:
            continue
        fmt = "md" if part in ("markdown",) else part
        if fmt not in FORMATS:
            raise UsageError(
                f"--format: unknown format {part!r} (choose from: {', '.join(FORMATS)})"
            )
        if fmt not in out:
            out.append(fmt)
    return out


def report_name(answers_path: Path) -> str:
    """The name (without extension) of an answers file's reports: company, program and
    business type, made safe as ``batch`` makes them (:func:`aeo_check.batch.report_stem`).

    An answers file that cannot be read yet is named after itself; reading it properly
    reports its problems a moment later.
    """
    from .answers import read_answers_data
    from .batch import report_stem
    from .errors import AeoCheckError

    try:
        data = read_answers_data(answers_path)
    except (AeoCheckError, OSError):
        return report_stem(None, None, None, answers_path)
    company = (data.get("company") or {}).get("name")
    program, entity = data.get("program"), data.get("entity_type")
    if program is None or entity is None:
        return report_stem(None, None, None, answers_path)
    return report_stem(company, str(program), str(entity), answers_path)


def plan_outputs(
    answers_path: Path,
    *,
    json_stdout: bool,
    out: Path | None,
    formats: list[str],
    cwd: Path | None = None,
    name: str | None = None,
) -> dict[str, Path]:
    """Which files `report` writes, by the output rules of docs/cli.md.

    - ``--json`` alone prints to stdout and writes nothing;
    - no option: ``<name>.pdf`` in the current folder;
    - ``-o FILE``: that file; the format comes from FILE's extension;
    - ``-o FOLDER``: ``<name>.<ext>`` there for each ``--format`` (default pdf);
    - ``--format`` alone: ``<name>.<ext>`` in the current folder for each.

    ``<name>`` is :func:`report_name` (company, program and business type, as ``batch``
    names reports) unless ``name`` is given.
    """
    planned = _plan_outputs(answers_path, json_stdout, out, formats, cwd or Path.cwd(), name)
    for path in planned.values():  # -o client.xlsx on client.xlsx would overwrite the answers
        if path.absolute() == Path(answers_path).absolute() or (
            path.exists() and Path(answers_path).exists() and path.samefile(answers_path)
        ):
            raise UsageError(
                f"-o {path}: that is the answers file itself; write the report elsewhere"
            )
    return planned


def _plan_outputs(
    answers_path: Path,
    json_stdout: bool,
    out: Path | None,
    formats: list[str],
    cwd: Path,
    name: str | None,
) -> dict[str, Path]:
    if out is None:
        if not formats and json_stdout:
            return {}
        stem = name or report_name(answers_path)
        return {fmt: cwd / f"{stem}{EXTENSIONS[fmt]}" for fmt in formats or ["pdf"]}
    is_folder = (
        out.is_dir() or str(out).endswith(("/", "\\")) or (not out.suffix and not out.exists())
    )
    if is_folder:
        stem = name or report_name(answers_path)
        return {fmt: out / f"{stem}{EXTENSIONS[fmt]}" for fmt in formats or ["pdf"]}
    fmt = _BY_EXTENSION.get(out.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"-o {out}: cannot tell the format from the extension {out.suffix!r} "
            "(use .pdf, .json, .md, .csv or .xlsx, or give a folder)"
        )
    if formats and formats != [fmt]:
        raise UsageError(
            f"-o {out} is a .{fmt} file but --format asks for {', '.join(formats)}; "
            "give a folder to -o to write several formats"
        )
    return {fmt: out}


def render(
    fmt: str,
    result: Result,
    options: ReportOptions | None = None,
    *,
    comparison: Any = None,
    difference: Any = None,
) -> bytes:
    """One report format as bytes. ``comparison``/``difference`` add sections (PDF, Markdown)."""
    options = options or ReportOptions()
    if fmt == "json":
        from .reports import json as json_report

        return json_report.render(result).encode("utf-8")
    if fmt == "md":
        from .reports import markdown

        return markdown.render(result, comparison=comparison, difference=difference).encode("utf-8")
    if fmt == "csv":
        from .reports import csv as csv_report

        return csv_report.render(result)
    if fmt == "xlsx":
        from .workbook import render_result

        return render_result(result)
    if fmt == "pdf":
        from .reports import pdf

        return pdf.render(
            result,
            generated_on=options.generated_on,
            comparison=comparison,
            difference=difference,
        )
    raise UsageError(f"unknown format {fmt!r}")


def write_outputs(
    result: Result,
    outputs: dict[str, Path],
    options: ReportOptions | None = None,
    *,
    comparison: Any = None,
    difference: Any = None,
) -> dict[str, Path]:
    """Render and write each output atomically (a temporary name, then rename)."""
    written: dict[str, Path] = {}
    for fmt, path in outputs.items():
        data = render(fmt, result, options, comparison=comparison, difference=difference)
        if path.parent and not path.parent.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(
                    f"{path.parent}: cannot create the folder: {exc.strerror}"
                ) from None
        atomic_write_bytes(path, data)
        written[fmt] = path
    return written


def run_report(
    answers_path: str | Path,
    outputs: dict[str, Path],
    *,
    questionnaire: Questionnaire | None = None,
    options: ReportOptions | None = None,
) -> ReportRun:
    """Answers file -> Result -> report files. The single pipeline every command uses."""
    options = options or ReportOptions()
    assessment, q = load_answers(answers_path, questionnaire)
    result = score(q, assessment)
    comparison = difference = None
    if options.compare:
        from . import catalog
        from .compare import compare
        from .crosswalk import load_crosswalk

        programs = {p.id: p for p in catalog.all_programs()}
        programs[q.id] = q
        comparison = compare(
            q, assessment, list(programs.values()), load_crosswalk(), source_result=result
        )
    if options.baseline is not None:
        from .diff import diff

        old_assessment, old_q = load_answers(options.baseline, questionnaire)
        difference = diff(score(old_q, old_assessment), result)
    written = write_outputs(result, outputs, options, comparison=comparison, difference=difference)
    return ReportRun(result=result, written=written, comparison=comparison, difference=difference)
