"""Hostile and broken input: every file in tests/corpus/, plus files made at test time.

Each case runs the installed console script twice, as a user would: ``validate FILE`` and
``report --json FILE``. A bad file must give exit 2, no traceback, a message naming the file
(with line:col where the problem has a position) and saying what is wrong, within a bounded
time; ``report`` prints exactly one line on stderr. A legitimately usable file (UTF-8 with a
byte-order mark, CRLF line ends, an older questionnaire version) gives exit 0.

Adding a case is one line in ``CASES`` (and a file in tests/corpus/, or a generator in
``GENERATED`` for files too big, binary or odd to commit).
"""

from __future__ import annotations

import codecs
import os
import random
import stat
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, cli_command

CORPUS = Path(__file__).resolve().parent / "corpus"
MINI = FIXTURES / "mini.yaml"
# valid answers to the corpus's q-base.yaml: `report -q BAD-QUESTIONNAIRE` reads these
MINI_ANSWERS = CORPUS / "ok-mini-answers.yaml"
TIMEOUT = 20  # seconds; every case must end well inside this


@dataclass(frozen=True)
class Case:
    file: str  # a file in tests/corpus/, or a key of GENERATED
    expect: str  # a fragment of the message (``report``); for ok cases, of the warning or ""
    pos: str | None = None  # "line:col" when the problem has a position
    vexpect: str | None = None  # the ``validate`` message when it differs from ``report``'s
    vpos: str | None = None  # its position when it differs
    q: str | None = None  # "mini": check against tests/fixtures/mini.yaml
    ok: bool = False  # legitimately usable: exit 0
    cell: str | None = None  # a workbook cell ("Answers!E14") instead of a line:col

    @property
    def id(self) -> str:
        return self.file


NOT_AEO = "not an aeo-check file"
SYNTAX = "YAML syntax error"

