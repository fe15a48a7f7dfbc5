"""The building blocks every section uses: the one escape helper (:func:`esc`), links, anchors and
small markup helpers; reportlab's Paragraph and Table measured once per width; the report's
table, side-by-side, label/value rows, badge, bookmarked heading and the paged long table.

Security: every piece of text that reaches reportlab's Paragraph markup goes through
:func:`esc` (user text and questionnaire text alike), so a note holding ``<a href=...>``,
``<img src=...>`` or a stray ``&`` shows literally; links are only ever made here, from
questionnaire URLs with an http(s) or mailto scheme.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, TableStyle
from reportlab.platypus import Paragraph as _RLParagraph
from reportlab.platypus import Table as _RLTable
from reportlab.platypus import paragraph as _rl_paragraph

from ...model import VERDICT_LABELS, Action, Answer, Result
from .theme import (
    ACCENT,
    ACCENT_HEX,
    ANSWER_COLOURS,
    ANSWER_LABELS,
    FONT_BOLD,
    FRAME_H,
    FRAME_W,
    KEEP_TOGETHER_MAX,
    MUTED,
    MUTED_HEX,
    RULE,
    STYLES,
    WHITE,
    ZEBRA,
)

# --------------------------------------------------------------------------------------------
# Layout computed once per width
# --------------------------------------------------------------------------------------------
# Platypus wraps the same flowable several times at the same width: to measure a block for
# KeepTogether (here and in reportlab), to place it in the frame, for keepWithNext groups, and
# again when a Table draws its cells. Each wrap of a Paragraph re-breaks its lines, each wrap of
# a Table re-wraps every cell: in the largest report about two thirds of the line breaking was
# repeated work. These subclasses keep the result of the last wrap and return it when asked
# again at the same width. The state they keep is exactly what a new wrap at that width would
# compute (the same inputs give the same lines), so the PDF is byte for byte the same.


class Paragraph(_RLParagraph):
    """reportlab's Paragraph, re-breaking its lines only when the width changes."""

    _aeo_wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # a Paragraph's lines and height depend on the width alone, never on availHeight;
        # split() drops blPara when it refuses to split, which forces a new wrap
        if availWidth == self._aeo_wrapped_at and "blPara" in self.__dict__:
            return self.width, self.height
        self._aeo_wrapped_at = None
        size = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara"):
            self._aeo_wrapped_at = availWidth
        return size


class Table(_RLTable):
    """reportlab's Table, re-measuring its cells only when the width changes."""

    _aeo_calc_at: float | None = None

    def _calc(self, availWidth: float, availHeight: float) -> None:
        # availHeight only matters when reportlab stops measuring rows early (long tables with
        # row spans); a table whose every row was measured is complete for any height
        if availWidth == self._aeo_calc_at:
            return
        self._aeo_calc_at = None
        super()._calc(availWidth, availHeight)
        if getattr(self, "_hmax", None) == len(self._argH):
            self._aeo_calc_at = availWidth


# Line breaking asks reportlab.pdfmetrics.stringWidth for the width of every word on every
# line, about 58,000 times in the largest report, although the report holds far fewer distinct
# (word, font, size) triples: in pure Python each call encodes the word and sums its glyph
# widths again. For the length of a render, reportlab's paragraph module gets a version that
# remembers each answer. It returns exactly what stringWidth returned for the same arguments,
# so the PDF is byte for byte the same. The swap is counted, so renders that overlap (threads)
# share one memo and the last one out restores reportlab's own function.

_memo_lock = threading.Lock()
_memo_users = 0
_memo_saved: Any = None


def _remembering(measure: Callable[..., float]) -> Callable[..., float]:
    known: dict[tuple[Any, ...], float] = {}

    def string_width(text: str, fontName: str, fontSize: float, encoding: str = "utf8") -> float:
        key = (text, fontName, fontSize, encoding)
        try:
            return known[key]
        except KeyError:
            width = known[key] = measure(text, fontName, fontSize, encoding)
            return width

    return string_width


