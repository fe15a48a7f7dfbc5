"""Answers as an Excel workbook (.xlsx), both ways; results and portfolios as workbooks.

The only module that imports openpyxl (and, through it, defusedxml), always inside functions,
so ``aeo-check --help`` and runs on YAML files never load them.

Reading. A workbook is untrusted input. Before openpyxl sees it, :func:`check_package` opens
it with :mod:`zipfile` and refuses: files over :data:`MAX_BYTES`; anything that is not an
Excel workbook (a renamed Word document, a zip of something else); macro-enabled workbooks
(``.xlsm``, a ``vbaProject.bin``); links to other workbooks (``externalLinks``); zip bombs
(more than :data:`MAX_MEMBERS` members, a member compressed more than
:data:`MAX_RATIO`:1, more than :data:`MAX_UNCOMPRESSED` bytes once uncompressed, counted
while decompressing, not trusted from the headers); XML that declares a DTD or entities
(billion laughs); and sheets of more than :data:`MAX_CELLS` cells or :data:`MAX_ROWS` rows.
Only then is it loaded, with ``keep_links=False`` and openpyxl parsing through defusedxml.
A cell that holds a formula is an error naming the cell: formulas are never evaluated, and
a cached result is not trusted either.

The reader turns the workbook into the same node tree the YAML reader makes, so the answers
schema and :func:`aeo_check.answers.check_against` check it exactly as they check YAML. Each
value gets a made-up position; :class:`Cells` maps it back to ``Sheet!E14`` so problems name
the cell. Sheets and columns are found by their headers (in English, French or Spanish, or
the field's key), so re-sorted rows, extra columns and extra sheets still read.

Writing. :func:`write_template` makes the client's workbook (instructions and company
details, eligibility, answers: locked question cells, drop-downs for the cells to fill);
:func:`save_assessment` writes an assessment back into it (answer cells only, the client's
formatting kept, atomically); :func:`render_result` and :func:`render_portfolio` are the
``xlsx`` report formats.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputFileError, Problem
from .i18n import LANGUAGES, N_, _, gettext
from .model import Assessment, Level, Questionnaire, Result

MAX_BYTES = 20 * 1024 * 1024  # the file itself
MAX_MEMBERS = 2_000  # files inside the zip
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all members, once uncompressed
MAX_RATIO = 200  # a member compressed more than this (and over 1 MB) is a zip bomb
MAX_CELLS = 500_000  # cells in all sheets
MAX_ROWS = 100_000  # rows of one sheet
HEADER_ROWS = 15  # header rows are looked for in the first rows of a sheet
MAX_DETAIL_ROWS = 200  # the details block is looked for in the first rows of a sheet

ANSWER_VALUES = ("yes", "partial", "no", "na")
GATE_VALUES = ("yes", "no")
STATUS_VALUES = ("planned", "in-progress", "done", "blocked")


def template_format(fmt: str | None, output: Path | None) -> str:
    """``template``'s format: --format, else the extension of -o (.xlsx: a workbook)."""
    from .errors import UsageError

    by_suffix = "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "yaml"
    if fmt is None:
        return by_suffix
    if fmt not in ("yaml", "xlsx"):
        raise UsageError(
            _("--format: unknown format {value!r} (choose from: yaml, xlsx)").format(value=fmt)
        )
    if fmt == "xlsx" and output is None:
        raise UsageError(
            _("--format xlsx needs -o FILE.xlsx (a workbook is not written to stdout)")
        )
    if output is not None and output.suffix and fmt != by_suffix:
        raise UsageError(
            _("-o {file} does not end in .{format}; name it FILE.{format}").format(
                file=output, format=fmt
            )
        )
    return fmt


def check_save_as(answers: Path | None, save_as: Path, other: bool) -> None:
    """``assess --save-as``: an existing answers file to convert, to a .yaml or .xlsx name."""
    from .errors import UsageError

    if answers is None or not answers.is_file() or other:
        raise UsageError(
            _(
                "--save-as converts an existing answers file: aeo-check assess FILE --save-as NEW "
                "(without --force or --from)"
            )
        )
    if save_as.suffix.lower() not in (".yaml", ".yml", ".xlsx"):
        raise UsageError(
            _("--save-as {file}: name it FILE.yaml (or FILE.xlsx)").format(file=save_as)
        )


# --------------------------------------------------------------------------------------------
# Labels: what the user reads; the reader recognises a label in any language, or its key
# --------------------------------------------------------------------------------------------

SHEET_INSTRUCTIONS = N_("Instructions")
SHEET_ELIGIBILITY = N_("Eligibility")
SHEET_ANSWERS = N_("Answers")

# (key, label): the details block of the first sheet, column A label, column B value
DETAILS: tuple[tuple[str, str], ...] = (
    ("format", N_("File format")),
    ("program", N_("Program")),
    ("questionnaire_version", N_("Questionnaire version")),
    ("entity_type", N_("Business type")),
    ("company.name", N_("Company name")),
    ("company.country", N_("Country")),
    ("company.address", N_("Address")),
    ("company.contact", N_("Contact person")),
    ("company.email", N_("E-mail")),
    ("company.phone", N_("Phone")),
    ("installation.name", N_("Installation (site) name")),
    ("installation.address", N_("Installation address")),
    ("assessor", N_("Assessor")),
    ("assessed_on", N_("Assessment date (YYYY-MM-DD)")),
)
LOCKED_DETAILS = ("format", "program", "questionnaire_version", "entity_type")