# fmt: off
CASES = [
    # ---- questionnaires (q-*): validate FILE; report --json -q FILE ok-mini-answers.yaml ----
    Case("q-syntax-unclosed-flow.yaml", "expected ',' or ']'", "26:21"),
    Case("q-syntax-bad-indent.yaml", "mapping values are not allowed here", "8:12"),
    Case("q-syntax-unclosed-quote.yaml", SYNTAX, "14:12"),
    Case("q-syntax-colon-in-text.yaml", "mapping values are not allowed here", "51:30"),
    Case("q-syntax-last-line.yaml", "expected the node content", "71:1"),
    Case("q-syntax-first-line.yaml", "flow sequence (which starts on line 1", "2:3"),
    Case("q-tabs.yaml", "a tab in the indentation; use spaces, not tabs, to indent", "39:1"),
    Case("q-format-wrong.yaml", "'aeo-check/questionnaire@2' is not one of", "2:9",
         vexpect="unknown format 'aeo-check/questionnaire@2'", vpos="1:1"),
    Case("q-type-id-list.yaml", "id: expected text, found a list", "3:5"),
    Case("q-type-id-upper.yaml", "'Mini' must be lower-case letters", "3:5"),
    Case("q-type-version-map.yaml", "version: expected text, found a mapping", "4:10"),
    Case("q-type-country.yaml", "'USA' must be a two-letter country code", "9:12"),
    Case("q-type-url-http.yaml", "must be an https:// URL", "10:8"),
    Case("q-type-email.yaml", "'mtp.example.org' is not an e-mail address", "19:14"),
    Case("q-type-date.yaml", "'2026-13' is not a real date (there is no month 13)", "14:11"),
    Case("q-type-contacts-empty.yaml", "program.contacts: needs at least 1 item", "17:13"),
    Case("q-type-benefits-text.yaml", "program.benefits: expected a list", "25:13"),
    Case("q-type-weight-text.yaml", "must_weight: expected a number, found 'heavy'", "31:24"),
    Case("q-type-weight-zero.yaml", "should_weight: must be greater than 0", "31:42"),
    Case("q-type-weight-huge.yaml", "must_weight: '10000000000000000000' is too large", "31:24"),
    Case("q-type-weight-nan.yaml", "expected a number, found '.nan'", "31:24"),
    Case("q-type-weight-quoted.yaml", "found '3' in quotes; remove the quotes", "31:24"),
    Case("q-type-ready-over-100.yaml", "ready_at: must be at most 100", "31:55"),
    Case("q-nearly-above-ready.yaml", "nearly_ready_at must not be above ready_at", "31:10"),
    Case("q-type-level.yaml", "'mandatory' is not one of: must, should", "52:16"),
    Case("q-type-verified-word.yaml", "expected true or false, found 'maybe'", "49:19"),
    Case("q-type-verified-quoted.yaml", "found 'true' in quotes; remove the quotes", "49:19"),
    Case("q-type-applies-to-text.yaml", "applies_to: expected a list, found 'carrier'", "64:21"),
    Case("q-type-criteria-empty.yaml", "criteria: needs at least 1 item", "60:15"),
    Case("q-type-evidence-text.yaml", "evidence: expected a list", "47:19"),
    Case("q-type-weight-negative.yaml", "weight: must be greater than 0", "44:17"),
    Case("q-type-language.yaml", "'english' must be a language code", "5:11"),
    Case("q-type-key-list.yaml", "program: keys must be plain text", "8:5"),
    Case("q-unknown-key.yaml", "unknown key 'colour' (expected one of: id,", "44:9"),
    Case("q-missing-required.yaml", "remediation: missing (required)", "50:9"),
    Case("q-empty-text.yaml", "ask: must not be empty", "65:14"),
    Case("q-null-text.yaml", "ask: must not be empty", "65:13"),
    Case("q-dup-criterion-id.yaml", "duplicate criterion id '1.1' (first used on line 41", "50:13"),
    Case("q-dup-category-id.yaml", "duplicate category id '1' (first used on line 38)", "58:9"),
    Case("q-dup-entity-id.yaml", "duplicate entity type id 'importer'", "31:10"),
    Case("q-dup-gate-id.yaml", "duplicate eligibility gate id 'license'", "37:9"),
    Case("q-dup-key.yaml", "level: duplicate key", "44:9"),
    Case("q-dup-key-top.yaml", "version: duplicate key", "5:1"),
    Case("q-unknown-entity-ref.yaml", "entity type 'carier' (known: importer, carrier)", "64:22"),
    Case("q-unknown-doc-ref.yaml", "unknown document 'mtpx' (known: mtp)", "68:23"),
    Case("q-unverified-for-mismatch.yaml", "'importer' is not in this criterion's", "65:26"),
    Case("q-mr-self.yaml", "a program cannot list itself", "27:17"),
    Case("q-contact-no-means.yaml", "give at least one of email, url or phone", "18:7"),
    Case("q-entity-no-criteria.yaml", "entity type 'broker' has no criteria", "31:10"),
    Case("q-unquoted-collision.yaml", "duplicate criterion id '1.1' (first used on", "61:13"),
    Case("q-python-tag.yaml", "'tag:yaml.org,2002:python/object/apply:os.system' is not", "6:9"),
    Case("q-python-name-tag.yaml", "python/name:os.system' is not allowed", "10:8"),
    Case("q-local-tag.yaml", "the YAML tag '!include' is not allowed", "25:13"),
    Case("q-alias-bomb.yaml", "anchors (&lol1) are not supported", "3:9"),
    Case("q-merge-key.yaml", "anchors (&office) are not supported", "18:7"),
    Case("q-deep-nesting.yaml", "nested more than 50 levels deep", "25:61"),
    Case("q-top-list.yaml", "the file: expected a mapping (key: value), found a list", "2:1",
         vexpect=NOT_AEO, vpos="1:1"),
    Case("q-top-text.yaml", "the file: expected a mapping", "2:1", vexpect=NOT_AEO, vpos="1:1"),
    Case("q-empty.yaml", "the file is empty"),
    Case("q-comments-only.yaml", "the file is empty"),
    Case("q-base.yaml", "", ok=True),
    Case("q-unquoted-ids-ok.yaml", "", ok=True),  # 1, 1.1 and 1.10 unquoted: distinct ids
    Case("q-unquoted-bool-gate-id-ok.yaml", "", ok=True),  # id: on is the text 'on'
    # ---- answers: ctpat (bundled), or q="mini" for tests/fixtures/mini.yaml ----
    Case("a-syntax-unclosed-flow.yaml", "flow mapping (which starts on line 5, column 10)", "6:1"),
    Case("a-syntax-bad-indent.yaml", "expected <block end>", "7:3"),
    Case("a-syntax-unclosed-quote.yaml", "quoted scalar (which starts on line 6, column 34", "7:1"),
    Case("a-syntax-colon-in-note.yaml", "mapping values are not allowed here", "8:17"),
    Case("a-syntax-dash-in-mapping.yaml", "expected <block end>, but found '-'", "7:3"),
    Case("a-syntax-first-line.yaml", "quoted scalar (which starts on line 1, column 9)", "4:1"),
    Case("a-tabs.yaml", "a tab in the indentation; use spaces, not tabs, to indent", "6:1"),
    Case("a-tab-nested.yaml", "use spaces, not tabs, to indent", "7:1"),
    Case("a-format-wrong.yaml", "'aeo-check/answers@2' is not one of", "2:9",
         vexpect="unknown format 'aeo-check/answers@2'", vpos="1:1"),
    Case("a-format-missing.yaml", "format: missing (required)", "2:1", vexpect=NOT_AEO, vpos="1:1"),
    Case("a-type-program-list.yaml", "program: expected text, found a list", "3:10"),
    Case("a-type-entity-map.yaml", "entity_type: expected text, found a mapping", "4:14"),
    Case("a-type-company-text.yaml", "company: expected a mapping (key: value)", "5:10"),
    Case("a-type-company-name-list.yaml", "company.name: expected text, found a list", "5:17"),
    Case("a-type-assessor-map.yaml", "assessor: expected text, found a mapping", "5:11"),
    Case("a-type-assessed-on.yaml", "'27/11/2026' must be a date", "5:14"),
    Case("a-date-not-real.yaml", "'2026-13-45' is not a real date (there is no month 13)", "5:14"),
    Case("a-date-feb-30.yaml", "'2027-02-30' is not a real date (February 2027 has 28", "6:54"),
    Case("a-type-eligibility-list.yaml", "eligibility: expected a mapping (id: answer)", "5:14"),
    Case("a-type-eligibility-value.yaml", "'maybe' is not one of: yes, no", "5:32"),
    Case("a-type-answers-list.yaml", "answers: expected a mapping (id: answer), found a", "5:10"),
    Case("a-type-answers-text.yaml", "expected a mapping (id: answer), found 'yes'", "5:10"),
    Case("a-type-answer-list.yaml", "answers.1.1: expected text, found a list", "6:10"),
    Case("a-type-note-list.yaml", "answers.1.1.note: expected text, found a list", "6:29"),
    Case("a-type-evidence-text.yaml", "evidence: expected a list", "6:34"),
    Case("a-type-action-text.yaml", "action: expected a mapping (key: value), found 'soon", "6:31"),
    Case("a-type-action-due.yaml", "'next week' must be a date", "6:54"),
    Case("a-type-action-status.yaml", "'started' is not one of: planned, in-progress", "6:40"),
    Case("a-unknown-value.yaml", "'maybe' is not one of: yes, partial, no, na", "6:10"),
    Case("a-capital-values-ok.yaml", "", ok=True),  # Yes, NO, Partial: any letter case
    Case("a-unquoted-on.yaml", "'on' is not one of: yes, partial, no, na", "6:10"),
    Case("a-unquoted-true.yaml", "'true' is not one of: yes, partial, no, na", "6:10"),
    Case("a-unknown-criterion.yaml", "unknown criterion '99.1' in ctpat", "6:3"),
    Case("a-unknown-criterion-number.yaml", "'1.10' in ctpat (did you mean '1.1'?", "6:3"),
    Case("a-dup-criterion.yaml", "duplicate key '1.1'", "8:3"),
    Case("a-dup-unquoted-quoted.yaml", "duplicate key '1.1'", "7:3"),
    Case("a-dup-top-key.yaml", "program: duplicate key", "5:1"),
    Case("a-dup-long-form-key.yaml", "answers.1.1.answer: duplicate key", "6:24"),
    Case("a-unknown-top-key.yaml", "unknown key 'answer' (expected one of: format,", "5:1"),
    Case("a-unknown-long-key.yaml", "unknown key 'answr' (expected one of: answer, note", "6:11"),
    Case("a-na-no-note.yaml", "na needs a note; write {answer: na, note: <why>}", "6:3"),
    Case("a-na-long-no-note.yaml", "na needs a note saying why it does not apply", "6:3"),
    Case("a-empty-id.yaml", "answers key: must not be empty", "6:3"),
    Case("a-id-space.yaml", "'1 1' is not a valid id", "6:3"),
    Case("a-null-program.yaml", "program: must not be empty", "3:9"),
    Case("a-unknown-program.yaml", "unknown program 'aeo-eu' (known programs: ctpat", "3:10"),
    Case("a-other-program-ids.yaml", "unknown criterion '1.1' in pip", "6:3"),
    Case("a-unknown-entity.yaml", "'airline' is not a business type of CTPAT (known:", "4:14"),
    Case("a-unknown-gate.yaml", "eligibility: unknown gate 'no-such-gate'", "5:15"),
    Case("a-unknown-gate-close.yaml", "gate 'active-importr' (did you mean 'active-importer'?)",
         "6:3"),
    Case("a-python-tag.yaml", "python/object/apply:os.system' is not allowed", "5:10"),
    Case("a-python-tag-key.yaml", "python/name:os.system' is not allowed", "6:3"),
    Case("a-binary-tag.yaml", "'tag:yaml.org,2002:binary' is not allowed", "5:11"),
    Case("a-set-tag.yaml", "'tag:yaml.org,2002:set' is not allowed", "5:10"),
    Case("a-alias-bomb.yaml", "anchors (&a) are not supported", "5:6"),
    Case("a-alias-only.yaml", "aliases (*yes) are not supported", "6:10"),
    Case("a-anchor-answer.yaml", "anchors (&ok) are not supported", "6:10"),
    Case("a-deep-flow.yaml", "nested more than 50 levels deep", "5:60"),
    Case("a-deep-block.yaml", "nested more than 50 levels deep", "55:101"),
    Case("a-top-list.yaml", "the file: expected a mapping", "2:1", vexpect=NOT_AEO, vpos="1:1"),
    Case("a-top-text.yaml", "the file: expected a mapping", "2:1", vexpect=NOT_AEO, vpos="1:1"),
    Case("a-empty.yaml", "the file is empty"),
    Case("a-comments-only.yaml", "the file is empty"),
    Case("a-document-stream.yaml", "expected a single document in the stream", "5:1"),
    Case("a-mini-unquoted-dup.yaml", "duplicate key '1.1'", "8:3", q="mini"),
    Case("a-mini-not-applicable.yaml", "'2.1' does not apply to business type", "6:3", q="mini"),
    Case("a-mini-gate-not-applicable.yaml", "gate 'active' does not apply to", "5:15", q="mini"),
    Case("a-mini-unknown-entity.yaml", "'airline' is not a business type of MTP", "4:14",
         q="mini"),
    Case("a-ctpat-for-mini.yaml", "answers are for 'ctpat', not for 'mini'", "3:10", q="mini"),
    Case("a-mini-unquoted-ids-ok.yaml", "", q="mini", ok=True),  # 1.1 and 1.10 unquoted
    Case("a-mini-unquoted-yes-no-ok.yaml", "", q="mini", ok=True),
    Case("ok-mini-answers.yaml", "", q="mini", ok=True),
    Case("ok-bom.yaml", "", ok=True),
    Case("ok-version-mismatch.yaml", "written for questionnaire version 2018-01", ok=True),
    # ---- generated at test time (see GENERATED) ----
    Case("gen-10mb.yaml", "the file is 10.5 MB; files over 5 MB are refused"),
    Case("gen-q-10mb.yaml", "files over 5 MB are refused"),
    Case("gen-many-values.yaml", "the file holds more than 200,000 values", "199996:3"),
    Case("gen-binary.png.yaml", "the file is not UTF-8 text (binary data", "1:1"),
    Case("gen-nul.yaml", "the file contains binary data (NUL bytes)"),
    Case("gen-utf16.yaml", "the file is UTF-16 text; save it as UTF-8"),
    Case("gen-utf16-no-bom.yaml", "the file is UTF-16 text; save it as UTF-8"),
    Case("gen-q-utf16.yaml", "the file is UTF-16 text; save it as UTF-8"),
    Case("gen-latin1.yaml", "not UTF-8 text (binary data, or Latin-1/Windows encoding?)", "4:21"),
    Case("gen-cp1252.yaml", "not UTF-8 text", "7:29"),
    Case("gen-control-char.yaml", "control character U+0007, which YAML does not allow", "4:13"),
    Case("gen-escape-char.yaml", "control character U+001B", "7:29"),
    Case("gen-long-note.yaml", "text is longer than 20000 characters", "7:29"),
    Case("gen-q-too-many-items.yaml", "program.benefits: has more than 10000 items", "25:13"),
    Case("gen-python-tag-marker.yaml", "python/object/apply:os.system' is not allowed", "4:10"),
    Case("gen-missing.yaml", "no such file"),
    Case("gen-directory.yaml", "is a folder, not an answers file",
         vexpect="is a folder, not a file"),
    Case("gen-q-directory.yaml", "is a folder, not a questionnaire file",
         vexpect="is a folder, not a file"),
    Case("gen-unreadable.yaml", "permission denied"),
    Case("gen-dev-zero", "files over 5 MB are refused"),
    Case("gen-fifo.yaml", "is a pipe or socket, not an answers file",
         vexpect="is a pipe or socket, not a file"),
    Case("gen-crlf.yaml", "", ok=True),
    Case("gen-bom-crlf.yaml", "", ok=True),
    Case("gen-q-crlf.yaml", "", ok=True),
    Case("gen-template.yaml", "", ok=True),  # a blank template is a valid answers file
    # ---- workbooks (.xlsx), made at test time from a ctpat importer template ----
    Case("gen-workbook-ok.xlsx", "", ok=True),
    Case("gen-workbook-formula.xlsx", "the cell holds a formula; formulas are never evaluated",
         cell="Answers!E3"),
    Case("gen-workbook-maybe.xlsx", "'maybe' is not one of: yes, partial, no, na",
         cell="Answers!E14"),
    Case("gen-workbook-unknown-id.xlsx", "unknown criterion '42.1' in ctpat", cell="Answers!A2"),
    Case("gen-workbook-zip-bomb.xlsx", "(a zip bomb?); refused"),
    Case("gen-workbook-billion-laughs.xlsx", "declares a DTD or XML entities"),
    Case("gen-workbook-million-rows.xlsx", "has more than 100,000 rows; refused"),
    Case("gen-workbook-renamed-docx.xlsx", "is a Word document renamed .xlsx"),
    Case("gen-workbook-macros.xlsm", "macro-enabled workbooks (.xlsm) are refused"),
    Case("gen-workbook-vba.xlsx", "the workbook contains macros"),
    Case("gen-workbook-external-link.xlsx", "links to other files (external links)"),
    Case("gen-workbook-not-zip.xlsx", "is not an Excel workbook (.xlsx)"),
    Case("gen-workbook-no-answers-sheet.xlsx", "no answers sheet found"),
    Case("gen-workbook-30mb.xlsx", "workbooks over 20 MB are refused"),
]
# fmt: on

