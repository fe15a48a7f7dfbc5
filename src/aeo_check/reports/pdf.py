"""The gap-analysis PDF: the report a compliance officer hands to management.

The only module of aeo-check that imports reportlab; :mod:`aeo_check.pipeline` imports it
lazily, so the other commands never pay for reportlab. Entry point: :func:`render`.

Sections: cover · executive summary (chart of scores by category, gaps by priority,
eligibility) · gap analysis (each gap with what to do and a link to its detail) · action plan
(owner, due, status) · detail by category (every criterion, answer, note and evidence) · next
steps (how to apply, contacts, mutual recognition) · methodology (scoring, sources, disclaimer).

Security: every piece of text that reaches reportlab's Paragraph markup goes through
:func:`esc` (user text and questionnaire text alike), so a note holding ``<a href=...>``,
``<img src=...>`` or a stray ``&`` shows literally; links are only ever made by this module,
from questionnaire URLs with an http(s) or mailto scheme.

Reproducibility: the canvas runs in reportlab's invariant mode, the PDF's dates are the
report's generation date and the document id does not depend on the clock, so the same Result
and the same ``generated_on`` give byte-identical files.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from hashlib import md5
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as _RLParagraph
from reportlab.platypus import Table as _RLTable

from ..model import (
    EVIDENCE_LEVEL_LABELS,
    PRIORITY_ORDER,
    VERDICT_LABELS,
    Action,
    Answer,
    Category,
    Criterion,
    EvidenceLevel,
    Gap,
    Level,
    Priority,
    Questionnaire,
    Result,
    Verdict,
)
from ..plan import action_plan, evidence_summary, first_task, quality_by_kind

__all__ = ["esc", "render"]


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


# --------------------------------------------------------------------------------------------
# Layout, held as data
# --------------------------------------------------------------------------------------------

PAGE_SIZE = LETTER  # users are North American
PAGE_W, PAGE_H = PAGE_SIZE
MARGIN_LEFT = MARGIN_RIGHT = 0.75 * inch
MARGIN_TOP = 0.95 * inch
MARGIN_BOTTOM = 0.85 * inch
FRAME_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
ACTION_FIELD_MAX = 160  # characters of owner/due/status shown in the action plan table
KEEP_TOGETHER_MAX = 0.45  # blocks taller than this share of a page may split across pages
COVER_BAND_H = 1.15 * inch

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"

SIZE_BODY = 9.5
SIZE_SMALL = 8
SIZE_TINY = 7.5
SIZE_H1 = 17
SIZE_H2 = 12.5
SIZE_H3 = 10.5
SIZE_COVER_TITLE = 24
SIZE_SCORE = 46

INK = colors.HexColor("#1E2328")
MUTED = colors.HexColor("#5F6B76")
RULE = colors.HexColor("#C9D1D9")
TINT = colors.HexColor("#EEF3F8")
ZEBRA = colors.HexColor("#F7F9FB")
TRACK = colors.HexColor("#EBEFF3")
ACCENT_HEX = "#1F4E79"  # the one accent colour
ACCENT = colors.HexColor(ACCENT_HEX)
WHITE = colors.white

VERDICT_COLOURS: dict[Verdict, str] = {
    Verdict.READY: "#2E7D32",
    Verdict.NEARLY_READY: "#B86E00",
    Verdict.NOT_READY: "#C62828",
    Verdict.NOT_ELIGIBLE: "#6B1E1E",
}
PRIORITY_COLOURS: dict[Priority, str] = {
    Priority.BLOCKER: "#6B1E1E",
    Priority.CRITICAL: "#C62828",
    Priority.HIGH: "#D35400",
    Priority.MEDIUM: "#B08900",
    Priority.LOW: "#607D8B",
}
PRIORITY_MEANING: dict[Priority, str] = {
    Priority.BLOCKER: "Eligibility requirement answered no: the company cannot apply yet",
    Priority.CRITICAL: "Must criterion answered no or not answered; eligibility not confirmed",
    Priority.HIGH: "Must criterion met only in part, or N/A still to justify",
    Priority.MEDIUM: "Should criterion answered no or not answered",
    Priority.LOW: "Should criterion met only in part",
}
ANSWER_LABELS: dict[str, str] = {
    "yes": "Yes",
    "partial": "Partial",
    "no": "No",
    "na": "N/A",
    "unanswered": "Not answered",
}
ANSWER_COLOURS: dict[str, str] = {
    "yes": "#2E7D32",
    "partial": "#B86E00",
    "no": "#C62828",
    "na": "#5F6B76",
    "unanswered": "#5F6B76",
}
GATE_LABELS = {"yes": "Yes", "no": "No: blocks the application", "unanswered": "Not answered"}
FLAG_COLOUR = "#B86E00"  # marks for unverified items and working ids
BAR_ROW_H = 17
BAR_H = 9
BAR_LABEL_W = 185
DONE_STATUSES = {"done", "complete", "completed", "closed", "finished", "implemented"}

SECTIONS = (
    ("summary", "1. Executive summary"),
    ("gaps", "2. Gap analysis"),
    ("plan", "3. Action plan"),
    ("detail", "4. Detail by category"),
    ("next", "5. Next steps"),
    ("method", "6. Methodology"),
)
DISCLAIMER = (
    "This report is a self-assessment prepared with aeo-check from the answers given by the "
    "company. It is not a certification, an audit or legal advice: only the customs agency "
    "certifies a company, after its own review and validation. Check the criteria against the "
    "agency's current official documents before relying on them."
)


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base = {"fontName": FONT, "fontSize": SIZE_BODY, "leading": SIZE_BODY * 1.3, "textColor": INK}
    base.update(kw)
    return ParagraphStyle(name, **base)


# Styles are built once, at import; nothing copies a style per paragraph.
STYLES: dict[str, ParagraphStyle] = {
    "body": _style("body", spaceAfter=5),
    "cell": _style("cell", fontSize=8.5, leading=10.8),
    "cell_b": _style("cell_b", fontName=FONT_BOLD, fontSize=8.5, leading=10.8),
    "cell_h": _style("cell_h", fontName=FONT_BOLD, fontSize=8.5, leading=10.8, textColor=WHITE),
    "cell_r": _style("cell_r", fontSize=8.5, leading=10.8, alignment=2),
    "label": _style("label", fontName=FONT_BOLD, fontSize=8, leading=10.8, textColor=MUTED),
    "small": _style(
        "small", fontSize=SIZE_SMALL, leading=SIZE_SMALL * 1.3, textColor=MUTED, spaceBefore=3
    ),
    "bullet": _style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=3),
    "step": _style("step", leftIndent=18, bulletIndent=0, spaceAfter=5),
    "h1": _style(
        "h1",
        fontName=FONT_BOLD,
        fontSize=SIZE_H1,
        leading=SIZE_H1 * 1.2,
        textColor=ACCENT,
        spaceAfter=10,
    ),
    "h2": _style(
        "h2",
        fontName=FONT_BOLD,
        fontSize=SIZE_H2,
        leading=SIZE_H2 * 1.25,
        textColor=ACCENT,
        spaceBefore=12,
        spaceAfter=6,
        keepWithNext=1,
    ),
    "h3": _style(
        "h3",
        fontName=FONT_BOLD,
        fontSize=SIZE_H3,
        leading=SIZE_H3 * 1.3,
        spaceBefore=9,
        spaceAfter=4,
        keepWithNext=1,
    ),
    "crit": _style(
        "crit",
        fontName=FONT_BOLD,
        fontSize=9.5,
        leading=12.5,
        backColor=TINT,
        borderPadding=(3, 4, 3, 4),
        spaceBefore=11,
        spaceAfter=5,
        keepWithNext=1,
    ),
    "crit_body": _style("crit_body", fontSize=8.8, leading=11.6, leftIndent=4, spaceAfter=2.5),
    "cover_kicker": _style(
        "cover_kicker", fontName=FONT_BOLD, fontSize=10.5, leading=14, textColor=ACCENT
    ),
    "cover_title": _style(
        "cover_title",
        fontName=FONT_BOLD,
        fontSize=SIZE_COVER_TITLE,
        leading=SIZE_COVER_TITLE * 1.18,
        spaceBefore=6,
        spaceAfter=8,
    ),
    "cover_sub": _style("cover_sub", fontSize=12, leading=16, textColor=MUTED),
    "score": _style(
        "score", fontName=FONT_BOLD, fontSize=SIZE_SCORE, leading=SIZE_SCORE * 1.05, textColor=INK
    ),
}

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
    return f'<a href="{esc(href)}" color="{ACCENT_HEX}">{text}</a>'


def _url(url: str | None) -> str:
    return _link(url) if url else ""


def _mailto(email: str | None) -> str:
    return _link(f"mailto:{email}", email) if email else ""


def anchor_name(criterion_id: str) -> str:
    """The PDF destination name of a criterion's detail entry (letters, digits, _ and -)."""
    return "crit-" + re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", criterion_id)