# the answers sheet: (key, label, width); the client fills answer .. carried_from
ANSWER_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", N_("Id"), 9),
    ("category", N_("Category"), 22),
    ("level", N_("Level"), 8),
    ("question", N_("Question"), 60),
    ("answer", N_("Answer"), 10),
    ("note", N_("Note"), 40),
    ("evidence", N_("Evidence"), 30),
    ("owner", N_("Owner"), 16),
    ("due", N_("Due date"), 12),
    ("status", N_("Status"), 12),
    ("guidance", N_("Guidance"), 60),
    ("typical_evidence", N_("Typical evidence"), 40),
)
FILLED = ("answer", "note", "evidence", "owner", "due", "status", "carried_from")
CARRIED = ("carried_from", N_("Carried over from"), 14)  # only when an answer was carried over

GATE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", N_("Id"), 12),
    ("requirement", N_("Requirement"), 70),
    ("answer", N_("Answer"), 10),
    ("guidance", N_("Guidance"), 60),
)


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").split())


def _recogniser(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Folded header or label text -> key: the key itself and the label in every language."""
    out: dict[str, str] = {}
    for key, label in pairs:
        out[_fold(key)] = key
        for lang in LANGUAGES:
            out.setdefault(_fold(gettext(label, lang)), key)
    return out


# --------------------------------------------------------------------------------------------
# Pre-load checks (zipfile only, before openpyxl sees a byte)
# --------------------------------------------------------------------------------------------

_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse(name: str, message: str) -> InputFileError:
    return InputFileError([Problem(name, message)])


def check_package(path: Path, name: str) -> None:
    """Refuse a workbook that is too big, not a workbook, has macros or external links, is a
    zip bomb, declares XML entities, or has too many cells (see the module docstring)."""
    try:
        if path.is_dir():
            raise _refuse(name, "is a folder, not a workbook")
        st = path.stat()
    except FileNotFoundError:
        raise _refuse(name, "no such file") from None
    except PermissionError:
        raise _refuse(name, "permission denied; cannot read the file") from None
    except OSError as exc:
        raise _refuse(name, f"cannot read the file: {exc.strerror}") from None
    import stat as _stat

    if not _stat.S_ISREG(st.st_mode):
        raise _refuse(name, "is not a regular file (a pipe, socket or device?)")
    if st.st_size > MAX_BYTES:
        raise _refuse(
            name,
            f"the workbook is {st.st_size / 1e6:.1f} MB; workbooks over "
            f"{MAX_BYTES // (1024 * 1024)} MB are refused",
        )
    if path.suffix.lower() == ".xlsm":
        raise _refuse(
            name, "macro-enabled workbooks (.xlsm) are refused; save it as .xlsx (no macros)"
        )
    try:
        zf = zipfile.ZipFile(path)
    except PermissionError:
        raise _refuse(name, "permission denied; cannot read the file") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(
            name, "is not an Excel workbook (.xlsx); save it from Excel or LibreOffice as .xlsx"
        ) from None
    with zf:
        _check_members(zf, name)


def _check_members(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(name, f"the workbook holds more than {MAX_MEMBERS:,} parts; refused")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise _refuse(name, "is a Word document renamed .xlsx, not an Excel workbook")
        if "ppt/presentation.xml" in names:
            raise _refuse(name, "is a PowerPoint file renamed .xlsx, not an Excel workbook")
        if "content.xml" in names:
            raise _refuse(name, "is an OpenDocument file (.ods?); save it as .xlsx")
        raise _refuse(name, "is a zip file but not an Excel workbook (.xlsx)")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refuse(name, "the workbook contains macros; save it as .xlsx without macros")
    if any(n.startswith("xl/externalLinks/") for n in names):
        raise _refuse(
            name,
            "the workbook links to other files (external links), which are never followed; "
            "break the links (Excel: Data > Edit Links) and save it again",
        )
    declared = 0
    for info in infos:
        declared += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise _refuse(
                name,
                f"{info.filename} is compressed {info.file_size // max(1, info.compress_size):,}"
                " times (a zip bomb?); refused",
            )
    if declared > MAX_UNCOMPRESSED:
        raise _refuse(
            name,
            f"the workbook is {declared / 1e6:.0f} MB uncompressed; over "
            f"{MAX_UNCOMPRESSED // (1024 * 1024)} MB is refused",
        )
    total = cells = 0
    for info in infos:
        if info.is_dir():
            continue
        is_xml = info.filename.endswith((".xml", ".rels", ".vml"))
        is_sheet = info.filename.startswith("xl/worksheets/") and is_xml
        rows = 0
        tail = b""
        try:
            with zf.open(info) as fh:
                while True:
                    chunk = fh.read(1 << 20)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED:  # the headers lied: counted, not trusted
                        raise _refuse(
                            name,
                            f"the workbook is over {MAX_UNCOMPRESSED // (1024 * 1024)} MB "
                            "uncompressed (a zip bomb?); refused",
                        )
                    if not is_xml:
                        continue
                    data = tail + chunk
                    if _DTD.search(data):
                        raise _refuse(
                            name,
                            f"{info.filename} declares a DTD or XML entities (a billion-laughs "
                            "attack?); refused",
                        )
                    if is_sheet:
                        # a match cut by the chunk edge is found in the next round (tail)
                        cells += len(_CELL.findall(data)) - len(_CELL.findall(tail))
                        rows += len(_ROW.findall(data)) - len(_ROW.findall(tail))
                        if cells > MAX_CELLS:
                            raise _refuse(
                                name,
                                f"the workbook has more than {MAX_CELLS:,} cells; refused "
                                "(an answers workbook has a few thousand)",
                            )
                        if rows > MAX_ROWS:
                            raise _refuse(
                                name,
                                f"a sheet ({info.filename}) has more than {MAX_ROWS:,} rows; "
                                "refused",
                            )
                    tail = data[-16:]
        except InputFileError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
            raise _refuse(name, f"the workbook is damaged ({info.filename}: {exc})") from None
        except Exception as exc:  # zlib.error and the like: damaged data
            raise _refuse(name, f"the workbook is damaged ({info.filename}: {exc})") from None


def _load(path: Path, name: str) -> Any:
    """openpyxl Workbook, after :func:`check_package`; InputFileError on any failure."""
    check_package(path, name)
    import warnings

    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # a dependency; never parse untrusted XML without it
        raise _refuse(name, "cannot read workbooks safely: the defusedxml package is missing")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported"...
            return openpyxl.load_workbook(
                path, read_only=False, keep_vba=False, data_only=False, keep_links=False
            )
    except InputFileError:
        raise
    except Exception as exc:  # defusedxml's refusals, damaged XML, odd parts
        what = type(exc).__name__
        reason = str(exc).splitlines()[0][:200] if str(exc) else what
        if "Entities" in what or "DTD" in what:
            reason = "it declares XML entities or a DTD (a billion-laughs attack?)"
        raise _refuse(name, f"cannot be read as a workbook: {reason}") from None


def is_report_workbook(path: Path) -> bool:
    """A result or portfolio workbook aeo-check wrote (``batch`` skips them in folders), told
    by its document properties, read with zipfile alone; False when in doubt."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > 64 * 1024:
                return False
            head = zf.read(info)
    except (KeyError, OSError, zipfile.BadZipFile, ValueError, RuntimeError):
        return False
    return any(mark.encode() in head for mark in (RESULT_MARK, PORTFOLIO_MARK))


# --------------------------------------------------------------------------------------------
# Layout: where the details, eligibility and answers are in a workbook
# --------------------------------------------------------------------------------------------


@dataclass
class Table:
    sheet: Any
    header_row: int
    columns: dict[str, int]  # key -> column number (1-based)
    rows: dict[str, int] = field(default_factory=dict)  # id -> row (first one)


@dataclass
class Layout:
    details_sheet: Any = None
    details: dict[str, int] = field(default_factory=dict)  # key -> row of its value (col B)
    gates: Table | None = None
    answers: Table | None = None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _header(ws: Any, known: dict[str, str]) -> tuple[int, dict[str, int]] | None:
    """The header row of a table among the first rows: the one that names an id and an answer
    column. Returns (row, key -> column)."""
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=HEADER_ROWS), start=1):
        cols: dict[str, int] = {}
        for cell in row:
            if cell.data_type != "s":
                continue
            key = known.get(_fold(_text(cell.value)))
            if key is not None and key not in cols:
                cols[key] = cell.column
        if "id" in cols and "answer" in cols:
            return r, cols
    return None