CTPAT_HEAD = "format: aeo-check/answers@1\nprogram: ctpat\nentity_type: importer\n"
CTPAT_OK = CTPAT_HEAD + 'company: {name: Northwind Imports}\nanswers:\n  "1.1": yes\n'
PWNED = "aeo-check-pwned-marker"


def _write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _q_base() -> str:
    return (CORPUS / "q-base.yaml").read_text(encoding="utf-8")


def _gen_many_values(p: Path) -> Path:
    # under 5 MB, but over a million list items: refused after 200,000 values
    return _write(p, CTPAT_HEAD + "assessor:\n" + "- a\n" * 1_200_000)


def _gen_unreadable(p: Path) -> Path:
    _write(p, CTPAT_OK)
    p.chmod(0)
    if os.access(p, os.R_OK):  # root reads anything
        p.chmod(stat.S_IRUSR | stat.S_IWUSR)
        pytest.skip("running with a user that can read a chmod 000 file (root?)")
    return p


def _gen_dev_zero(p: Path) -> Path:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    return Path("/dev/zero")  # a file that never ends, and reports size 0


def _gen_fifo(p: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(p)  # opening it would wait forever for a writer
    return p


def _workbook_bytes(fill: dict[str, str] | None = None) -> bytes:
    """A ctpat importer template with some cells of the Answers sheet set."""
    import io

    import openpyxl

    from aeo_check import catalog
    from aeo_check.answers import new_assessment
    from aeo_check.model import Company
    from aeo_check.workbook import template_bytes

    q = catalog.get("ctpat")
    data = template_bytes(q, new_assessment(q, "importer", company=Company(name="Northwind")))
    if not fill:
        return data
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ref, value in fill.items():
        wb["Answers"][ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(p: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> Path:
    """The template with some parts replaced or added (what a hostile file would hold)."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(_workbook_bytes({"E2": "yes"})))
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, replace.get(info.filename, src.read(info)))
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return p


SHEET3 = "xl/worksheets/sheet3.xml"  # the Answers sheet


def _gen_billion_laughs(p: Path) -> Path:
    lol = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>\n"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _rezip(p, {SHEET3: lol.encode()})


def _gen_zip_bomb(p: Path) -> Path:
    # the Answers sheet inflated to 60 MB of blanks: about 60 KB in the zip
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b" " * (60 * 1024 * 1024)
        + b"<sheetData/></worksheet>"
    )
    return _rezip(p, {SHEET3: sheet})


def _gen_million_rows(p: Path) -> Path:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 1_000_001))
    return _rezip(p, {SHEET3: (head + rows + "</sheetData></worksheet>").encode()})


def _gen_renamed_docx(p: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return p


def _gen_external_link(p: Path) -> Path:
    return _rezip(p, {}, {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})


def _gen_big_workbook(p: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/media/noise.bin", random.Random(3).randbytes(30 * 1024 * 1024))
    return p


def _gen_no_answers_sheet(p: Path) -> Path:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_workbook_bytes()))
    del wb["Answers"]
    wb.save(p)
    return p


GENERATED = {
    "gen-workbook-ok.xlsx": lambda p: _write(p, _workbook_bytes({"E2": "yes", "E3": "Partial"})),
    "gen-workbook-formula.xlsx": lambda p: _write(p, _workbook_bytes({"E3": '=IF(1,"yes")'})),
    "gen-workbook-maybe.xlsx": lambda p: _write(p, _workbook_bytes({"E14": "maybe"})),
    "gen-workbook-unknown-id.xlsx": lambda p: _write(p, _workbook_bytes({"A2": "42.1"})),
    "gen-workbook-zip-bomb.xlsx": _gen_zip_bomb,
    "gen-workbook-billion-laughs.xlsx": _gen_billion_laughs,
    "gen-workbook-million-rows.xlsx": _gen_million_rows,
    "gen-workbook-renamed-docx.xlsx": _gen_renamed_docx,
    "gen-workbook-macros.xlsm": lambda p: _write(p, _workbook_bytes()),
    "gen-workbook-vba.xlsx": lambda p: _rezip(p, {}, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
    "gen-workbook-external-link.xlsx": _gen_external_link,
    "gen-workbook-not-zip.xlsx": lambda p: _write(p, CTPAT_OK),
    "gen-workbook-no-answers-sheet.xlsx": _gen_no_answers_sheet,
    "gen-workbook-30mb.xlsx": _gen_big_workbook,
    "gen-10mb.yaml": lambda p: _write(p, CTPAT_OK + "# " + "x" * (10 * 1024 * 1024) + "\n"),
    "gen-q-10mb.yaml": lambda p: _write(p, _q_base() + ("# padding\n" * 1_100_000)),
    "gen-many-values.yaml": _gen_many_values,
    "gen-binary.png.yaml": lambda p: _write(
        p, b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(64 * 1024)
    ),
    "gen-nul.yaml": lambda p: _write(p, CTPAT_OK.replace("Northwind", "North\x00wind")),
    "gen-utf16.yaml": lambda p: _write(p, CTPAT_OK.encode("utf-16")),
    "gen-utf16-no-bom.yaml": lambda p: _write(p, CTPAT_OK.encode("utf-16-le")),
    "gen-q-utf16.yaml": lambda p: _write(p, _q_base().encode("utf-16")),
    "gen-latin1.yaml": lambda p: _write(
        p, CTPAT_HEAD.encode() + "company: {name: Société Générale}\n".encode("latin-1")
    ),
    "gen-cp1252.yaml": lambda p: _write(
        p,
        (CTPAT_OK + '  "1.2": {answer: no, note: “not yet”}\n').encode("cp1252"),
    ),
    "gen-control-char.yaml": lambda p: _write(p, CTPAT_HEAD + "assessor: Ja\x07ne Doe\n"),
    "gen-escape-char.yaml": lambda p: _write(
        p, CTPAT_OK + '  "1.2": {answer: no, note: \x1b[31mred\x1b[0m}\n'
    ),
    "gen-long-note.yaml": lambda p: _write(
        p, CTPAT_OK + '  "1.2": {answer: no, note: ' + "x" * 30_000 + "}\n"
    ),
    "gen-q-too-many-items.yaml": lambda p: _write(
        p,
        _q_base().replace(
            "benefits: [Fewer examinations]",
            "benefits: [" + ", ".join(f"b{i}" for i in range(10_001)) + "]",
        ),
    ),
    "gen-python-tag-marker.yaml": lambda p: _write(
        p,
        CTPAT_HEAD + f'answers: !!python/object/apply:os.system ["touch {p.parent / PWNED}"]\n',
    ),
    "gen-missing.yaml": lambda p: p,
    "gen-directory.yaml": lambda p: (p.mkdir(), p)[1],
    "gen-q-directory.yaml": lambda p: (p.mkdir(), p)[1],
    "gen-unreadable.yaml": _gen_unreadable,
    "gen-dev-zero": _gen_dev_zero,
    "gen-fifo.yaml": _gen_fifo,
    "gen-crlf.yaml": lambda p: _write(p, CTPAT_OK.replace("\n", "\r\n")),
    "gen-bom-crlf.yaml": lambda p: _write(
        p, codecs.BOM_UTF8 + CTPAT_OK.replace("\n", "\r\n").encode()
    ),
    "gen-q-crlf.yaml": lambda p: _write(p, _q_base().replace("\n", "\r\n")),
    "gen-template.yaml": lambda p: _write(p, _template_text()),
}


def _template_text() -> str:
    from aeo_check import catalog
    from aeo_check.answers import dump_answers, new_assessment

    q = catalog.get("ctpat")
    return dump_answers(q, new_assessment(q, "importer"))


def is_questionnaire(name: str) -> bool:
    return name.startswith(("q-", "gen-q-"))


@dataclass
class Outcome:
    path: Path
    report: subprocess.CompletedProcess[str]  # `report --json` on this file alone
    validate: subprocess.CompletedProcess[str]  # `validate` on this file and its group
    validate_lines: list[str]  # the stdout lines about this file


def _run(args: list[str], cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("AEO_CHECK_DEBUG", None)
    try:
        return subprocess.run(
            [*cli_command(), *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"aeo-check {' '.join(args)} did not finish within {timeout} s")


def _report_args(case: Case, path: Path) -> list[str]:
    if is_questionnaire(case.file):
        return ["report", "--json", "-q", str(path), str(MINI_ANSWERS)]
    extra = ["-q", str(MINI)] if case.q == "mini" else []
    return ["report", "--json", *extra, str(path)]


def _validate_group(case: Case) -> tuple[bool, str | None, bool]:
    """`validate` takes many files: one run per kind of case (saves a process per case)."""
    return (is_questionnaire(case.file), case.q, case.ok)


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    """Runs every case once, in parallel, when the first test asks for one."""
    work = tmp_path_factory.mktemp("bad-inputs")
    pool = ThreadPoolExecutor(max_workers=max(2, min(6, (os.cpu_count() or 2) + 1)))
    reports: dict[str, Future[subprocess.CompletedProcess[str]]] = {}
    validations: dict[tuple[bool, str | None, bool], Future] = {}
    made: dict[str, Path] = {}

    def path_of(case: Case) -> Path:
        if case.file in made:
            return made[case.file]
        if case.file in GENERATED:
            folder = work / case.file.replace(".", "_")
            folder.mkdir(exist_ok=True)
            path = GENERATED[case.file](folder / case.file)
        else:
            path = CORPUS / case.file
            assert path.exists(), f"missing corpus file {path}"
        made[case.file] = path
        return path

    def start() -> None:
        groups: dict[tuple[bool, str | None, bool], list[Path]] = {}
        for case in CASES:
            try:
                path = path_of(case)
            except pytest.skip.Exception:
                continue
            reports[case.file] = pool.submit(_run, _report_args(case, path), work)
            groups.setdefault(_validate_group(case), []).append(path)
        for key, paths in groups.items():
            extra = ["-q", str(MINI)] if key[1] == "mini" else []
            args = ["validate", *extra, *map(str, paths)]
            validations[key] = pool.submit(_run, args, work, TIMEOUT * 3)

    def get(case: Case) -> Outcome:
        if not reports:
            start()
        if case.file not in reports:
            path_of(case)  # raises the skip
        path = made[case.file]
        validate = validations[_validate_group(case)].result()
        mine = [line for line in validate.stdout.splitlines() if line.startswith(f"{path}:")]
        return Outcome(path, reports[case.file].result(), validate, mine)

    yield get
    pool.shutdown(wait=True)
    for p in made.values():  # let pytest clean up the unreadable file
        if p.exists() and p.is_file() and not str(p).startswith("/dev/"):
            p.chmod(stat.S_IRUSR | stat.S_IWUSR)


def _no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream
        assert "internal error" not in stream
        assert "MemoryError" not in stream


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case: Case, runner) -> None:
    out = runner(case)
    v, r, lines = out.validate, out.report, out.validate_lines
    _no_traceback(v)
    _no_traceback(r)
    name = str(out.path)
    if case.ok:
        assert v.returncode == 0, v.stdout + v.stderr
        assert f"{name}: ok (" in v.stderr
        assert lines == []
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("{") and '"format": "aeo-check/result@1"' in r.stdout
        if case.expect:
            assert case.expect in r.stderr
        else:
            assert r.stderr.strip() == ""
        return

    # validate: problems on stdout, one per line, each naming the file
    assert v.returncode == 2, (v.stdout, v.stderr)
    assert lines, f"validate said nothing about {name}: {v.stderr}"
    assert f"{name}: ok" not in v.stderr
    vexpect = case.vexpect or case.expect
    assert vexpect in lines[0], lines
    vpos = case.vpos if case.vpos is not None else case.pos
    if case.cell is not None:
        assert lines[0].startswith(f"{name}: {case.cell}: "), lines[0]
    elif vpos is not None:
        assert lines[0].startswith(f"{name}:{vpos}: "), lines[0]
    else:
        assert lines[0].startswith(f"{name}: "), lines[0]

    # report: nothing on stdout, exactly one line on stderr naming the file
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    err = r.stderr.strip().splitlines()
    assert len(err) == 1, err
    line = err[0]
    assert line.startswith("error: "), line
    assert out.path.name in line, line
    assert case.expect in line, line
    if case.cell is not None:
        assert f"{out.path.name}: {case.cell}: " in line, line
    if case.pos is not None:
        assert f"{out.path.name}:{case.pos}: " in line, line
    else:
        assert f"{out.path.name}: " in line, line


def test_corpus_is_covered():
    """Every committed corpus file has its line in CASES (q-base and helpers included)."""
    listed = {c.file for c in CASES}
    files = {p.name for p in CORPUS.iterdir() if p.suffix == ".yaml"}
    assert files - listed == set()
    assert len(files) >= 50
    assert len(CASES) >= 100


def test_python_tags_never_run(runner, tmp_path):
    case = next(c for c in CASES if c.file == "gen-python-tag-marker.yaml")
    out = runner(case)
    assert out.report.returncode == 2
    assert not (out.path.parent / PWNED).exists()
    assert not Path("/tmp/aeo-check-pwned").exists()  # the corpus files' target


def test_report_with_several_problems_prints_one_line(tmp_path):
    path = _write(
        tmp_path / "two.yaml", CTPAT_HEAD + 'answers:\n  "1.1": maybe\n  "1.2": perhaps\n'
    )
    proc = _run(["report", "--json", str(path)], tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "and 1 more problem" in lines[0]


# --------------------------------------------------------------------------------------------
# Memory stays bounded: the heaviest cases under a 1 GB address-space limit (Linux)
# --------------------------------------------------------------------------------------------

MEMORY_CASES = [
    "a-alias-bomb.yaml",
    "q-alias-bomb.yaml",
    "gen-10mb.yaml",
    "gen-many-values.yaml",
    "gen-workbook-zip-bomb.xlsx",
    "gen-workbook-billion-laughs.xlsx",
    "gen-workbook-million-rows.xlsx",
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is reliable on Linux")
@pytest.mark.parametrize("name", MEMORY_CASES)
def test_memory_bounded(name, tmp_path):
    import resource

    limit = 1024 * 1024 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    path = GENERATED[name](tmp_path / name) if name in GENERATED else CORPUS / name
    args = ["report", "--json", "-q", str(path), str(MINI_ANSWERS)]
    if not is_questionnaire(name):
        args = ["report", "--json", str(path)]
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("AEO_CHECK_DEBUG", None)
    proc = subprocess.run(
        [*cli_command(), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        preexec_fn=cap,
        cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    _no_traceback(proc)
    assert len(proc.stderr.strip().splitlines()) == 1