def gate_anchor(gate_id: str) -> str:
    """The destination of an eligibility requirement's row in the executive summary."""
    return "gate-" + anchor_name(gate_id)[len("crit-") :]


def _goto(criterion_id: str, label: str | None = None, *, gate: bool = False) -> str:
    text = esc(label if label is not None else criterion_id)
    dest = gate_anchor(criterion_id) if gate else anchor_name(criterion_id)
    return f'<a href="#{dest}" color="{ACCENT_HEX}"><b>{text}</b></a>'


def _colour(text_markup: str, hex_colour: str, bold: bool = True) -> str:
    inner = f"<b>{text_markup}</b>" if bold else text_markup
    return f'<font color="{hex_colour}">{inner}</font>'


def _answer_markup(value: str) -> str:
    return _colour(ANSWER_LABELS.get(value, esc(value)), ANSWER_COLOURS.get(value, "#5F6B76"))


def _fmt_score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _a(noun: str) -> str:
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


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _answer_value(ans: Answer) -> str:
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
    p._aeo_outline = (key, plain(title), level)  # read by _Doc.afterFlowable
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


def _head_row(*titles: str) -> list[Paragraph]:
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


def _kv_rows(pairs: Iterable[tuple[str, str]]) -> list[list[Any]]:
    """Label/value rows (value: markup); empty values are left out. Labels are plain strings,
    drawn in the label style by :data:`KV_LABEL_STYLE` (much cheaper than a Paragraph)."""
    return [[plain(k), P(v, "cell")] for k, v in pairs if v]


KV_LABEL_STYLE: list[tuple[Any, ...]] = [
    ("FONTNAME", (0, 0), (0, -1), FONT_BOLD),
    ("FONTSIZE", (0, 0), (0, -1), 8),
    ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
]


# --------------------------------------------------------------------------------------------
# Document template and canvas: header, footer, Page X of Y, bookmarks, dates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PageInfo:
    company: str
    program: str
    generated_on: str


class _Doc(BaseDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:
        """Register the link targets and bookmarks that headings carry, at their top."""
        dest = getattr(flowable, "_aeo_dest", None)
        outline = getattr(flowable, "_aeo_outline", None)
        if dest is None and outline is None:
            return
        top = min(self.frame._y + getattr(flowable, "height", 0) + 8, PAGE_H)
        if dest is not None:
            self.canv.bookmarkHorizontal(dest, 0, top)
        if outline is not None:
            key, title, level = outline
            self.canv.bookmarkHorizontal(key, 0, top)
            self.canv.addOutlineEntry(title, key, level=level)


def _canvas_maker(info: _PageInfo) -> Callable[..., Canvas]:
    year, month, day = (int(x) for x in info.generated_on.split("-"))
    stamp = f"D:{year:04d}{month:02d}{day:02d}000000+00'00'"

    class _NumberedCanvas(Canvas):
        """Holds each page until the end, then stamps header, footer and "Page X of Y"."""

        def __init__(self, *args: Any, **kw: Any) -> None:
            kw["invariant"] = 1
            super().__init__(*args, **kw)
            self._pages: list[dict[str, Any]] = []
            # The document's dates are the report's date; its id must not depend on the clock
            # (nor on SOURCE_DATE_EPOCH), so seed the signature from the date alone.
            self.setDateFormatter(lambda *_: stamp)
            sig = md5(b"aeo-check report", usedforsecurity=False)
            sig.update(info.generated_on.encode())
            self._doc.signature = sig

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            # Pages are named by the document's counter ("Page3"); advance it now so that
            # bookmarks and links made on the next page point at the right page.
            self._doc.pageCounter += 1
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            self._doc.pageCounter = 1
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, total: int) -> None:
            page = self._pageNumber
            self.saveState()
            left, right = MARGIN_LEFT, PAGE_W - MARGIN_RIGHT
            if page > 1:
                y = PAGE_H - MARGIN_TOP + 22
                self.setFont(FONT_BOLD, SIZE_SMALL)
                self.setFillColor(INK)
                prog = info.program
                self.drawRightString(right, y, prog)
                room = right - left - stringWidth(prog, FONT_BOLD, SIZE_SMALL) - 20
                self.setFont(FONT, SIZE_SMALL)
                self.drawString(left, y, _fit(info.company, FONT, SIZE_SMALL, room))
                self.setStrokeColor(RULE)
                self.setLineWidth(0.6)
                self.line(left, y - 6, right, y - 6)
            y = MARGIN_BOTTOM - 30
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(left, y + 11, right, y + 11)
            self.setFont(FONT, SIZE_TINY)
            self.setFillColor(MUTED)
            self.drawString(
                left,
                y,
                f"Generated {info.generated_on} by aeo-check · self-assessment, "
                "not a certification",
            )
            self.setFont(FONT_BOLD, SIZE_TINY)
            self.drawRightString(right, y, f"Page {page} of {total}")
            self.restoreState()

    return _NumberedCanvas


def _fit(text: str, font: str, size: float, width: float) -> str:
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


def _draw_cover_band(canv: Canvas, doc: BaseDocTemplate) -> None:
    canv.saveState()
    canv.setFillColor(ACCENT)
    canv.rect(0, PAGE_H - COVER_BAND_H, PAGE_W, COVER_BAND_H, stroke=0, fill=1)
    canv.setFillColor(WHITE)
    canv.setFont(FONT_BOLD, 13)
    canv.drawString(MARGIN_LEFT, PAGE_H - COVER_BAND_H + 30, "Gap analysis report")
    canv.setFont(FONT, 9)
    canv.drawRightString(
        PAGE_W - MARGIN_RIGHT,
        PAGE_H - COVER_BAND_H + 30,
        "Trusted-trader readiness self-assessment",
    )
    canv.restoreState()


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    result: Result
    generated_on: str
    comparison: Any = None  # aeo_check.compare.Comparison, for report --compare
    difference: Any = None  # aeo_check.diff.Difference, for report --baseline

    @property
    def q(self) -> Questionnaire:
        return self.result.questionnaire

    @property
    def company(self) -> str:
        return self.result.assessment.company.name.strip() or "(company not named)"


def _verdict_text(result: Result) -> str:
    return VERDICT_LABELS[result.verdict] + (" (provisional)" if result.provisional else "")