def find_layout(wb: Any) -> Layout:
    layout = Layout()
    answer_known = _recogniser([(k, label) for k, label, _w in (*ANSWER_COLUMNS, CARRIED)])
    gate_known = _recogniser([(k, label) for k, label, _w in GATE_COLUMNS])
    details_known = _recogniser(DETAILS)
    for ws in wb.worksheets:
        if layout.details_sheet is None:
            rows: dict[str, int] = {}
            for r in range(1, min(ws.max_row, MAX_DETAIL_ROWS) + 1):
                key = details_known.get(_fold(_text(ws.cell(r, 1).value)))
                if key is not None and key not in rows:
                    rows[key] = r
            if "program" in rows or "format" in rows:
                layout.details_sheet, layout.details = ws, rows
                continue
        if layout.answers is None:
            found = _header(ws, answer_known)
            if found and ({"note", "question", "evidence"} & set(found[1])):
                layout.answers = Table(ws, found[0], found[1])
                continue
        if layout.gates is None:
            found = _header(ws, gate_known)
            if found and "requirement" in found[1]:
                layout.gates = Table(ws, found[0], found[1])
    for table in (layout.gates, layout.answers):
        if table is None:
            continue
        col = table.columns["id"]
        for r in range(table.header_row + 1, table.sheet.max_row + 1):
            ident = _id_text(table.sheet.cell(r, col).value)
            if ident and ident not in table.rows:
                table.rows[ident] = r
    return layout


def _id_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


# --------------------------------------------------------------------------------------------
# Reading: workbook -> YAML node tree with cell positions
# --------------------------------------------------------------------------------------------


class Cells:
    """Made-up positions (line n, column 1) given to the values read, and the cell of each."""

    def __init__(self) -> None:
        self.by_line: dict[int, str] = {}

    def mark(self, ref: str | None) -> Any:
        from yaml.error import Mark

        line = len(self.by_line) + 1
        self.by_line[line] = ref or ""
        return Mark("workbook", 0, line - 1, 0, None, None)

    def place(self, problem: Problem) -> Problem:
        """The problem at its cell (``Answers!E14``), its message without the YAML path."""
        if problem.cell is not None:
            return problem
        ref = self.by_line.get(problem.line) if problem.line is not None else None
        message = _workbook_message(problem.message)
        return Problem(problem.file, message, problem.line if ref else None, None, cell=ref or None)