@contextmanager
def words_measured_once() -> Iterator[None]:
    """Within this block, reportlab measures each distinct word in a font and size once."""
    global _memo_users, _memo_saved
    with _memo_lock:
        if _memo_users == 0:
            _memo_saved = _rl_paragraph.stringWidth
            _rl_paragraph.stringWidth = _remembering(_memo_saved)
        _memo_users += 1
    try:
        yield
    finally:
        with _memo_lock:
            _memo_users -= 1
            if _memo_users == 0:
                _rl_paragraph.stringWidth = _memo_saved
                _memo_saved = None


# --------------------------------------------------------------------------------------------
# Text: the one escape helper, links and anchors
# --------------------------------------------------------------------------------------------

# Characters the standard fonts cannot draw that have a plain equivalent.
_FOLD = {
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ı": "i",
    "ħ": "h",
    "Ħ": "H",
    "ŧ": "t",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2011": "-",
    "\u2012": "-",
    "\u2015": "—",
    "\u2032": "'",
    "\u2033": '"',
}
_ENCODINGS = ("WinAnsiEncoding", "SymbolEncoding", "ZapfDingbatsEncoding")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """A character the standard fonts (Helvetica + Symbol + ZapfDingbats) can draw."""
    for enc in _ENCODINGS:
        try:
            ch.encode(enc)
            return ch
        except UnicodeEncodeError:
            continue
    if ch in _FOLD:
        return _FOLD[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base and base != ch and all(_fold_char(c) == c for c in base):
        return base
    return "?"


def plain(text: object) -> str:
    """Text made drawable by the standard PDF fonts (for canvas strings and outline titles).

    Latin-1 and Windows-1252 text (é, ñ, ç, «», “ ”, –, —, €) passes unchanged; a few other
    characters fold to their base letter (ł -> l); anything else becomes "?" rather than a box.
    """
    s = "" if text is None else str(text)
    if s.isascii():
        return s
    return "".join(_fold_char(c) for c in s)


def esc(text: object) -> str:
    """The one way text enters Paragraph markup: made drawable, then XML-escaped.

    ``<``, ``>``, ``&`` and quotes become entities, so user or questionnaire text can never
    open a tag (``<a>``, ``<img>``, ``<font>``...); line breaks become ``<br/>``.
    """
    if text is None:
        return ""
    s = escape(plain(text), {'"': "&quot;", "'": "&#39;"})
    if "\n" in s:
        s = "<br/>".join(line.strip() for line in s.strip().splitlines())
    return s


_SAFE_URL = re.compile(r"https?://[^\s<>\"'\\]+", re.IGNORECASE)
_SAFE_EMAIL = re.compile(r"[^\s<>\"'\\:/@]+@[^\s<>\"'\\:/@]+")


def _link(href: str, label: str | None = None) -> str:
    """Markup of a clickable external link; only http(s) and mailto targets make links."""
    text = esc(label if label is not None else href)
    if not _SAFE_URL.fullmatch(href) and not (
        href.startswith("mailto:") and _SAFE_EMAIL.fullmatch(href[len("mailto:") :])
    ):
        return text
    return f'<a href="{esc(href)}" color="{css(ACCENT_HEX)}">{text}</a>'


def url_link(url: str | None) -> str:
    return _link(url) if url else ""


def mailto_link(email: str | None) -> str:
    return _link(f"mailto:{email}", email) if email else ""


def anchor_name(criterion_id: str) -> str:
    """The PDF destination name of a criterion's detail entry (letters, digits, _ and -)."""
    return "crit-" + re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", criterion_id)


def gate_anchor(gate_id: str) -> str:
    """The destination of an eligibility requirement's row in the executive summary."""
    return "gate-" + anchor_name(gate_id)[len("crit-") :]


@lru_cache(maxsize=64)
def css(hex_colour: str) -> str:
    """A colour for Paragraph markup: "#1F4E79" -> "rgb(31,78,121)".

    reportlab reads both forms into the same Color, but it tries a hex string as a colour name,
    an expression and a literal before it reads it as hex (about 11 µs a time, 2,000 times in
    the largest report), while rgb() is the first form it tries.
    """
    value = int(hex_colour.lstrip("#"), 16)
    return f"rgb({value >> 16},{(value >> 8) & 0xFF},{value & 0xFF})"


def goto(criterion_id: str, label: str | None = None, *, gate: bool = False) -> str:
    text = esc(label if label is not None else criterion_id)
    dest = gate_anchor(criterion_id) if gate else anchor_name(criterion_id)
    return f'<a href="#{dest}" color="{css(ACCENT_HEX)}"><b>{text}</b></a>'


def colour(text_markup: str, hex_colour: str, bold: bool = True) -> str:
    inner = f"<b>{text_markup}</b>" if bold else text_markup
    return f'<font color="{css(hex_colour)}">{inner}</font>'


def answer_markup(value: str) -> str:
    return colour(ANSWER_LABELS.get(value, esc(value)), ANSWER_COLOURS.get(value, MUTED_HEX))


def fmt_score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def a_or_an(noun: str) -> str:
    """The indefinite article for a noun by its sound: "an Importer", "a Highway Carrier",
    "a U.S. Importer" (an initialism is read letter by letter), "an MPTO", "a Unit"."""
    word = noun.strip()
    if len(word) > 1 and (word[1] == "." or (word[:2].isupper() and word[:2].isalpha())):
        return "an" if word[0].upper() in "AEFHILMNORSX" else "a"
    low = word.lower()
    if low.startswith(("uni", "use", "usu", "eu", "one", "ut")):
        return "a"
    if low.startswith(("hour", "honest", "honou")):
        return "an"
    return "an" if low[:1] in tuple("aeiou") else "a"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def answer_value(ans: Answer) -> str:
    return ans.value.value if ans.value is not None else "unanswered"


# --------------------------------------------------------------------------------------------
# Reusable components
# --------------------------------------------------------------------------------------------


def P(markup: str, style: str = "body") -> Paragraph:
    """A Paragraph of already-escaped markup (build the markup with :func:`esc`)."""
    return Paragraph(markup, STYLES[style])


class Badge(Flowable):
    """A small rounded label in white on a colour (verdicts, priorities)."""

    def __init__(self, text: str, colour: str, size: float = 9, pad: float = 5) -> None:
        super().__init__()
        self.text = plain(text)
        self.colour = colors.HexColor(colour)
        self.size = size
        self.pad = pad
        self.width = stringWidth(self.text, FONT_BOLD, size) + 2 * pad
        self.height = size + pad

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(self.colour)
        c.roundRect(0, 0, self.width, self.height, radius=min(3, self.height / 3), stroke=0, fill=1)
        c.setFillColor(WHITE)
        c.setFont(FONT_BOLD, self.size)
        c.drawString(self.pad, self.height / 2 - self.size * 0.35, self.text)


def heading(title: str, key: str, level: int = 0, style: str = "h1") -> Paragraph:
    """A heading that also becomes a PDF bookmark (outline entry) at its position."""
    p = P(esc(title), style)
    p._aeo_outline = (key, plain(title), level)  # read by ReportDoc.afterFlowable
    return p


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    zebra: bool = True,
    style: Iterable[tuple[Any, ...]] = (),
    split_in_row: bool = True,
    repeat_rows: int | None = None,
) -> Table:
    """The report's table: header row in the accent colour, repeated on every page it spans.

    Rows may split inside a cell (``split_in_row``) so a cell taller than a page (a pasted
    essay in a note) never makes the layout fail.
    """
    cmds: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        cmds += [("BACKGROUND", (0, 0), (-1, 0), ACCENT), ("LINEBELOW", (0, 0), (-1, 0), 0, ACCENT)]
        if zebra and len(rows) > 2:
            cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, ZEBRA]))
    cmds += list(style)
    t = Table(
        rows,
        colWidths=list(widths),
        repeatRows=(1 if header else 0) if repeat_rows is None else repeat_rows,
        splitInRow=1 if split_in_row else 0,
        hAlign="LEFT",
    )
    t.setStyle(TableStyle(cmds))
    return t