def _cover(ctx: _Ctx) -> list[Flowable]:
    r, q, a = ctx.result, ctx.q, ctx.result.assessment
    p = q.program
    colour = VERDICT_COLOURS[r.verdict]
    unanswered = r.answer_counts.get("unanswered", 0)
    gates_missing = sum(1 for g in r.eligibility if g.answer == "unanswered")
    score_cell = [
        P("OVERALL READINESS", "label"),
        P(f'{_fmt_score(r.overall)}<font size="14" color="#5F6B76"> / 100</font>', "score"),
    ]
    verdict_cell: list[Flowable] = [
        P("VERDICT", "label"),
        Spacer(1, 6),
        Badge(VERDICT_LABELS[r.verdict], colour, size=15, pad=8),
        Spacer(1, 6),
    ]
    if r.provisional:
        missing = []
        if unanswered:
            missing.append(_plural(unanswered, "criterion", "criteria"))
        if gates_missing:
            missing.append(_plural(gates_missing, "eligibility question"))
        verdict_cell.append(
            P(
                f"<b>Provisional</b>: {esc(' and '.join(missing))} not answered yet; "
                "they count as not met.",
                "small",
            )
        )
    panel = Table(
        [[score_cell, verdict_cell]],
        colWidths=[FRAME_W * 0.42, FRAME_W * 0.58],
        hAlign="LEFT",
    )
    panel.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEBEFORE", (0, 0), (0, 0), 4, colors.HexColor(colour)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 14),
                ("TOPPADDING", (0, 0), (-1, -1), 12),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 14),
            ]
        )
    )
    facts = _kv_rows(
        [
            ("Program", f"{esc(p.name)}<br/>{esc(p.agency)}"),
            ("Business type", esc(r.entity_type.name)),
            *(
                [
                    (
                        "Installation",
                        esc(
                            ", ".join(x for x in (a.installation.name, a.installation.address) if x)
                        ),
                    )
                ]
                if a.installation and a.installation.given
                else []
            ),
            ("Assessor", esc(a.assessor) or "not given"),
            ("Date assessed", esc(a.assessed_on) or "not given"),
            ("Questionnaire", f"{esc(q.id)} version {esc(q.version)}"),
            ("Report generated", esc(ctx.generated_on)),
        ]
    )
    facts_table = table(facts, [110, FRAME_W - 110], header=False, style=KV_LABEL_STYLE)
    return [
        NextPageTemplate("body"),
        Spacer(1, COVER_BAND_H - MARGIN_TOP + 28),
        P(esc(f"{p.short_name} readiness gap analysis").upper(), "cover_kicker"),
        P(esc(ctx.company), "cover_title"),
        P(f"{esc(p.name)} · {esc(p.agency)}", "cover_sub"),
        Spacer(1, 26),
        panel,
        Spacer(1, 24),
        facts_table,
        Spacer(1, 30),
        P(esc(DISCLAIMER), "small"),
    ]


def _summary_points(ctx: _Ctx) -> list[str]:
    r = ctx.result
    n = r.gap_counts
    points: list[str] = []
    gates_no = [g for g in r.eligibility if g.answer == "no"]
    gates_open = [g for g in r.eligibility if g.answer == "unanswered"]
    if gates_no:
        names = "; ".join(g.label for g in gates_no)
        points.append(
            f"<b>Not eligible yet</b>: {esc(names)} "
            f"({'answered no' if len(gates_no) == 1 else 'each answered no'}). The company "
            f"cannot apply until {'it is' if len(gates_no) == 1 else 'they are'} met: "
            "start there."
        )
    if gates_open:
        names = "; ".join(g.label for g in gates_open)
        points.append(
            f"<b>{esc(_plural(len(gates_open), 'eligibility question'))} to confirm</b>: "
            f"{esc(names)}."
        )
    by_answer: dict[str, int] = {}
    for g in r.gaps:
        if not g.is_gate and g.level is Level.MUST:
            by_answer[g.answer] = by_answer.get(g.answer, 0) + 1
    no, missing = by_answer.get("no", 0), by_answer.get("unanswered", 0)
    if no or missing:
        what = " and ".join(
            x
            for x in (
                f"{_plural(no, 'Must requirement')} answered no" if no else "",
                f"{_plural(missing, 'Must requirement')} not answered" if missing else "",
            )
            if x
        )
        points.append(f"<b>{esc(what)}</b>: every one must be met before the company applies.")
    partial, na = by_answer.get("partial", 0), by_answer.get("na", 0)
    if partial:
        points.append(
            f"<b>{_plural(partial, 'Must requirement')} met only in part</b>: finish them."
        )
    if na:
        points.append(
            f"<b>{_plural(na, 'N/A answer')} to justify</b>: the program gives no case in which "
            f"{'this requirement does' if na == 1 else 'these requirements do'} not apply; "
            "answer them, or record why they cannot apply."
        )
    first = first_task(r)
    if first is not None and r.verdict is not Verdict.READY:
        g = first.gap
        name = esc(g.title) if g.is_gate else f"{esc(g.id)} {esc(g.title)}"
        points.append(f"<b>Do first</b>: {name}. Section 3 puts every task in order.")
    should = n.get("medium", 0) + n.get("low", 0)
    if should:
        points.append(
            f"{_plural(should, 'Should gap')} ({n.get('medium', 0)} medium, {n.get('low', 0)} "
            "low): recommended practices. They raise the score but do not block an application."
        )
    unanswered = r.answer_counts.get("unanswered", 0)
    if unanswered:
        points.append(
            f"{_plural(unanswered, 'criterion', 'criteria')} not answered yet: they count as "
            "not met and the verdict is provisional until they are answered."
        )
    if r.verdict is Verdict.READY:
        points.insert(
            0,
            "<b>Nothing blocks an application</b>: every eligibility requirement and every Must "
            "criterion is met.",
        )
    elif not points:
        points.append("No gaps: every applicable criterion is answered yes or not applicable.")
    return points


