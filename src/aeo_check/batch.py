"""Batch assessments: many answers files -> a report each and a portfolio summary.

Each input runs through the same pipeline as ``aeo-check report`` (:func:`run_one`) in a pool
of processes. Reports are written under temporary names; once every input is done their final
names are chosen in input order (company, program and business type, made safe for every file
system, with ``-2``, ``-3``... on a collision) and the files are renamed, so a report never sits
half-written under a final name and no input's report overwrites another's. A bad input becomes
an error row with its one-line message and the rest go on. The summary keeps the inputs' order.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AeoCheckError, UsageError

PORTFOLIO_FORMAT = "aeo-check/portfolio@1"
NOTHING_ANSWERED = "nothing answered"
ANSWERS_MARK = "aeo-check/answers@"
OTHER_MARKS = ("aeo-check/questionnaire@", "aeo-check/crosswalk@")
MAX_NAME = 80
_WINDOWS_RESERVED = {
    "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}  # fmt: skip


@dataclass
class Row:
    """One input's line in the portfolio summary."""

    input: str
    company: str | None = None
    program: str | None = None
    entity_type: str | None = None
    overall: float | None = None
    verdict: str | None = None
    provisional: bool | None = None
    gaps: dict[str, int] = field(default_factory=dict)
    categories: dict[str, float | None] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    reasons: list[str] = field(default_factory=list)  # why the verdict, in plain words
    warning: str | None = None  # NOTHING_ANSWERED for a blank template
    base_name: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "company": self.company,
            "program": self.program,
            "entity_type": self.entity_type,
            "overall": self.overall,
            "verdict": self.verdict,
            "provisional": self.provisional,
            "gaps": dict(self.gaps),
            "categories": dict(self.categories),
            "outputs": dict(self.outputs),
            "error": self.error,
            "reasons": list(self.reasons),
            "warning": self.warning,
        }


@dataclass
class BatchResult:
    rows: list[Row]
    out_dir: Path
    interrupted: bool = False
    summary_files: dict[str, Path] = field(default_factory=dict)

    @property
    def failed(self) -> list[Row]:
        return [r for r in self.rows if r.error]

    @property
    def nothing_answered(self) -> list[Row]:
        """Inputs with no gate and no criterion answered (a blank template): a 0.0 that means
        nothing yet, not a company with every control missing."""
        return [r for r in self.rows if not r.error and r.warning == NOTHING_ANSWERED]

    def below(self, threshold: float | None) -> list[Row]:
        if threshold is None:
            return []
        return [
            r for r in self.rows if not r.error and (r.overall is None or r.overall < threshold)
        ]


# --------------------------------------------------------------------------------------------
# Inputs and names
# --------------------------------------------------------------------------------------------