def head_row(*titles: str) -> list[Paragraph]:
    return [P(esc(t), "cell_h") for t in titles]


def side_by_side(left: Flowable, right: Flowable, left_width: float, gap: float = 18) -> Table:
    """Two flowables next to each other (e.g. two small tables)."""
    t = Table(
        [[left, right]], colWidths=[left_width + gap, FRAME_W - left_width - gap], hAlign="LEFT"
    )
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t


def kv_rows(pairs: Iterable[tuple[str, str]]) -> list[list[Any]]:
    """Label/value rows (value: markup); empty values are left out. Labels are plain strings,
    drawn in the label style by :data:`KV_LABEL_STYLE` (much cheaper than a Paragraph)."""
    return [[plain(k), P(v, "cell")] for k, v in pairs if v]


KV_LABEL_STYLE: list[tuple[Any, ...]] = [
    ("FONTNAME", (0, 0), (0, -1), FONT_BOLD),
    ("FONTSIZE", (0, 0), (0, -1), 8),
    ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
]


# --------------------------------------------------------------------------------------------
# Small pieces of wording shared by sections
# --------------------------------------------------------------------------------------------


def verdict_text(result: Result) -> str:
    return VERDICT_LABELS[result.verdict] + (" (provisional)" if result.provisional else "")


def action_text(act: Action | None) -> str:
    """'owner X, due Y, status Z' with only the parts given; empty when there is no action."""
    if act is None or not (act.owner or act.due or act.status):
        return ""
    parts = []
    if act.owner:
        parts.append(f"owner {esc(act.owner)}")
    if act.due:
        parts.append(f"due {esc(act.due)}")
    if act.status:
        parts.append(f"status {esc(act.status)}")
    return ", ".join(parts)