def _category_chart(ctx: _Ctx) -> Drawing:
    """Horizontal bars of the category scores, coloured by what is left in each category, with
    the nearly-ready threshold (and a custom ready threshold) marked."""
    r, rules = ctx.result, ctx.q.scoring
    cats = r.categories
    # bar colour: red where a Must is no or unanswered, amber where any other gap is left
    must_missing = {
        g.category
        for g in r.gaps
        if g.level is Level.MUST and g.answer in ("no", "unanswered") and not g.is_gate
    }
    any_gap = {g.category for g in r.gaps}
    top_pad, bottom_pad = 16, 20
    height = top_pad + bottom_pad + BAR_ROW_H * max(len(cats), 1)
    d = Drawing(FRAME_W, height)
    x0 = BAR_LABEL_W
    bar_w = FRAME_W - x0 - 38

    def x_of(v: float) -> float:
        return x0 + bar_w * max(0.0, min(v, 100.0)) / 100

    base_y = bottom_pad
    top_y = height - top_pad
    rows = []
    for i, cs in enumerate(cats):
        y = top_y - (i + 1) * BAR_ROW_H + (BAR_ROW_H - BAR_H) / 2
        rows.append((y, cs))
        label = _fit(plain(f"{cs.id}. {cs.title}"), FONT, 8, x0 - 8)
        d.add(String(0, y + 1.5, label, fontName=FONT, fontSize=8, fillColor=INK))
        d.add(Rect(x0, y, bar_w, BAR_H, fillColor=TRACK, strokeColor=None))
    for tick in (0, 25, 50, 75, 100):
        d.add(Line(x_of(tick), base_y, x_of(tick), top_y, strokeColor=RULE, strokeWidth=0.4))
        d.add(
            String(
                x_of(tick),
                base_y - 10,
                str(tick),
                fontName=FONT,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    for y, cs in rows:
        if cs.score is None:
            d.add(
                String(
                    x0 + 4,
                    y + 1.8,
                    "n/a (every criterion answered N/A)",
                    fontName=FONT_ITALIC,
                    fontSize=7,
                    fillColor=MUTED,
                )
            )
            d.add(
                String(
                    FRAME_W,
                    y + 1.5,
                    "n/a",
                    fontName=FONT_BOLD,
                    fontSize=8,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )
            continue
        if cs.id in must_missing:
            fill = VERDICT_COLOURS[Verdict.NOT_READY]
        elif cs.id in any_gap:
            fill = VERDICT_COLOURS[Verdict.NEARLY_READY]
        else:
            fill = VERDICT_COLOURS[Verdict.READY]
        if cs.score > 0:
            d.add(
                Rect(
                    x0,
                    y,
                    x_of(cs.score) - x0,
                    BAR_H,
                    fillColor=colors.HexColor(fill),
                    strokeColor=None,
                )
            )
        d.add(
            String(
                FRAME_W,
                y + 1.5,
                _fmt_score(cs.score),
                fontName=FONT_BOLD,
                fontSize=8,
                fillColor=INK,
                textAnchor="end",
            )
        )
    marks = [(rules.nearly_ready_at, VERDICT_COLOURS[Verdict.NEARLY_READY], "nearly ready", "end")]
    if rules.ready_at is not None:
        marks.append((rules.ready_at, VERDICT_COLOURS[Verdict.READY], "ready", "start"))
    for value, hex_colour, label, anchor in marks:
        c = colors.HexColor(hex_colour)
        d.add(
            Line(
                x_of(value),
                base_y,
                x_of(value),
                top_y + 8,
                strokeColor=c,
                strokeWidth=0.9,
                strokeDashArray=[2, 2],
            )
        )
        shift = -3 if anchor == "end" else 3
        d.add(
            String(
                x_of(value) + shift,
                top_y + 4,
                f"{label} {value:g}",
                fontName=FONT,
                fontSize=6.5,
                fillColor=c,
                textAnchor=anchor,
            )
        )
    return d


def _summary(ctx: _Ctx) -> list[Flowable]:
    r, q = ctx.result, ctx.q
    p = q.program
    counts = r.answer_counts
    musts = sum(1 for c in q.applicable_criteria(r.assessment.entity_type) if c.level is Level.MUST)
    total = sum(cs.applicable for cs in r.categories)
    kind = r.entity_type.name
    intro = (
        f"{esc(ctx.company)} was assessed as {_a(kind)} <b>{esc(kind)}</b> against the "
        f"{_plural(total, 'criterion', 'criteria')} of {esc(p.name)} that apply to this business "
        f"type ({musts} Must, {total - musts} Should). It scores <b>{_fmt_score(r.overall)}</b> "
        f"out of 100 and is rated "
        f"{_colour(esc(VERDICT_LABELS[r.verdict]), VERDICT_COLOURS[r.verdict])}"
        + (" (provisional)." if r.provisional else ".")
    )
    out: list[Flowable] = [
        PageBreak(),
        heading(SECTIONS[0][1], SECTIONS[0][0]),
        P(intro),
        P("<b>What stands between the company and applying</b>", "h3"),
    ]
    out += [Paragraph(pt, STYLES["bullet"], bulletText="•") for pt in _summary_points(ctx)]
    out += _quality_box(ctx)
    out += [P("Score by category", "h2"), _category_chart(ctx)]
    if any(cs.score is None for cs in r.categories):
        out.append(P("n/a: every criterion of the category was answered N/A.", "small"))

    prio_rows: list[list[Any]] = [_head_row("Priority", "Gaps", "Meaning")]
    for pr in PRIORITY_ORDER:
        prio_rows.append(
            [
                P(_colour(pr.value.capitalize(), PRIORITY_COLOURS[pr]), "cell"),
                P(str(r.gap_counts.get(pr.value, 0)), "cell_r"),
                P(esc(PRIORITY_MEANING[pr]), "cell"),
            ]
        )
    prio_rows.append([P("Total", "cell_b"), P(f"<b>{len(r.gaps)}</b>", "cell_r"), ""])
    ans_rows: list[list[Any]] = [_head_row("Answer", "Criteria")]
    for key in ("yes", "partial", "no", "na", "unanswered"):
        ans_rows.append([P(_answer_markup(key), "cell"), P(str(counts.get(key, 0)), "cell_r")])
    ans_rows.append([P("Total", "cell_b"), P(f"<b>{total}</b>", "cell_r")])
    gap_w = FRAME_W * 0.64
    side = side_by_side(
        table(prio_rows, [62, 34, gap_w - 96], zebra=False),
        table(ans_rows, [92, FRAME_W - gap_w - 18 - 92], zebra=False),
        gap_w,
    )
    out += [CondPageBreak(150), P("Gaps by priority and answers", "h2"), side]

    out.append(P("Eligibility", "h2"))
    if not r.eligibility:
        out.append(
            P(f"{esc(p.short_name)} sets no eligibility requirement for this business type.")
        )
    else:
        rows: list[list[Any]] = [_head_row("Requirement", "Question", "Answer")]
        for g in r.eligibility:
            ask = esc(g.ask)
            # <a name> marks the row as the target of the gap cards' links (inside a table)
            label = P(f'<a name="{gate_anchor(g.id)}"/>{esc(g.title or g.id)}', "cell_b")
            rows.append(
                [
                    label,
                    P(ask, "cell"),
                    P(
                        _colour(
                            esc(GATE_LABELS.get(g.answer, g.answer)),
                            ANSWER_COLOURS.get(g.answer, "#5F6B76"),
                        ),
                        "cell",
                    ),
                ]
            )
        out.append(table(rows, [132, FRAME_W - 132 - 100, 100]))
    for w in r.warnings:
        out.append(Spacer(1, 6))
        out.append(P(_colour("Warning: ", FLAG_COLOUR) + esc(w)))
    return out


def _finding(level: Level, answer: str) -> str:
    what = "not answered" if answer == "unanswered" else f"answered {ANSWER_LABELS[answer]}"
    return _colour(
        f"{level.value.capitalize()} criterion, {esc(what.lower())}", ANSWER_COLOURS[answer]
    )


def _gap_finding(gap: Gap) -> str:
    if gap.is_gate:
        what = "answered no" if gap.answer == "no" else "not answered"
        return (
            _colour(f"Eligibility requirement, {what}", ANSWER_COLOURS[gap.answer])
            + " · "
            + _goto(gap.id, "eligibility in section 1 ›", gate=True)
        )
    if gap.na_to_justify:
        finding = _colour(
            "Must criterion answered N/A, but the program gives no case where it does not apply",
            ANSWER_COLOURS["partial"],
        )
    else:
        finding = _finding(gap.level, gap.answer)
    return f"{finding} · category {esc(gap.category)}. {esc(gap.category_title)} · " + _goto(
        gap.id, f"detail of {gap.id} in section 4 ›"
    )


def _gap_card(gap: Gap) -> list[Flowable]:
    colour = PRIORITY_COLOURS[gap.priority]
    head = esc(gap.title) if gap.is_gate else f"{_goto(gap.id)}&nbsp;&nbsp;{esc(gap.title)}"
    title = (
        f'{head}&nbsp;&nbsp;<font size="7.5" color="{colour}">{gap.priority.value.upper()}</font>'
    )
    rows: list[list[Any]] = [
        [P(title, "cell_b"), ""],
        *_kv_rows(
            [
                ("Finding", _gap_finding(gap)),
                ("Question", esc(gap.ask)),
                ("What to do", f"<b>{esc(gap.remediation)}</b>"),
                ("Note", esc(gap.note)),
                ("Evidence", "<br/>".join(f"• {esc(e)}" for e in gap.evidence)),
                ("Action", _action_text(gap.action)),
            ]
        ),
    ]
    t = table(
        rows,
        [78, FRAME_W - 78],
        header=False,
        repeat_rows=0,  # a repeated title row would show twice when a long note splits
        style=[
            *KV_LABEL_STYLE,
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), TINT),
            ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(colour)),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
        ],
    )
    return [t, Spacer(1, 8)]


def _action_text(act: Action | None) -> str:
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


def _keep_together_if_short(flowables: list[Flowable]) -> list[Flowable]:
    """Keep a short block on one page; let a long one (a pasted essay of a note) split rather
    than leave a blank page behind it."""
    height = sum(f.wrap(FRAME_W, FRAME_H)[1] for f in flowables)
    if height <= FRAME_H * KEEP_TOGETHER_MAX:
        return [KeepTogether(flowables)]
    for f in flowables:
        f.keepWithNext = 0  # a heading's keepWithNext would glue it to the block again
    return [CondPageBreak(FRAME_H * 0.25), *flowables]


def _gap_analysis(ctx: _Ctx) -> list[Flowable]:
    r = ctx.result
    out: list[Flowable] = [
        PageBreak(),
        heading(SECTIONS[1][1], SECTIONS[1][0]),
        P(
            "Every eligibility requirement and applicable criterion not met, most urgent first: "
            "blockers (eligibility answered no), then critical and high gaps, which concern Must "
            "criteria and stand in the way of an application, then medium and low gaps, which "
            "concern Should criteria. Within a priority, foundations come before the controls "
            "that rest on them. Click a criterion id to open its detail in section 4."
        ),
    ]
    if not r.gaps:
        out.append(P("<b>No gaps</b>: every applicable criterion is answered yes or N/A."))
        return out
    for pr in PRIORITY_ORDER:
        gaps = [g for g in r.gaps if g.priority is pr]
        if not gaps:
            continue
        title = P(
            f"{_colour(pr.value.capitalize(), PRIORITY_COLOURS[pr])} "
            f"({len(gaps)}): {esc(PRIORITY_MEANING[pr].lower())}",
            "h2",
        )
        for i, g in enumerate(gaps):
            # a card stays on one page when it fits; the group title stays with its first card
            group = ([title] if i == 0 else []) + _gap_card(g)
            out += _keep_together_if_short(group)
    return out