_PATH = re.compile(
    r"^(?:answers|eligibility|company|installation|format|program|entity_type|assessor|"
    r"assessed_on|questionnaire_version)(?:\.[^:]*|\[\d+\]|\skey)*: "
)


def _workbook_message(message: str) -> str:
    """A schema message said for a cell: 'answers.1.1.answer: X' -> 'X' (the cell says where);
    a missing top-level value names the detail to fill in."""
    m = re.match(r"^(\w+)(?:\.(\w+))?: missing \(required\)$", message)
    if m:
        key = m.group(0).split(":")[0]
        label = dict(DETAILS).get(key)
        if label:
            return _("the details row {label!r} is missing from the first sheet").format(
                label=_(label)
            )
    if message.startswith("answers.") and "na needs a note" in message:
        return _("na needs a note saying why it does not apply (the Note column)")
    return _PATH.sub("", message, count=1)


def _cell_ref(ws: Any, row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    title = ws.title
    if not re.fullmatch(r"\w+", title):
        title = "'" + title.replace("'", "''") + "'"
    return f"{title}!{get_column_letter(col)}{row}"


_SCALAR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.cells = Cells()
        self.problems: list[Problem] = []  # found while reading (formulas, rows without id)

    def scalar(self, text: str | None, ref: str | None) -> Any:
        from yaml.nodes import ScalarNode

        mark = self.cells.mark(ref)
        if not text:
            return ScalarNode(_NULL_TAG, "", mark, mark, style=None)
        return ScalarNode(_SCALAR_TAG, text, mark, mark, style='"')  # read as written

    def key(self, text: str, ref: str | None) -> Any:
        from yaml.nodes import ScalarNode

        mark = self.cells.mark(ref)
        return ScalarNode(_SCALAR_TAG, text, mark, mark, style='"')

    def mapping(self, pairs: list[tuple[Any, Any]], ref: str | None) -> Any:
        from yaml.nodes import MappingNode

        mark = self.cells.mark(ref)
        return MappingNode("tag:yaml.org,2002:map", pairs, mark, mark)

    def value(self, ws: Any, row: int, col: int) -> tuple[str, str]:
        """A cell's text (stripped; a date as YYYY-MM-DD) and its reference; a formula is a
        problem, and reads as empty."""
        cell = ws.cell(row, col)
        ref = _cell_ref(ws, row, col)
        v = cell.value
        if cell.data_type == "f" or type(v).__name__ in ("ArrayFormula", "DataTableFormula"):
            line = self.cells.mark(ref).line + 1  # in reading order among the others
            self.problems.append(
                Problem(
                    self.name,
                    _("the cell holds a formula; formulas are never evaluated: type the value"),
                    line,
                    cell=ref,
                )
            )
            return "", ref
        if isinstance(v, _dt.datetime):
            text = v.date().isoformat() if v.time() == _dt.time() else v.isoformat()
        elif isinstance(v, _dt.date):
            text = v.isoformat()
        elif isinstance(v, bool):
            text = "TRUE" if v else "FALSE"
        elif isinstance(v, float) and v.is_integer():
            text = str(int(v))
        else:
            text = _text(v)
        return text, ref


def read_nodes(path: Path, name: str) -> tuple[Any, Cells, list[Problem]]:
    """A workbook as the answers node tree; its cells; problems found while reading."""
    wb = _load(path, name)
    try:
        layout = find_layout(wb)
        return _nodes(layout, wb, name)
    finally:
        wb.close()


def _nodes(layout: Layout, wb: Any, name: str) -> tuple[Any, Cells, list[Problem]]:
    rd = _Reader(name)
    top: list[tuple[Any, Any]] = []
    first = wb.worksheets[0] if wb.worksheets else None
    top_ref = _cell_ref(first, 1, 1) if first is not None else None
    if layout.details_sheet is None:
        raise _refuse(
            name,
            "no details block found (the first sheet's rows 'File format', 'Program', "
            "'Business type'...); is this a workbook made by 'aeo-check template'?",
        )
    if layout.answers is None:
        raise _refuse(
            name,
            "no answers sheet found (a sheet with the columns Id and Answer); is this a "
            "workbook made by 'aeo-check template'?",
        )
    ws = layout.details_sheet
    groups: dict[str, list[tuple[Any, Any]]] = {}
    group_ref: dict[str, str] = {}
    for key, _label in DETAILS:
        row = layout.details.get(key)
        if row is None:
            continue
        text, ref = rd.value(ws, row, 2)
        if "." in key:
            group, sub = key.split(".", 1)
            groups.setdefault(group, []).append((rd.key(sub, ref), rd.scalar(text, ref)))
            group_ref.setdefault(group, ref)
            if group not in [k.value for k, _v in top]:
                top.append((rd.key(group, ref), None))  # filled below, in this order
        else:
            top.append((rd.key(key, _cell_ref(ws, row, 1)), rd.scalar(text, ref)))
    top = [
        (k, v if v is not None else rd.mapping(groups[k.value], group_ref[k.value])) for k, v in top
    ]
    if layout.gates is not None:
        top.append((rd.key("eligibility", None), _table_nodes(rd, layout.gates, gates=True)))
    top.append((rd.key("answers", None), _table_nodes(rd, layout.answers, gates=False)))
    return rd.mapping(top, top_ref), rd.cells, rd.problems


def _table_nodes(rd: _Reader, table: Table, *, gates: bool) -> Any:
    from yaml.nodes import SequenceNode

    ws = table.sheet
    cols = table.columns
    pairs: list[tuple[Any, Any]] = []
    fields = ("answer",) if gates else FILLED
    for r in range(table.header_row + 1, ws.max_row + 1):
        ident, id_ref = rd.value(ws, r, cols["id"])
        if isinstance(ws.cell(r, cols["id"]).value, float) and not ident.isdigit():
            ident = _text(ws.cell(r, cols["id"]).value)
        got = {f: rd.value(ws, r, cols[f]) for f in fields if f in cols}
        if not ident:
            filled = [ref for text, ref in got.values() if text]
            if filled:
                rd.problems.append(
                    Problem(rd.name, _("a filled row without an id in column Id"), cell=filled[0])
                )
            continue
        key = rd.key(ident, id_ref)
        if gates:
            text, ref = got.get("answer", ("", id_ref))
            pairs.append((key, rd.scalar(text, ref)))
            continue
        if not any(text for text, _ref in got.values()):
            pairs.append((key, rd.scalar(None, id_ref)))  # unanswered
            continue
        items: list[tuple[Any, Any]] = []
        text, ref = got.get("answer", ("", id_ref))
        items.append((rd.key("answer", ref), rd.scalar(text, ref)))
        for f in ("note", "carried_from"):
            if f in got and got[f][0]:
                items.append((rd.key(f, got[f][1]), rd.scalar(*got[f])))
        if "evidence" in got and got["evidence"][0]:
            text, ref = got["evidence"]
            parts = [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]
            mark = rd.cells.mark(ref)
            seq = SequenceNode(
                "tag:yaml.org,2002:seq", [rd.scalar(p, ref) for p in parts], mark, mark
            )
            items.append((rd.key("evidence", ref), seq))
        action = [(f, got[f]) for f in ("owner", "due", "status") if f in got and got[f][0]]
        if action:
            act_pairs = [(rd.key(f, ref), rd.scalar(text, ref)) for f, (text, ref) in action]
            items.append(
                (rd.key("action", action[0][1][1]), rd.mapping(act_pairs, action[0][1][1]))
            )
        pairs.append((key, rd.mapping(items, id_ref)))
    return rd.mapping(pairs, _cell_ref(ws, table.header_row, cols["id"]))


# --------------------------------------------------------------------------------------------
# Writing the client's workbook
# --------------------------------------------------------------------------------------------

_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _put(cell: Any, value: Any) -> None:
    """A value into a cell; text is always text (a leading '=' is not a formula)."""
    if isinstance(value, str):
        value = _ILLEGAL.sub("\ufffd", value)
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    return {
        "title": Font(bold=True, size=14),
        "bold": Font(bold=True),
        "head_fill": PatternFill("solid", fgColor="DCE6F1"),
        "fill_fill": PatternFill("solid", fgColor="FFF2CC"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "unlocked": Protection(locked=False),
    }


def _protect(ws: Any) -> None:
    """Locked cells read-only; filtering, sorting and resizing still allowed. No password:
    it keeps clients from overwriting the questions by mistake, it is not a security measure."""
    p = ws.protection
    p.sheet = True
    p.autoFilter = False
    p.sort = False
    p.formatColumns = False
    p.formatRows = False
    p.formatCells = False


def _list_validation(values: tuple[str, ...]) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="list", formula1='"' + ",".join(values) + '"', allow_blank=True, showDropDown=False
    )
    dv.showErrorMessage = True
    dv.errorTitle = _("Not a valid value")
    dv.error = _("Choose one of: {values}").format(values=", ".join(values))
    return dv


def build_workbook(q: Questionnaire, a: Assessment) -> Any:
    """The client's workbook for an assessment (blank answers for a template)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from .i18n import current
    from .i18n_content import localize

    q = localize(q, current())  # the client reads the questions in the language in use
    st = _styles()
    entity = a.entity_type
    et = q.entity_type(entity)
    wb = Workbook()
    ws = wb.active
    ws.title = _(SHEET_INSTRUCTIONS)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 50
    ws["A1"] = _("{program} self-assessment: {entity}").format(
        program=q.program.short_name, entity=et.name if et else entity
    )
    ws["A1"].font = st["title"]
    row = 3
    ws.cell(row, 1, _("Details (fill in the yellow cells)")).font = st["bold"]
    row += 1
    c = a.company
    inst = a.installation
    values = {
        "format": "aeo-check/answers@1",
        "program": q.id,
        "questionnaire_version": a.questionnaire_version or q.version,
        "entity_type": entity,
        "company.name": c.name or None,
        "company.country": c.country,
        "company.address": c.address,
        "company.contact": c.contact,
        "company.email": c.email,
        "company.phone": c.phone,
        "installation.name": inst.name if inst else None,
        "installation.address": inst.address if inst else None,
        "assessor": a.assessor,
        "assessed_on": a.assessed_on,
    }
    site = q.program.per_installation or bool(inst and inst.given)
    for key, label in DETAILS:
        if key.startswith("installation.") and not site:
            continue
        ws.cell(row, 1, _(label)).font = st["bold"]
        cell = ws.cell(row, 2)
        _put(cell, values[key])
        if key in LOCKED_DETAILS:
            if key == "entity_type" and et is not None:
                _put(ws.cell(row, 3), et.name)
            if key == "program":
                _put(ws.cell(row, 3), q.program.name)
        else:
            cell.protection = st["unlocked"]
            cell.fill = st["fill_fill"]
            if key == "assessed_on":
                cell.number_format = "@"
        row += 1
    row += 1
    ws.cell(row, 1, _("How to fill in this workbook")).font = st["bold"]
    row += 1
    steps = [
        _(
            "Fill in the details above, then answer every row of the sheet {gates} (yes or no) "
            "and of the sheet {answers}: the yellow cells only; the other cells are locked."
        ).format(gates=_(SHEET_ELIGIBILITY), answers=_(SHEET_ANSWERS)),
        _("Answer: yes = in place and documented; partial = in place in part, or not "
          "documented; no = not in place; na = does not apply to you (a note must say why). "
          "Leave the answer empty for a question not answered yet."),
        _("Note: what is in place and what is missing. Evidence: the documents that show it, "
          "separated by ';'. Owner, due date (YYYY-MM-DD) and status (planned, in-progress, "
          "done, blocked): the remediation task for a gap."),
        _("Type values, not formulas: a cell with a formula is refused when the workbook is "
          "read back. Rows may be sorted and filtered; do not change the Id column."),
        _("Return the workbook as it is (.xlsx). Your consultant reads it back with "
          "'aeo-check report' or 'aeo-check validate'."),
    ]  # fmt: skip
    for text in steps:
        cell = ws.cell(row, 1, text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        cell.alignment = st["wrap"]
        ws.row_dimensions[row].height = 45
        row += 1
    rules = [cr for cr in q.applicable_criteria(entity) if cr.na_when]
    if rules:
        row += 1
        ws.cell(row, 1, _("When N/A is accepted")).font = st["bold"]
        row += 1
        for cr in rules:
            _put(ws.cell(row, 1), cr.id)
            cell = ws.cell(row, 2)
            _put(cell, cr.na_when)
            cell.alignment = st["wrap"]
            row += 1
        cell = ws.cell(row, 1, _("Any other N/A, above all for a Must, will be questioned."))
        row += 1
    _protect(ws)

    gates = q.applicable_gates(entity)
    if gates:
        gs = wb.create_sheet(_(SHEET_ELIGIBILITY))
        _table_head(gs, GATE_COLUMNS, st)
        dv = _list_validation(GATE_VALUES)
        gs.add_data_validation(dv)
        for i, g in enumerate(gates, start=2):
            _put(gs.cell(i, 1), g.id)
            _put(gs.cell(i, 2), g.ask)
            _put(gs.cell(i, 4), g.guidance or "")
            value = a.eligibility.get(g.id)
            cell = gs.cell(i, 3)
            _put(cell, value.value if value else None)
            cell.protection = st["unlocked"]
            cell.fill = st["fill_fill"]
            for col in (2, 4):
                gs.cell(i, col).alignment = st["wrap"]
        dv.add(f"C2:C{len(gates) + 1}")
        gs.freeze_panes = "A2"
        _protect(gs)

    ans = wb.create_sheet(_(SHEET_ANSWERS))
    columns = list(ANSWER_COLUMNS)
    if any(x.carried_from for x in a.answers.values()):
        columns.append(CARRIED)
    _table_head(ans, tuple(columns), st)
    keys = [k for k, _l, _w in columns]
    r = 2
    for cat in q.applicable_categories(entity):
        for cr in cat.criteria:
            x = a.answers.get(cr.id)
            data = {
                "id": cr.id,
                "category": f"{cat.id}. {cat.title}",
                "level": _("Must") if cr.level is Level.MUST else _("Should"),
                "question": cr.ask,
                "guidance": cr.guidance,
                "typical_evidence": "; ".join(cr.evidence),
            }
            data.update(_answer_cells(x))
            for col, k in enumerate(keys, start=1):
                cell = ans.cell(r, col)
                _put(cell, data.get(k))
                if k in FILLED:
                    cell.protection = st["unlocked"]
                    cell.fill = st["fill_fill"]
                if k in ("question", "guidance", "note", "typical_evidence", "category"):
                    cell.alignment = st["wrap"]
                if k == "due":
                    cell.number_format = "@"
            r += 1
    last = max(2, r - 1)
    for k, values in (("answer", ANSWER_VALUES), ("status", STATUS_VALUES)):
        dv = _list_validation(values)
        ans.add_data_validation(dv)
        letter = get_column_letter(keys.index(k) + 1)
        dv.add(f"{letter}2:{letter}{last}")
    ans.freeze_panes = "B2"
    ans.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{last}"
    _protect(ans)
    wb.active = 0
    _properties(wb, a.assessed_on)
    return wb


def _answer_cells(x: Any) -> dict[str, Any]:
    if x is None:
        return {}
    act = x.action
    return {
        "answer": x.value.value if x.value else None,
        "note": x.note,
        "evidence": "; ".join(x.evidence) or None,
        "owner": act.owner if act else None,
        "due": act.due if act else None,
        "status": act.status if act else None,
        "carried_from": x.carried_from,
    }


def _table_head(ws: Any, columns: tuple[tuple[str, str, int], ...], st: dict[str, Any]) -> None:
    from openpyxl.utils import get_column_letter

    for col, (_key, label, width) in enumerate(columns, start=1):
        cell = ws.cell(1, col, _(label))
        cell.font = st["bold"]
        cell.fill = st["head_fill"]
        cell.alignment = st["wrap"]
        ws.column_dimensions[get_column_letter(col)].width = width


RESULT_MARK = "aeo-check/result@1"
PORTFOLIO_MARK = "aeo-check/portfolio@1"


def _properties(wb: Any, day: str | None, kind: str = "aeo-check/answers@1") -> None:
    """Document properties that do not change from run to run (reproducible files); the
    subject says what the workbook is (answers, a result, a portfolio)."""
    when = _dt.datetime(2000, 1, 1)
    if day:
        with contextlib.suppress(ValueError):
            when = _dt.datetime.fromisoformat(day[:10])
    wb.properties.creator = "aeo-check"
    wb.properties.lastModifiedBy = "aeo-check"
    wb.properties.subject = kind
    wb.properties.created = when
    wb.properties.modified = when


def _to_bytes(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_bytes(q: Questionnaire, a: Assessment) -> bytes:
    return _to_bytes(build_workbook(q, a))


def write_template(path: str | Path, q: Questionnaire, a: Assessment) -> None:
    from .atomic import atomic_write_bytes

    atomic_write_bytes(path, template_bytes(q, a))


# --------------------------------------------------------------------------------------------
# Saving an assessment back into the client's workbook
# --------------------------------------------------------------------------------------------


def save_assessment(path: str | Path, q: Questionnaire, a: Assessment) -> None:
    """Write the assessment into the workbook at path: the answer and detail cells only, the
    rest (formatting, extra columns and sheets, row order) as the client left it; atomically,
    the previous version kept as ``<name>.bak``. A new file is a fresh workbook."""
    from .atomic import atomic_write_bytes

    path = Path(path)
    if not path.exists():
        atomic_write_bytes(path, template_bytes(q, a))
        return
    wb = _load(path, str(path))
    try:
        layout = find_layout(wb)
        if layout.details_sheet is None or layout.answers is None:
            raise _refuse(str(path), "cannot save into it: no details block or answers sheet")
        _fill(layout, q, a)
        data = _to_bytes(wb)
    finally:
        wb.close()
    atomic_write_bytes(path, data, backup=True)


def _set(cell: Any, value: Any) -> None:
    """Write a value only when it differs (dates compared as text), keeping the cell's style."""
    old = cell.value
    old_text = old.date().isoformat() if isinstance(old, _dt.datetime) else _text(old)
    if old_text == _text(value) and not (old is None and value):
        return
    _put(cell, value if value not in ("",) else None)


def _fill(layout: Layout, q: Questionnaire, a: Assessment) -> None:
    ws = layout.details_sheet
    c = a.company
    inst = a.installation
    values = {
        "company.name": c.name or None,
        "company.country": c.country,
        "company.address": c.address,
        "company.contact": c.contact,
        "company.email": c.email,
        "company.phone": c.phone,
        "installation.name": inst.name if inst else None,
        "installation.address": inst.address if inst else None,
        "assessor": a.assessor,
        "assessed_on": a.assessed_on,
    }
    for key, value in values.items():
        row = layout.details.get(key)
        if row is not None:
            _set(ws.cell(row, 2), value)
    if layout.gates is not None:
        t = layout.gates
        for gid, value in a.eligibility.items():
            row = t.rows.get(gid)
            if row is not None:
                _set(t.sheet.cell(row, t.columns["answer"]), value.value if value else None)
    t = layout.answers
    assert t is not None
    for cid, x in a.answers.items():
        cells = _answer_cells(x)
        if not any(cells.values()):
            cells = dict.fromkeys(FILLED)
        row = t.rows.get(cid)
        if row is None:
            if not any(cells.values()):
                continue
            row = t.sheet.max_row + 1  # a row the client deleted: added at the end
            _put(t.sheet.cell(row, t.columns["id"]), cid)
            t.rows[cid] = row
        for key in FILLED:
            col = t.columns.get(key)
            if col is not None:
                _set(t.sheet.cell(row, col), cells.get(key))


# --------------------------------------------------------------------------------------------
# Reports as workbooks
# --------------------------------------------------------------------------------------------


def _sheet_table(
    ws: Any, header: list[str], rows: Iterable[list[Any]], widths: list[int], st: dict[str, Any]
) -> None:
    from openpyxl.utils import get_column_letter

    for col, (label, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = ws.cell(1, col, label)
        cell.font = st["bold"]
        cell.fill = st["head_fill"]
        ws.column_dimensions[get_column_letter(col)].width = width
    n = 1
    for n, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(n, col)
            _put(cell, value)
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = st["wrap"]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(n, 1)}"


def render_result(result: Result) -> bytes:
    """The result as a workbook: Summary, Gaps (priority order), Action plan."""
    from openpyxl import Workbook

    from .i18n import current
    from .i18n_content import localize
    from .model import VERDICT_LABELS
    from .plan import action_plan
    from .scoring import verdict_reasons

    st = _styles()
    a, q = result.assessment, result.questionnaire
    lq = localize(q, current()).for_entity(a.entity_type)  # names in the language in use

    def title(gap: Any) -> str:
        c = None if gap.is_gate else lq.criterion(gap.id)
        return c.title if c is not None else gap.title

    def todo(gap: Any) -> str:
        c = None if gap.is_gate else lq.criterion(gap.id)
        return c.remediation if c is not None else gap.remediation

    def category(cid: str, fallback: str) -> str:
        cat = lq.category(cid)
        return f"{cid}. {cat.title if cat is not None else fallback}"

    et = lq.entity_type(a.entity_type)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    ws["A1"] = _("{program} self-assessment: {company}").format(
        program=q.program.short_name, company=a.company.name or _("(no company name)")
    )
    ws["A1"].font = st["title"]
    rows: list[tuple[str, Any]] = [
        (_("Company"), a.company.name or ""),
        (_("Program"), f"{lq.program.name} ({q.id})"),
        (_("Business type"), f"{et.name if et else result.entity_type.name} ({a.entity_type})"),
        (_("Assessed on"), a.assessed_on or ""),
        (_("Assessor"), a.assessor or ""),
        (_("Score"), None if result.overall is None else round(result.overall, 1)),
        (_("Verdict"), _(VERDICT_LABELS[result.verdict])),
        (_("Provisional"), _("yes: some questions are unanswered") if result.provisional else ""),
        (_("Why"), "; ".join(verdict_reasons(result))),
    ]
    r = 3
    for label, value in rows:
        ws.cell(r, 1, label).font = st["bold"]
        cell = ws.cell(r, 2)
        _put(cell, value)
        cell.alignment = st["wrap"]
        r += 1
    r += 1
    ws.cell(r, 1, _("Scores by category")).font = st["bold"]
    r += 1
    for col, label in enumerate((_("Category"), _("Score"), _("Answered"), _("Applicable")), 1):
        cell = ws.cell(r, col, label)
        cell.font = st["bold"]
        cell.fill = st["head_fill"]
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 12
    for cs in result.categories:
        r += 1
        _put(ws.cell(r, 1), category(cs.id, cs.title))
        _put(ws.cell(r, 2), None if cs.score is None else round(cs.score, 1))
        _put(ws.cell(r, 3), cs.answered)
        _put(ws.cell(r, 4), cs.applicable)

    gs = wb.create_sheet(_("Gaps"))
    _sheet_table(
        gs,
        [_("Id"), _("Priority"), _("Level"), _("Answer"), _("Criterion"), _("Category"),
         _("What to do"), _("Note")],
        (
            [g.id, g.priority.value, g.level.value, g.answer, title(g),
             category(g.category, g.category_title), todo(g), g.note or ""]
            for g in result.gaps
        ),
        [9, 10, 8, 11, 40, 24, 60, 40],
        st,
    )  # fmt: skip
    ps = wb.create_sheet(_("Action plan"))
    plan_rows = []
    for step, tasks in action_plan(result):
        for t in tasks:
            g = t.gap
            act = g.action
            plan_rows.append(
                [_(step.label), g.id, title(g), g.priority.value, todo(g),
                 act.owner if act and act.owner else "",
                 (act.due if act and act.due else None) or (t.due or ""),
                 _("suggested") if t.suggested else "",
                 act.status if act and act.status else ""]
            )  # fmt: skip
    _sheet_table(
        ps,
        [_("Step"), _("Id"), _("Criterion"), _("Priority"), _("What to do"), _("Owner"),
         _("Due date"), _("Due date is"), _("Status")],
        plan_rows,
        [8, 9, 40, 10, 60, 16, 12, 12, 12],
        st,
    )  # fmt: skip
    _properties(wb, a.assessed_on, RESULT_MARK)
    return _to_bytes(wb)


def render_portfolio(batch: Any, generated_on: str | None = None) -> bytes:
    """The batch portfolio as a workbook: one row per input, ready to filter."""
    from openpyxl import Workbook

    st = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Portfolio")
    cats = sorted({k for r in batch.rows for k in r.categories})
    header = [_("Company"), _("Program"), _("Business type"), _("Score"), _("Verdict"),
              _("Provisional"), _("Blockers"), _("Critical"), _("High"), _("Medium"), _("Low"),
              _("Why"), _("Input"), _("Report"), _("Error"), _("Warning")]  # fmt: skip
    header += [_("Category {id}").format(id=c) for c in cats]
    rows = []
    for r in batch.rows:
        rows.append(
            [r.company or "", r.program or "", r.entity_type or "",
             None if r.overall is None else round(r.overall, 1), r.verdict or "",
             "" if r.provisional is None else (_("yes") if r.provisional else _("no")),
             *(r.gaps.get(p) for p in ("blocker", "critical", "high", "medium", "low")),
             "; ".join(r.reasons), r.input, "; ".join(r.outputs.values()), r.error or "",
             r.warning or "",
             *(None if r.categories.get(c) is None else round(r.categories[c], 1) for c in cats)]
        )  # fmt: skip
    widths = [24, 9, 16, 8, 14, 11, 9, 9, 7, 8, 7, 50, 30, 30, 40, 30] + [8] * len(cats)
    _sheet_table(ws, header, rows, widths, st)
    _properties(wb, generated_on, PORTFOLIO_MARK)
    return _to_bytes(wb)


def sheet_rows(data: bytes) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """Every sheet of a workbook we wrote, as (title, rows of values): for tests and tools."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        for ws in wb.worksheets:
            yield ws.title, [tuple(row) for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