def fit(text: str, font: str, size: float, width: float) -> str:
    """Text cut with an ellipsis to fit a width (for single-line canvas strings).

    A binary search on the length, so a pasted 20,000-character company name costs a few
    dozen measurements, not one per character.
    """
    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)  # the longest prefix that fits with the ellipsis is in [lo, hi)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid].rstrip() + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


# --------------------------------------------------------------------------------------------
# Layout helpers
# --------------------------------------------------------------------------------------------


def keep_together_if_short(flowables: list[Flowable]) -> list[Flowable]:
    """Keep a short block on one page; let a long one (a pasted essay of a note) split rather
    than leave a blank page behind it."""
    height = sum(f.wrap(FRAME_W, FRAME_H)[1] for f in flowables)
    if height <= FRAME_H * KEEP_TOGETHER_MAX:
        return [KeepTogether(flowables)]
    for f in flowables:
        f.keepWithNext = 0  # a heading's keepWithNext would glue it to the block again
    return [CondPageBreak(FRAME_H * 0.25), *flowables]


class PagedRows(Flowable):
    """A long table laid out one page at a time.

    Rows become cells (Paragraphs) only when their page is reached, and are dropped once drawn,
    so memory stays flat whatever the number of rows (a portfolio of thousands of companies).
    The header row is repeated on every page, as with ``repeatRows``.
    """

    CHUNK = 60  # more rows than fit on a page

    def __init__(
        self,
        header: Callable[[], list[Any]],
        data: Sequence[Any],
        make_row: Callable[[Any], list[Any]],
        widths: Sequence[float],
        start: int = 0,
    ) -> None:
        super().__init__()
        self.header, self.data, self.make_row = header, data, make_row
        self.widths, self.start = widths, start
        self._t: Any = None

    def _table(self) -> Any:
        rows = [self.make_row(r) for r in self.data[self.start : self.start + self.CHUNK]]
        return table([self.header(), *rows], self.widths)

    def _more(self) -> bool:
        return len(self.data) - self.start > self.CHUNK

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._t = self._table()
        w, h = self._t.wrap(aw, ah)
        if self._more():
            h = max(h, ah + 1)  # more rows follow: make the frame split
        self.width, self.height = w, h
        return w, h

    def split(self, aw: float, ah: float) -> list[Flowable]:
        t = self._table()
        parts = t.split(aw, ah)
        if not parts:
            return []
        first = parts[0]
        placed = len(first._cellvalues) - 1  # data rows on this page
        if placed <= 0:
            return []
        out: list[Flowable] = [first]
        if self.start + placed < len(self.data):
            out.append(
                PagedRows(self.header, self.data, self.make_row, self.widths, self.start + placed)
            )
        return out

    def draw(self) -> None:
        self._t.drawOn(self.canv, 0, 0)