def _cut(text: str | None, limit: int = ACTION_FIELD_MAX) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _overdue(due: str | None, status: str | None, today: str) -> bool:
    if not due or (status and status.strip().lower() in DONE_STATUSES):
        return False
    try:
        return _dt.date.fromisoformat(due.strip()) < _dt.date.fromisoformat(today)
    except ValueError:
        return False


def _action_plan(ctx: _Ctx) -> list[Flowable]:
    r = ctx.result
    out: list[Flowable] = [PageBreak(), heading(SECTIONS[2][1], SECTIONS[2][0])]
    if not r.gaps:
        out.append(P("No gaps, so no tasks: every applicable criterion is met or N/A."))
        return out
    acts = [g.action for g in r.gaps if g.action]
    owned = sum(1 for a in acts if a.owner)
    dated = sum(1 for a in acts if a.due)
    overdue = sum(1 for a in acts if _overdue(a.due, a.status, ctx.generated_on))
    start = r.assessment.assessed_on
    out.append(
        P(
            f"Each gap as a task, in the order to tackle them: {_plural(len(r.gaps), 'task')}, "
            f"{owned} with an owner, {dated} with a due date"
            + (f", <b>{overdue} overdue</b> on {esc(ctx.generated_on)}" if overdue else "")
            + ". First the eligibility requirements and foundations, next the controls that "
            "rest on them, then the checks and training. "
            + (
                f"Dates marked <i>suggested</i> are targets of 30, 60 and 90 days from the "
                f"assessment date ({esc(start)}); a date the team set always wins. "
                if start
                else "Suggested windows: 30, 60 and 90 days; a date the team set wins. "
            )
            + "Owner, due date and status come from the answers file; empty cells are left "
            "for the team to fill in."
        )
    )
    widths = [70, FRAME_W - 70 - 84 - 66 - 66, 84, 66, 66]
    for step, tasks in action_plan(r):
        rows: list[list[Any]] = [_head_row("Item", "Task", "Owner", "Due", "Status")]
        for t in tasks:
            g = t.gap
            act = g.action
            # short fields by nature: cut runaway text here (it shows in full in section 4)
            owner = esc(_cut(act.owner)) if act else ""
            status = esc(_cut(act.status)) if act else ""
            if t.suggested:
                due = f'{esc(t.due)}<br/><font color="#5F6B76"><i>suggested</i></font>'
            elif t.due is None:
                due = f'<font color="#5F6B76"><i>within {step.days} days</i></font>'
            else:
                due = esc(_cut(t.due))
            if act and _overdue(act.due, act.status, ctx.generated_on):
                due = (
                    _colour(due, PRIORITY_COLOURS[Priority.CRITICAL])
                    + "<br/>"
                    + _colour("overdue", PRIORITY_COLOURS[Priority.CRITICAL], bold=False)
                )
            prio = _colour(g.priority.value.upper(), PRIORITY_COLOURS[g.priority], bold=False)
            if g.is_gate:
                item = f"{_goto(g.id, 'Eligibility', gate=True)}<br/><font size='7'>{prio}</font>"
            else:
                item = f"{_goto(g.id)}<br/><font size='7'>{prio}</font>"
            rows.append(
                [
                    P(item, "cell"),
                    P(f"<b>{esc(g.title)}</b><br/>{esc(g.remediation)}", "cell"),
                    P(owner, "cell"),
                    P(due, "cell"),
                    P(status, "cell"),
                ]
            )
        out.append(
            P(
                f"{esc(step.label)}: {esc(step.meaning)} ({len(tasks)})",
                "h2",
            )
        )
        out.append(table(rows, widths))
    return out


def _criterion_block(ctx: _Ctx, c: Criterion) -> list[Flowable]:
    p = ctx.q.program
    ans = ctx.result.assessment.answer(c.id)
    value = _answer_value(ans)
    flags = []
    if not c.official_id:
        flags.append(_colour("working id", FLAG_COLOUR, bold=False))
    flag_markup = '&nbsp;&nbsp;<font size="7.5">' + " · ".join(flags) + "</font>" if flags else ""
    head = f"{esc(c.id)}&nbsp;&nbsp;{esc(c.title)}{flag_markup}"
    doc = p.document(c.source.doc)
    source = f"{esc(doc.title if doc else c.source.doc)}, {esc(c.source.ref)}"
    lines = [
        f"{c.level.value.capitalize()} · Answer: {_answer_markup(value)} · "
        f'<font color="#5F6B76">Source: {source}</font>',
    ]
    if c.local_title:
        lines.append(f"<b>Official title:</b> {esc(c.local_title)}")
    lines.append(f"<b>Question:</b> {esc(c.ask)}")
    lines.append(f'<font color="#5F6B76"><b>Guidance:</b> {esc(c.guidance)}</font>')
    if c.evidence:
        lines.append(f"<b>Evidence expected:</b> {esc('; '.join(c.evidence))}")
    if ans.note:
        lines.append(f"<b>Note:</b> {esc(ans.note)}")
    if ans.evidence:
        lines.append(f"<b>Evidence given:</b> {esc('; '.join(ans.evidence))}")
    action = _action_text(ans.action)
    if action:
        lines.append(f"<b>Action:</b> {action}")
    if ans.carried_from:
        lines.append(f"<b>Answer carried from:</b> {esc(ans.carried_from)}")
    if value in ("no", "partial", "unanswered"):
        lines.append(f"<b>What to do:</b> {esc(c.remediation)}")
    if value == "na" and c.na_when:
        lines.append(f"<b>Does not apply when:</b> {esc(c.na_when)}")
    elif value == "na" and c.level is Level.MUST:
        lines.append(
            "<b>N/A to justify:</b> the program gives no case where this requirement does not "
            "apply; record why it cannot apply, or answer it."
        )
    title = P(head, "crit")
    title._aeo_dest = anchor_name(c.id)  # the target of the links from sections 2 and 3
    return [title] + [P(line, "crit_body") for line in lines]


def _detail(ctx: _Ctx) -> list[Flowable]:
    r, q = ctx.result, ctx.q
    scores = {cs.id: cs for cs in r.categories}
    cats: Sequence[Category] = q.applicable_categories(r.assessment.entity_type)
    out: list[Flowable] = [
        PageBreak(),
        heading(SECTIONS[3][1], SECTIONS[3][0]),
        P(
            f"Every category and criterion that applies to {_a(r.entity_type.name)} "
            f"{esc(r.entity_type.name)}, with the answer, note and evidence given."
        ),
    ]
    if any(not c.official_id for cat in cats for c in cat.criteria):
        note = q.program.ids_note or "Criteria marked “working id” carry ids given by aeo-check."
        out.append(P(_colour("Working ids: ", FLAG_COLOUR) + esc(note), "small"))
    for i, cat in enumerate(cats):
        if i:
            out.append(CondPageBreak(120))
        title = f"{cat.id}. {cat.title}"
        out.append(heading(title, f"cat-{anchor_name(cat.id)}", level=1, style="h2"))
        cs = scores.get(cat.id)
        meta = []
        if cs is not None:
            meta.append(f"Score <b>{_fmt_score(cs.score)}</b>")
            meta.append(f"{cs.answered} of {cs.applicable} answered")
            if cs.na:
                meta.append(f"{cs.na} N/A")
        if cat.focus_area:
            meta.append(f"focus area: {esc(cat.focus_area)}")
        if cat.local_title:
            meta.append(f"official title: {esc(cat.local_title)}")
        out.append(P(" · ".join(meta), "small"))
        if cat.description:
            out.append(P(esc(cat.description), "small"))
        for c in cat.criteria:
            out += _criterion_block(ctx, c)
    return out