def _looks_like_answers(path: Path) -> bool:
    """Files in a folder: answers files, and YAML files we cannot tell (they become errors);
    every workbook but the result and portfolio workbooks aeo-check writes."""
    if path.suffix.lower() == ".xlsx":
        from .workbook import is_report_workbook

        return not is_report_workbook(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return True
    if ANSWERS_MARK in head:
        return True
    return not any(mark in head for mark in OTHER_MARKS) and "format:" not in head


def collect_inputs(inputs: Iterable[Path], exclude: Path | None = None) -> list[Path]:
    """Answers files from files and folders (searched recursively), in a stable order."""
    out: list[Path] = []
    seen: set[Path] = set()
    excluded = exclude.resolve() if exclude is not None else None
    for item in inputs:
        if item.is_dir():
            found = sorted(
                p
                for p in item.rglob("*")
                if p.suffix.lower() in (".yaml", ".yml", ".xlsx")
                and p.is_file()
                and not p.name.startswith((".", "~$"))  # ~$name.xlsx: Excel's lock file
                and (excluded is None or excluded not in p.resolve().parents)
            )
            candidates = [p for p in found if _looks_like_answers(p)]
        else:
            candidates = [item]  # a named file is always an input (missing -> error row)
        for p in candidates:
            key = p.resolve() if p.exists() else p.absolute()
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def safe_name(*parts: str | None, max_len: int = MAX_NAME) -> str:
    """A file name stem safe on Windows, macOS and Linux: ASCII letters, digits, '-', '_'."""
    words = []
    for part in parts:
        if not part:
            continue
        norm = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode("ascii")
        word = re.sub(r"[^A-Za-z0-9]+", "-", norm).strip("-").lower()
        if word:
            words.append(word)
    stem = "-".join(words)[:max_len].strip("-") or "report"
    if stem.split(".")[0] in _WINDOWS_RESERVED:
        stem = f"report-{stem}"
    return stem


def report_stem(
    company: str | None, program: str | None, entity_type: str | None, answers_path: str | Path
) -> str:
    """The one naming rule of report files (``report``, ``assess``, ``batch``): the company, the
    program and the business type, made safe (the answers file's name when there is no
    company name): ``northwind-imports-inc-ctpat-importer``."""
    return safe_name(company or Path(answers_path).stem, program, entity_type)


def unique_names(bases: list[str | None]) -> list[str | None]:
    """Make names unique in order: the first keeps its name, later ones get -2, -3, ..."""
    used: set[str] = set()
    out: list[str | None] = []
    for base in bases:
        if base is None:
            out.append(None)
            continue
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{base[: MAX_NAME - len(str(n)) - 1]}-{n}"
        used.add(name.lower())
        out.append(name)
    return out


# --------------------------------------------------------------------------------------------
# One input (runs in a worker process)
# --------------------------------------------------------------------------------------------


def run_one(path: str, out_dir: str, formats: tuple[str, ...], generated_on: str | None) -> Row:
    """Score one answers file and write its reports under temporary names in out_dir."""
    from .answers import load_answers
    from .atomic import file_mode
    from .pipeline import EXTENSIONS, ReportOptions, render
    from .scoring import score, verdict_reasons

    start = time.perf_counter()
    row = Row(input=path)
    tmp_files: list[str] = []
    try:
        assessment, q = load_answers(path)
        result = score(q, assessment)
        row.company = assessment.company.name or None
        row.program = q.id
        row.entity_type = assessment.entity_type
        row.overall = result.overall
        row.verdict = result.verdict.value
        row.provisional = result.provisional
        row.gaps = dict(result.gap_counts)
        row.reasons = verdict_reasons(result)
        if nothing_answered(result):
            row.warning = NOTHING_ANSWERED
        row.categories = {c.id: c.score for c in result.categories}
        row.base_name = report_stem(assessment.company.name, q.id, assessment.entity_type, path)
        options = ReportOptions(generated_on=generated_on)
        for fmt in formats:
            data = render(fmt, result, options)
            fd, tmp = tempfile.mkstemp(prefix=".aeo-", suffix=EXTENSIONS[fmt] + ".tmp", dir=out_dir)
            tmp_files.append(tmp)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(OSError):
                os.chmod(tmp, file_mode())
            row.outputs[fmt] = tmp
    except AeoCheckError as exc:
        row.error = str(exc)
    except Exception as exc:  # a bug must not stop the batch; keep it to one line
        row.error = f"internal error: {type(exc).__name__}: {exc}"
    if row.error:
        for tmp in tmp_files:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        row.outputs = {}
    row.seconds = time.perf_counter() - start
    return row


def nothing_answered(result: Any) -> bool:
    """No criterion and no eligibility gate answered."""
    answered = sum(n for k, n in result.answer_counts.items() if k != "unanswered")
    return answered == 0 and all(g.answer == "unanswered" for g in result.eligibility)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --------------------------------------------------------------------------------------------
# The batch
# --------------------------------------------------------------------------------------------


def run_batch(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    formats: Iterable[str] = ("pdf",),
    jobs: int | None = None,
    generated_on: str | None = None,
    progress: Callable[[int, int, Row], None] | None = None,
    summary: bool = True,
) -> BatchResult:
    """Run many answers files; write a report each and the portfolio summary in out_dir.

    ``progress(done, total, row)`` is called as each input finishes. Ctrl-C stops the
    workers, keeps what finished, writes the summary of it, and re-raises KeyboardInterrupt
    with the BatchResult attached as ``exc.batch_result``.
    """
    from .reports import FORMATS

    fmts = tuple(dict.fromkeys(formats))
    for fmt in fmts:
        if fmt not in FORMATS:
            raise UsageError(
                f"--format: unknown format {fmt!r} (choose from: {', '.join(FORMATS)})"
            )
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {out}: exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"-o {out}: cannot create the folder: {exc.strerror}") from None
    paths = collect_inputs([Path(p) for p in inputs], exclude=out)
    if not paths:
        raise UsageError("no answers files found in the inputs")
    jobs = max(1, jobs or os.cpu_count() or 1)
    rows: list[Row | None] = [None] * len(paths)
    interrupted = False
    done = 0
    args = [(str(p), str(out), fmts, generated_on) for p in paths]
    try:
        if jobs == 1 or len(paths) == 1:
            for i, a in enumerate(args):
                rows[i] = run_one(*a)
                done += 1
                if progress:
                    progress(done, len(paths), rows[i])  # type: ignore[arg-type]
        else:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint) as pool:
                pending: dict[Future[Row], int] = {}
                queue = iter(enumerate(args))
                # keep a bounded number of tasks in flight: memory stays flat at any size
                for i, a in queue:
                    pending[pool.submit(run_one, *a)] = i
                    if len(pending) >= jobs * 4:
                        break
                try:
                    while pending:
                        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                        for fut in finished:
                            i = pending.pop(fut)
                            rows[i] = fut.result()
                            done += 1
                            if progress:
                                progress(done, len(paths), rows[i])  # type: ignore[arg-type]
                            nxt = next(queue, None)
                            if nxt is not None:
                                pending[pool.submit(run_one, *nxt[1])] = nxt[0]
                except KeyboardInterrupt:
                    for fut in pending:
                        fut.cancel()
                    pool.shutdown(wait=True, cancel_futures=True)
                    for fut, i in pending.items():
                        if fut.done() and not fut.cancelled() and fut.exception() is None:
                            rows[i] = fut.result()
                    raise
    except KeyboardInterrupt:
        interrupted = True

    finished_rows = _finalise(rows, paths, out)
    if interrupted:  # temporary files of reports that were cut short
        keep = {Path(v).name for r in finished_rows for v in r.outputs.values()}
        for tmp in out.glob(".aeo-*.tmp"):
            if tmp.name not in keep:
                with contextlib.suppress(OSError):
                    tmp.unlink()
    result = BatchResult(rows=finished_rows, out_dir=out, interrupted=interrupted)
    if summary:
        result.summary_files = write_summary(
            result, generated_on=generated_on, workbook="xlsx" in fmts
        )
    if interrupted:
        exc = KeyboardInterrupt()
        exc.batch_result = result  # type: ignore[attr-defined]
        raise exc
    return result


