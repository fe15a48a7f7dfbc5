"""Reading YAML that users hand-edit, without surprises.

Only safe loading, ever. The file is read as bytes, refused above 5 MB before parsing, decoded
as UTF-8 (a byte-order mark is accepted), and composed into a node tree that keeps every
position. Anchors, aliases (which make "billion laughs" bombs possible), tags other than the
standard ones, and nesting deeper than 50 levels are refused with the line and column.
Turning nodes into values is the schema's job (:mod:`aeo_check.schema`): it reads ids as the
text the user wrote, so ``1.10`` never becomes the float ``1.1``.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import Node
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .errors import InputFileError, Problem

MAX_BYTES = 5 * 1024 * 1024
USE_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))
MAX_DEPTH = 50
# A 5 MB file of one-character list items is over a million nodes: seconds of parsing and
# gigabytes of memory. The bundled questionnaires have about 6,000; refuse far above that.
MAX_NODES = 200_000
STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"
ALLOWED_TAGS = {
    STANDARD_TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
}


class _Refused(yaml.MarkedYAMLError):
    pass


class _StrictComposer(Composer):
    _depth = 0
    _nodes = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(None, None, _too_many_nodes(), event.start_mark)
        if isinstance(event, AliasEvent):
            raise _Refused(
                None,
                None,
                f"aliases (*{event.anchor}) are not supported; write the value out in full",
                event.start_mark,
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(
                None,
                None,
                f"anchors (&{anchor}) are not supported; write the value out in full",
                event.start_mark,
            )
        tag = getattr(event, "tag", None)
        if (
            isinstance(event, ScalarEvent | CollectionStartEvent)
            and tag not in (None, "!")
            and tag not in ALLOWED_TAGS
        ):
            raise _Refused(
                None,
                None,
                f"the YAML tag {tag!r} is not allowed; remove it",
                event.start_mark,
            )
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    None,
                    None,
                    f"the file is nested more than {MAX_DEPTH} levels deep",
                    event.start_mark,
                )
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)


class _NodeLoader(Reader, Scanner, Parser, _StrictComposer, SafeConstructor, Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _StrictComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


def read_text(path: Path, *, what: str = "file", display: str | None = None) -> str:
    """Read a user's file as text: size limit, UTF-8 (with or without BOM), clear errors."""
    name = display or str(path)
    try:
        if path.is_dir():
            article = "an" if what[:1] in "aeiou" else "a"
            raise InputFileError([Problem(name, f"is a folder, not {article} {what}")])
        st = path.stat()
        if stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode):
            # opening a pipe with no writer would wait forever
            article = "an" if what[:1] in "aeiou" else "a"
            raise InputFileError([Problem(name, f"is a pipe or socket, not {article} {what}")])
        size = st.st_size
    except FileNotFoundError:
        raise InputFileError([Problem(name, "no such file")]) from None
    except PermissionError:
        raise InputFileError([Problem(name, "permission denied; cannot read the file")]) from None
    except OSError as exc:
        raise InputFileError([Problem(name, f"cannot read the file: {exc.strerror}")]) from None
    if size > MAX_BYTES:
        raise InputFileError(
            [Problem(name, f"the file is {size / 1e6:.1f} MB; files over 5 MB are refused")]
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # bounded: a device or pipe may never end
    except PermissionError:
        raise InputFileError([Problem(name, "permission denied; cannot read the file")]) from None
    except OSError as exc:
        raise InputFileError([Problem(name, f"cannot read the file: {exc.strerror}")]) from None
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise InputFileError([Problem(name, "the file is over 5 MB; files over 5 MB are refused")])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data):
        raise InputFileError(
            [Problem(name, "the file is UTF-16 text; save it as UTF-8 and try again")]
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputFileError(
            [
                Problem(
                    name,
                    "the file is not UTF-8 text (binary data, or Latin-1/Windows encoding?); "
                    "save it as UTF-8",
                    line,
                    col,
                )
            ]
        ) from None
    if "\x00" in text:
        raise InputFileError([Problem(name, "the file contains binary data (NUL bytes)")])
    return text


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 text without a byte-order mark: NUL bytes in every other position only."""
    head = data[:512]
    if len(head) < 2 or b"\x00" not in head:
        return False
    even, odd = head[0::2], head[1::2]
    return (even.count(0) == 0 and odd.count(0) >= len(odd) // 2) or (
        odd.count(0) == 0 and even.count(0) >= len(even) // 2
    )


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _too_many_nodes() -> str:
    return f"the file holds more than {MAX_NODES:,} values; split it or remove repeated entries"


class _TooManyNodes(Exception):  # a signal inside this module, not a user-facing error
    def __init__(self, line: int, col: int) -> None:
        self.line, self.col = line, col


def _check_events(text: str) -> None:
    """With libyaml: the rules of :class:`_StrictComposer`, checked on the parser's events."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, ScalarEvent | CollectionStartEvent | AliasEvent):
            nodes += 1
            if nodes > MAX_NODES:  # final: re-parsing a huge file slowly would only repeat it
                raise _TooManyNodes(event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(None, None, "anchor or alias", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in ALLOWED_TAGS:
            raise _Refused(None, None, "tag", event.start_mark)
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(None, None, "depth", event.start_mark)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _compose_fast(text: str) -> Node | None:
    """libyaml (C) parsing, about ten times faster; None when the file has any problem."""
    try:
        _check_events(text)
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def _tab_message(text: str, problem: str | None, mark: object) -> str | None:
    """PyYAML's "found character '\\t' that cannot start any token", said plainly."""
    if not problem or "'\\t'" not in problem or mark is None:
        return None
    line_no, col = getattr(mark, "line", None), getattr(mark, "column", None)
    if line_no is None or col is None:
        return None
    lines = text.splitlines()
    before = lines[line_no][:col] if line_no < len(lines) else ""
    if before.strip() == "":
        return "a tab in the indentation; use spaces, not tabs, to indent"
    return "a tab where YAML needs spaces; use spaces, not tabs"


def compose(text: str, name: str) -> Node | None:
    """Parse YAML text into a node tree (or None for an empty document).

    Valid files are parsed by libyaml when PyYAML has it (the usual wheels). Any file it finds
    a problem in, and every file when libyaml is missing, goes through the pure-Python
    composer, which enforces the rules as it goes and gives the exact message and position.
    """
    if USE_LIBYAML and text.strip():
        try:
            node = _compose_fast(text)
        except _TooManyNodes as exc:
            raise InputFileError([Problem(name, _too_many_nodes(), exc.line, exc.col)]) from None
        if node is not None:
            return node
    try:
        loader = _NodeLoader(text)
    except ReaderError as exc:  # a control character: checked before parsing
        line, col = _line_col(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        raise InputFileError(
            [
                Problem(
                    name,
                    f"the file contains the control character U+{char:04X}, which YAML does "
                    "not allow; remove it",
                    line,
                    col,
                )
            ]
        ) from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = exc.context
        started = exc.context_mark
        if context and started is not None and mark is not None and started.line != mark.line:
            # e.g. an unclosed quote: the error is found far below where the value starts
            context += f" (which starts on line {started.line + 1}, column {started.column + 1})"
        parts = [p for p in (context, exc.problem) if p]
        message = "; ".join(parts) if parts else "invalid YAML"
        tab = _tab_message(text, exc.problem, mark)
        if tab is not None:
            message = tab
        if not isinstance(exc, _Refused):
            message = f"YAML syntax error: {message}"
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        raise InputFileError([Problem(name, message, line, col)]) from None
    except yaml.YAMLError as exc:  # e.g. ReaderError for control characters
        raise InputFileError([Problem(name, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InputFileError([Problem(name, "the file is nested too deeply")]) from None
    finally:
        loader.dispose()


def load_nodes(path: Path, *, what: str = "file", display: str | None = None) -> Node | None:
    """Read and compose a file; problems name it ``display`` (default: the path)."""
    name = display or str(path)
    return compose(read_text(path, what=what, display=name), name)