def _next_steps(ctx: _Ctx) -> list[Flowable]:
    p = ctx.q.program
    out: list[Flowable] = [
        PageBreak(),
        heading(SECTIONS[4][1], SECTIONS[4][0]),
        P(f"How to apply to {esc(p.name)}", "h2"),
    ]
    if not p.apply:
        out.append(P(f"See the program's site: {_url(p.url)}"))
    for i, step in enumerate(p.apply, 1):
        text = esc(step.step)
        if step.url:
            text += f"<br/>{_url(step.url)}"
        out.append(Paragraph(text, STYLES["step"], bulletText=f"{i}."))
    out.append(P(f"Program site: {_url(p.url)}", "small"))

    out.append(P("Contacts", "h2"))
    if p.contacts:
        rows: list[list[Any]] = [_head_row("Contact", "How to reach", "Note")]
        for c in p.contacts:
            reach = [x for x in (_mailto(c.email), _url(c.url), esc(c.phone)) if x]
            note = esc(c.note)
            rows.append(
                [P(esc(c.label), "cell_b"), P("<br/>".join(reach), "cell"), P(note, "cell")]
            )
        out.append(table(rows, [150, 170, FRAME_W - 320]))
    else:
        out.append(P("The questionnaire lists no contacts; see the program's site."))

    if p.mutual_recognition:
        out.append(P("Partner programs under mutual recognition", "h2"))
        out.append(
            P(
                f"Membership in {esc(p.short_name)} is recognised by these programs, which can "
                "bring benefits when trading with their countries."
            )
        )
        rows = [_head_row("Program", "Since")]
        for m in p.mutual_recognition:
            name = esc(m.name)
            rows.append([P(name, "cell"), P(esc(m.since), "cell")])
        out.append(table(rows, [FRAME_W - 90, 90]))
    if p.benefits:
        out.append(P("What membership brings", "h2"))
        out += [Paragraph(esc(b), STYLES["bullet"], bulletText="•") for b in p.benefits]
    return out


def _methodology(ctx: _Ctx) -> list[Flowable]:
    r, q = ctx.result, ctx.q
    p, s = q.program, q.scoring
    entity = r.assessment.entity_type
    out: list[Flowable] = [
        PageBreak(),
        heading(SECTIONS[5][1], SECTIONS[5][0]),
        P("How the score is computed", "h2"),
        P(
            "Each criterion that applies to the business type earns a credit from its answer and "
            "carries a weight from its level. A category's score, and the overall score, is "
            "100 × (sum of weight × credit) / (sum of weights), rounded to one decimal. "
            "Criteria answered N/A are left out of both sums; unanswered criteria count as 0."
        ),
    ]
    credit_rows: list[list[Any]] = [_head_row("Answer", "Credit")]
    for key, credit in (
        ("yes", "1"),
        ("partial", "0.5"),
        ("no", "0"),
        ("unanswered", "0"),
        ("na", "left out"),
    ):
        credit_rows.append([P(_answer_markup(key), "cell"), P(credit, "cell")])
    weight_rows: list[list[Any]] = [
        _head_row("Level", "Weight"),
        [P("Must", "cell"), P(f"{s.must_weight:g}", "cell")],
        [P("Should", "cell"), P(f"{s.should_weight:g}", "cell")],
    ]
    out.append(
        side_by_side(
            table(credit_rows, [100, 80], zebra=False),
            table(weight_rows, [100, 80], zebra=False),
            180,
        )
    )
    if any(c.weight is not None for c in q.applicable_criteria(entity)):
        out.append(P("Some criteria of this questionnaire set their own weight.", "small"))
    out.append(P("Verdict (first rule that matches)", "h2"))
    rules = [
        f"<b>{esc(VERDICT_LABELS[Verdict.NOT_ELIGIBLE])}</b>: an eligibility requirement is "
        "answered no.",
        f"<b>{esc(VERDICT_LABELS[Verdict.READY])}</b>: every eligibility requirement is met, "
        "every Must criterion is answered yes (or N/A where the program says when it does not "
        "apply) and nothing is left unanswered"
        + (
            f"; the overall score is at least {s.ready_at:g}."
            if s.ready_at is not None
            else ". Should criteria are recommendations: they move the score, not the verdict."
        ),
        f"<b>{esc(VERDICT_LABELS[Verdict.NEARLY_READY])}</b>: no Must criterion is answered no "
        f"or left unanswered, and the overall score is at least {s.nearly_ready_at:g}.",
        f"<b>{esc(VERDICT_LABELS[Verdict.NOT_READY])}</b>: otherwise.",
        "<b>Provisional</b>: some criteria or eligibility questions are not answered; the "
        "verdict may change once they are, and it is never “ready”.",
    ]
    out += [Paragraph(t, STYLES["bullet"], bulletText="•") for t in rules]
    out.append(P("Gap priority", "h2"))
    rows: list[list[Any]] = [_head_row("Priority", "When")]
    for pr in PRIORITY_ORDER:
        rows.append(
            [
                P(_colour(pr.value.capitalize(), PRIORITY_COLOURS[pr]), "cell"),
                P(esc(PRIORITY_MEANING[pr]), "cell"),
            ]
        )
    out.append(table(rows, [90, FRAME_W - 90], zebra=False))
    out.append(
        P(
            "Gaps are listed by priority, then by phase (1 foundations, 2 controls, 3 checks "
            "and training; eligibility first), then in questionnaire order.",
            "small",
        )
    )
    out += _quality_list(ctx)

    out.append(P("Sources", "h2"))
    out.append(
        P(
            f"Questionnaire {esc(q.id)}, version {esc(q.version)}. Criteria source: "
            f"{esc(p.criteria_document.title)}"
            + (f" ({esc(p.criteria_document.date)})." if p.criteria_document.date else ".")
        )
    )
    rows = [_head_row("Document", "Date", "Read in")]
    for d in (p.criteria_document, *p.documents):
        title = esc(d.title) + (f"<br/>{_url(d.url)}" if d.url else "")
        rows.append(
            [
                P(title, "cell"),
                P(esc(d.date) or "not dated", "cell"),
                P(esc(EVIDENCE_LEVEL_LABELS[d.evidence_level]), "cell"),
            ]
        )
    out.append(table(rows, [FRAME_W - 190, 70, 120]))

    crits = q.applicable_criteria(entity)
    out += _evidence_levels(ctx)
    working = [c.id for c in crits if not c.official_id]
    if working:
        out.append(P("Working ids", "h2"))
        out.append(
            P(
                esc(p.ids_note or "These criteria carry ids given by aeo-check, not the agency.")
                + f" ({esc(', '.join(working))})"
            )
        )
    if r.warnings:
        out.append(P("Warnings", "h2"))
        out += [Paragraph(esc(w), STYLES["bullet"], bulletText="•") for w in r.warnings]
    out.append(P("Disclaimer", "h2"))
    out.append(P(esc(DISCLAIMER)))
    return out