def _finalise(rows: list[Row | None], paths: list[Path], out: Path) -> list[Row]:
    """Give finished reports their final, unique names (in input order) by renaming."""
    from .pipeline import EXTENSIONS

    names = unique_names([r.base_name if r is not None and not r.error else None for r in rows])
    final: list[Row] = []
    for row, name, path in zip(rows, names, paths, strict=True):
        if row is None:
            final.append(Row(input=str(path), error="not run: the batch was interrupted"))
            continue
        if name is not None:
            for fmt, tmp in list(row.outputs.items()):
                target = out / f"{name}{EXTENSIONS[fmt]}"
                try:
                    os.replace(tmp, target)
                    row.outputs[fmt] = target.name
                except OSError as exc:
                    row.error = f"{target}: cannot write: {exc.strerror}"
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
                    row.outputs.pop(fmt, None)
        final.append(row)
    return final


# --------------------------------------------------------------------------------------------
# The portfolio summary
# --------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "company",
    "program",
    "entity_type",
    "overall",
    "verdict",
    "provisional",
    "gaps_critical",
    "gaps_high",
    "gaps_medium",
    "gaps_low",
    "categories",
    "input",
    "outputs",
    "error",
    "gaps_blocker",  # columns only ever added at the end
    "why",
    "warning",
)


def portfolio_dict(result: BatchResult) -> dict[str, Any]:
    verdicts: dict[str, int] = {}
    for r in result.rows:
        key = r.verdict or "error"
        verdicts[key] = verdicts.get(key, 0) + 1
    return {
        "format": PORTFOLIO_FORMAT,
        "interrupted": result.interrupted,
        "counts": {
            "inputs": len(result.rows),
            "failed": len(result.failed),
            "verdicts": verdicts,
            "nothing_answered": len(result.nothing_answered),
        },
        "rows": [r.to_dict() for r in result.rows],
    }


def portfolio_csv(result: BatchResult) -> bytes:
    import csv
    import io

    from .reports.csv import _cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for r in result.rows:
        w.writerow(
            [
                _cell(r.company),
                r.program or "",
                r.entity_type or "",
                "" if r.overall is None else f"{r.overall:.1f}",
                r.verdict or "",
                "" if r.provisional is None else str(r.provisional).lower(),
                *(r.gaps.get(p, "") for p in ("critical", "high", "medium", "low")),
                "; ".join(
                    f"{k}={'n/a' if v is None else f'{v:.1f}'}" for k, v in r.categories.items()
                ),
                _cell(r.input),
                "; ".join(r.outputs.values()),
                _cell(r.error),
                r.gaps.get("blocker", ""),
                _cell("; ".join(r.reasons)),
                r.warning or "",
            ]
        )
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


def write_summary(
    result: BatchResult, *, generated_on: str | None = None, workbook: bool = False
) -> dict[str, Path]:
    """portfolio.csv, portfolio.json and portfolio.pdf in the output folder (atomic writes);
    with ``workbook``, portfolio.xlsx too."""
    import json

    from .atomic import atomic_write_bytes

    out = result.out_dir
    files = {
        "json": out / "portfolio.json",
        "csv": out / "portfolio.csv",
        "pdf": out / "portfolio.pdf",
    }
    atomic_write_bytes(
        files["json"],
        (json.dumps(portfolio_dict(result), indent=2, ensure_ascii=False) + "\n").encode(),
    )
    atomic_write_bytes(files["csv"], portfolio_csv(result))
    from .reports.pdf import render_portfolio

    atomic_write_bytes(files["pdf"], render_portfolio(result, generated_on=generated_on))
    if workbook:
        from .workbook import render_portfolio as portfolio_workbook

        files["xlsx"] = out / "portfolio.xlsx"
        atomic_write_bytes(files["xlsx"], portfolio_workbook(result, generated_on))
    return files