def _evidence_levels(ctx: _Ctx) -> list[Flowable]:
    """Counts by evidence level, and what an agency document would still have to settle."""
    r, q = ctx.result, ctx.q
    p = q.program
    entity = r.assessment.entity_type
    levels = evidence_summary(q, entity)
    out: list[Flowable] = [P("How each criterion was sourced", "h2")]
    out.append(
        P(
            "Each criterion's id, level and applicability to this business type were read in "
            "one of four kinds of source. Only the first two count as checked against the "
            "agency's text."
        )
    )
    rows: list[list[Any]] = [_head_row("Source", "Criteria")]
    meaning = {
        EvidenceLevel.OFFICIAL: "the agency's own site or document",
        EvidenceLevel.COPY: "a stored copy of the agency's own document",
        EvidenceLevel.SECONDARY: "a third party, or the agency in another document",
        EvidenceLevel.INFERRED: "not seen for this business type: carried over or reasoned",
    }
    for level, ids in levels.items():
        rows.append(
            [
                P(f"<b>{esc(level.value)}</b>: {esc(meaning[level])}", "cell"),
                P(str(len(ids)), "cell_r"),
            ]
        )
    out.append(table(rows, [FRAME_W - 70, 70], zebra=False))
    below = levels[EvidenceLevel.SECONDARY] + levels[EvidenceLevel.INFERRED]
    gates = [g.label for g in q.applicable_gates(entity) if not g.level_for(entity).checked]
    if below:
        out.append(
            P(
                f"To confirm against {esc(p.short_name)}'s own document "
                f"({_plural(len(below), 'criterion', 'criteria')}): {esc(', '.join(below))}."
            )
        )
    if gates:
        out.append(P(f"Eligibility requirements to confirm: {esc('; '.join(gates))}."))
    others = [
        *(f"contact “{c.label}”" for c in p.contacts if not c.evidence_level.checked),
        *(f"partner program {m.name}" for m in p.mutual_recognition if not m.verified),
    ]
    if others:
        out.append(
            P(
                "Not read in the agency's own text, so worth confirming before use: "
                + esc("; ".join(others))
                + ".",
                "small",
            )
        )
    return out


def _quality_box(ctx: _Ctx) -> list[Flowable]:
    """A short box in the executive summary: what a validator would question in the answers."""
    groups = quality_by_kind(ctx.result)
    if not groups:
        return []
    lines = [
        "<b>How solid is this assessment</b>: a validator will ask about these answers "
        "(the list is in section 6)."
    ]
    lines += [f"• {esc(label)}: {len(ids)}" for _, label, ids in groups]
    box = Table([[P("<br/>".join(lines), "small")]], colWidths=[FRAME_W], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(FLAG_COLOUR)),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return [Spacer(1, 6), box]


def _quality_list(ctx: _Ctx) -> list[Flowable]:
    groups = quality_by_kind(ctx.result)
    if not groups:
        return []
    out: list[Flowable] = [P("Quality of the answers", "h2")]
    out.append(
        P(
            "Findings about the answers themselves, which a validator would raise (the same "
            "list as <i>aeo-check validate --strict</i>):"
        )
    )
    out += [
        Paragraph(
            f"<b>{esc(label)}</b> ({len(ids)}): {esc(', '.join(ids))}",
            STYLES["bullet"],
            bulletText="•",
        )
        for _, label, ids in groups
    ]
    return out


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _report_date(generated_on: str | None) -> str:
    if generated_on is None:
        return _dt.date.today().isoformat()
    try:
        return _dt.date.fromisoformat(generated_on).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"generated_on must be a date YYYY-MM-DD, not {generated_on!r}") from None


def _change(value: float | None) -> str:
    if value is None:
        return "–"
    if value > 0:
        return _colour(f"+{value:.1f}", "#2E7D32")
    if value < 0:
        return _colour(f"{value:.1f}", "#C62828")
    return "0.0"


def _progress(ctx: _Ctx) -> list[Flowable]:
    d = ctx.difference
    if d is None:
        return []
    since = d.old.assessment.assessed_on or "the previous assessment"
    title = f"Progress since {since}"
    out: list[Flowable] = [PageBreak(), heading(title, "progress")]
    out.append(
        P(
            f"Compared with the assessment of {esc(since)} "
            f"(verdict then: {esc(_verdict_text(d.old))}; now: {esc(_verdict_text(d.new))}). "
            f"Overall score {_fmt_score(d.overall.old)} → {_fmt_score(d.overall.new)} "
            f"({_change(d.overall.change)}); {len(d.closed)} gap(s) closed, "
            f"{len(d.opened)} new gap(s), {len(d.changed)} answer(s) changed."
        )
    )
    rows: list[list[Any]] = [_head_row("Category", "Before", "Now", "Change")]
    for c in d.categories:
        rows.append(
            [
                P(esc(f"{c.id}. {c.title}"), "cell"),
                P(_fmt_score(c.old), "cell"),
                P(_fmt_score(c.new), "cell"),
                P(_change(c.change), "cell"),
            ]
        )
    out.append(table(rows, [FRAME_W - 210, 70, 70, 70]))
    if d.changed:
        out.append(P("Answers that changed", "h2"))
        rows = [_head_row("Criterion", "Before", "Now")]
        for ch in d.changed:
            crit = ctx.q.criterion(ch.id)
            label = f"{ch.id} {crit.title}" if crit else ch.id
            rows.append(
                [
                    P(_goto(ch.id, esc(label)) if crit else esc(label), "cell"),
                    P(_answer_markup(ch.old), "cell"),
                    P(_answer_markup(ch.new), "cell"),
                ]
            )
        out.append(table(rows, [FRAME_W - 180, 90, 90]))
    if d.closed:
        out.append(P(f"Gaps closed: {esc(', '.join(d.closed))}", "body"))
    if d.opened:
        out.append(P(f"New gaps: {esc(', '.join(d.opened))}", "body"))
    return out


def _partner_readiness(ctx: _Ctx) -> list[Flowable]:
    c = ctx.comparison
    if c is None:
        return []
    out: list[Flowable] = [
        PageBreak(),
        heading("Readiness for partner programs", "compare"),
        P(
            "The programs recognise each other through mutual recognition arrangements and their "
            "criteria overlap. From these answers, aeo-check estimates the readiness for the "
            "other programs: answers to equivalent criteria are carried over; criteria reached "
            "only through related (partial) links are to confirm; the rest are to answer. Every "
            "figure below is provisional until those are answered."
        ),
    ]
    rows: list[list[Any]] = [
        _head_row(
            "Program",
            "Business type",
            "Carried over",
            "To confirm",
            "To answer",
            "Score",
            "If confirmed",
            "Verdict",
        )
    ]
    src = c.source
    rows.append(
        [
            P(esc(src.questionnaire.program.short_name) + " (this report)", "cell_b"),
            P(esc(src.entity_type.name), "cell"),
            P("–", "cell"),
            P("–", "cell"),
            P(str(src.answer_counts["unanswered"]), "cell"),
            P(_fmt_score(src.overall), "cell"),
            P("", "cell"),
            P(esc(_verdict_text(src)), "cell"),
        ]
    )
    for row in c.programs:
        if row.result is None:
            rows.append(
                [P(esc(row.program_name), "cell_b"), P(esc(row.note or ""), "cell")]
                + [P("", "cell")] * 6
            )
            continue
        r = row.result
        rows.append(
            [
                P(esc(r.questionnaire.program.short_name), "cell_b"),
                P(esc(r.entity_type.name), "cell"),
                P(str(len(row.carried_over)), "cell"),
                P(str(len(row.to_confirm)), "cell"),
                P(str(len(row.to_answer)), "cell"),
                P(_fmt_score(r.overall), "cell"),
                P(_fmt_score(row.if_confirmed.overall if row.if_confirmed else None), "cell"),
                P(esc(_verdict_text(r)), "cell"),
            ]
        )
    out.append(table(rows, [60, FRAME_W - 60 - 3 * 46 - 40 - 64 - 88, 46, 46, 46, 40, 64, 88]))
    out.append(
        P(
            "'If confirmed' scores each criterion to confirm with the best answer given to its "
            "related criteria: what the score would be if those answers hold for this program.",
            "small",
        )
    )
    out.append(
        P(
            "Crosswalk links are aeo-check's own analysis, not an official table of the agencies. "
            "Run 'aeo-check assess --program PROGRAM --from ANSWERS' to start a pre-filled "
            "assessment for a partner program.",
            "small",
        )
    )
    return out


def render(
    result: Result,
    *,
    generated_on: str | None = None,
    comparison: Any = None,
    difference: Any = None,
) -> bytes:
    """The gap-analysis PDF of a Result, as bytes.

    ``generated_on`` ("YYYY-MM-DD", default today) is printed in the footer and used as the
    PDF's dates; the same Result and date give a byte-identical PDF. ``comparison`` (from
    :func:`aeo_check.compare.compare`) and ``difference`` (from :func:`aeo_check.diff.diff`) add
    the partner-program and progress sections.
    """
    day = _report_date(generated_on)
    ctx = _Ctx(result=result, generated_on=day, comparison=comparison, difference=difference)
    q, a = result.questionnaire, result.assessment
    short = q.program.short_name
    info = _PageInfo(
        company=plain(ctx.company), program=plain(f"{short} gap analysis"), generated_on=day
    )
    buf = BytesIO()
    doc = _Doc(
        buf,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=plain(f"{short} readiness gap analysis – {ctx.company}"),
        author=plain((a.assessor or "").strip() or "aeo-check"),
        subject=plain(
            f"Self-assessment against {q.program.name} ({q.program.agency}), "
            f"questionnaire {q.id} {q.version}"
        ),
        creator="aeo-check",
        keywords=[plain(short), "AEO", "trusted trader", "gap analysis", "self-assessment"],
        invariant=1,
        lang="en",
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        FRAME_W,
        FRAME_H,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(id="cover", frames=[frame], onPage=_draw_cover_band),
            PageTemplate(id="body", frames=[frame]),
        ]
    )
    story: list[Flowable] = []
    for build in (
        _cover,
        _summary,
        _progress,
        _partner_readiness,
        _gap_analysis,
        _action_plan,
        _detail,
        _next_steps,
        _methodology,
    ):
        story += build(ctx)
    doc.build(story, canvasmaker=_canvas_maker(info))
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# The portfolio summary of a batch (aeo-check batch)
# --------------------------------------------------------------------------------------------

_VERDICT_ORDER = ("ready", "nearly-ready", "not-ready", "not-eligible", "error")


def _relative_link(name: str, label: str) -> str:
    """A link to a report file next to the portfolio (a relative URI, escaped)."""
    if not re.fullmatch(r"[A-Za-z0-9._-]+", name):
        return label
    return f'<a href="{escape(name, {chr(34): "&quot;"})}" color="{ACCENT_HEX}">{label}</a>'


def _verdict_chart(counts: dict[str, int]) -> Drawing:
    rows = [(v, counts.get(v, 0)) for v in _VERDICT_ORDER if counts.get(v, 0) or v != "error"]
    width = FRAME_W
    height = len(rows) * BAR_ROW_H + 10
    d = Drawing(width, height)
    top = max(1, max(n for _, n in rows))
    bar_w = width - BAR_LABEL_W - 40
    for i, (verdict, n) in enumerate(rows):
        y = height - (i + 1) * BAR_ROW_H
        label = VERDICT_LABELS[Verdict(verdict)] if verdict != "error" else "Could not be read"
        d.add(String(0, y + 3, plain(label), fontName=FONT, fontSize=SIZE_SMALL, fillColor=INK))
        colour = VERDICT_COLOURS[Verdict(verdict)] if verdict != "error" else "#6B7280"
        d.add(Rect(BAR_LABEL_W, y, bar_w, BAR_H, fillColor=TRACK, strokeColor=None))
        if n:
            d.add(
                Rect(
                    BAR_LABEL_W,
                    y,
                    bar_w * n / top,
                    BAR_H,
                    fillColor=colors.HexColor(colour),
                    strokeColor=None,
                )
            )
        d.add(
            String(
                BAR_LABEL_W + bar_w + 6,
                y + 1,
                str(n),
                fontName=FONT_BOLD,
                fontSize=SIZE_SMALL,
                fillColor=INK,
            )
        )
    return d


def _portfolio_row(r: Any) -> list[Any]:
    """The cells of one company in the portfolio table."""
    if r.error:
        return [
            P(esc(r.company or r.input), "cell_b"),
            P(esc(r.program or ""), "cell"),
            P(_colour("could not be read: ", "#C62828") + esc(r.error), "cell"),
            "",
            "",
            "",
            "",
        ]
    target = r.outputs.get("pdf") or next(iter(r.outputs.values()), None)
    name = esc(r.company or "(company not named)")
    verdict = VERDICT_LABELS[Verdict(r.verdict)] + (" (prov.)" if r.provisional else "")
    return [
        P(_relative_link(target, name) if target else name, "cell_b"),
        P(esc(r.program), "cell"),
        P(esc(r.entity_type), "cell"),
        P(_fmt_score(r.overall), "cell"),
        P(
            _colour(esc(verdict), VERDICT_COLOURS[Verdict(r.verdict)])
            + (f'<br/><font size="7">{esc("; ".join(r.reasons[:2]))}</font>' if r.reasons else ""),
            "cell",
        ),
        P(str(r.gaps.get("critical", 0)), "cell"),
        P(str(r.gaps.get("high", 0)), "cell"),
    ]


class _PagedRows(Flowable):
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
                _PagedRows(self.header, self.data, self.make_row, self.widths, self.start + placed)
            )
        return out

    def draw(self) -> None:
        self._t.drawOn(self.canv, 0, 0)


def render_portfolio(batch: Any, *, generated_on: str | None = None) -> bytes:
    """The portfolio PDF of a batch: an overview page and a table of every company.

    ``batch`` is an :class:`aeo_check.batch.BatchResult`. Each company links to its own report
    file (a relative link, so the folder can be moved or zipped as a whole).
    """
    day = _report_date(generated_on)
    rows = batch.rows
    info = _PageInfo(company="Portfolio summary", program="aeo-check batch", generated_on=day)
    buf = BytesIO()
    doc = _Doc(
        buf,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title="Trusted-trader readiness: portfolio summary",
        author="aeo-check",
        subject=f"Readiness of {len(rows)} assessments",
        creator="aeo-check",
        invariant=1,
        lang="en",
    )
    frame = Frame(
        MARGIN_LEFT, MARGIN_BOTTOM, FRAME_W, FRAME_H, id="body",
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )  # fmt: skip
    doc.addPageTemplates([PageTemplate(id="body", frames=[frame])])
    counts: dict[str, int] = {}
    for r in rows:
        key = r.verdict or "error"
        counts[key] = counts.get(key, 0) + 1
    failed = sum(1 for r in rows if r.error)
    scores = [r.overall for r in rows if r.overall is not None and not r.error]
    story: list[Flowable] = [
        heading("Portfolio summary", "overview"),
        P(
            f"{_plural(len(rows), 'assessment')}; {counts.get('ready', 0)} ready to apply, "
            f"{counts.get('nearly-ready', 0)} nearly ready, {counts.get('not-ready', 0)} not "
            f"ready, {counts.get('not-eligible', 0)} not eligible yet"
            + (f", {failed} could not be read" if failed else "")
            + (f". Average score {sum(scores) / len(scores):.1f}." if scores else ".")
            + (
                " The batch was interrupted: the table lists what finished."
                if batch.interrupted
                else ""
            )
        ),
        P("Verdicts at a glance", "h2"),
        _verdict_chart(counts),
    ]
    by_program: dict[str, list[Any]] = {}
    for r in rows:
        if not r.error:
            by_program.setdefault(r.program, []).append(r)
    if by_program:
        prog_rows: list[list[Any]] = [
            _head_row("Program", "Assessments", "Average score", "Ready", "Nearly ready")
        ]
        for prog, items in sorted(by_program.items()):
            vals = [x.overall for x in items if x.overall is not None]
            prog_rows.append(
                [
                    P(esc(prog), "cell_b"),
                    P(str(len(items)), "cell"),
                    P(f"{sum(vals) / len(vals):.1f}" if vals else "n/a", "cell"),
                    P(str(sum(1 for x in items if x.verdict == "ready")), "cell"),
                    P(str(sum(1 for x in items if x.verdict == "nearly-ready")), "cell"),
                ]
            )
        story += [P("By program", "h2"), table(prog_rows, [FRAME_W - 4 * 90, 90, 90, 90, 90])]
    story += [
        heading("All companies", "companies"),
        P("Click a company to open its report (the files sit next to this summary).", "small"),
    ]
    widths = [FRAME_W - 60 - 110 - 45 - 95 - 2 * 45, 60, 110, 45, 95, 45, 45]
    story.append(
        _PagedRows(
            lambda: _head_row(
                "Company", "Program", "Business type", "Score", "Verdict", "Critical", "High"
            ),
            rows,
            _portfolio_row,
            widths,
        )
    )
    doc.build(story, canvasmaker=_canvas_maker(info))
    return buf.getvalue()
